"""Hostile command lines and environments: a clear message or a quiet exit, never a traceback,
and the data folder exactly as it was.

Most cases run the command in this process (`main(argv)`, with the environment, working
folder and pipes a subprocess would have); a real subprocess runs what only a process
shows: a closed pipe (SIGPIPE's exit status), an odd stdout encoding (`PYTHONIOENCODING`),
and arguments that are bytes, not text.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from state.checked import NOTE_NAME
from tests.conftest import ROOT, SMALL, Result, run_main

PLAIN = [
    ["start"],
    ["today"],
    ["status"],
    ["nudge"],
    ["export"],
    ["remind", "show"],
    ["doctor"],
]


def run(args: list[str], home: Path | None, cwd: Path | None = None, **env: str) -> Result:
    """`replenish ARGS` in this process, on `home` (None: REPLENISH_HOME unset) in UTC."""
    return run_main(
        args, {"REPLENISH_HOME": None if home is None else str(home), "TZ": "UTC", **env}, cwd=cwd
    )


def run_process(
    args: list[str | bytes], home: Path | None, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """`replenish ARGS` as a real subprocess, its output as bytes."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REPLENISH_", "PYTEST_"))
    }
    if home is not None:
        environ["REPLENISH_HOME"] = str(home)
    environ.update(TZ="UTC", PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "program", *args],
        capture_output=True,
        env=environ,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` (mode, bytes), and the folder's own mode."""
    if not folder.exists():
        return {}
    found = {".": (stat.S_IMODE(folder.stat().st_mode), b"")}
    for path in sorted(folder.rglob("*")):
        if path.name == NOTE_NAME:  # the check note follows the file's identity, not its data
            continue
        content = path.read_bytes() if path.is_file() else b""
        found[str(path.relative_to(folder))] = (stat.S_IMODE(path.stat().st_mode), content)
    return found


@pytest.fixture
def started(private_home: Path) -> Path:
    """A data folder with a plan begun and a reminder that has passed (so `nudge` speaks)."""
    assert run(["start", "--program", str(SMALL)], private_home).code == 0
    done = run(["remind", "set", "04:00", "--program", str(SMALL)], private_home)
    assert done.code == 0, done.err
    return private_home


def assert_refused(done: subprocess.CompletedProcess[bytes] | Result, *words: str) -> str:
    if isinstance(done, Result):
        err, code = done.err, done.code
    else:
        err, code = done.stderr.decode("utf-8", "replace"), done.returncode
    assert code != 0, err
    assert "Traceback" not in err
    for word in words:
        assert word in err
    return err


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
@pytest.mark.parametrize("pinned", ["garbage", "2026-13-45T09:00", "9" * 40])
def test_a_malformed_replenish_now_is_a_message(
    started: Path, argv: list[str], pinned: str
) -> None:
    before = snapshot(started)
    done = run([*argv, "--program", str(SMALL)], started, REPLENISH_NOW=pinned)
    assert_refused(done, "REPLENISH_NOW", "is not a date and time", "ISO 8601")
    assert done.code == 1
    assert snapshot(started) == before


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_tilde_that_names_no_user_is_a_message(tmp_path: Path, how: str) -> None:
    given = "~replenish-nobody-by-this-name/data"
    if how == "option":
        done = run(["--data-dir", given, "status"], tmp_path / "home", cwd=tmp_path)
    else:
        done = run(["status"], None, cwd=tmp_path, REPLENISH_HOME=given)
    assert_refused(done, "~replenish-nobody-by-this-name names no user here", "full path")
    assert list(tmp_path.iterdir()) == []  # nothing created, here or anywhere below


@pytest.mark.parametrize("argv", [*PLAIN, ["validate"]], ids=" ".join)
def test_an_empty_data_folder_is_refused_and_the_current_folder_untouched(
    tmp_path: Path, argv: list[str]
) -> None:
    """`--data-dir ""` (an unset variable in a script) used to make the current folder the
    data folder and chmod it 0700."""
    here = tmp_path / "here"
    here.mkdir()
    here.chmod(0o755)
    (here / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(here)
    for option in (["--data-dir", ""], ["--data-dir="], ["--program", ""]):
        done = run([*argv, *option], tmp_path / "home", cwd=here)
        assert_refused(done, "an empty folder name")
        assert done.code == 2
        assert snapshot(here) == before


def test_folders_whose_names_are_not_utf8(tmp_path: Path) -> None:
    """Bytes that are no UTF-8 name a folder as well as any; messages spell them out."""
    odd = os.fsencode(tmp_path) + b"/data-\xff\xfe"
    env = {"PYTHONIOENCODING": "utf-8"}  # strict, as in a UTF-8 desktop locale
    done = run_process([b"--data-dir", odd, "start", "--program", str(SMALL)], None, **env)
    assert done.returncode == 0, done.stderr
    assert Path(os.fsdecode(odd), "replenish.db").is_file()
    done = run_process([b"--data-dir", odd, "status", "--program", str(SMALL)], None, **env)
    assert done.returncode == 0, done.stderr
    assert b"Week 1 of 2" in done.stdout
    missing = os.fsencode(tmp_path) + b"/program-\xff"
    done = run_process(["validate", missing], None, **env)
    assert b"program-\\xff" in done.stdout + done.stderr
    assert_refused(done)
    assert done.returncode == 1
    done = run_process([b"--program", missing, "today"], tmp_path / "home", **env)
    assert_refused(done, "program-\\xff")


def test_a_stdout_that_cannot_hold_the_text(started: Path) -> None:
    """PYTHONIOENCODING=ascii and the program's "·": shown as "?", not a traceback; an
    export, whose words must come out exactly, is refused with nothing written."""
    before = snapshot(started)
    done = run_process(["today", "--program", str(SMALL)], started, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert b"Week 1 of 2 ? Day 1 of 14" in done.stdout
    done = run_process(["status", "--program", str(SMALL)], started, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    from state import Store

    with Store.open(started) as store:
        store.save_answer("check-in", 1, "words", "café", store.enrolment().enrolled_at)  # type: ignore[union-attr]
    before = snapshot(started)
    done = run_process(["export", "--program", str(SMALL)], started, PYTHONIOENCODING="ascii")
    assert_refused(done, "encoding (ascii)", "--output FILE")
    assert done.stdout == b""
    assert snapshot(started) == before


@pytest.mark.parametrize(
    "argv", [*PLAIN[1:], ["validate"], ["--help"], ["remind", "install", "--print"]], ids=" ".join
)
def test_a_closed_pipe_ends_every_command_quietly(started: Path, argv: list[str]) -> None:
    """`replenish status | head -0`: no "could not use: Broken pipe", no traceback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REPLENISH_", "PYTEST_"))
    }
    env.update(REPLENISH_HOME=str(started), TZ="UTC", PYTHONPATH=str(ROOT))
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "program", *argv, "--program", str(SMALL)]
            if argv != ["--help"]
            else [sys.executable, "-m", "program", "--help"],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.stderr == b""
    # As a Unix tool that SIGPIPE ended; argparse's own help ignores the closed pipe.
    assert done.returncode == (0 if argv == ["--help"] else 141)
