"""Where the data lives and how it is kept private (folder 0700, files 0600).

One rule decides whether a folder or file may hold private words
(`private_problem`): it must be this user's, and nobody else may write to it,
as ssh, gpg and pass insist. A folder another user owns or can write is refused
rather than used: whoever can write there can read or swap what is written.
Every file is written by `write_file` (a temporary file and a rename, never
through a link planted in the data folder) and read by `read_file` (regular
files only, bounded in size, no links for private files).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import DataDirInvalid, StoreNotPrivate, StoreUnreadable

DB_NAME = "replenish.db"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps next to the database; they hold the same private data."""

DIR_MODE = 0o700
FILE_MODE = 0o600
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH

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


def user_id() -> int | None:
    """Whose files are ours: the effective user id (None where the platform has none)."""
    geteuid = getattr(os, "geteuid", None)
    return None if geteuid is None else int(geteuid())


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 and folders 0700 from the first byte, whatever the user's umask.

    The umask is process-wide, so changes are serialised by a lock.
    """
    with _umask_lock:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


# ----- the one rule ------------------------------------------------------------------


def private_problem(path: Path, st: os.stat_result, *, folder: bool) -> StoreNotPrivate | None:
    """Why `path` (with status `st`, not followed if a link) may not hold private words, or None."""
    kind = st.st_mode
    if folder and not stat.S_ISDIR(kind):
        return None  # not a folder at all: the caller says so in its own words
    if not folder and stat.S_ISLNK(kind):
        return StoreNotPrivate(
            path,
            "it is a symbolic link, and Replenish keeps its files as plain files in its folder",
            "Move the link out of the folder; if it points at a file of yours that belongs "
            "here, move that file into its place. Then run the command again.",
        )
    uid = user_id()
    if uid is not None and st.st_uid != uid:
        owner = _user_name(st.st_uid)
        detail = f"it belongs to another user ({owner}), who could read or change it"
        if folder:
            fix = (
                "Choose a folder of your own with --data-dir or REPLENISH_HOME (Replenish "
                "creates it, private to you), or have its owner give it to you with `chown`."
            )
        else:
            fix = (
                f"If it is yours (left by `sudo replenish`, say), `sudo chown $(id -un) {path}` "
                "gives it back; otherwise move it out of the folder."
            )
        return StoreNotPrivate(path, detail, fix)
    if stat.S_IMODE(kind) & _OTHERS_WRITE:
        mode = f"{stat.S_IMODE(kind):04o}"
        where, trusted, private = (
            ("in it", "what is in it", "700") if folder else ("to it", "its contents", "600")
        )
        return StoreNotPrivate(
            path,
            f"other users may write {where} (mode {mode}), so anyone could have changed it",
            f"If it is yours and you trust {trusted}, `chmod {private} {path}` makes it "
            "private; then run the command again.",
        )
    return None


def _user_name(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name}, uid {uid}"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _tighten(path: Path, st: os.stat_result, mode: int) -> None:
    """Take away what others may read of a folder or file of ours (0755 -> 0700)."""
    if stat.S_IMODE(st.st_mode) & ~mode:
        os.chmod(path, mode)


# ----- folders -----------------------------------------------------------------------


def make_folders(path: Path) -> None:
    """Create `path` and any missing parents 0700, whatever the umask (existing ones stay)."""
    with private_umask():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def ensure_private_dir(path: Path) -> None:
    """Create the data folder (and missing parents) 0700, or check and tighten an existing one.

    Refused with StoreNotPrivate when another user owns it or may write in it.
    """
    try:
        make_folders(path)
    except FileExistsError:
        raise StoreUnreadable(path, "it exists but is not a folder") from None
    except PermissionError as exc:
        raise StoreUnreadable(path, f"the folder cannot be created ({exc.strerror})") from exc
    except NotADirectoryError:
        raise StoreUnreadable(path, "part of the path is a file, not a folder") from None
    try:
        st = path.stat()  # a link to a folder is followed: the folder itself must be ours
    except OSError as exc:
        raise StoreUnreadable(path, f"it cannot be looked at ({exc.strerror})") from exc
    if not stat.S_ISDIR(st.st_mode):
        raise StoreUnreadable(path, "it exists but is not a folder")
    problem = private_problem(path, st, folder=True)
    if problem is not None:
        raise problem
    try:
        _tighten(path, st, DIR_MODE)
    except PermissionError as exc:
        raise StoreUnreadable(path, f"its permissions cannot be set ({exc.strerror})") from exc


# ----- files ---------------------------------------------------------------------------


def check_private_file(path: Path) -> None:
    """Refuse a private file that is a link, another user's, or writable by others; tighten a
    loose one of ours (0644 -> 0600). A missing file is fine, and so is a folder or special
    file: whoever opens it says what is wrong with that."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnreadable(path, f"it cannot be looked at ({exc.strerror})") from exc
    problem = private_problem(path, st, folder=False)
    if problem is not None:
        raise problem
    if stat.S_ISREG(st.st_mode):
        with suppress(PermissionError):  # not fatal: the folder is 0700, which keeps others out
            _tighten(path, st, FILE_MODE)


def check_db_files(db: Path) -> None:
    """`check_private_file` for the database and each side file SQLite keeps beside it."""
    for candidate in (db, *(db.with_name(db.name + s) for s in SIDE_SUFFIXES)):
        check_private_file(candidate)


def tighten_db_files(db: Path) -> None:
    """Make the database and its side files 0600 (they may appear later; SQLite copies the mode)."""
    for candidate in (db, *(db.with_name(db.name + s) for s in SIDE_SUFFIXES)):
        try:
            st = candidate.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) and private_problem(candidate, st, folder=False) is None:
            with suppress(PermissionError):
                _tighten(candidate, st, FILE_MODE)


def write_file(
    path: Path,
    content: str | bytes,
    *,
    mode: int = FILE_MODE,
    chosen: bool = False,
    durable: bool = True,
) -> None:
    """Write `content` to `path`: the one way Replenish writes a file.

    Replenish's own files (`chosen` False: the backup note, the digest) are always
    replaced atomically: a temporary file made with `mode` from its first byte,
    fsynced unless not `durable` (a cache), renamed over the name. So a crash never
    leaves half a file, and whatever was planted under the name (a link, a pipe)
    is replaced, never written through.

    A path the user chose (`chosen`: `export -o`, `remind ics`, the unit file) is
    treated as shell redirection and gpg treat it: a link is followed to its
    target, which is replaced atomically if it is a regular file; a named pipe or
    a device (a terminal, /dev/null) is written into, never replaced by a file; a
    pipe nobody reads from is an error, not a wait. Raises OSError with the reason.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        st: os.stat_result | None = path.stat() if chosen else path.lstat()
    except FileNotFoundError:  # nothing there yet (or, followed, a link to nothing yet)
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if chosen and st is not None and not stat.S_ISREG(st.st_mode):
        _write_into(path, data)
        return
    _replace(Path(os.path.realpath(path)) if chosen else path, data, mode, durable)


def _write_into(path: Path, data: bytes) -> None:
    """Write into a pipe, device or terminal that stays in place (not atomic: it cannot be)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a named pipe with no reader, or a socket
            raise OSError(
                errno.ENXIO, "nothing is reading from it; start the reader first", str(path)
            ) from None
        raise
    try:
        os.set_blocking(fd, True)  # a full pipe waits for its reader, like any writer
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(target: Path, data: bytes, mode: int, durable: bool) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    with private_umask():
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (POSIX); harmless to skip where folders cannot be
    opened. The one copy: the writer, the backups and the restore's swap all call it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def read_file(path: Path, limit: int, *, private: bool = False) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; OSError otherwise.

    Never waits on a named pipe (opened non-blocking) and never reads a device
    (/dev/zero would fill the memory) or more than `limit` bytes. With `private`
    (a file in the data folder) a link is refused and the file must pass
    `private_problem`, so nobody else could have written what is read back.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_NOFOLLOW if private else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and private:
            raise OSError(errno.ELOOP, "it is a symbolic link", str(path)) from None
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "it is a device or a pipe, not a regular file", str(path))
        if private:
            problem = private_problem(path, st, folder=False)
            if problem is not None:
                raise OSError(errno.EPERM, problem.detail, str(path))
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"it is larger than {_size(limit)}", str(path))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:  # it grew while being read
            raise OSError(errno.EFBIG, f"it is larger than {_size(limit)}", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(count: int) -> str:
    return f"{count // (1 << 20)} MB" if count >= 1 << 20 else f"{count} bytes"
