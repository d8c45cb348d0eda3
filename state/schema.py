"""Migrations keyed by `PRAGMA user_version`, so any copy of Replenish can upgrade a file safely."""

from __future__ import annotations

import sqlite3
from functools import lru_cache
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
    # 2: what the everyday paths read stays as cheap with twenty years of answers as with
    # one week. Indexes by day, so a screen reads only the days it shows, and of the
    # one-off reminders still to send; and the running tally of days done. `day_tally`
    # holds the plan's verdict on each day with an outcome ("done, as a day behind you"),
    # NULL until judged; the triggers mark a day unjudged in the same transaction as any
    # write to its outcomes, whoever writes (an import, a merge, an older file's
    # migration), and keep `tally.done` equal to the verdicts that say done (no OR IGNORE
    # in them: an outer statement's conflict rule overrides it). The verdicts depend on
    # the program and the flags, named by `tally.basis`: a new basis judges every day
    # again (see `Store.days_done`).
    """
    CREATE INDEX answer_by_day ON answer (day);
    CREATE INDEX outcome_by_day ON outcome (day);
    CREATE INDEX one_off_pending ON one_off (id) WHERE delivered = 0;

    CREATE TABLE tally (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        basis TEXT    NOT NULL,
        done  INTEGER NOT NULL CHECK (done >= 0)
    ) STRICT;
    INSERT INTO tally (id, basis, done) VALUES (1, '', 0);

    CREATE TABLE day_tally (
        day  INTEGER PRIMARY KEY CHECK (day >= 0),
        done INTEGER CHECK (done IN (0, 1))
    ) STRICT;
    CREATE INDEX day_tally_unjudged ON day_tally (day) WHERE done IS NULL;
    INSERT INTO day_tally (day) SELECT DISTINCT day FROM outcome;

    CREATE TRIGGER outcome_added AFTER INSERT ON outcome BEGIN
        INSERT INTO day_tally (day) SELECT NEW.day
            WHERE NOT EXISTS (SELECT 1 FROM day_tally WHERE day = NEW.day);
        UPDATE day_tally SET done = NULL WHERE day = NEW.day;
    END;
    CREATE TRIGGER outcome_changed AFTER UPDATE ON outcome BEGIN
        INSERT INTO day_tally (day) SELECT NEW.day
            WHERE NOT EXISTS (SELECT 1 FROM day_tally WHERE day = NEW.day);
        UPDATE day_tally SET done = NULL WHERE day IN (OLD.day, NEW.day);
    END;
    CREATE TRIGGER outcome_removed AFTER DELETE ON outcome BEGIN
        UPDATE day_tally SET done = NULL WHERE day = OLD.day;
    END;

    CREATE TRIGGER day_tally_added AFTER INSERT ON day_tally BEGIN
        UPDATE tally SET done = done + coalesce(NEW.done, 0);
    END;
    CREATE TRIGGER day_tally_changed AFTER UPDATE OF done ON day_tally BEGIN
        UPDATE tally SET done = done + coalesce(NEW.done, 0) - coalesce(OLD.done, 0);
    END;
    CREATE TRIGGER day_tally_removed AFTER DELETE ON day_tally BEGIN
        UPDATE tally SET done = done - coalesce(OLD.done, 0);
    END;
    """,
    # 3: both partners. The paired partner (one at most), every envelope this device sent
    # or received (the sealed bytes as they travelled, by sender device and seq: the
    # store keeps them and knows nothing of what is inside), and the fresh keys of
    # answers this device committed to and has not revealed yet.
    """
    CREATE TABLE partner (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        device     TEXT    NOT NULL CHECK (device <> ''),
        name       TEXT    NOT NULL,
        public_key BLOB    NOT NULL CHECK (length(public_key) = 32),
        folder     TEXT,
        paired_at  TEXT    NOT NULL
    ) STRICT;

    CREATE TABLE envelope (
        device TEXT    NOT NULL CHECK (device <> ''),
        seq    INTEGER NOT NULL CHECK (seq >= 1),
        body   BLOB    NOT NULL,
        at     TEXT    NOT NULL,
        PRIMARY KEY (device, seq)
    ) STRICT;

    CREATE TABLE held_key (
        topic TEXT PRIMARY KEY CHECK (topic <> ''),
        key   BLOB NOT NULL CHECK (length(key) = 32),
        at    TEXT NOT NULL
    ) STRICT;
    """,
    # 4: both partners, the edges. What the user chose for each answer to a `share = "ask"`
    # step (shared, with the answer exactly as they saw it leave; or kept private, and
    # then no copy), and answers entered for the partner from a filled-in worksheet.
    """
    CREATE TABLE share_choice (
        topic  TEXT PRIMARY KEY CHECK (topic <> ''),
        choice TEXT NOT NULL CHECK (choice IN ('share', 'keep')),
        value  TEXT CHECK ((choice = 'share') = (value IS NOT NULL)),
        at     TEXT NOT NULL
    ) STRICT;

    CREATE TABLE entered_answer (
        exercise_id TEXT    NOT NULL CHECK (exercise_id <> ''),
        day         INTEGER NOT NULL CHECK (day >= 1),
        step_id     TEXT    NOT NULL CHECK (step_id <> ''),
        value       TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        at          TEXT    NOT NULL,
        PRIMARY KEY (exercise_id, day, step_id)
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


SchemaObject = tuple[str, str, str, str]
"""(type, name, table, SQL): one row of `sqlite_schema`."""

_SCHEMA_ROWS = (
    "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema"
    " WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'"
)
"""Every table, index, view and trigger; SQLite's own statistics tables come and go (ANALYZE)."""
_MAX_NAMED = 5


def schema_of(conn: sqlite3.Connection) -> frozenset[SchemaObject]:
    """The objects in a file, SQL included: it carries the columns and CHECK rules pragmas hide."""
    return frozenset(conn.execute(_SCHEMA_ROWS).fetchall())


def expected_schema(version: int) -> frozenset[SchemaObject]:
    """What the migrations build up to `version`: the one definition of a sound file."""
    return _built_by(MIGRATIONS[:version])


@lru_cache(maxsize=8)
def _built_by(scripts: tuple[str, ...]) -> frozenset[SchemaObject]:
    """Run the migrations on an empty in-memory database (under a millisecond, once a process)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for script in scripts:
            for statement in statements(script):
                conn.execute(statement)
        return schema_of(conn)
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """How the file's tables, indexes, views and triggers differ from what `version` has.

    Equal sets are the answer on every sound open (tens of microseconds); only a
    difference is looked at closely, and whitespace alone is not a difference.
    """
    found_rows, wanted_rows = schema_of(conn), expected_schema(version)
    if found_rows == wanted_rows:
        return []
    found, wanted = _by_name(found_rows), _by_name(wanted_rows)
    missing_tables = {name for kind, name in wanted.keys() - found.keys() if kind == "table"}
    problems: list[str] = []
    for kind, name in sorted(wanted.keys() - found.keys(), key=_tables_first):
        if kind == "table" or wanted[kind, name][0] not in missing_tables:  # else it follows
            problems.append(f"the {kind} {name!r} is missing")
    for kind, name in sorted(found.keys() - wanted.keys(), key=_tables_first):
        article = "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"
        problems.append(f"it has {article} {kind} {name!r} that Replenish never makes")
    for kind, name in sorted(found.keys() & wanted.keys(), key=_tables_first):
        if found[kind, name] != wanted[kind, name]:
            problems.append(f"the {kind} {name!r} is not defined as Replenish defines it")
    if len(problems) > _MAX_NAMED:
        problems[_MAX_NAMED:] = [f"{len(problems) - _MAX_NAMED} more differences"]
    return problems


def _by_name(rows: frozenset[SchemaObject]) -> dict[tuple[str, str], tuple[str, str]]:
    """(type, name) -> (table, SQL with its whitespace collapsed)."""
    return {(kind, name): (table, " ".join(sql.split())) for kind, name, table, sql in rows}


_KIND_ORDER = {"table": 0, "view": 1, "index": 2, "trigger": 3}


def _tables_first(key: tuple[str, str]) -> tuple[int, str]:
    return (_KIND_ORDER.get(key[0], len(_KIND_ORDER)), key[1])


def has_objects(conn: sqlite3.Connection) -> bool:
    """True when the file already holds tables, indexes, views or triggers."""
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse files that are too new, not ours, or not shaped as the migrations shape them.

    Run before anything is written, and inside one read transaction so the version
    and the schema are read from the same state of the file.
    """
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id not in (0, APPLICATION_ID):
        raise StoreDamaged(path, "it is a SQLite database made by another program, not Replenish")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > LATEST_VERSION:
        raise StoreTooNew(path, version, LATEST_VERSION)
    if version == 0 and has_objects(conn):
        raise StoreDamaged(path, "it is a SQLite database made by another program, not Replenish")
    if version:
        problems = schema_problems(conn, version)
        if problems:
            raise StoreDamaged(
                path,
                f"its tables are not the ones Replenish makes (data format {version}: "
                + "; ".join(problems)
                + ")",
            )
    return version


def migrate(conn: sqlite3.Connection, path: Path, found: int | None = None) -> int:
    """Bring the file up to LATEST_VERSION; returns the version found inside the lock.

    The version is read again under BEGIN IMMEDIATE because another process may
    have migrated between our first look and taking the write lock. A file `found`
    at the latest version already needs no lock at all (versions only go up): the
    empty write transaction cost every open about 10 ms.
    """
    if found == LATEST_VERSION:
        return found
    with transaction(conn, write=True):
        version = check_version(conn, path)
        for number in range(version + 1, LATEST_VERSION + 1):
            for statement in statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    return version
