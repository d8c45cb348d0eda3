"""Shared tools for the reliability tests: damaging files, polling, child environments."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from state.checked import NOTE_NAME
from tests.conftest import ROOT

DB = "replenish.db"


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process: our code on the path, its own data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REPLENISH_", "PYTEST_"))
    }
    env["REPLENISH_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    env["TZ"] = env.get("TZ", "UTC")
    env.update(extra)
    return env


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Poll `condition` until true; fail after `timeout` seconds (a bound, not a timing test)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.01)


def integrity(path: Path) -> list[str]:
    """`PRAGMA integrity_check` on a file, read-only."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def garbage(path: Path) -> None:
    """Random-looking bytes over the whole file, header included."""
    size = max(path.stat().st_size, 4096)
    path.write_bytes(bytes((i * 131 + 7) % 251 for i in range(size)))


def truncated(path: Path) -> None:
    """Cut the file in half, as a full disk or a crash during a copy would."""
    os.truncate(path, path.stat().st_size // 2)


def scribbled(path: Path) -> None:
    """Valid header, then a run of junk over the pages after it."""
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xde\xad\xbe\xef" * 2048)


def text_file(path: Path) -> None:
    """Not a database at all: somebody saved notes under its name."""
    path.write_text("my notes about the week\n" * 40, encoding="utf-8")


def foreign_database(path: Path) -> None:
    """A SQLite database from another program."""
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


def too_new(path: Path) -> None:
    """Our file, as a future version of Replenish would leave it."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def no_tables(path: Path) -> None:
    """Replenish's marks (application id, data format) on a database with nothing in it."""
    from state.schema import APPLICATION_ID, LATEST_VERSION

    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION}")
    conn.close()


def added_trigger(path: Path) -> None:
    """Our file, plus a trigger that silently deletes every answer as it is saved."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER forget AFTER INSERT ON answer BEGIN DELETE FROM answer; END")
    conn.commit()
    conn.close()


def folder_in_place(path: Path) -> None:
    """A folder where the file should be (an unreadable 'file', simulated safely as root)."""
    path.unlink()
    path.mkdir()


DAMAGES: dict[str, Callable[[Path], None]] = {
    "garbage": garbage,
    "truncated": truncated,
    "scribbled": scribbled,
    "text": text_file,
    "foreign": foreign_database,
    "too-new": too_new,
    "no-tables": no_tables,
    "trigger": added_trigger,
    "folder": folder_in_place,
}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes under `folder` (None for folders), to prove nothing changed."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path.name == NOTE_NAME:  # the check note follows the file's identity, not its data
            continue
        key = str(path.relative_to(folder))
        found[key] = None if path.is_dir() else path.read_bytes()
    return found
