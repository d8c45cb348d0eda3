"""Connection setup, transactions and the mapping of SQLite failures to user-facing errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreBusy, StoreDamaged, StoreUnreadable, StoreWriteFailed

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 256
"""SQLite's page cache per connection. Its default (2,000 KiB) fills as far as a run reads:
one `quick_check` or export of a 20-year store left 1.7-2 MiB more resident for the life
of the app. Everyday reads touch a few index pages, and a page that misses comes from
the system's file cache: an export of 20 years took the same 0.25 s with this cap."""
MIN_SQLITE = (3, 37, 0)
"""STRICT tables arrived in SQLite 3.37."""

_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_DENIED = {
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_AUTH,
}
_WRITE = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL}


def connect(path: Path) -> sqlite3.Connection:
    """Open one connection in autocommit mode; transactions are explicit and short.

    Only `prepare` runs here: the other pragmas may write to the file, so
    `configure` runs them once the file is known to be ours and not too new.
    """
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        prepare(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def prepare(conn: sqlite3.Connection) -> None:
    """What every connection Replenish opens needs, none of which writes to the file.

    `secure_delete` overwrites deleted and replaced text with zeros, so words
    a user changed are gone from the file; many SQLite builds default it off. The
    cache is held to `CACHE_KIB`, so memory does not grow with the history read.
    """
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # negative: KiB, not pages


def configure(conn: sqlite3.Connection) -> None:
    """WAL for concurrent readers, FULL sync so a returned save survives power loss."""
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


@contextmanager
def transaction(conn: sqlite3.Connection, *, write: bool) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE for writes (lock taken up front: no upgrade deadlock), BEGIN for reads."""
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Turn SQLite's environmental failures into StoreErrors; programming errors pass through."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in _BUSY:
            raise StoreBusy(path) from exc
        if primary in _DAMAGED:
            raise StoreDamaged(path, f"SQLite reports '{exc}'") from exc
        if primary in _DENIED:
            raise StoreUnreadable(path, f"SQLite reports '{exc}'") from exc
        if primary in _WRITE:
            raise StoreWriteFailed(path, f"SQLite reports '{exc}'") from exc
        raise
