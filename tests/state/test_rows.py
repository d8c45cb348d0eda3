"""The doctor's row rules: one per column, and nothing the store writes ever fails them."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

from state import EnteredAnswer, Store
from state.rows import NOT_READ, RULES, row_problems
from state.schema import LATEST_VERSION, expected_schema


def test_every_column_has_a_rule_or_is_never_read() -> None:
    """A migration that adds a column must say how doctor reads it."""
    conn = sqlite3.connect(":memory:")
    for _, name, _, sql in expected_schema(LATEST_VERSION):
        if sql and name in RULES:
            conn.execute(sql)
    tables = {name for kind, name, _, _ in expected_schema(LATEST_VERSION) if kind == "table"}
    assert tables == set(RULES)
    for table in tables:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        ruled = {column for column, _, _ in RULES[table]}
        assert columns == ruled | set(NOT_READ.get(table, ())), table
        assert not ruled & set(NOT_READ.get(table, ()))


def test_everything_the_store_writes_reads_back(store: Store, now: datetime) -> None:
    odd_zone = timezone(timedelta(hours=5, minutes=45, seconds=30))  # stored as UTC
    store.enrol("program", date(2026, 11, 1), 4, now)
    store.pause(date(2026, 11, 3))
    store.resume(date(2026, 11, 5))
    store.pause(date(2026, 11, 9))
    store.save_answer("ex", 1, "s", {"what": ["a", {"b": None}], "n": 1.5, "ok": True}, now)
    store.save_answer("ex", 2, "s", "", now.astimezone(odd_zone))
    store.save_answer("ex", 3, "s", 2**62, now)
    store.complete("ex", 1, now)
    store.skip("ex", 2, "", now)
    store.set_position("ex", 3, 2, now)
    store.set_settings({"reminders": {"times": ["08:00"]}, "partner": None})
    store.claim_delivery("daily:1", now, "")
    store.add_one_off(now + timedelta(days=1), "", now)
    store.choose_share("ex/2026-11-01/s", {"what": "shown"}, now)
    store.choose_share("ex/2026-11-02/s", None, now)
    store.enter_answers([EnteredAnswer("ex", 1, "s", ["a", 2], "", now.astimezone(odd_zone))])
    assert row_problems(store._live()) == ([], 0)
