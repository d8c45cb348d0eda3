"""File stamps read with `os` alone, shared by the program cache and the nudge digest.

Both decide whether something saved earlier is still current by comparing the
name, size and modification time of every file it was built from. Keeping the
listing here (no pathlib, no typed records) lets the nudge fast path use it
without paying for the modules the program cache needs.
"""

from __future__ import annotations

import os

Entry = tuple[str, int, int]
"""(name, size in bytes, modification time in ns)."""


def folder_entries(folder: str | os.PathLike[str]) -> list[Entry]:
    """(name, size, mtime in ns) of every entry of `folder`, sorted; OSError if unreadable."""
    found = []
    with os.scandir(folder) as scan:
        for entry in scan:
            st = entry.stat()
            found.append((entry.name, st.st_size, st.st_mtime_ns))
    found.sort()
    return found


def code_entries(root: str, skip: tuple[str, ...] = ()) -> list[Entry]:
    """(path under `root`, size, mtime in ns) of every `.py` file below `root`, sorted.

    Whole folders, not a list of files, so no module is forgotten; folders named in
    `skip` (and `__pycache__`) are left out. OSError if `root` cannot be listed.
    """
    found: list[Entry] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as scan:
            for entry in scan:
                name = os.path.join(relative, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip and entry.name != "__pycache__":
                        pending.append(name)
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    found.append((name, st.st_size, st.st_mtime_ns))
    found.sort()
    return found
