"""Rows the code cannot read: every column checked with the codec's own rules, for `doctor`.

A value passes when it reads back the way the store reads it (`parse_json`,
`parse_dt`, `parse_date`) and the result is one the store itself would write
(`json_text`, `dt_text`, `date_text`, `int_value`, `text_value`): the rules
live in `state.codec`, and this table only says which rule each column follows.
SQLite's CHECK constraints keep most of this out, but not a file edited with
them turned off, nor text that merely looks like JSON or a date.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from msgspec import Struct

from .codec import (
    date_text,
    dt_text,
    int_value,
    json_text,
    parse_date,
    parse_dt,
    parse_json,
    text_value,
)

MAX_REPORTED = 20
"""Rows named at most; past this the count says how many more there are."""


class RowProblem(Struct, frozen=True):
    """One value the code cannot read: where it is, and what it should have been."""

    table: str
    rowid: int
    column: str
    expected: str

    def __str__(self) -> str:
        return f"{self.table} row {self.rowid}: {self.column} is not {self.expected}"


# Each check raises ValueError or TypeError (as the codec does) on a value it refuses.


def _id(value: Any) -> None:
    text_value(value, "id")


def _text(value: Any) -> None:
    text_value(value, "text", allow_empty=True)


def _count(value: Any) -> None:
    int_value(value, "number")


def _hour(value: Any) -> None:
    int_value(value, "hour", 0, 23)


def _json(value: Any) -> None:
    json_text(parse_json(value), "value")


def _date(value: Any) -> None:
    date_text(parse_date(value), "date")


def _maybe_date(value: Any) -> None:
    if value is not None:
        _date(value)


def _moment(value: Any) -> None:
    dt_text(parse_dt(value), "moment")


def _maybe_text(value: Any) -> None:
    if value is not None:
        _text(value)


def _maybe_json(value: Any) -> None:
    if value is not None:
        _json(value)


def _seq(value: Any) -> None:
    int_value(value, "seq", 1)


def _bytes(value: Any) -> None:
    if not isinstance(value, bytes):
        raise TypeError(value)


def _key(value: Any) -> None:
    if not isinstance(value, bytes) or len(value) != 32:
        raise ValueError(value)


def _one_of(*allowed: object) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in allowed:
            raise ValueError(value)

    return check


Rule = tuple[str, Callable[[Any], None], str]
"""(column, the check that raises on a value the code cannot read, what was expected)."""

_ID = "a non-empty text"
_COUNT = "a whole number from 0"
_MOMENT = "a date and time with its UTC offset"
_DATE = "a date (YYYY-MM-DD)"
_JSON = "JSON as Replenish writes it"
_KEY = "a key of 32 bytes"

NOT_READ: dict[str, tuple[str, ...]] = {
    "enrolment": ("id",),
    "pause": ("seq", "enrolment_id"),
    "answer": ("search_text",),
    "position": ("id",),
    "one_off": ("id",),
    "tally": ("id",),
    "partner": ("id",),
}
"""Columns the code never reads a value from (keys, and the search copy of an answer)."""

RULES: dict[str, tuple[Rule, ...]] = {
    "enrolment": (
        ("program_id", _id, _ID),
        ("start_date", _date, _DATE),
        ("day_start_hour", _hour, "an hour from 0 to 23"),
        ("enrolled_at", _moment, _MOMENT),
    ),
    "pause": (
        ("started_on", _date, _DATE),
        ("resumed_on", _maybe_date, "empty or " + _DATE),
    ),
    "answer": (
        ("exercise_id", _id, _ID),
        ("day", _count, _COUNT),
        ("step_id", _id, _ID),
        ("value", _json, _JSON),
        ("saved_at", _moment, _MOMENT),
    ),
    "outcome": (
        ("exercise_id", _id, _ID),
        ("day", _count, _COUNT),
        ("kind", _one_of("done", "skipped"), "'done' or 'skipped'"),
        ("reason", _text, "a text"),
        ("at", _moment, _MOMENT),
    ),
    "position": (
        ("exercise_id", _id, _ID),
        ("day", _count, _COUNT),
        ("step_index", _count, _COUNT),
        ("at", _moment, _MOMENT),
    ),
    "setting": (("key", _id, _ID), ("value", _json, _JSON)),
    "delivery": (
        ("key", _id, _ID),
        ("delivered_at", _moment, _MOMENT),
        ("channel", _text, "a text"),
    ),
    "one_off": (
        ("fire_at", _moment, _MOMENT),
        ("text", _text, "a text"),
        ("created_at", _moment, _MOMENT),
        ("delivered", _one_of(0, 1), "0 or 1"),
    ),
    "tally": (("basis", _text, "a text"), ("done", _count, _COUNT)),
    "day_tally": (("day", _count, _COUNT), ("done", _one_of(None, 0, 1), "empty, 0 or 1")),
    "partner": (
        ("device", _id, _ID),
        ("name", _text, "a text"),
        ("public_key", _key, _KEY),
        ("folder", _maybe_text, "empty or a text"),
        ("paired_at", _moment, _MOMENT),
    ),
    "envelope": (
        ("device", _id, _ID),
        ("seq", _seq, "a whole number from 1"),
        ("body", _bytes, "bytes"),
        ("at", _moment, _MOMENT),
    ),
    "held_key": (("topic", _id, _ID), ("key", _key, _KEY), ("at", _moment, _MOMENT)),
    "share_choice": (
        ("topic", _id, _ID),
        ("choice", _one_of("share", "keep"), "'share' or 'keep'"),
        ("value", _maybe_json, "empty or JSON"),
        ("at", _moment, _MOMENT),
    ),
    "entered_answer": (
        ("exercise_id", _id, _ID),
        ("day", _count, _COUNT),
        ("step_id", _id, _ID),
        ("value", _json, _JSON),
        ("name", _text, "a text"),
        ("at", _moment, _MOMENT),
    ),
}


def row_problems(conn: sqlite3.Connection) -> tuple[list[RowProblem], int]:
    """The first `MAX_REPORTED` unreadable values, and how many there are in all.

    One pass over every row, read in one transaction; a row is named once, by
    its first bad column.
    """
    found: list[RowProblem] = []
    total = 0
    conn.execute("BEGIN")
    try:
        for table, rules in RULES.items():
            columns = ", ".join(column for column, _, _ in rules)
            for rowid, *values in conn.execute(f"SELECT rowid, {columns} FROM {table}"):
                for (column, check, expected), value in zip(rules, values, strict=True):
                    try:
                        check(value)
                    except (ValueError, TypeError, OverflowError, RecursionError):
                        total += 1
                        if len(found) < MAX_REPORTED:
                            found.append(RowProblem(table, int(rowid), column, expected))
                        break
    finally:
        conn.execute("COMMIT")
    return found, total
