"""Daily backups: taken once a day on opening, the last seven kept, private, restorable."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from program.service import Replenish
from state import Store, StoreError
from state.backup import (
    KEEP,
    PROBLEM_NOTE,
    RestoreError,
    backup_name,
    backups,
    check_file,
    daily_backup,
    restore,
    take_backup,
)
from tests.conftest import SMALL, Cli, open_service
from tests.reliability.helpers import child_env, integrity, snapshot

SMALL_ARGS = ("--program", str(SMALL))
DAY_ONE = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def _open(home: Path, at: datetime) -> Replenish:
    return open_service(home, now=lambda: at, backup=True)


def _answers_in(path: Path) -> int:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM answer").fetchone()[0])
    finally:
        conn.close()


def test_the_first_days_backup_holds_what_was_written_and_later_days_back_up_on_opening(
    private_home: Path,
) -> None:
    """No backup is ever the only one while holding less than the file had when last closed."""
    service = _open(private_home, DAY_ONE)  # a new, empty file: nothing to copy yet
    assert backups(private_home) == []
    service.start()
    service.save_answer("check-in", 1, "words", "first day")
    service.close()  # the first closing that saved something takes the first backup
    found = backups(private_home)
    assert [b.path.name for b in found] == ["replenish-2026-11-22T093000.db"]
    assert _answers_in(found[0].path) == 1

    later = _open(private_home, DAY_ONE + timedelta(hours=2))
    later.save_answer("check-in", 1, "more", "later that day")
    later.close()  # still the only backup, and behind the file: one more
    found = backups(private_home)
    assert [_answers_in(b.path) for b in found] == [1, 2]

    for hours in (3, 5, 12):  # two backups now: later closings of the day add none
        again = _open(private_home, DAY_ONE + timedelta(hours=hours))
        again.save_answer("check-in", 1, "words", f"at {hours}")
        again.close()
    assert len(backups(private_home)) == 2

    _open(private_home, DAY_ONE + timedelta(days=1)).close()  # the next day: on opening
    found = backups(private_home)
    assert len(found) == 3
    assert _answers_in(found[-1].path) == 2
    assert found[-1].taken_at == datetime(2026, 11, 23, 9, 30)


def test_a_first_day_restore_brings_the_plan_back_not_an_empty_file(cli: Cli) -> None:
    """The issue's case: `start`, then `restore --latest` said 'Not started yet'."""
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    restored = cli("restore", "--latest")
    assert restored.code == 0, restored.err
    status = cli("status", *SMALL_ARGS)
    assert "Week 1 of 2, day 1 of 14" in status.out, status.out


def test_nothing_saved_yet_means_no_backup_and_nothing_wrong(cli: Cli) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("status", *SMALL_ARGS).code == 0  # creates the (empty) data file
    assert (cli.home / "replenish.db").exists()
    assert backups(cli.home) == []
    doctor = cli("doctor")
    assert doctor.code == 0, doctor.out
    assert "ok       backups: none yet (nothing saved yet)" in doctor.out


def test_the_last_seven_are_kept_and_everything_is_private(private_home: Path) -> None:
    for day in range(10):
        service = _open(private_home, DAY_ONE + timedelta(days=day))
        service.store.save_answer("check-in", day, "words", f"day {day}", DAY_ONE)
        service.close()
    found = backups(private_home)
    assert len(found) == KEEP
    assert found[0].taken_at.date() == (DAY_ONE + timedelta(days=3)).date()
    assert found[-1].taken_at.date() == (DAY_ONE + timedelta(days=9)).date()
    folder = private_home / "backups"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".lock", *(b.path.name for b in found)]
    )
    for backup in found:
        assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
        assert integrity(backup.path) == ["ok"]
        assert check_file(backup.path, thorough=True) >= 1
    # Each copy is a single self-contained file (no -wal needed to read it).
    assert _answers_in(found[-1].path) == 9


def test_a_backup_is_consistent_while_a_write_is_open_in_another_connection(
    private_home: Path,
) -> None:
    with Store.open(private_home) as store:
        for i in range(50):
            store.save_answer("check-in", i, "words", f"kept {i}", DAY_ONE)
        writer = sqlite3.connect(store.path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO answer VALUES ('uncommitted', 1, 's', '\"x\"', 'x', '2026-01-01')"
        )
        path = take_backup(store.path, private_home, DAY_ONE)  # never waits for the writer
        writer.execute("ROLLBACK")
        writer.close()
    assert integrity(path) == ["ok"]
    assert _answers_in(path) == 50


def test_a_failed_backup_never_stops_the_command_and_is_reported(cli: Cli) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    (cli.home / "backups").rename(cli.home / "old-backups")
    (cli.home / "backups").write_text("not a folder")  # the backup cannot be written
    cli.now = "2026-11-23T09:30:00+00:00"
    status = cli("status", *SMALL_ARGS)
    assert status.code == 0, status.err
    assert "Week 1 of 2, day 2 of 14" in status.out
    assert status.err == ""
    note = (cli.home / PROBLEM_NOTE).read_text()
    assert "the daily backup failed" in note
    assert stat.S_IMODE((cli.home / PROBLEM_NOTE).stat().st_mode) == 0o600
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "PROBLEM  last backup: 2026-11-23T09:30:00+00:00 the daily backup failed" in doctor.out

    (cli.home / "backups").unlink()  # fixed: the next command backs up and clears the note
    assert cli("today", *SMALL_ARGS).code == 0
    assert not (cli.home / PROBLEM_NOTE).exists()
    assert cli("doctor").code == 0


def test_daily_backup_never_raises(private_home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "replenish.db"
    private_home.mkdir(mode=0o700)
    assert daily_backup(missing, private_home, DAY_ONE) is None
    assert "the daily backup failed" in (private_home / PROBLEM_NOTE).read_text()


def test_nudge_takes_no_backup(cli: Cli) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    cli.now = "2026-11-23T20:00:00+00:00"
    assert cli("nudge", *SMALL_ARGS).code == 0
    assert [b.taken_at.day for b in backups(cli.home)] == [22]
    assert cli("today", *SMALL_ARGS).code == 0
    assert [b.taken_at.day for b in backups(cli.home)] == [22, 23]


def test_leftovers_of_a_killed_backup_are_ignored_then_cleaned(private_home: Path) -> None:
    with Store.open(private_home) as store:
        path = store.path
    folder = private_home / "backups"
    folder.mkdir(mode=0o700)
    stale = folder / f".partial-123-{backup_name(DAY_ONE)}"
    stale.write_bytes(b"SQLite format 3\x00 half a copy")
    fresh = folder / ".partial-456-replenish-2026-11-22T093001.db"
    fresh.write_bytes(b"SQLite format 3\x00 a copy in progress")
    os.utime(fresh, (time.time(), time.time()))  # "now" as the store's clock reads it
    os.utime(stale, (0, 0))
    assert backups(private_home) == []  # a half file never counts as a backup
    take_backup(path, private_home, DAY_ONE)
    assert not stale.exists()
    assert fresh.exists()  # may belong to a backup running right now


def test_restore_puts_a_backup_back_and_keeps_the_current_file(private_home: Path) -> None:
    service = _open(private_home, DAY_ONE)
    service.start()
    service.save_answer("check-in", 1, "words", "in the backup")
    service.close()
    _open(private_home, DAY_ONE + timedelta(days=1)).close()  # backup with one answer
    service = _open(private_home, DAY_ONE + timedelta(days=1))
    # Leave a -wal behind as a crash would: it must go aside with its file. A bare
    # SQLite connection (not a Replenish store, so it holds no claim on the folder)
    # keeps the log from being folded back when the service closes.
    raw = sqlite3.connect(service.store.path, isolation_level=None)
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    raw.execute("SELECT count(*) FROM answer").fetchone()  # now it has the log open too
    service.save_answer("check-in", 2, "words", "after the backup")
    service.close()
    assert service.store.path.with_name("replenish.db-wal").stat().st_size > 0
    before = service.store.path.read_bytes()
    chosen = backups(private_home)[-1].path
    done = restore(private_home, chosen, DAY_ONE + timedelta(days=1, hours=1))
    raw.close()
    names = sorted(p.name for p in done.set_aside)
    assert names[0] == "replenish.db.set-aside-2026-11-23T103000"
    assert done.set_aside[0].read_bytes() == before
    for moved in done.set_aside:
        assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    with Store.open(private_home) as store:
        assert [a.value for a in store.answers()] == ["in the backup"]


@pytest.mark.parametrize("args", [("--latest",), ("replenish-2026-11-22T093000.db",)])
def test_restore_command_without_confirmation(cli: Cli, args: tuple[str, ...]) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    result = cli("restore", *args)
    assert result.code == 0, result.err
    assert "Set aside (kept, not deleted):" in result.out
    assert "Restored replenish-2026-11-22T093000.db: 0 answers." in result.out
    assert (cli.home / "replenish.db.set-aside-2026-11-22T093000").is_file()
    assert cli("status", *SMALL_ARGS).code == 0


def test_restore_refuses_without_a_backup_and_changes_nothing(cli: Cli) -> None:
    with Store.open(cli.home):
        pass
    before = sorted(p.name for p in cli.home.iterdir())
    result = cli("restore", "--latest")
    assert result.code == 1
    assert "there is no backup" in result.err and "nothing was changed" in result.err
    assert "Traceback" not in result.err
    missing = cli("restore", "replenish-2020-01-01T000000.db")
    assert missing.code == 1 and "there is no backup called" in missing.err
    assert sorted(p.name for p in cli.home.iterdir()) == before


def test_restore_refuses_a_damaged_backup_and_changes_nothing(cli: Cli) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    backup = backups(cli.home)[-1].path
    with backup.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"\x00" * 100)
    before = (cli.home / "replenish.db").read_bytes()
    result = cli("restore", "--latest")
    assert result.code == 1
    assert "cannot be used" in result.err and "nothing was changed" in result.err
    assert (cli.home / "replenish.db").read_bytes() == before
    assert not list(cli.home.glob("*set-aside*"))
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "fail their check" in doctor.out and backup.name in doctor.out


def test_restore_lists_backups_when_none_is_chosen(cli: Cli) -> None:
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    result = cli("restore")
    assert result.code == 1
    assert "replenish-2026-11-22T093000.db  (Sunday 22 November 2026 at 09:30)" in result.out
    assert not list(cli.home.glob("*set-aside*"))


def test_doctor_and_restore_stay_plain(cli: Cli) -> None:
    """Neither imports Textual nor APScheduler: they must work where the app cannot."""
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    probe = (
        "import sys, contextlib, io\n"
        "from program.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['doctor']), main(['restore']), main(['restore', '--latest'])]\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'apscheduler'))\n"
        "print(codes, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=child_env(cli.home),
        check=False,
        timeout=60,
    )
    assert done.stdout.strip() == "[0, 1, 0] []", done.stdout + done.stderr


# ----- what restore refuses, and what it accepts ----------------------------------------


def test_restore_refuses_the_live_data_file_given_from_inside_the_data_folder(cli: Cli) -> None:
    """`cd ~/.local/share/replenish && replenish restore replenish.db` used to crash and lose it."""
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    before = snapshot(cli.home)
    for given in ("replenish.db", "./replenish.db", str(cli.home / "replenish.db")):
        done = cli("restore", given, cwd=cli.home)
        assert done.code == 1, (given, done.out, done.err)
        assert "Traceback" not in done.err
        assert "is the data file itself, not a backup" in done.err, done.err
        assert "Nothing was changed" in done.err
        assert snapshot(cli.home) == before
    assert cli("status", *SMALL_ARGS).code == 0


def test_restore_refuses_the_data_files_own_parts_and_links_to_it(
    private_home: Path, tmp_path: Path
) -> None:
    service = _open(private_home, DAY_ONE)
    service.start()
    service.close()
    store = Store.open(private_home)  # open: its -wal and -shm exist
    try:
        link = tmp_path / "looks-like-a-backup.db"
        link.symlink_to(store.path)
        hard = tmp_path / "hard-link.db"
        os.link(store.path, hard)
        cases = {
            store.path.with_name("replenish.db-wal"): "its write-ahead log",
            store.path.with_name("replenish.db-shm"): "its shared-memory index",
            link: "the data file itself",
            hard: "the data file itself",
        }
        for given, phrase in cases.items():
            assert given.exists()
            with pytest.raises(RestoreError, match=phrase) as refused:
                restore(private_home, given, DAY_ONE)
            assert "Nothing was changed" in str(refused.value)
    finally:
        store.close()


def test_restore_refuses_an_empty_database(cli: Cli, tmp_path: Path) -> None:
    """An empty file opens as an empty SQLite database: it must not replace the user's data."""
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    empty = tmp_path / "empty.db"
    empty.touch()
    before = snapshot(cli.home)
    result = cli("restore", str(empty))
    assert result.code == 1
    assert "holds no Replenish data" in result.err and "nothing was changed" in result.err
    assert snapshot(cli.home) == before


def test_a_file_set_aside_by_a_restore_can_be_restored_by_its_name(cli: Cli) -> None:
    """Going back after restoring the wrong backup: the set-aside file is a valid choice."""
    cli.now = "2026-11-22T09:30:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    with Store.open(cli.home) as store:
        store.save_answer("check-in", 1, "words", "written after the backup", DAY_ONE)
    first = cli("restore", "--latest")
    assert first.code == 0, first.err
    with Store.open(cli.home) as store:
        assert store.answers() == []
    listed = cli("restore")
    assert "Data files set aside by earlier restores" in listed.out
    assert "  replenish.db.set-aside-2026-11-22T093000\n" in listed.out
    cli.now = "2026-11-22T09:31:00+00:00"
    back = cli("restore", "replenish.db.set-aside-2026-11-22T093000")
    assert back.code == 0, back.err
    assert "Restored replenish.db.set-aside-2026-11-22T093000: 1 answer." in back.out
    with Store.open(cli.home) as store:
        assert [a.value for a in store.answers()] == ["written after the backup"]
    assert (cli.home / "replenish.db.set-aside-2026-11-22T093100").is_file()


def test_restore_where_the_file_system_has_no_hard_links(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The current file is then copied aside (whole, then renamed) before the swap."""
    service = _open(private_home, DAY_ONE)
    service.start()
    service.save_answer("check-in", 1, "words", "kept aside")
    service.close()
    chosen = take_backup(private_home / "replenish.db", private_home, DAY_ONE)
    with Store.open(private_home) as store:
        store.save_answer("check-in", 2, "words", "after the backup", DAY_ONE)
    before = (private_home / "replenish.db").read_bytes()

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    done = restore(private_home, chosen, DAY_ONE + timedelta(hours=1))
    assert done.set_aside[0].read_bytes() == before
    assert stat.S_IMODE(done.set_aside[0].stat().st_mode) == 0o600
    with Store.open(private_home) as store:
        assert [a.value for a in store.answers()] == ["kept aside"]
    assert not list(private_home.glob(".partial-*"))


def _journal(home: Path, text: str) -> None:
    (home / "restore-journal.json").write_text(text, encoding="utf-8")


def test_a_journal_cut_short_means_nothing_had_moved(private_home: Path) -> None:
    with Store.open(private_home) as store:
        store.save_answer("check-in", 1, "words", "untouched", DAY_ONE)
    before = (private_home / "replenish.db").read_bytes()
    _journal(private_home, '{"aside": "replenish.db.set-as')
    (private_home / ".partial-99-replenish.db").write_bytes(b"half a copy of a backup")
    with Store.open(private_home) as store:  # the next opening tidies up, moves nothing
        assert [a.value for a in store.answers()] == ["untouched"]
    assert (private_home / "replenish.db").read_bytes() == before
    assert not (private_home / "restore-journal.json").exists()
    assert not list(private_home.glob(".partial-*"))


@pytest.mark.parametrize(
    ("aside", "new"),
    [
        ("OUTSIDE", ".partial-1-replenish.db"),
        ("replenish.db", ".partial-1-replenish.db"),  # undoing would unlink the data file
        ("replenish.db.set-aside-2026-11-22T093000", "replenish.db"),
        ("replenish.db.set-aside-../../x", ".partial-1-replenish.db"),
    ],
)
def test_a_journal_naming_files_it_never_makes_is_refused_and_nothing_moves(
    private_home: Path, tmp_path: Path, aside: str, new: str
) -> None:
    with Store.open(private_home) as store:
        store.save_answer("check-in", 1, "words", "untouched", DAY_ONE)
    outside = tmp_path / "precious.txt"
    outside.write_text("not Replenish's")
    aside = str(outside) if aside == "OUTSIDE" else aside
    _journal(private_home, json.dumps({"aside": aside, "new": new, "new_id": [1, 2]}))
    before = snapshot(private_home)
    with pytest.raises(StoreError, match=r"journal .* cannot be followed") as refused:
        Store.open(private_home)
    assert "move restore-journal.json away" in str(refused.value)
    assert snapshot(private_home) == before
    assert outside.read_text() == "not Replenish's"
