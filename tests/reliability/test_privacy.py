"""Privacy: no network anywhere, a private data folder, and no answer text in any log."""

from __future__ import annotations

import socket
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from state import Store
from tests.conftest import ROOT, SMALL, enrolled, open_service
from tests.reliability.helpers import child_env

SECRET = "my secret sentence 7f3a"
NOW = "2026-11-22T21:30:00+00:00"

SITECUSTOMIZE = '''
"""Loaded by every child Python: internet sockets fail, and every attempt is written down."""
import os
import socket

_LOG = os.environ["NO_NETWORK_LOG"]
_Real = socket.socket


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")


class _NoNetwork(_Real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        chosen = socket.AF_INET if family == -1 else family
        if fileno is None and chosen in (socket.AF_INET, socket.AF_INET6):
            _record(f"socket {chosen!r}")
            raise PermissionError("network access is disabled in this test")
        super().__init__(family, type, proto, fileno)


def _no_lookup(*args, **kwargs):
    _record(f"getaddrinfo {args!r}")
    raise socket.gaierror("name lookups are disabled in this test")


socket.socket = _NoNetwork
socket.getaddrinfo = _no_lookup
with open(_LOG + ".loaded", "a", encoding="utf-8") as marker:
    marker.write("loaded\\n")
'''


@pytest.fixture
def no_network(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding the sitecustomize.py, and the log of attempts it keeps."""
    folder = tmp_path / "no-network"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return folder, tmp_path / "attempts.log"


def _commands(home: Path, tmp: Path) -> list[tuple[str, ...]]:
    export_md = tmp / "out" / "answers.md"
    export_json = tmp / "out" / "answers.json"
    export_md.parent.mkdir()
    listed = [
        ("start", "--on", "2026-11-20"),
        ("today",),
        ("status",),
        ("nudge",),
        ("validate",),
        ("export",),
        ("export", "--format", "json", "-o", str(export_json)),
        ("export", "-o", str(export_md)),
        ("import", "--replace", str(export_json)),
        ("doctor",),
        ("restore", "--latest"),
        ("today",),
    ]
    helped = subprocess.run(
        [sys.executable, "-m", "program", "--help"],
        capture_output=True,
        text=True,
        env=child_env(home),
        cwd=ROOT,
        check=True,
    ).stdout
    if "remind" in helped:  # the reminder commands, when that part is built
        listed[4:4] = [
            ("remind", "set", "21:00"),
            (
                "remind",
                "show",
            ),
        ]
    return listed


def test_every_plain_command_works_with_no_network(
    private_home: Path, tmp_path: Path, no_network: tuple[Path, Path]
) -> None:
    folder, log = no_network
    env = child_env(private_home, NO_NETWORK_LOG=str(log), REPLENISH_NOW=NOW)
    env["PYTHONPATH"] = f"{folder}{':'}{ROOT}"
    secret_saved = False
    for command in _commands(private_home, tmp_path):
        done = subprocess.run(
            [sys.executable, "-m", "program", *command, "--program", str(SMALL)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert SECRET not in done.stderr, command  # nothing personal in what is logged
        if command[0] == "start" and not secret_saved:
            service = open_service(private_home, backup=True)
            service.save_answer("check-in", 1, "words", SECRET)
            service.close()
            secret_saved = True
    assert (log.parent / (log.name + ".loaded")).read_text().count("loaded") >= 12
    assert not log.exists(), log.read_text()  # not one attempt to reach the network

    exports = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in exports] == ["answers.json", "answers.md"]
    assert SECRET in exports[0].read_text() and SECRET in exports[1].read_text()
    for path in [*exports, *private_home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert stat.S_IMODE(private_home.stat().st_mode) == 0o700
    assert any(private_home.glob("backups/replenish-*.db"))
    assert any(private_home.glob("replenish.db.set-aside-*"))
    for path in private_home.rglob("*"):  # the answer lives only in the store and its copies
        if path.is_file() and SECRET.encode() in path.read_bytes():
            assert path.name.startswith("replenish"), path


async def test_the_app_runs_with_no_network(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from program.tui.app import ReplenishApp

    attempts: list[str] = []
    real = socket.socket

    class NoNetwork(real):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno=None):  # type: ignore[no-untyped-def]
            chosen = socket.AF_INET if family == -1 else family
            if fileno is None and chosen in (socket.AF_INET, socket.AF_INET6):
                attempts.append(repr(chosen))
                raise PermissionError("network access is disabled in this test")
            super().__init__(family, type, proto, fileno)

    def no_lookup(*args: object, **kwargs: object) -> None:
        attempts.append(f"getaddrinfo {args!r}")
        raise socket.gaierror("name lookups are disabled in this test")

    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    service = enrolled(private_home, backup=True)
    service.save_answer("check-in", 1, "words", SECRET)
    app = ReplenishApp(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("f3", "f4", "f5", "f2"):  # every main screen
            await pilot.press(key)
            await pilot.pause()
    service.close()
    assert attempts == []


ERASED = "words the user took back 5d1c"


def test_words_written_over_are_gone_from_the_file_whatever_sqlite_defaults_to(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replenish turns `secure_delete` on itself; this SQLite build merely happens to default to it.

    Every connection here starts as one from a build without SQLITE_SECURE_DELETE would.
    """
    real_connect = sqlite3.connect

    def defaults_off(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", defaults_off)
    at = datetime(2026, 11, 22, 21, 30, tzinfo=UTC)
    with Store.open(private_home) as store:
        assert store._live().execute("PRAGMA secure_delete").fetchone()[0] == 1
        store.save_answer("check-in", 1, "words", ERASED, at)
        store.set_setting("partner_name", ERASED)
        for day in range(2, 40):  # enough rows that pages split and are freed
            store.save_answer("check-in", day, "words", f"kept {day} " * 30, at)
        store.save_answer("check-in", 1, "words", "a new answer", at)  # written over
        store.set_setting("partner_name", "Sam")
        assert store.answers_for("check-in", 1)["words"].value == "a new answer"
    files = sorted(private_home.glob("replenish.db*"))
    assert files and all(ERASED.encode() not in path.read_bytes() for path in files)
