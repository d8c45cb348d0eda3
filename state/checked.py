"""Whether the data file is exactly as a Replenish that closed it cleanly left it.

Opening the store runs SQLite's `quick_check`, so damage done from outside (a disk,
a sync tool, another program) is reported on open rather than mid-session. The
check reads every page: about 2 ms with a year of answers, 15 ms with ten, on
every `nudge`, `status` and first frame. So a clean close notes the file's identity
(inode, size, modification time to the nanosecond, and no write-ahead log left
over), and an open that finds the same identity skips the check: the file has not
been touched since. Anything else (a change from outside, a crash that left a log,
a restore, an import, a missing or unreadable note) runs the check as before.
`doctor` always runs the full `integrity_check`.

The note is advisory: it is written without fsync, and a note that is lost, torn or
stale only costs the check.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import write_file

NOTE_NAME = ".checked"
"""In the data folder, beside the data file."""


def identity(path: Path) -> str | None:
    """The data file's identity when it holds everything (no log beside it), else None."""
    try:
        wal = os.stat(f"{path}-wal")
    except FileNotFoundError:
        pass
    else:
        if wal.st_size:
            return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns}"


def unchanged(folder: Path, path: Path) -> bool:
    """True when the file is as a clean close of this program noted it."""
    try:
        with open(folder / NOTE_NAME, "rb") as handle:
            noted = handle.read(100).decode("ascii", errors="replace")
    except OSError:
        return False
    found = identity(path)
    return found is not None and noted == found


def note(folder: Path, path: Path) -> None:
    """After a clean close: note the file as it is, or forget any note when a log remains
    (another connection is still open, and the file will change under it)."""
    found = identity(path)
    try:
        if found is None:
            os.unlink(folder / NOTE_NAME)
        else:
            write_file(folder / NOTE_NAME, found, durable=False)
    except OSError:  # a note not written only costs the next open the check
        pass
