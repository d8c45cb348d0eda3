"""Who has the data file open: a shared lock while a store is open, an exclusive one to replace it.

Renaming a SQLite file out from under an open connection is one of the ways
SQLite files get corrupted: the old connection keeps writing into the renamed
file, and when it closes, SQLite deletes the write-ahead log *by name*, which by
then may belong to the restored file. SQLite's own locks cannot say "nobody
has this open", so every `Store` holds a shared `flock` on `<data dir>/.in-use`
for as long as it is open, and `restore` takes it exclusively before moving
anything. The kernel drops a lock when its process ends, even on SIGKILL, so a
crash never leaves the folder locked.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from .paths import FILE_MODE

try:
    import fcntl
except ImportError:  # pragma: no cover - not on this platform: nothing to coordinate with
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".in-use"
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL}
"""What flock says on a file system that has no locks (some network and FUSE mounts)."""
POLL_SECONDS = 0.05


class InUse(Exception):
    """The lock was not granted in time: somebody else holds it the other way."""


def hold_shared(data_dir: Path, wait: float) -> int | None:
    """A shared hold on the data folder, waiting up to `wait` seconds out a restore."""
    return _hold(data_dir, shared=True, wait=wait)


def hold_exclusive(data_dir: Path, wait: float) -> int | None:
    """The only hold on the data folder, waiting up to `wait` seconds for brief commands."""
    return _hold(data_dir, shared=False, wait=wait)


def release(hold: int | None) -> None:
    """Let go of a hold (closing the descriptor drops the lock)."""
    if hold is not None:
        os.close(hold)


def _hold(data_dir: Path, *, shared: bool, wait: float) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    # Read-only is enough for flock, and the file stays empty.
    flags = os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
    fd = os.open(data_dir / LOCK_NAME, flags, FILE_MODE)
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, mode)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise InUse(data_dir) from None
            time.sleep(POLL_SECONDS)
        except OSError as error:
            os.close(fd)
            if error.errno in _NO_LOCKS:
                return None  # a file system without locks: carry on as before they existed
            raise
        except BaseException:
            os.close(fd)
            raise
