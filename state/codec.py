"""Python values to and from the text stored in SQLite, with the checks that keep it clean."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

from .records import JSONValue

MAX_INT = 2**63 - 1
"""The largest integer an SQLite INTEGER column holds."""


def dt_text(value: datetime, name: str) -> str:
    """ISO 8601 with the caller's offset; naive datetimes are refused because they are ambiguous."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(
            f"{name} must be timezone-aware, got the naive datetime {value.isoformat()} "
            "(use datetime.now(timezone.utc) or .astimezone())"
        )
    if offset % timedelta(minutes=1):
        # SQLite's date functions (used for ordering) only read whole-minute offsets.
        value = value.astimezone(UTC)
    return value.isoformat()


def date_text(value: date, name: str) -> str:
    """YYYY-MM-DD; a datetime is refused so a time of day is never silently dropped."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")
    return value.isoformat()


def parse_dt(text: str) -> datetime:
    """Inverse of `dt_text`."""
    return datetime.fromisoformat(text)


def parse_date(text: str) -> date:
    """Inverse of `date_text`."""
    return date.fromisoformat(text)


def int_value(value: int, name: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """An int in range; bool is refused although it is an int subclass."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if value < minimum or value > maximum:
        upper = "" if maximum == MAX_INT else f" and at most {maximum}"
        raise ValueError(f"{name} must be at least {minimum}{upper}, got {value}")
    return value


def text_value(value: str, name: str, *, allow_empty: bool = False) -> str:
    """A str, non-empty unless allowed, so ids never collapse to ''."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    return value


def json_problem(value: object, where: str) -> tuple[str, str] | None:
    """The first place where `value` is not plain JSON, as (path, what was expected), else None."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, "expected a finite number")
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = json_problem(item, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (where, "expected only string keys")
            problem = json_problem(item, f"{where}.{key}")
            if problem:
                return problem
        return None
    kind = type(value).__name__
    return (where, f"expected null, a boolean, number, string, list or object, not {kind}")


def json_text(value: JSONValue, name: str) -> str:
    """Compact JSON text; refuses anything that would not read back as the same value."""
    problem = json_problem(value, name)
    if problem:
        raise ValueError(f"{problem[0]}: {problem[1]}")
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def parse_json(text: str) -> JSONValue:
    """Inverse of `json_text`."""
    result: JSONValue = json.loads(text)
    return result


def search_text(value: JSONValue) -> str | None:
    """What `search_answers` matches: the case-folded text of string answers, None otherwise."""
    return value.casefold() if isinstance(value, str) else None
