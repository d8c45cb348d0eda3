"""Migrations keyed by `PRAGMA user_version`, so any copy of Replenish can upgrade a file safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .db import transaction
from .errors import StoreDamaged, StoreTooNew

APPLICATION_ID = 0x52504C4E
"""'RPLN' in the SQLite header: tells our file apart from any other SQLite database."""

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    f"""
    PRAGMA application_id = {APPLICATION_ID};

    CREATE TABLE enrolment (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        program_id     TEXT    NOT NULL CHECK (program_id <> ''),
        start_date     TEXT    NOT NULL CHECK (length(start_date) = 10),
        day_start_hour INTEGER NOT NULL CHECK (day_start_hour BETWEEN 0 AND 23),
        enrolled_at    TEXT    NOT NULL
    ) STRICT;

    CREATE TABLE pause (
        seq          INTEGER PRIMARY KEY,
        enrolment_id INTEGER NOT NULL DEFAULT 1
                     REFERENCES enrolment (id) ON DELETE CASCADE,
        started_on   TEXT    NOT NULL CHECK (length(started_on) = 10),
        resumed_on   TEXT    CHECK (resumed_on IS NULL OR resumed_on >= started_on)
    ) STRICT;

    CREATE TABLE answer (
        exercise_id TEXT    NOT NULL CHECK (exercise_id <> ''),
        day         INTEGER NOT NULL CHECK (day >= 0),
        step_id     TEXT    NOT NULL CHECK (step_id <> ''),
        value       TEXT    NOT NULL,
        search_text TEXT,
        saved_at    TEXT    NOT NULL,
        PRIMARY KEY (exercise_id, day, step_id)
    ) STRICT;
    CREATE INDEX answer_by_step ON answer (exercise_id, step_id, day);

    CREATE TABLE outcome (
        exercise_id TEXT    NOT NULL CHECK (exercise_id <> ''),
        day         INTEGER NOT NULL CHECK (day >= 0),
        kind        TEXT    NOT NULL CHECK (kind IN ('done', 'skipped')),
        reason      TEXT    NOT NULL DEFAULT '',
        at          TEXT    NOT NULL,
        PRIMARY KEY (exercise_id, day)
    ) STRICT;

    CREATE TABLE position (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        exercise_id TEXT    NOT NULL CHECK (exercise_id <> ''),
        day         INTEGER NOT NULL CHECK (day >= 0),
        step_index  INTEGER NOT NULL CHECK (step_index >= 0),
        at          TEXT    NOT NULL
    ) STRICT;

    CREATE TABLE setting (
        key   TEXT PRIMARY KEY CHECK (key <> ''),
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE delivery (
        key          TEXT PRIMARY KEY CHECK (key <> ''),
        delivered_at TEXT NOT NULL,
        channel      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE one_off (
        id         INTEGER PRIMARY KEY,
        fire_at    TEXT    NOT NULL,
        text       TEXT    NOT NULL,
        created_at TEXT    NOT NULL,
        delivered  INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
    ) STRICT;
    """,
)

LATEST_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """Split a script into statements; `executescript` would COMMIT our open transaction."""
    found: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                found.append(buffer.strip())
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        found.append(buffer.strip())
    return found


def has_objects(conn: sqlite3.Connection) -> bool:
    """True when the file already holds tables, indexes, views or triggers."""
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse files that are too new or not ours, before anything is written to them."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id not in (0, APPLICATION_ID):
        raise StoreDamaged(path, "it is a SQLite database made by another program, not Replenish")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > LATEST_VERSION:
        raise StoreTooNew(path, version, LATEST_VERSION)
    if version == 0 and has_objects(conn):
        raise StoreDamaged(path, "it is a SQLite database made by another program, not Replenish")
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the file up to LATEST_VERSION; returns the version found inside the lock.

    The version is read again under BEGIN IMMEDIATE because another process may
    have migrated between our first look and taking the write lock.
    """
    with transaction(conn, write=True):
        version = check_version(conn, path)
        for number in range(version + 1, LATEST_VERSION + 1):
            for statement in statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    return version
