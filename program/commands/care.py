"""`replenish doctor` and `replenish restore`: look after the data file and its backups.

Both work on a damaged store, so neither opens it through `Store.open` (which
refuses damaged files): `doctor` only reads, `restore` only renames and copies.
Plain commands: nothing heavy is imported (no Textual, no APScheduler).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from program.commands import base
from program.commands.base import UserError, add_command

if TYPE_CHECKING:
    from program.commands.base import Commands
    from state.rows import RowProblem


class Check(Struct, frozen=True):
    """One line of the doctor's report: what was checked, and what to do if it is wrong."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'PROBLEM':<8} {self.name}: {self.detail}"


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    add_command(
        commands,
        common,
        "doctor",
        cmd_doctor,
        "check your data file, its permissions and its backups",
        "Check your data file (integrity, permissions, data format) and its "
        "backups, without changing anything. Exits non-zero when something is wrong.",
    )
    restore = add_command(
        commands,
        common,
        "restore",
        cmd_restore,
        "put a backup in place of your data file (which is kept)",
        "Set the current data file aside (renamed, never deleted) and bring "
        "back a backup. Refused, with nothing changed, while the app or the reminder service "
        "is open. Without an argument, lists the backups.",
    )
    which = restore.add_mutually_exclusive_group()
    which.add_argument("--latest", action="store_true", help="restore the newest backup")
    which.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup file, or its name in backups/ (or a file an earlier restore set aside)",
    )


# ----- doctor ------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace) -> int:
    checks = doctor_checks(base.data_dir(args))
    for check in checks:
        print(check.line())
    problems = sum(not check.ok for check in checks)
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''} found.", file=sys.stderr)
        return 1
    print("Everything looks right.")
    return 0


def doctor_checks(data_dir: Path) -> list[Check]:
    from state import DB_NAME

    database = data_dir / DB_NAME
    if not data_dir.exists():
        return [Check("data folder", True, f"{data_dir} does not exist yet (nothing saved)")]
    if not data_dir.is_dir():
        return [
            Check(
                "data folder",
                False,
                f"{data_dir} is not a folder; move it away so Replenish can create its folder",
            )
        ]
    return [
        *_check_interrupted_restore(data_dir),
        *_check_database(database),
        _check_permissions(data_dir),
        *_check_backups(data_dir, database),
        *_check_crash(data_dir),
    ]


def _check_crash(data_dir: Path) -> list[Check]:
    from program.crash_report import last_crash

    crash = last_crash(data_dir)
    if crash is None:
        return []
    return [
        Check(
            "app",
            False,
            f"the app stopped with an error on {crash.when:%d %B %Y at %H:%M}; "
            f"report: {crash.path}; it holds no words of yours. It can help find the cause "
            "(the lines above say whether your data is sound); delete it when you no longer "
            "need it, and this line goes",
        )
    ]


def _check_interrupted_restore(data_dir: Path) -> list[Check]:
    from state.swap import JOURNAL_NAME, interrupted

    if not interrupted(data_dir):
        return []
    return [
        Check(
            "restore",
            False,
            f"a restore was interrupted ({data_dir / JOURNAL_NAME} is its journal); nothing "
            "is lost: the next replenish command (for example `replenish status`) finishes "
            "it or puts the old file back, and the checks below are of the files as they lie",
        )
    ]


def _check_database(database: Path) -> list[Check]:
    from state import LATEST_VERSION, StoreError, StoreTooNew
    from state.backup import check_file, unreadable_rows

    if not database.exists():
        return [Check("data file", True, f"{database} does not exist yet (nothing saved)")]
    try:
        version = check_file(database, thorough=True)
        rows, count = unreadable_rows(database)
    except StoreTooNew as error:
        return [Check("data format", False, str(error))]
    except StoreError as error:
        return [Check("data file", False, str(error))]
    checks = [
        Check(
            "data file",
            True,
            f"{database} passes SQLite's integrity check and has the tables Replenish "
            f"makes{'' if count else ', and every row can be read'}; data format {version} "
            f"(this version understands up to {LATEST_VERSION})",
        )
    ]
    if count:
        checks.append(Check("rows", False, _rows_advice(database, rows, count)))
    return checks


def _rows_advice(database: Path, rows: list[RowProblem], count: int) -> str:
    """Which rows, why, and the two ways out: a backup without them, or removing just them."""
    named = "; ".join(map(str, rows))
    more = f"; and {count - len(rows)} more" if count > len(rows) else ""
    deletes = "; ".join(
        f"DELETE FROM {table} WHERE rowid IN "
        f"({', '.join(str(row.rowid) for row in rows if row.table == table)})"
        for table in dict.fromkeys(row.table for row in rows)
    )
    return (
        f"{count} row{'s' if count != 1 else ''} Replenish cannot read ({named}{more}), so "
        "`replenish export`, and anything else that reads them, fails; every other row is "
        "fine. Either `replenish restore NAME` brings back a backup without them (the "
        "backups line says which hold them; what changed since stays in the file set "
        f"aside), or, with Replenish closed and a copy of {database} kept somewhere safe, "
        f'`sqlite3 {database} "{deletes}"` removes just these rows'
    )


def _check_permissions(data_dir: Path) -> Check:
    """Another user's folder or file, or one others may write, first: every command refuses
    those (the same rule, `private_problem`); then modes that only let others read."""
    from state import DB_NAME
    from state.backup import loose_modes
    from state.paths import SIDE_SUFFIXES, private_problem

    database = data_dir / DB_NAME
    for path, folder in (
        (data_dir, True),
        *((database.with_name(database.name + suffix), False) for suffix in ("", *SIDE_SUFFIXES)),
    ):
        try:
            st = path.stat() if folder else path.lstat()
        except OSError:
            continue
        problem = private_problem(path, st, folder=folder)
        if problem is not None:
            return Check("permissions", False, f"{problem.detail}: {path}. {problem.fix}")
    loose = loose_modes(data_dir)
    if not loose:
        return Check("permissions", True, "the data folder is 0700 and every file in it 0600")
    return Check(
        "permissions",
        False,
        "others may read "
        + ", ".join(loose)
        + f"; fix with `chmod -R go-rwx {data_dir}`",
    )


def _check_backups(data_dir: Path, database: Path) -> list[Check]:
    from state import StoreError
    from state.backup import KEEP, backup_problem, backups, check_file, unreadable_rows

    found = backups(data_dir)
    checks: list[Check] = []
    note = backup_problem(data_dir)
    if note:
        checks.append(
            Check(
                "last backup",
                False,
                f"{note}. Check the free disk space and the folder "
                f"{data_dir / 'backups'}; the next command tries again",
            )
        )
    if not found:
        if database.exists() and _holds_data(database):
            checks.append(
                Check(
                    "backups",
                    False,
                    "there is no backup yet; any command (for example `replenish status`) "
                    "takes one, once a day",
                )
            )
        else:
            checks.append(Check("backups", True, "none yet (nothing saved yet)"))
        return checks
    bad: list[str] = []
    unreadable: list[str] = []
    for backup in found:
        try:
            check_file(backup.path)
            rows, count = unreadable_rows(backup.path)
        except StoreError as error:
            bad.append(f"{backup.path.name} ({getattr(error, 'detail', error)})")
            continue
        if count:
            plural = "s" if count != 1 else ""
            unreadable.append(f"{backup.path.name} ({count} row{plural}, first {rows[0]})")
    newest = found[-1]
    summary = (
        f"{len(found)} (the last {KEEP} are kept), newest "
        f"{newest.taken_at:%A %d %B %Y at %H:%M}: {newest.path.name}"
    )
    if bad or unreadable:
        parts = [summary]
        if bad:
            parts.append(f"these fail their check and cannot be restored: {', '.join(bad)}")
        if unreadable:
            parts.append(
                "these hold rows Replenish cannot read, which a restore would bring back: "
                + ", ".join(unreadable)
            )
        checks.append(Check("backups", False, "; ".join(parts)))
    else:
        checks.append(Check("backups", True, f"{summary}; each one opens and passes its check"))
    return checks


def _holds_data(database: Path) -> bool:
    """False only for a sound file with nothing saved yet (a damaged one is reported above)."""
    import sqlite3

    from state import StoreError
    from state.backup import file_holds_data

    try:
        return file_holds_data(database)
    except (StoreError, sqlite3.Error, OSError):
        return True


# ----- restore -----------------------------------------------------------------------


def cmd_restore(args: argparse.Namespace) -> int:
    from program.clock import now
    from state import Store, StoreError
    from state.backup import RestoreError, backups, find_backup, restore

    data_dir = base.data_dir(args)
    found = backups(data_dir)
    if not args.latest and args.backup is None:
        _list_backups(data_dir)
        return 1
    if args.latest:
        if not found:
            raise UserError(
                f"there is no backup in {data_dir / 'backups'} to restore; nothing was changed. "
                "If you kept an export, `replenish import FILE.json` brings your answers back"
            )
        chosen = found[-1].path
    else:
        try:
            chosen = find_backup(data_dir, args.backup)
        except RestoreError as error:
            raise UserError(str(error)) from None
    try:
        done = restore(data_dir, chosen, now())
    except RestoreError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        from state.swap import interrupted

        after = (
            "the next replenish command finishes it or puts the old file back"
            if interrupted(data_dir)
            else "your data file is as it was"
        )
        raise UserError(
            f"the restore stopped ({error.strerror or error}); nothing was deleted, and {after}"
        ) from None
    try:
        with Store.open(data_dir) as store:  # verifies, and upgrades an older backup's format
            answers = len(store.answers())
    except StoreError as error:
        raise UserError(f"the restored file does not open ({error})") from None
    for moved in done.set_aside:
        print(f"Set aside (kept, not deleted): {moved}")
    print(f"Restored {done.backup.name}: {answers} answer{'s' if answers != 1 else ''}.")
    print("`replenish today` shows where you are.")
    return 0


def _list_backups(data_dir: Path) -> None:
    from state.backup import backups, set_aside_files

    found = backups(data_dir)
    if not found:
        print(f"There is no backup in {data_dir / 'backups'} yet.", file=sys.stderr)
    else:
        print("Backups, newest last:")
        for backup in found:
            print(f"  {backup.path.name}  ({backup.taken_at:%A %d %B %Y at %H:%M})")
    earlier = set_aside_files(data_dir)
    if earlier:
        print("Data files set aside by earlier restores (restore one by name to go back):")
        for path in earlier:
            print(f"  {path.name}")
    if found or earlier:
        print(
            "Choose one: `replenish restore --latest` or `replenish restore NAME`. "
            "Your current data file is set aside (renamed), never deleted."
        )
