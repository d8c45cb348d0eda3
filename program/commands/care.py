"""`replenish doctor` and `replenish restore`: look after the data file and its backups.

Both work on a damaged store, so neither opens it through `Store.open` (which
refuses damaged files): `doctor` only reads, `restore` only renames and copies.
Plain commands: nothing heavy is imported (no Textual, no APScheduler).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands import base
from program.commands.base import UserError, add_command

if TYPE_CHECKING:
    from program.commands.base import Commands


@dataclass(frozen=True, slots=True)
class Check:
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
        "backup", nargs="?", metavar="BACKUP", help="a backup file, or its name in backups/"
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
        _check_database(database),
        _check_permissions(data_dir),
        *_check_backups(data_dir, database),
    ]


def _check_database(database: Path) -> Check:
    from state import LATEST_VERSION, StoreError, StoreTooNew
    from state.backup import check_file

    if not database.exists():
        return Check("data file", True, f"{database} does not exist yet (nothing saved)")
    try:
        version = check_file(database, thorough=True)
    except StoreTooNew as error:
        return Check("data format", False, str(error))
    except StoreError as error:
        return Check("data file", False, str(error))
    return Check(
        "data file",
        True,
        f"{database} passes SQLite's integrity check; data format {version} "
        f"(this version understands up to {LATEST_VERSION})",
    )


def _check_permissions(data_dir: Path) -> Check:
    from state.backup import loose_modes

    loose = loose_modes(data_dir)
    if not loose:
        return Check("permissions", True, "the data folder is 0700 and every file in it 0600")
    return Check(
        "permissions",
        False,
        "others may read "
        + ", ".join(loose)
        + f"; fix with `chmod -R go-rwx {data_dir}` (or run any replenish command)",
    )


def _check_backups(data_dir: Path, database: Path) -> list[Check]:
    from state import StoreError
    from state.backup import KEEP, backup_problem, backups, check_file

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
        if database.exists():
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
    for backup in found:
        try:
            check_file(backup.path)
        except StoreError:
            bad.append(backup.path.name)
    newest = found[-1]
    summary = (
        f"{len(found)} (the last {KEEP} are kept), newest "
        f"{newest.taken_at:%A %d %B %Y at %H:%M}: {newest.path.name}"
    )
    if bad:
        checks.append(
            Check(
                "backups",
                False,
                f"{summary}; these fail their check and cannot be restored: {', '.join(bad)}",
            )
        )
    else:
        checks.append(Check("backups", True, f"{summary}; each one opens and passes its check"))
    return checks


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
        raise UserError(
            f"the restore stopped ({error.strerror or error}); any file already set aside "
            f"is still in {data_dir}, nothing was deleted"
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
    from state.backup import backups

    found = backups(data_dir)
    if not found:
        print(f"There is no backup in {data_dir / 'backups'} yet.", file=sys.stderr)
        return
    print("Backups, newest last:")
    for backup in found:
        print(f"  {backup.path.name}  ({backup.taken_at:%A %d %B %Y at %H:%M})")
    print(
        "Choose one: `replenish restore --latest` or `replenish restore NAME`. "
        "Your current data file is set aside (renamed), never deleted."
    )
