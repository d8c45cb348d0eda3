"""Where the data lives and how it is kept private (folder 0700, files 0600)."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DataDirInvalid, StoreUnreadable

DB_NAME = "replenish.db"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps next to the database; they hold the same private data."""

DIR_MODE = 0o700
FILE_MODE = 0o600

_umask_lock = threading.Lock()


def default_data_dir() -> Path:
    """`$REPLENISH_HOME`, else the platform's user data folder (see `resolve_data_dir`)."""
    return resolve_data_dir(None)


def resolve_data_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """The data folder, absolute: `given`, else `$REPLENISH_HOME`, else the user data folder.

    The one rule for every caller (the store, the program cache, the commands); the
    nudge digest's fast path repeats it with `os` alone, and a test keeps the two equal.
    platformdirs is loaded only here, which keeps `import state` cheap. A `~user` that
    names nobody is refused rather than taken as a relative folder.
    """
    if given is not None:
        chosen = Path(given)
    elif os.environ.get("REPLENISH_HOME"):
        chosen = Path(os.environ["REPLENISH_HOME"])
    else:
        import platformdirs

        chosen = Path(platformdirs.user_data_dir("replenish"))
    try:
        return chosen.expanduser().absolute()
    except RuntimeError:  # pathlib's "Could not determine home directory"
        raise DataDirInvalid(str(chosen), f"{chosen.parts[0]} names no user here") from None


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 from the first byte, not after a window of 0644.

    The umask is process-wide, so changes are serialised by a lock.
    """
    with _umask_lock:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


def _is_ours(st: os.stat_result) -> bool:
    """Only tighten modes on things this user owns; never touch anybody else's."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` if it exists, is ours and is looser; a vanished file is fine."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if _is_ours(st) and stat.S_IMODE(st.st_mode) & ~mode:
        os.chmod(path, mode)


def ensure_private_dir(path: Path) -> None:
    """Create the data folder 0700 (parents as usual), or tighten an existing one of ours."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with private_umask():
            path.mkdir(mode=DIR_MODE, exist_ok=True)
    except FileExistsError:
        raise StoreUnreadable(path, "it exists but is not a folder") from None
    except PermissionError as exc:
        raise StoreUnreadable(path, f"the folder cannot be created ({exc.strerror})") from exc
    except NotADirectoryError:
        raise StoreUnreadable(path, "part of the path is a file, not a folder") from None
    if not path.is_dir():
        raise StoreUnreadable(path, "it exists but is not a folder")
    try:
        tighten(path, DIR_MODE)
    except PermissionError as exc:
        raise StoreUnreadable(path, f"its permissions cannot be set ({exc.strerror})") from exc


def tighten_db_files(db: Path) -> None:
    """Make the database and its side files 0600 (they may appear later; SQLite copies the mode)."""
    for candidate in (db, *(db.with_name(db.name + s) for s in SIDE_SUFFIXES)):
        try:
            tighten(candidate, FILE_MODE)
        except PermissionError:
            # Not fatal: the folder is already 0700, which keeps others out.
            continue
