"""`replenish erase`: remove everything Replenish keeps for this user, after a typed word.

Only names Replenish itself writes are removed from the data folder (a folder
given with `--data-dir` may hold other things: those are named and left), then
the folder if nothing else is in it; then the systemd unit `remind install`
wrote for this folder and the calendar files `remind ics` wrote (their paths
are recorded in the folder). It refuses while the app or the reminder service
has the data open (the same lock a restore takes), and it never erases on
input that is not a terminal unless `--yes` says so: a pipe cannot confirm.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import UserError, add_command, data_dir
from program.terminal import printable, say

if TYPE_CHECKING:
    from program.commands.base import Commands

CONFIRM_WORD = "erase"

OURS = re.compile(
    r"^(replenish\.db(-wal|-shm|-journal)?|replenish\.db\.set-aside-.*|backups|"
    r"backup-problem\.txt|program-cache\.pickle|nudge-digest|crash-report\.txt|"
    r"restore-journal\.json|calendar-files|partner\.key|\.in-use|\.checked|\.partial-.*|\..*\.tmp)$"
)
"""Every name Replenish writes in its data folder (the database and its side files, set-aside
copies, backups, the program cache, the nudge digest, the crash report, the restore
journal, the record of calendar files, the partner key, the in-use lock, the note of a
clean close (`state.checked`), half-written temporaries)."""

OUT_OF_REACH = (
    "What erase cannot reach:",
    "  - exports, calendar files or saved words you copied or sent somewhere else;",
    "  - envelopes already in a shared folder or sent to your partner (sealed for them);",
    "  - calendar events already imported into a calendar app or a phone (delete them there);",
    "  - what this terminal still shows, and its scrollback (close the window);",
    "  - copies an SSD or a file system keeps in blocks it has not yet reused;",
    "  - backups made by your own backup tool (Time Machine, Déjà Dup, a cloud folder).",
)


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    erase = add_command(
        commands, common, "erase", cmd_erase, "remove everything Replenish keeps for you"
    )
    erase.add_argument(
        "--yes",
        action="store_true",
        help=f'erase without asking to type "{CONFIRM_WORD}" (for scripts)',
    )


def cmd_erase(args: argparse.Namespace) -> int:
    from state.inuse import InUse, hold_exclusive, release

    folder = data_dir(args)
    if not args.yes:
        _confirm(folder)
    hold = None
    if folder.is_dir():
        try:
            hold = hold_exclusive(folder, wait=1.0)
        except InUse:
            raise UserError(
                "Replenish is open (the app, or the reminder service): close the app, and stop "
                "the service with `systemctl --user stop replenish-remind.service`, then try "
                "again. Nothing was removed"
            ) from None
        except OSError as error:
            raise UserError(f"cannot open {folder}: {error.strerror or error}") from None
    try:
        removed, left = _erase_outside(folder)
        found, others = _erase_folder(folder)
        removed = found + removed
    finally:
        from state.inuse import LOCK_NAME

        release(hold)
        if (folder / LOCK_NAME).exists():
            (folder / LOCK_NAME).unlink(missing_ok=True)
        if folder.is_dir() and not others:
            try:
                folder.rmdir()
                removed.append(str(folder))
            except OSError:
                pass
    if removed:
        say("Removed:")
        for path in removed:
            say(f"  {printable(path)}")
    else:
        say(f"Nothing of Replenish's was found in {printable(str(folder))}.")
    for path in others:
        say(f"Left alone (not Replenish's): {printable(path)}")
    for line in left:
        say(line)
    for line in OUT_OF_REACH:
        say(line)
    return 0


def _confirm(folder: Path) -> None:
    """Ask for the word on a terminal; refuse on anything else (a pipe cannot mean it)."""
    if not sys.stdin.isatty():
        raise UserError(
            "erase asks you to type a word to confirm, and the input is not a terminal; "
            "run it in a terminal, or add --yes if you mean it. Nothing was removed"
        )
    say(f"This removes everything Replenish keeps for you, in {printable(str(folder))}:")
    say("your answers, backups, reminders and settings. It cannot be undone.")
    try:
        typed = input(f'Type "{CONFIRM_WORD}" to remove it all, or press Enter to keep it: ')
    except EOFError:
        typed = ""
    if typed.strip().lower() != CONFIRM_WORD:
        raise UserError("nothing was removed")


def _erase_folder(folder: Path) -> tuple[list[str], list[str]]:
    """(what was removed, what was left as not Replenish's) in the data folder."""
    from state.inuse import LOCK_NAME

    removed: list[str] = []
    others: list[str] = []
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return removed, others
    except OSError as error:
        raise UserError(f"cannot read {folder}: {error.strerror or error}") from None
    for entry in entries:
        if not OURS.match(entry.name):
            others.append(str(entry))
            continue
        if entry.name == LOCK_NAME:
            continue  # held until the end; removed then
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
        removed.append(str(entry))
    return removed, others


def _erase_outside(folder: Path) -> tuple[list[str], list[str]]:
    """The systemd unit written for this folder and the recorded calendar files:
    (removed, lines about what was left and why)."""
    from program.reminders.ics import calendar_files
    from program.reminders.unit import systemd_quote, unit_path

    removed: list[str] = []
    left: list[str] = []
    unit = unit_path()
    try:
        text = unit.read_text(encoding="utf-8")
    except OSError:
        text = ""
    if text:
        if f"--data-dir {systemd_quote(str(folder))}" in text:
            unit.unlink(missing_ok=True)
            removed.append(str(unit))
            left.append(
                "The reminder service's unit is gone; `systemctl --user daemon-reload` "
                "makes systemd forget it."
            )
        else:
            left.append(f"Left {unit}: it runs reminders for another data folder.")
    for name in calendar_files(folder):
        path = Path(name)
        try:
            head = path.read_bytes()[:4096]
        except FileNotFoundError:
            continue
        except OSError as error:
            left.append(f"Could not remove {name}: {error.strerror or error}")
            continue
        if b"PRODID:-//Replenish//" in head and path.is_file():
            os.unlink(path)
            removed.append(name)
        else:
            left.append(f"Left {name}: it is no longer a Replenish calendar file.")
    return removed, left
