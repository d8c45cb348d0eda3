"""`replenish remind run` as a real process, with a stand-in `notify-send` first on the PATH."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from msgspec.structs import replace

from program.reminders.runner import notification_body
from program.service import Replenish
from tests.conftest import ROOT
from tests.reminders.helpers import begin, key_for, moment_ahead, open_small, set_times, wait_until

STAND_IN = """#!/bin/sh
# Records each call: its arguments one per line, then a separator.
for argument in "$@"; do printf '%s\\n' "$argument" >> "{log}"; done
printf '%s\\n' '---' >> "{log}"
"""


def _calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    text = log.read_text()
    return [block.strip("\n").split("\n") for block in text.split("---\n") if block.strip()]


@pytest.fixture
def notify_log(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "notify-send.log"
    script = folder / "notify-send"
    script.write_text(STAND_IN.format(log=log))
    script.chmod(0o755)
    return log


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Replenish]:
    opened = open_small(tmp_path / "data")
    begin(opened)
    yield opened
    opened.close()


def _start(service: Replenish, notify_log: Path, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env["PATH"] = f"{notify_log.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    program = str(ROOT / "tests" / "fixtures" / "small")
    data = str(service.store.data_dir)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "program",
            "remind",
            "run",
            "--program",
            program,
            "--data-dir",
            data,
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_remind_run_sends_each_reminder_once_through_notify_send(
    service: Replenish, notify_log: Path
) -> None:
    fire = moment_ahead(service, 2)
    set_times(service, fire.time())
    plan_text = "Ask <Sam> & Jo about Saturday"
    service.save_settings(replace(service.settings(), detail_outside=True))  # their own words
    one_off = service.add_one_off_reminder(fire + timedelta(seconds=1), plan_text)
    process = _start(service, notify_log)
    try:
        wait_until(lambda: len(_calls(notify_log)) >= 2)
        wait_until(lambda: not service.pending_one_offs())
    finally:
        code, out, err = _stop(process)
    assert code == 0, err
    calls = _calls(notify_log)
    assert calls == [
        [
            "--app-name=Replenish",
            "--",
            "Replenish",
            "Day 1: Daily check-in, 1 min; A short rest, 5 min. Whenever you are ready.",
        ],
        ["--app-name=Replenish", "--", "Replenish", "Ask &lt;Sam&gt; &amp; Jo about Saturday"],
    ]
    sent = [line for line in err.splitlines() if " sent " in line]
    assert len(sent) == 2
    assert f"sent {key_for(service, fire)} through notify-send" in sent[0]
    assert f"sent once:{one_off} through notify-send" in sent[1]
    assert plan_text not in err  # the user's own words never reach the log
    assert err.strip().splitlines()[-1].endswith("replenish remind: stopped")
    assert out == ""


REFUSING = """#!/bin/sh
# A notify-send that cannot reach a notification server: records the call, exits 1.
for argument in "$@"; do printf '%s\\n' "$argument" >> "{log}"; done
printf '%s\\n' '---' >> "{log}"
exit 1
"""
HOSTILE = "Ask Sam\x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b31m \u202eevil\u202c about Saturday"
"""A one-off's own words, holding OSC 52 (clipboard), CSI, a C1 CSI and a BiDi override."""
SEEN = "Ask Sam␛]52;c;cHduZWQ=␇ ␛[2J\\x9b31m \\u202eevil\\u202c about Saturday"


def _run_until_logged(
    service: Replenish, tmp_path: Path, words: str, path: str, stdout: int
) -> tuple[int, str]:
    """`remind run` with `path` as PATH and `stdout` as its stdout, until its log holds
    `words`; (exit status, the log)."""
    err = tmp_path / "service.err"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": path}
    with err.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "program", "remind", "run",
                "--program", str(ROOT / "tests" / "fixtures" / "small"),
                "--data-dir", str(service.store.data_dir),
            ],
            stdout=stdout, stderr=log, stdin=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        try:
            wait_until(lambda: words in err.read_text())
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    return process.returncode, err.read_text()


def _due_now(service: Replenish) -> tuple[str, int]:
    """A daily time and a one-off with the user's words (hostile ones), both a moment ahead."""
    fire = moment_ahead(service, 2)
    set_times(service, fire.time())
    service.save_settings(replace(service.settings(), detail_outside=True))
    one_off = service.add_one_off_reminder(fire, HOSTILE)
    return key_for(service, fire), one_off


def test_without_a_desktop_or_a_terminal_nothing_is_sent_and_no_word_is_logged(
    service: Replenish, tmp_path: Path
) -> None:
    """Under the systemd unit stdout is the journal: the user's words must not go there.
    With no channel at all, the reminders are given back for the app."""
    daily, one_off = _due_now(service)
    out = tmp_path / "service.out"
    with out.open("wb") as stdout:
        code, log = _run_until_logged(
            service, tmp_path, f"once:{one_off} is due", str(tmp_path / "empty"), stdout.fileno()
        )
    assert code == 0, log
    assert out.read_bytes() == b""
    assert "no channel here (notify-send is missing and stdout is not a terminal)" in log
    assert f"{daily} is due but no channel here took it" in log
    assert "Saturday" not in log and "Sam" not in log
    assert service.delivered_keys() == frozenset()  # left for the app
    assert [pending.id for pending in service.pending_one_offs()] == [one_off]


def test_a_failed_notify_send_is_not_counted_and_the_terminal_gets_it(
    service: Replenish, tmp_path: Path
) -> None:
    """notify-send exiting 1 (no notification server) is not a delivery: the next channel,
    the terminal, shows the line, its escape sequences drawn, never obeyed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "notify-send.log"
    script = folder / "notify-send"
    script.write_text(REFUSING.format(log=calls))
    script.chmod(0o755)
    daily, one_off = _due_now(service)
    controller, terminal = os.openpty()
    try:
        code, log = _run_until_logged(
            service, tmp_path, f"sent once:{one_off}", str(folder), terminal
        )
        os.close(terminal)
        shown = _read_all(controller)
    finally:
        os.close(controller)
    assert code == 0, log
    assert len(_calls(calls)) == 2  # both tried on the desktop first
    assert f"sent {daily} through the terminal" in log
    assert f"sent once:{one_off} through the terminal" in log
    assert not [line for line in log.splitlines() if " sent " in line and "notify-send" in line]
    text = shown.decode("utf-8")
    assert f"Replenish · {SEEN}\a" in text
    for forbidden in ("\x1b", "\x9b", "\u202e", "\u202c"):
        assert forbidden not in text
    assert service.delivered_keys() == {daily, f"once:{one_off}"}
    assert service.pending_one_offs() == []


def _read_all(fd: int) -> bytes:
    """Everything a pty's controller side holds once its other end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side is closed and all was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_service_stopped_past_the_time_delivers_when_it_continues(
    service: Replenish, notify_log: Path
) -> None:
    """SIGSTOP past the fire time, then SIGCONT: the late job still runs (grace of hours)."""
    fire = moment_ahead(service, 4)
    set_times(service, fire.time())
    process = _start(service, notify_log)
    try:
        wait_until(lambda: process.stderr is not None and "started" in process.stderr.readline())
        process.send_signal(signal.SIGSTOP)
        wait_until(lambda: service.now() > fire + timedelta(seconds=2))
        assert _calls(notify_log) == []
        process.send_signal(signal.SIGCONT)
        wait_until(lambda: len(_calls(notify_log)) == 1)
    finally:
        process.send_signal(signal.SIGCONT)
        code, _, err = _stop(process)
    assert code == 0, err
    assert len(_calls(notify_log)) == 1


def test_ctrl_c_stops_cleanly(service: Replenish, notify_log: Path) -> None:
    process = _start(service, notify_log)
    try:
        assert process.stderr is not None
        wait_until(lambda: "started" in process.stderr.readline())  # type: ignore[union-attr]
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:  # a failed wait must not leave a service running after the test
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert err.strip().splitlines()[-1].endswith("replenish remind: stopped")
    assert "Traceback" not in err and "Error" not in err  # nothing swallowed and logged


def test_notification_body_escapes_markup() -> None:
    assert notification_body("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert notification_body('"quoted"') == '"quoted"'
