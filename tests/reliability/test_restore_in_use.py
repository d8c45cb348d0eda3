"""Restore never moves a data file that another Replenish process has open.

Renaming a SQLite file under an open connection corrupts or loses data: the
old connection writes into the renamed file and, on closing, deletes the
write-ahead log by name. So restore refuses while the app or the reminder
service runs, and an open waits out a restore in progress.
"""

from __future__ import annotations

import errno
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

import state.inuse
import state.store
from state import Store, StoreRestoring
from state.backup import RestoreError, backups, restore
from state.inuse import hold_exclusive, release
from tests.conftest import SMALL, Cli
from tests.reliability.helpers import child_env, snapshot

SMALL_ARGS = ("--program", str(SMALL))
NOW = "2026-11-22T09:30:00+00:00"


def _with_backup(cli: Cli) -> None:
    cli.now = NOW
    assert cli("start", *SMALL_ARGS).code == 0  # opening the store takes the day's backup
    assert backups(cli.home)


def test_restore_is_refused_while_a_store_is_open_then_works_once_it_closes(cli: Cli) -> None:
    _with_backup(cli)
    chosen = backups(cli.home)[-1].path
    at = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    store = Store.open(cli.home)
    try:
        before = snapshot(cli.home)
        with pytest.raises(RestoreError, match="Replenish is still open") as refused:
            restore(cli.home, chosen, at)
        assert "Nothing was changed" in str(refused.value)
        assert snapshot(cli.home) == before
        store.save_answer("check-in", 1, "words", "still going into the same file", at)
    finally:
        store.close()
    done = restore(cli.home, chosen, at)
    kept = done.set_aside[0]
    assert kept.name == "replenish.db.set-aside-2026-11-22T100000"
    conn = sqlite3.connect(f"{kept.absolute().as_uri()}?mode=ro", uri=True)
    try:  # what was written while restore waited is in the file set aside, whole
        rows = conn.execute("SELECT value FROM answer").fetchall()
    finally:
        conn.close()
    assert rows == [('"still going into the same file"',)]


def test_restore_command_refuses_while_the_reminder_service_runs(cli: Cli) -> None:
    """A real `remind run` holds the folder; killed outright, it lets go (the kernel drops it)."""
    _with_backup(cli)
    service = subprocess.Popen(
        [sys.executable, "-m", "program", "remind", "run", *SMALL_ARGS],
        env=child_env(cli.home, REPLENISH_NOW=NOW),  # the same day: no backup of its own
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert service.stderr is not None
        started = service.stderr.readline()
        assert "started" in started, started
        before = snapshot(cli.home)
        refused = cli("restore", "--latest")
        assert refused.code == 1
        assert "Replenish is still open" in refused.err
        assert "systemctl --user stop replenish-remind" in refused.err
        assert "Traceback" not in refused.err
        assert snapshot(cli.home) == before
    finally:
        service.send_signal(signal.SIGKILL)
        service.wait(timeout=30)
    restored = cli("restore", "--latest")
    assert restored.code == 0, restored.err
    assert "Restored replenish-2026-11-22T093000.db" in restored.out


def test_an_open_during_a_restore_waits_for_it_or_says_why(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(private_home).close()
    hold = hold_exclusive(private_home, wait=0)
    monkeypatch.setattr(state.store, "RESTORE_WAIT_SECONDS", 0.2)
    try:
        with pytest.raises(StoreRestoring, match="being restored from a backup"):
            Store.open(private_home)
    finally:
        release(hold)

    hold = hold_exclusive(private_home, wait=0)
    monkeypatch.setattr(state.store, "RESTORE_WAIT_SECONDS", 30.0)
    letting_go = threading.Timer(0.3, release, args=(hold,))
    letting_go.start()
    try:
        with Store.open(private_home) as store:  # waited for the restore, then opened
            assert store.schema_version() > 0
    finally:
        letting_go.join()


def test_a_file_system_without_locks_still_opens_and_restores(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network and FUSE mounts refuse flock: Replenish carries on without the hold."""
    _with_backup(cli)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(state.inuse.fcntl, "flock", no_locks)
    with Store.open(cli.home) as store:
        assert store.enrolment() is not None
    done = restore(cli.home, backups(cli.home)[-1].path, datetime(2026, 11, 22, 11, 0, tzinfo=UTC))
    assert done.set_aside
