"""Putting a new data file in place of the current one, so the real name is never empty.

A restore cannot be a single rename. The data file comes with side files
(-wal, -shm, -journal) that belong to it and must go aside with it, and SQLite
would read an old -wal into the new file. So the swap is a short sequence,
written down first in a journal:

1. the journal records the names involved;
2. the caller writes the new file under a temporary name in the folder (fsynced
   and checked), and the journal records which file (inode) it is;
3. the current file gets its set-aside name as a second hard link (a copy where
   the file system has no hard links), so the real name keeps it meanwhile;
4. its side files are renamed to the set-aside name;
5. the new file is renamed over the real name, in one atomic step;
6. the journal is removed.

Killed anywhere (SIGKILL, a power cut, a closed terminal), the next opening calls
`finish`: when the real name already holds the new file it completes step 4,
otherwise it undoes steps 3 and 4. Either way no instant passes without a whole
data file under the real name, and only a name whose data lives on under another
name (or a copy of a backup) is ever removed. `finish` runs under the exclusive
hold of `state.inuse`, so no connection is open while files move.
"""

from __future__ import annotations

import errno
import filecmp
import json
import os
import re
import shutil
import stat
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from .errors import StoreError
from .paths import (
    DB_NAME,
    FILE_MODE,
    SIDE_SUFFIXES,
    fsync_folder,
    private_umask,
    tighten_db_files,
)

JOURNAL_NAME = "restore-journal.json"
PARTIAL_PREFIX = ".partial-"
"""Temporary files in the data folder: copies of a backup, never the only copy of anything."""
SET_ASIDE_INFIX = ".set-aside-"
STAMP = "%Y-%m-%dT%H%M%S"
_PARTIAL = re.compile(
    rf"^{re.escape(PARTIAL_PREFIX)}\d+-({re.escape(DB_NAME)}.*|{re.escape(JOURNAL_NAME)})$"
)
_ASIDE = re.compile(rf"^{re.escape(DB_NAME + SET_ASIDE_INFIX)}[0-9T-]+$")
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}
"""What link() says on file systems without hard links (FAT, some FUSE and network mounts)."""


class SwapError(StoreError):
    """The journal of an interrupted restore cannot be followed; nothing more was moved."""


class Journal(Struct, frozen=True):
    """What an interrupted swap needs to be finished or undone (file names in the folder)."""

    aside: str
    new: str
    new_id: tuple[int, int] | None
    """(st_dev, st_ino) of the new file once written: the real name holding it means step 5
    was done. None while it is being written (an interruption then always undoes)."""


_NOTHING_MOVED = Journal("", "", None)


def aside_name(database: Path, now: datetime) -> Path:
    """A dated name beside `database` that neither it nor any of its side files uses yet."""
    stem = f"{database.name}{SET_ASIDE_INFIX}{now.strftime(STAMP)}"
    candidate, counter = database.with_name(stem), 1
    while any(os.path.lexists(side) for side in _with_sides(candidate)):
        counter += 1
        candidate = database.with_name(f"{stem}-{counter}")
    return candidate


def interrupted(data_dir: Path) -> bool:
    """Whether a swap was interrupted (one stat: cheap enough for every open)."""
    return os.path.lexists(data_dir / JOURNAL_NAME)


def put_in_place(
    database: Path, aside: Path, write_new: Callable[[Path], None]
) -> tuple[Path, ...]:
    """Make a new file the data file; the current one and its side files live on as `aside`.

    `write_new(path)` writes the new file at a temporary path (fsynced, checked).
    The caller holds the folder exclusively (`state.inuse`). Returns the set-aside
    files (the data file first). On any failure or interrupt, the swap is finished
    or undone before the error goes on; if even that is cut short, the next
    `finish` completes it.
    """
    folder = database.parent
    finish(folder)  # an earlier swap that was interrupted comes first
    remove_partials(folder)
    new = folder / f"{PARTIAL_PREFIX}{os.getpid()}-{database.name}"
    _write_journal(folder, Journal(aside.name, new.name, None))
    try:
        write_new(new)
        found = new.stat()
        _write_journal(folder, Journal(aside.name, new.name, (found.st_dev, found.st_ino)))
        _keep_current(database, aside)
        for suffix in SIDE_SUFFIXES:
            _move(_side(database, suffix), _side(aside, suffix))
        fsync_folder(folder)
        os.replace(new, database)
        fsync_folder(folder)
        tighten_db_files(aside)
    except BaseException:
        with suppress(Exception):
            finish(folder)
        raise
    _remove_journal(folder)
    return tuple(path for path in _with_sides(aside) if os.path.lexists(path))


def finish(data_dir: Path) -> str | None:
    """Complete or undo an interrupted swap; 'finished', 'undone', or None when there was none.

    Idempotent, so being interrupted itself is harmless: the journal goes last.
    Call it only under the exclusive hold (or where locks do not exist).
    """
    journal = _read_journal(data_dir)
    if journal is None:
        return None
    database = data_dir / DB_NAME
    outcome = "undone"
    try:
        if journal is not _NOTHING_MOVED:
            aside = data_dir / journal.aside
            if journal.new_id is not None and _identity(database) == journal.new_id:
                for suffix in SIDE_SUFFIXES:  # the old side files must not meet the new file
                    _move(_side(database, suffix), _side(aside, suffix))
                tighten_db_files(aside)
                outcome = "finished"
            else:
                for suffix in SIDE_SUFFIXES:
                    _move_back(_side(aside, suffix), _side(database, suffix))
                _move_back(aside, database)
        remove_partials(data_dir)
        fsync_folder(data_dir)
        _remove_journal(data_dir)
    except OSError as error:
        raise SwapError(
            f"Replenish could not complete a restore that was interrupted in {data_dir} "
            f"({error.strerror or error}); nothing more was moved. Your data is in "
            f"{DB_NAME} or in the files named {DB_NAME}{SET_ASIDE_INFIX}*; try again, or move "
            f"{JOURNAL_NAME} away once {DB_NAME} is the file you want"
        ) from error
    return outcome


def remove_partials(data_dir: Path) -> None:
    """Temporary files of an interrupted restore: each is a copy, so nothing is lost."""
    for leftover in data_dir.glob(f"{PARTIAL_PREFIX}*"):
        if _PARTIAL.match(leftover.name):
            with suppress(OSError):
                if not leftover.is_dir() or leftover.is_symlink():
                    leftover.unlink()


# ----- the steps ----------------------------------------------------------------------


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _with_sides(path: Path) -> tuple[Path, ...]:
    return (path, *(_side(path, suffix) for suffix in SIDE_SUFFIXES))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def _keep_current(database: Path, aside: Path) -> None:
    """Step 3: the current file also under `aside`, while the real name still holds it."""
    try:
        found = os.lstat(database)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):  # a folder or link in its place: not a data file
        os.replace(database, aside)
        return
    try:
        os.link(database, aside, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        _copy(database, aside)


def _copy(source: Path, target: Path) -> None:
    """A byte copy, complete under `target` or not there at all."""
    partial = target.with_name(f"{PARTIAL_PREFIX}{os.getpid()}-{target.name}")
    with private_umask():
        shutil.copyfile(source, partial, follow_symlinks=False)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def _move(source: Path, target: Path) -> None:
    """Rename `source` to `target`; never over something else (that gets a new name)."""
    if not os.path.lexists(source):
        return
    if not os.path.lexists(target):
        os.replace(source, target)
    elif os.path.samefile(source, target):
        source.unlink()  # the same file under two names: one is enough
    else:
        counter = 2
        while os.path.lexists(target.with_name(f"{target.name}-{counter}")):
            counter += 1
        os.replace(source, target.with_name(f"{target.name}-{counter}"))


def _move_back(aside: Path, live: Path) -> None:
    """Undo: `aside` returns to `live`, or goes if `live` holds the same bytes; else both stay."""
    if not os.path.lexists(aside):
        return
    if not os.path.lexists(live):
        os.replace(aside, live)
    elif os.path.samefile(aside, live) or _same_bytes(aside, live):
        aside.unlink()


def _same_bytes(first: Path, second: Path) -> bool:
    try:
        regular = stat.S_ISREG(os.lstat(first).st_mode) and stat.S_ISREG(os.lstat(second).st_mode)
        return regular and filecmp.cmp(first, second, shallow=False)
    except OSError:
        return False


# ----- the journal ----------------------------------------------------------------------


def _write_journal(folder: Path, journal: Journal) -> None:
    """Record the swap, durably.

    The first record is written in place: cut short (a power cut), it cannot be
    read, and then nothing had moved yet. Every later one replaces it whole
    (a temporary file, then a rename), so it is read either old or new.
    """
    new_id = None if journal.new_id is None else list(journal.new_id)
    text = json.dumps({"aside": journal.aside, "new": journal.new, "new_id": new_id}).encode()
    path = folder / JOURNAL_NAME
    first = journal.new_id is None
    target = path if first else folder / f"{PARTIAL_PREFIX}{os.getpid()}-{JOURNAL_NAME}"
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    flags |= os.O_EXCL if first else os.O_TRUNC
    with private_umask():
        handle = os.open(target, flags, FILE_MODE)
    try:
        os.write(handle, text)
        os.fsync(handle)
    finally:
        os.close(handle)
    if not first:
        os.replace(target, path)
    fsync_folder(folder)


def _read_journal(data_dir: Path) -> Journal | None:
    """The journal, None when there is none; an empty one (cut short) names nothing moved."""
    path = data_dir / JOURNAL_NAME
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    try:
        raw = json.loads(text)
    except ValueError:  # the first record, cut short: only temporary copies exist
        return _NOTHING_MOVED
    try:
        new_id = None
        if raw["new_id"] is not None:
            device, inode = (int(number) for number in raw["new_id"])
            new_id = (device, inode)
        journal = Journal(str(raw["aside"]), str(raw["new"]), new_id)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise _unreadable(path, f"{type(error).__name__}: {error}") from None
    # Only names this module makes: never the data file itself, nothing outside the folder.
    if not _ASIDE.match(journal.aside):
        raise _unreadable(path, f"it names {journal.aside!r}, not a set-aside file")
    if not _PARTIAL.match(journal.new):
        raise _unreadable(path, f"it names {journal.new!r}, not a temporary file of a restore")
    return journal


def _unreadable(path: Path, why: str) -> SwapError:
    return SwapError(
        f"A restore in {path.parent} was interrupted and its journal {path} cannot be "
        f"followed ({why}); nothing more was moved. Your data is in {DB_NAME} or in the "
        f"files named {DB_NAME}{SET_ASIDE_INFIX}*; move {JOURNAL_NAME} away once {DB_NAME} "
        "is the file you want"
    )


def _remove_journal(folder: Path) -> None:
    with suppress(FileNotFoundError):
        (folder / JOURNAL_NAME).unlink()
    fsync_folder(folder)
