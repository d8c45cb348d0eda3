"""Python values to and from the text stored in SQLite, with the checks that keep it clean.

These checks are the one set of rules for what the store keeps: every write
of the app passes them, and so does every value of an import (`state.transfer`
calls the same functions), so an imported value can never be one the code
cannot read back: a date so late that adding a day overflows, an answer nested
so deep that reading it takes minutes, a number longer than SQLite holds.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

from .errors import StoreRowUnreadable
from .records import JSONValue

MAX_INT = 2**63 - 1
"""The largest integer an SQLite INTEGER column holds."""
MIN_INT = -(2**63)
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""Dates and times outside these are refused: far enough for any clock, yet any day's
arithmetic (a plan of weeks, its pauses, a time zone) stays far inside what Python holds."""
MAX_DEPTH = 16
"""Lists and objects inside one answer or setting; the app's deepest answer has two levels."""


class BadValue(ValueError):
    """A value the store does not keep: `where` names it, `expected` says what would do."""

    def __init__(self, where: str, expected: str) -> None:
        self.where = where
        self.expected = expected
        super().__init__(f"{where}: {expected}")


class BadType(BadValue, TypeError):
    """A value of the wrong type (still a TypeError, as the caller's mistake usually is)."""


def _in_range(value: date, name: str) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise BadValue(
            name, f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {value.isoformat()}"
        )


def dt_text(value: object, name: str) -> str:
    """ISO 8601 with the caller's offset; naive datetimes are refused because they are ambiguous."""
    if not isinstance(value, datetime):
        raise BadType(name, f"expected a datetime, not {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        raise BadValue(
            name,
            f"expected a timezone-aware datetime, got the naive {value.isoformat()} "
            "(use datetime.now(timezone.utc) or .astimezone())",
        )
    _in_range(value.date(), name)
    if offset % timedelta(minutes=1):
        # SQLite's date functions (used for ordering) only read whole-minute offsets.
        value = value.astimezone(UTC)
    return value.isoformat()


def date_text(value: object, name: str) -> str:
    """YYYY-MM-DD; a datetime is refused so a time of day is never silently dropped."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise BadType(name, f"expected a date, not {type(value).__name__}")
    _in_range(value, name)
    return value.isoformat()


def parse_dt(text: str) -> datetime:
    """Inverse of `dt_text`; a stored text it never wrote is `StoreRowUnreadable`."""
    try:
        moment = datetime.fromisoformat(text)
    except (ValueError, TypeError):
        moment = None
    if moment is None or moment.utcoffset() is None:  # `dt_text` always writes an offset
        raise StoreRowUnreadable("a date and time")
    return moment


def parse_date(text: str) -> date:
    """Inverse of `date_text`; a stored text it never wrote is `StoreRowUnreadable`."""
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise StoreRowUnreadable("a date") from None


def read_date(text: object, name: str) -> date:
    """A date written as `date_text` writes it (YYYY-MM-DD, in range), from outside the store."""
    given = text_value(text, name)
    try:
        parsed: date | None = date.fromisoformat(given)
    except ValueError:
        parsed = None
    if parsed is None or parsed.isoformat() != given:
        raise BadValue(name, f"expected a date as YYYY-MM-DD, got {json.dumps(given)}")
    date_text(parsed, name)
    return parsed


def read_dt(text: object, name: str) -> datetime:
    """A date and time as `dt_text` would accept it (ISO 8601 with an offset), from outside."""
    given = text_value(text, name)
    try:
        parsed = datetime.fromisoformat(given)
    except ValueError:
        raise BadValue(
            name, f"expected an ISO 8601 date and time, got {json.dumps(given)}"
        ) from None
    if parsed.utcoffset() is None:
        raise BadValue(name, f"expected a date and time with a UTC offset, got {json.dumps(given)}")
    dt_text(parsed, name)
    return parsed


def int_value(value: object, name: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """An int in range; bool is refused although it is an int subclass."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadType(name, f"expected an integer, not {type(value).__name__}")
    if value < minimum or value > maximum:
        upper = "" if maximum == MAX_INT else f" and at most {maximum}"
        shown = value if abs(value) < 10**30 else f"a number of {len(str(abs(value)))} digits"
        raise BadValue(name, f"expected an integer at least {minimum}{upper}, got {shown}")
    return value


def text_value(value: object, name: str, *, allow_empty: bool = False) -> str:
    """A str, non-empty unless allowed, so ids never collapse to ''."""
    if not isinstance(value, str):
        raise BadType(name, f"expected a string, not {type(value).__name__}")
    if not value and not allow_empty:
        raise BadValue(name, "expected a non-empty string")
    return value


def json_problem(value: object, where: str, depth: int = 0) -> tuple[str, str] | None:
    """The first place where `value` is not plain JSON the store keeps, as (path, what was
    expected), else None. Walks no deeper than `MAX_DEPTH`, so it cannot itself recurse away."""
    if value is None or isinstance(value, (bool, str)):
        return None
    if isinstance(value, int):
        if MIN_INT <= value <= MAX_INT:
            return None
        return (where, "expected a number that fits in 64 bits (at most 19 digits)")
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, "expected a finite number")
    if isinstance(value, (list, dict)) and depth >= MAX_DEPTH:
        return (where, f"expected lists and objects nested at most {MAX_DEPTH} deep")
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = json_problem(item, f"{where}[{index}]", depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (where, "expected only string keys")
            problem = json_problem(item, f"{where}.{key}", depth + 1)
            if problem:
                return problem
        return None
    kind = type(value).__name__
    return (where, f"expected null, a boolean, number, string, list or object, not {kind}")


def json_text(value: JSONValue, name: str) -> str:
    """Compact JSON text; refuses anything that would not read back as the same value."""
    problem = json_problem(value, name)
    if problem:
        raise BadValue(*problem)
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def parse_json(text: str) -> JSONValue:
    """Inverse of `json_text`; a stored text it never wrote is `StoreRowUnreadable`."""
    try:
        result: JSONValue = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        raise StoreRowUnreadable("a value") from None
    return result


def search_text(value: JSONValue) -> str | None:
    """What `search_answers` matches: the case-folded text of string answers, None otherwise."""
    return value.casefold() if isinstance(value, str) else None
