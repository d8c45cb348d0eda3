"""Daily backups, checks of the data file and restoring from a backup.

A backup is a consistent copy made with SQLite's backup API (never a file copy,
which could catch a half-written page), written under a temporary name and
renamed, so a kill mid-copy never leaves a half file under a backup's name.
Taking one must never stop the user's command: failures become a note that
`replenish doctor` reports.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from .db import prepare
from .errors import StoreDamaged, StoreError
from .inuse import InUse, hold_exclusive, release
from .paths import (
    DB_NAME,
    DIR_MODE,
    FILE_MODE,
    SIDE_SUFFIXES,
    ensure_private_dir,
    fsync_folder,
    private_umask,
    read_file,
    write_file,
)
from .rows import RowProblem, row_problems
from .schema import check_version
from .store import Store, holds_data, inspect_existing
from .swap import (
    PARTIAL_PREFIX,
    SET_ASIDE_INFIX,
    STAMP,
    aside_name,
    put_in_place,
)

BACKUP_DIR = "backups"
KEEP = 7
MIN_BACKUPS = 2
"""Below this many, every closing that saved something adds a backup (see `backup_on_close`)."""
_NAME = re.compile(r"^replenish-(\d{4}-\d{2}-\d{2}T\d{6})\.db$")
_STALE_PARTIAL_SECONDS = 3600
PROBLEM_NOTE = "backup-problem.txt"
"""Left in the data folder when a backup fails; `doctor` shows it, the next success removes it."""


class RestoreError(StoreError):
    """A restore that was not carried out; the current data file is as it was."""


class Backup(Struct, frozen=True):
    """One backup file and the local time it was taken (from its name)."""

    path: Path
    taken_at: datetime


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def backup_name(at: datetime) -> str:
    return f"replenish-{at.strftime(STAMP)}.db"


def backups(data_dir: Path) -> list[Backup]:
    """The backups in `data_dir`, oldest first (a single directory listing: cheap)."""
    try:
        entries = list(os.scandir(backup_dir(data_dir)))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found: list[tuple[float, Backup]] = []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        taken = datetime.strptime(match.group(1), STAMP)
        found.append((entry.stat().st_mtime, Backup(Path(entry.path), taken)))
    # Written order (mtime), then name: a backup named by a clock that ran ahead
    # still ages out in turn instead of outliving every real one.
    found.sort(key=lambda pair: (pair[0], pair[1].path.name))
    return [backup for _, backup in found]


def has_backup_on(data_dir: Path, day: date) -> bool:
    return any(backup.taken_at.date() == day for backup in backups(data_dir))


def backup_due_on_open(store: Store, now: datetime) -> bool:
    """Whether opening now must take the day's backup: none yet today, and something to keep.

    Not while the file holds nothing yet: a copy of nothing would be the only
    backup of the first day; `backup_on_close` takes that one.
    """
    return not has_backup_on(store.data_dir, now.date()) and store.holds_data()


def backup_on_open(store: Store, now: datetime) -> Path | None:
    """The day's backup, taken at its first opening: the file as it was last left. Never raises."""
    try:
        if not backup_due_on_open(store, now):
            return None
    except Exception as error:  # the user's command must go on whatever happens here
        _note_problem(store.data_dir, now, error)
        return None
    return daily_backup(store.path, store.data_dir, now)


def backup_on_close(store: Store, now: datetime) -> Path | None:
    """While fewer than two backups exist, a closing that saved something takes one more.

    So a backup is never the only one while it holds less than the file had when
    it was last closed (the first day's, above all). Never raises.
    """
    if not store.wrote:
        return None
    try:
        if len(backups(store.data_dir)) >= MIN_BACKUPS:
            return None
        with _backup_lock(store.data_dir) as mine:
            if not mine or len(backups(store.data_dir)) >= MIN_BACKUPS:
                return None
            taken = take_backup(store.path, store.data_dir, now)
    except Exception as error:
        _note_problem(store.data_dir, now, error)
        return None
    with suppress(OSError):
        (store.data_dir / PROBLEM_NOTE).unlink(missing_ok=True)
    return taken


def daily_backup(db_path: Path, data_dir: Path, now: datetime) -> Path | None:
    """Take today's backup if there is none yet; never raises.

    Returns the new backup, or None when one already existed or the attempt
    failed (the failure is noted for `doctor`, and the user's command carries on).
    """
    try:
        if has_backup_on(data_dir, now.date()):  # the cheap path of nearly every run
            return None
        with _backup_lock(data_dir) as mine:
            # Another process may be taking today's backup, or have just finished it.
            if not mine or has_backup_on(data_dir, now.date()):
                return None
            taken = take_backup(db_path, data_dir, now)
    except Exception as error:  # the user's command must go on whatever happens here
        _note_problem(data_dir, now, error)
        return None
    with suppress(OSError):
        (data_dir / PROBLEM_NOTE).unlink(missing_ok=True)
    return taken


@contextmanager
def _backup_lock(data_dir: Path) -> Iterator[bool]:
    """A non-blocking lock so two processes opening at once make one backup, not two.

    Yields False when another process holds it (that one is making the backup).
    Where `fcntl` is missing the lock is skipped: at worst a day gets two backups.
    """
    folder = backup_dir(data_dir)
    ensure_private_dir(folder)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield True
        return
    with private_umask():
        handle = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # closing releases the lock


def take_backup(db_path: Path, data_dir: Path, now: datetime) -> Path:
    """Copy the database consistently to `backups/`, then keep only the newest `KEEP`."""
    folder = backup_dir(data_dir)
    ensure_private_dir(folder)
    _remove_stale_partials(folder)
    final = folder / backup_name(now)
    partial = folder / f"{PARTIAL_PREFIX}{os.getpid()}-{final.name}"
    try:
        copy_database(db_path, partial)
        os.replace(partial, final)
    finally:
        _unlink_with_sides(partial)
    fsync_folder(folder)
    prune(data_dir)
    return final


def copy_database(source: Path, target: Path) -> None:
    """A consistent single-file copy of `source` at `target` (0600, rollback journal, fsynced).

    The copy runs in one step, so it reads one snapshot; in WAL mode that never
    blocks a writer. The copy is switched to a rollback journal so it is one
    self-contained file, then checked before anyone may rely on it.
    """
    with private_umask():
        src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
        try:
            prepare(src)
            with closing(sqlite3.connect(str(target), isolation_level=None)) as dst:
                prepare(dst)
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE").fetchone()
                problems = _quick_check_messages(dst)
                if problems != ["ok"]:
                    raise StoreDamaged(target, "the copy failed its check: " + "; ".join(problems))
        finally:
            src.close()
    os.chmod(target, FILE_MODE)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def prune(data_dir: Path) -> list[Path]:
    """Delete all but the newest `KEEP` backups; returns what was removed."""
    removed: list[Path] = []
    for old in backups(data_dir)[:-KEEP]:
        with suppress(FileNotFoundError):  # another process pruned it first
            old.path.unlink()
            removed.append(old.path)
    return removed


def _remove_stale_partials(folder: Path) -> None:
    """Leftovers of a killed backup; recent ones may belong to a backup running right now."""
    cutoff = time.time() - _STALE_PARTIAL_SECONDS
    for leftover in folder.glob(f"{PARTIAL_PREFIX}*"):
        with suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _unlink_with_sides(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        with suppress(OSError):
            candidate.unlink(missing_ok=True)


def _note_problem(data_dir: Path, now: datetime, error: Exception) -> None:
    """Record why the backup failed (no user text in it), for `doctor`; never raises."""
    detail = str(error).replace("\n", " ") or type(error).__name__
    line = f"{now.isoformat(timespec='seconds')} the daily backup failed: {detail}\n"
    with suppress(OSError):
        write_file(data_dir / PROBLEM_NOTE, line)  # replaces a planted link, never follows it


def backup_problem(data_dir: Path) -> str | None:
    """The note left by the last failed backup, if any."""
    try:
        return read_file(data_dir / PROBLEM_NOTE, 1 << 16, private=True).decode().strip() or None
    except (OSError, UnicodeDecodeError):
        return None


# ----- checking a file without changing it -------------------------------------------


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to `path` (nor create it, nor leave files beside it).

    Without a -wal the main file holds everything, so it is opened immutable: a
    read-only open of a WAL file would otherwise leave a new -wal and -shm behind.
    """
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?{flags}", uri=True)
    try:
        prepare(conn)
        with private_umask():  # the first read may create -wal/-shm beside it, even read-only
            conn.execute("PRAGMA schema_version").fetchone()
        yield conn
    finally:
        conn.close()


def _quick_check_messages(conn: sqlite3.Connection) -> list[str]:
    return [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)").fetchall()]


def check_file(path: Path, *, thorough: bool = False) -> int:
    """Check a Replenish database without writing to it; returns its schema version.

    Raises StoreDamaged, StoreTooNew or StoreUnreadable with a sentence a user
    can act on. `thorough` runs the full `integrity_check` instead of `quick_check`.
    """
    inspect_existing(path)  # folders, unreadable files and bad headers, with their own words
    if not path.exists():
        raise StoreDamaged(path, "there is no such file")
    try:
        with _read_only(path) as conn:
            version = check_version(conn, path)  # the store's own rules: foreign, too new
            pragma = "integrity_check(20)" if thorough else "quick_check(5)"
            messages = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as error:
        raise StoreDamaged(path, f"SQLite reports '{error}'") from error
    if messages != ["ok"]:
        raise StoreDamaged(path, "SQLite's integrity check failed (" + "; ".join(messages) + ")")
    return version


def unreadable_rows(path: Path) -> tuple[list[RowProblem], int]:
    """Values in a sound file that the code cannot read (see `state.rows`), and their count."""
    try:
        with _read_only(path) as conn:
            return row_problems(conn)
    except sqlite3.DatabaseError as error:
        raise StoreDamaged(path, f"SQLite reports '{error}'") from error


def file_holds_data(path: Path) -> bool:
    """Whether a sound data file holds anything saved, read without writing to it."""
    with _read_only(path) as conn:
        return holds_data(conn)


def loose_modes(data_dir: Path) -> list[str]:
    """Every path in the data folder that others could read: 'path (mode)'."""
    loose: list[str] = []

    def visit(path: Path, wanted: int) -> None:
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
        except OSError:
            return
        if mode & ~wanted:
            loose.append(f"{path} ({mode:04o}, should be {wanted:04o})")

    visit(data_dir, DIR_MODE)
    for folder in (data_dir, backup_dir(data_dir)):
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for child in children:
            if child.is_dir() and not child.is_symlink():
                if child != backup_dir(data_dir):
                    continue
                visit(child, DIR_MODE)
            else:
                visit(child, FILE_MODE)
    return loose


# ----- restoring -------------------------------------------------------------------------


_PARTS = {
    "": "the data file itself",
    "-wal": "part of the data file (its write-ahead log)",
    "-shm": "part of the data file (its shared-memory index)",
    "-journal": "part of the data file (its rollback journal)",
}


def find_backup(data_dir: Path, name: str) -> Path:
    """A backup given as a path, or by name: in `backups/`, or (set aside) in the data folder."""
    given = Path(name).expanduser()
    candidates = [given, backup_dir(data_dir) / given.name]
    if given.name.startswith(DB_NAME + SET_ASIDE_INFIX):
        candidates.append(data_dir / given.name)  # going back to a file set aside by a restore
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RestoreError(
        f"there is no backup called {name}; `replenish restore` lists the backups you have"
    )


def set_aside_files(data_dir: Path) -> list[Path]:
    """Data files that restores set aside, by name (their side files go with them)."""
    found = data_dir.glob(f"{DB_NAME}{SET_ASIDE_INFIX}*")
    return sorted(p for p in found if not p.name.endswith(SIDE_SUFFIXES) and p.is_file())


def _refuse_the_live_file(data_dir: Path, chosen: Path) -> None:
    """The data file (or one of its side files) cannot be its own backup."""
    database = data_dir / DB_NAME
    for suffix, what in _PARTS.items():
        live = database.with_name(database.name + suffix)
        same = chosen.resolve() == live.resolve()
        if not same and chosen.exists() and live.exists():
            same = os.path.samefile(chosen, live)  # a hard or symbolic link to it
        if same:
            raise RestoreError(
                f"{chosen} is {what}, not a backup; `replenish restore` lists the backups "
                "you have. Nothing was changed"
            )


class Restored(Struct, frozen=True):
    """What a restore did, for the message to the user."""

    backup: Path
    set_aside: tuple[Path, ...]
    database: Path


IN_USE_WAIT_SECONDS = 3.0
"""Long enough for a plain command to finish; the app and the reminder service never do."""
IN_USE_MESSAGE = (
    "Replenish is still open: the app in another terminal, or the reminder service "
    "(`replenish remind run`; if you installed it, `systemctl --user stop replenish-remind` "
    "stops it). Close it, then run restore again. Nothing was changed"
)


def restore(data_dir: Path, backup: Path, now: datetime) -> Restored:
    """Put `backup` in place of the current data file, which is kept under a dated name.

    Order matters for safety: the backup is checked first (nothing moves if it
    is bad); then the data folder is held exclusively, so that no other process
    has the file open while it moves (see `state.inuse`: refused, with nothing
    moved, while the app or the reminder service runs); then the backup is
    copied in through the backup API under a temporary name and checked; only
    then does `state.swap` exchange the two, so that at every instant, killed
    or not, the real name holds a whole data file, the old one or the new one.
    """
    _refuse_the_live_file(data_dir, backup)
    try:
        if check_file(backup, thorough=True) == 0:
            raise StoreDamaged(backup, "it holds no Replenish data (it is an empty database)")
    except StoreError as error:
        raise RestoreError(
            f"the backup {backup} cannot be used ({error}); nothing was changed"
        ) from error
    database = data_dir / DB_NAME
    ensure_private_dir(data_dir)
    try:
        with private_umask():
            hold = hold_exclusive(data_dir, wait=IN_USE_WAIT_SECONDS)
    except InUse:
        raise RestoreError(IN_USE_MESSAGE) from None
    except PermissionError as error:
        raise RestoreError(
            f"Replenish may not use {data_dir} ({error.strerror}); check that the folder "
            "and the files in it belong to you. Nothing was changed"
        ) from None
    try:

        def write_new(path: Path) -> None:
            copy_database(backup, path)
            check_file(path, thorough=True)

        set_aside = put_in_place(database, aside_name(database, now), write_new)
    finally:
        release(hold)
    return Restored(backup, set_aside, database)


def set_aside_copy(database: Path, now: datetime) -> Path:
    """Keep a consistent copy of the open data file under the name `restore` sets a file aside
    by, before something replaces what it holds (`import --replace`); 0600, checked, fsynced."""
    target = aside_name(database, now)
    partial = database.with_name(f"{PARTIAL_PREFIX}{os.getpid()}-{target.name}")
    try:
        copy_database(database, partial)
        os.replace(partial, target)  # a kill mid-copy never leaves half a file under the name
    finally:
        _unlink_with_sides(partial)
    fsync_folder(database.parent)
    return target
