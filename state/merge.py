"""An import without `--replace`: add what the store lacks, change nothing it already holds.

Each record has a key (the plan, an answer's exercise, day and step, a setting's
name...). A record whose key is not in the store is added; one whose key is
there is left exactly as it is, and counted as kept when the export's version
differs, so the user hears what was not brought in. One-off reminders have no
key but themselves: one already here (same moment, words and creation time) is
not added twice; any other is added under a new id.
"""

from __future__ import annotations

import sqlite3

from .codec import date_text, dt_text, json_text, search_text
from .transfer import Counts, Merged, Snapshot


def merge_snapshot(conn: sqlite3.Connection, snap: Snapshot) -> Merged:
    """Add to the store what `snap` holds and the store lacks, inside the caller's transaction."""
    plan = _plan(conn, snap)
    answers = _answers(conn, snap)
    outcomes = _outcomes(conn, snap)
    position = _position(conn, snap)
    settings = _settings(conn, snap)
    deliveries = _deliveries(conn, snap)
    one_offs = _one_offs(conn, snap)
    entered = _entered(conn, snap)
    return Merged(
        added=Counts(
            plan[0],
            answers[0],
            outcomes[0],
            position[0],
            settings[0],
            deliveries,
            one_offs,
            entered[0],
        ),
        kept=Counts(plan[1], answers[1], outcomes[1], position[1], settings[1], entered=entered[1]),
    )


def _added(cursor: sqlite3.Cursor) -> bool:
    return cursor.rowcount == 1


def _plan(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    e = snap.enrolment
    if e is None:
        return 0, 0
    row = (e.program_id, date_text(e.start_date, "start_date"), e.day_start_hour)
    texts = [
        (date_text(p.started_on, "started_on"), p.resumed_on and date_text(p.resumed_on, "on"))
        for p in e.pauses
    ]
    cursor = conn.execute(
        "INSERT INTO enrolment (id, program_id, start_date, day_start_hour, enrolled_at)"
        " VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (*row, dt_text(e.enrolled_at, "enrolled_at")),
    )
    if _added(cursor):
        conn.executemany(
            "INSERT INTO pause (enrolment_id, started_on, resumed_on) VALUES (1, ?, ?)", texts
        )
        return 1, 0
    here = conn.execute(
        "SELECT program_id, start_date, day_start_hour FROM enrolment WHERE id = 1"
    ).fetchone()
    here_pauses = conn.execute("SELECT started_on, resumed_on FROM pause ORDER BY seq").fetchall()
    return 0, int(tuple(here) != row or [tuple(p) for p in here_pauses] != texts)


def _answers(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    added = kept = 0
    for a in snap.answers:
        value = json_text(a.value, "value")
        key = (a.exercise_id, a.day, a.step_id)
        cursor = conn.execute(
            "INSERT INTO answer (exercise_id, day, step_id, value, search_text, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (exercise_id, day, step_id) DO NOTHING",
            (*key, value, search_text(a.value), dt_text(a.saved_at, "saved_at")),
        )
        if _added(cursor):
            added += 1
            continue
        here = conn.execute(
            "SELECT value FROM answer WHERE exercise_id = ? AND day = ? AND step_id = ?", key
        ).fetchone()
        kept += here[0] != value
    return added, kept


def _outcomes(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    added = kept = 0
    for o in snap.outcomes:
        cursor = conn.execute(
            "INSERT INTO outcome (exercise_id, day, kind, reason, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (exercise_id, day) DO NOTHING",
            (o.exercise_id, o.day, o.kind, o.reason, dt_text(o.at, "at")),
        )
        if _added(cursor):
            added += 1
            continue
        here = conn.execute(
            "SELECT kind, reason FROM outcome WHERE exercise_id = ? AND day = ?",
            (o.exercise_id, o.day),
        ).fetchone()
        kept += tuple(here) != (o.kind, o.reason)
    return added, kept


def _position(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    p = snap.position
    if p is None:
        return 0, 0
    row = (p.exercise_id, p.day, p.step_index)
    cursor = conn.execute(
        "INSERT INTO position (id, exercise_id, day, step_index, at) VALUES (1, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        (*row, dt_text(p.at, "at")),
    )
    if _added(cursor):
        return 1, 0
    here = conn.execute("SELECT exercise_id, day, step_index FROM position WHERE id = 1")
    return 0, int(tuple(here.fetchone()) != row)


def _settings(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    added = kept = 0
    for key, item in snap.settings.items():
        value = json_text(item, "value")
        cursor = conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, value),
        )
        if _added(cursor):
            added += 1
            continue
        here = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        kept += here[0] != value
    return added, kept


def _deliveries(conn: sqlite3.Connection, snap: Snapshot) -> int:
    """A reminder already sent stays sent: added so it is not sent again, never 'kept'."""
    added = 0
    for d in snap.deliveries:
        cursor = conn.execute(
            "INSERT INTO delivery (key, delivered_at, channel) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (d.key, dt_text(d.delivered_at, "delivered_at"), d.channel),
        )
        added += _added(cursor)
    return added


def _one_offs(conn: sqlite3.Connection, snap: Snapshot) -> int:
    added = 0
    for r in snap.one_offs:
        row = (dt_text(r.fire_at, "fire_at"), r.text, dt_text(r.created_at, "created_at"))
        same = conn.execute(
            "SELECT 1 FROM one_off WHERE fire_at = ? AND text = ? AND created_at = ?", row
        ).fetchone()
        if same is None:
            conn.execute(
                "INSERT INTO one_off (fire_at, text, created_at, delivered) VALUES (?, ?, ?, ?)",
                (*row, int(r.delivered)),
            )
            added += 1
    return added


def _entered(conn: sqlite3.Connection, snap: Snapshot) -> tuple[int, int]:
    added = kept = 0
    for e in snap.entered:
        key = (e.exercise_id, e.day, e.step_id)
        value = json_text(e.value, "value")
        cursor = conn.execute(
            "INSERT INTO entered_answer (exercise_id, day, step_id, value, name, at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (exercise_id, day, step_id) DO NOTHING",
            (*key, value, e.name, dt_text(e.at, "at")),
        )
        if _added(cursor):
            added += 1
            continue
        here = conn.execute(
            "SELECT value, name FROM entered_answer"
            " WHERE exercise_id = ? AND day = ? AND step_id = ?",
            key,
        ).fetchone()
        kept += tuple(here) != (value, e.name)
    return added, kept
