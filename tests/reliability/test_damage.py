"""A damaged or unreadable data file: every command says what is wrong and keeps the file."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import Store
from state.backup import backups
from tests.conftest import SMALL, Cli
from tests.reliability.helpers import DAMAGES, snapshot

SMALL_ARGS = ("--program", str(SMALL))
NOW = "2026-11-22T09:30:00+00:00"
WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
COMMANDS: tuple[tuple[str, ...], ...] = (
    (),  # the app
    ("today",),
    ("status",),
    ("nudge",),
    ("start",),
    ("export", "--format", "json"),
    ("import", "--replace", "IMPORT"),
)
EXPECTED = {
    "garbage": "does not begin with the SQLite header",
    "truncated": "malformed",
    "scribbled": "malformed",
    "text": "it contains text, not a SQLite database",
    "foreign": "made by another program",
    "too-new": "written by a newer version of Replenish",
    "no-tables": "the table 'answer' is missing",
    "trigger": "it has a trigger 'forget' that Replenish never makes",
    "folder": "is a folder or special file",
}


def _with_answers(cli: Cli) -> None:
    cli.now = NOW
    assert cli("start", *SMALL_ARGS).code == 0
    with Store.open(cli.home) as store:
        for day in range(1, 4):
            store.save_answer(
                "check-in", day, "words", f"private words {day}", store.enrolment().enrolled_at
            )


def _data_files(home: Path) -> dict[str, bytes | None]:
    return {k: v for k, v in snapshot(home).items() if not k.startswith("backups")}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_every_command_refuses_clearly_and_keeps_the_file(
    cli: Cli, damage: str, tmp_path: Path
) -> None:
    _with_answers(cli)
    export = tmp_path / "export.json"
    assert cli("export", "--format", "json", "-o", str(export)).code == 0
    DAMAGES[damage](cli.home / "replenish.db")
    before = snapshot(cli.home)
    for command in COMMANDS:
        args = [str(export) if part == "IMPORT" else part for part in command]
        result = cli(*args, *SMALL_ARGS)
        assert result.code == 1, (command, result.out, result.err)
        assert "Traceback" not in result.err, (command, result.err)
        assert result.err.startswith("replenish: "), (command, result.err)
        assert EXPECTED[damage] in result.err, (command, result.err)
        assert "left untouched" in result.err or "Nothing was changed" in result.err
        assert "private words" not in result.out + result.err
        assert snapshot(cli.home) == before, command  # not one byte changed, nothing added

    doctor = cli("doctor")
    assert doctor.code == 1
    assert any(
        line.startswith("PROBLEM  data") and EXPECTED[damage] in line
        for line in doctor.out.splitlines()
    ), doctor.out
    assert snapshot(cli.home) == before

    restored = cli("restore", "--latest")
    assert restored.code == 0, restored.err
    kept = cli.home / "replenish.db.set-aside-2026-11-22T093000"
    assert (kept.is_dir() if damage == "folder" else kept.read_bytes()) == before[
        "replenish.db"
    ] or damage == "folder"
    assert cli("status", *SMALL_ARGS).code == 0
    assert cli("doctor").code == 0


def test_damage_in_the_write_ahead_log_is_not_silently_dropped(cli: Cli) -> None:
    """A -wal left by a crash is part of the data: the commands must still open it."""
    _with_answers(cli)
    with Store.open(cli.home) as store:
        store.save_answer("check-in", 9, "words", "only in the wal", store.enrolment().enrolled_at)
        wal = cli.home / "replenish.db-wal"
        db_copy = (cli.home / "replenish.db").read_bytes()
        wal_copy = wal.read_bytes() if wal.exists() else b""
    # Simulate a crash: put back the file and its log as they were before close folded them.
    (cli.home / "replenish.db").write_bytes(db_copy)
    if wal_copy:
        wal.write_bytes(wal_copy)
    result = cli("export", "--format", "json", *SMALL_ARGS)
    assert result.code == 0, result.err
    assert "only in the wal" in result.out


def _run_in_fork(argv: list[str], uid: int | None) -> tuple[int, str]:
    """`replenish argv` in a forked child, as user `uid` when given; returns (code, stderr).

    A fork, not a new interpreter: as `nobody` the interpreter under /root could not
    even start. The parent has already imported everything these commands use.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code, err = 99, ""
        try:
            os.close(read_end)
            if uid is not None:
                os.setgid(uid)
                os.setuid(uid)
            from program.cli import main

            errors = io.StringIO()
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                code = main(argv)
            err = errors.getvalue()
        except BaseException:
            err = traceback.format_exc()
        finally:
            os.write(write_end, json.dumps([code, err]).encode())
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    code, err = json.loads(b"".join(chunks))
    return int(code), str(err)


UNREADABLE_COMMANDS = (["status"], ["today"], ["export"], ["start"])


@pytest.fixture
def reachable_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folder is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="replenish-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_file_we_may_not_read_is_reported_and_left_alone(
    tmp_path: Path, reachable_tmp: Path
) -> None:
    """As root, the command runs as `nobody` on a file owned by root in nobody's own folder
    (what an old `sudo replenish` leaves behind); as anyone else, on our own file chmod 000."""
    from program.cli import main

    warm = tmp_path / "warm"
    for command in UNREADABLE_COMMANDS:  # load every module the commands need, as ourselves
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*command, "--data-dir", str(warm), *SMALL_ARGS]) == 0
    home = reachable_tmp / "data"
    with Store.open(home) as store:
        store.save_answer("check-in", 1, "words", "private words", WHEN)
    db = home / "replenish.db"
    as_root = os.geteuid() == 0
    uid = 65534 if as_root else None
    if as_root:
        os.chown(home, 65534, 65534)
    else:
        db.chmod(0)
    before = snapshot(home)
    for command in UNREADABLE_COMMANDS:
        code, err = _run_in_fork([*command, "--data-dir", str(home), *SMALL_ARGS], uid)
        assert code == 1, (command, err)
        assert "Traceback" not in err
        if as_root:  # refused for its owner before any read is tried
            assert "it belongs to another user (root, uid 0)" in err, err
            assert f"sudo chown $(id -un) {db}" in err
        else:
            assert "you do not have permission to read it" in err, err
            assert "chmod 600" in err
        assert snapshot(home) == before
    if as_root:
        os.chown(home, 0, 0)  # nobody's folder would be refused to root too, rightly
    else:
        db.chmod(0o600)
    with Store.open(home) as store:
        assert [a.value for a in store.answers()] == ["private words"]


def test_doctor_on_a_healthy_store_and_on_loose_permissions(cli: Cli) -> None:
    _with_answers(cli)
    healthy = cli("doctor")
    assert healthy.code == 0, healthy.out + healthy.err
    lines = healthy.out.splitlines()
    assert lines[0].startswith("ok       data file:") and "integrity check" in lines[0]
    assert lines[1].startswith("ok       permissions:")
    assert lines[2].startswith("ok       backups: 1 (the last 7 are kept)")
    assert len(backups(cli.home)) == 1

    (cli.home / "replenish.db").chmod(0o644)
    cli.home.chmod(0o755)
    loose = cli("doctor")
    assert loose.code == 1
    assert "PROBLEM  permissions: others may read" in loose.out
    assert "0755, should be 0700" in loose.out and "0644, should be 0600" in loose.out
    assert cli("status", *SMALL_ARGS).code == 0  # opening tightens them again
    assert cli("doctor").code == 0


@pytest.mark.parametrize(
    "planted", ["foreign owner", "others may write the folder", "others may write the file"]
)
def test_doctor_names_a_folder_or_file_every_command_refuses(
    cli: Cli, planted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands refuse a data folder or file that is another user's or that others may write;
    doctor must say so (with the fix), not pass it or call it merely loose."""
    _with_answers(cli)
    db = cli.home / "replenish.db"
    if planted == "foreign owner":
        if os.geteuid() == 0:
            os.chown(cli.home, 65534, 65534)
        else:  # not root: the data folder cannot be given away, so look as another user would
            import state.paths

            monkeypatch.setattr(state.paths, "user_id", lambda: os.geteuid() + 1)
    elif planted == "others may write the folder":
        cli.home.chmod(0o777)
    else:
        db.chmod(0o666)
    try:
        from program.commands.care import doctor_checks

        (line,) = [c for c in doctor_checks(cli.home) if c.name == "permissions"]
    finally:
        if os.geteuid() == 0:
            os.chown(cli.home, 0, 0)
    assert not line.ok
    if planted == "foreign owner":
        assert "belongs to another user" in line.detail and "--data-dir" in line.detail
    elif planted == "others may write the folder":
        assert "(mode 0777)" in line.detail and f"chmod 700 {cli.home}" in line.detail
    else:
        assert "(mode 0666)" in line.detail and f"chmod 600 {db}" in line.detail


def test_doctor_before_anything_was_saved(cli: Cli) -> None:
    result = cli("doctor")
    assert result.code == 0
    assert "does not exist yet" in result.out


BAD_ROWS = (  # (SQL, what doctor must name); CHECK constraints off, as a hand-edit may leave
    (
        "INSERT INTO answer VALUES ('check-in', 7, 'words', '{\"private words\": ', NULL, "
        "'2026-11-22T09:30:00+00:00')",
        "answer row 4: value is not JSON as Replenish writes it",
    ),
    (
        "INSERT INTO answer VALUES ('check-in', 8, 'words', '\"private words\"', NULL, "
        "'2026-11-22 09:30')",  # no UTC offset: it cannot be compared with the others
        "answer row 5: saved_at is not a date and time with its UTC offset",
    ),
    (
        "INSERT INTO answer VALUES ('check-in', 9, 'words', '"
        + "[" * 50_000
        + "]" * 50_000
        + "', NULL, '2026-11-22T09:30:00+00:00')",
        "answer row 6: value is not JSON as Replenish writes it",
    ),
    ("INSERT INTO setting VALUES ('energy', 'NaN')", "setting row 1: value is not JSON"),
    ("UPDATE enrolment SET start_date = '2026-02-30'", "enrolment row 1: start_date is not a date"),
    ("INSERT INTO pause VALUES (1, 1, '2026-11-23', 'soon')", "pause row 1: resumed_on is not"),
    (
        "INSERT INTO position VALUES (1, 'check-in', 1, -3, '2026-11-22T09:30:00+00:00')",
        "position row 1: step_index is not a whole number from 0",
    ),
    (
        "INSERT INTO one_off VALUES (1, '2026-11-23T09:00:00+00:00', 'private words', "
        "'2026-11-22T09:30:00+00:00', 7)",
        "one_off row 1: delivered is not 0 or 1",
    ),
)


def _break_rows(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for sql, _ in BAD_ROWS:
            conn.execute(sql)
    finally:
        conn.close()


@pytest.mark.parametrize("bad", [sql for sql, _ in BAD_ROWS], ids=[n for _, n in BAD_ROWS])
def test_a_row_the_code_cannot_read_is_a_message_from_every_command(cli: Cli, bad: str) -> None:
    """`export` (and the rest) stopped with a traceback on one malformed row; now each says
    what is wrong and where to turn, or works around it, and changes nothing."""
    _with_answers(cli)
    conn = sqlite3.connect(cli.home / "replenish.db", isolation_level=None)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(bad)
    finally:
        conn.close()
    before = snapshot(cli.home)
    for command in (
        ("export", *SMALL_ARGS),
        ("export", "--format", "json", *SMALL_ARGS),
        ("today", *SMALL_ARGS),
        ("status", *SMALL_ARGS),
        ("nudge", *SMALL_ARGS),
        ("remind", "show", *SMALL_ARGS),
    ):
        result = cli(*command)
        assert "Traceback" not in result.out + result.err, (command, result.err)
        if result.code != 0:
            assert result.code == 1 and "`replenish doctor`" in result.err, (
                command,
                result.err,
            )
    assert snapshot(cli.home) == before


def test_doctor_names_every_row_the_code_cannot_read_and_how_to_remove_just_those(
    cli: Cli,
) -> None:
    """One malformed row blocked the export of everything while doctor said all was fine."""
    _with_answers(cli)
    database = cli.home / "replenish.db"
    _break_rows(database)
    before = snapshot(cli.home)
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "Traceback" not in doctor.out + doctor.err
    (line,) = [row for row in doctor.out.splitlines() if row.startswith("PROBLEM  rows:")]
    assert f"{len(BAD_ROWS)} rows Replenish cannot read" in line
    for _, named in BAD_ROWS:
        assert named in line, (named, line)
    assert "private words" not in doctor.out + doctor.err  # where, never what
    assert doctor.out.startswith("ok       data file:")  # the file itself is sound
    assert snapshot(cli.home) == before

    # The advice works: the rows it names go, every other answer stays and exports.
    sql = re.search(r'`sqlite3 \S+ "([^"]+)"`', line)
    assert sql is not None, line
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.executescript(sql.group(1).replace("; ", ";\n"))
    finally:
        conn.close()
    assert cli("doctor").code == 0
    exported = cli("export", "--format", "json", *SMALL_ARGS)
    assert exported.code == 0, exported.err
    assert [a["value"] for a in json.loads(exported.out)["answers"]] == [
        f"private words {day}" for day in range(1, 4)
    ]


def test_doctor_says_which_backups_hold_unreadable_rows(cli: Cli) -> None:
    _with_answers(cli)
    backup = backups(cli.home)[-1].path
    _break_rows(backup)
    doctor = cli("doctor")
    assert doctor.code == 1
    (line,) = [row for row in doctor.out.splitlines() if row.startswith("PROBLEM  backups:")]
    assert f"{backup.name} ({len(BAD_ROWS)} rows, first " in line
    assert "which a restore would bring back" in line
