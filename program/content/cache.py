"""A cache of the parsed, validated program, so a plain command skips TOML and validation.

`replenish nudge` runs in every new shell; reading and checking the program's
TOML costs more than the rest of the command together. The validated `Program`
is kept pickled in the data folder (0600, written atomically), keyed by every
file of the program folder (name, size, modification time) and by the code that
builds the model, so any edit to either makes it miss. Reading it never fails:
anything unexpected is a miss, and the caller loads the folder in full.

Only files the user owns and nobody else can write are read back, since
unpickling runs code: the cache is as trusted as the data folder it lives in.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from program.content.model import Program
from program.filestamps import Entry, folder_entries

CACHE_NAME = "program-cache.pickle"
FORMAT = 2
"""Bump when the layout of the cache file changes."""

_CODE_DIR = Path(__file__).resolve().parent
"""program/content: a change to any of its modules may change the model."""

CacheKey = tuple[object, ...]
"""What a cached program was built from: the format, Python, the folder, its files, the code."""


def _entries(folder: Path) -> list[Entry]:
    """(name, size, mtime in ns) of every entry of `folder`, sorted; OSError if unreadable."""
    return folder_entries(folder)


def cache_key(folder: Path) -> CacheKey:
    """What the cached program depends on; OSError when the folder cannot be listed."""
    code = [entry for entry in _entries(_CODE_DIR) if entry[0].endswith(".py")]
    return (
        FORMAT,
        sys.version_info[:2],
        str(folder.resolve()),
        tuple(_entries(folder)),
        tuple(code),
    )


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """Rebuilds a read-only mapping (pickle cannot store `mappingproxy` itself)."""
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = {MappingProxyType: lambda proxy: (_proxy, (dict(proxy),))}


def _trusted(st: os.stat_result) -> bool:
    """A regular file of ours that no one else can write."""
    getuid = getattr(os, "getuid", None)
    ours = getuid is None or st.st_uid == getuid()
    return stat.S_ISREG(st.st_mode) and ours and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load_cached(folder: Path, cache_dir: Path) -> Program | None:
    """The cached program of `folder` if it is still current, else None (never raises)."""
    path = cache_dir / CACHE_NAME
    try:
        # O_NONBLOCK: a FIFO planted in its place must not hang the command.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as file:
            if not _trusted(os.fstat(file.fileno())):
                return None
            key, program = pickle.load(file)
        if key != cache_key(folder) or not isinstance(program, Program):
            return None
        return program
    except Exception:  # a missing, stale, truncated or foreign file is just a miss
        return None


def save_cached(folder: Path, cache_dir: Path, program: Program) -> bool:
    """Keep `program` for the next run; False (and nothing left behind) when it cannot."""
    if not cache_dir.is_dir():
        return False
    temporary = cache_dir / f".{CACHE_NAME}.{os.getpid()}.tmp"
    try:
        key = cache_key(folder)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            _Pickler(file).dump((key, program))
        os.replace(temporary, cache_dir / CACHE_NAME)
        return True
    except Exception:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
