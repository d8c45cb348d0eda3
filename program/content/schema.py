"""What each table of the program format may hold: the single source for checks and docs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

KeyType = Literal["text", "id", "int", "bool", "texts", "ints", "ids", "flags", "tables"]

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")

TYPE_WORDS: dict[KeyType, str] = {
    "text": "a string",
    "id": 'an id (lower case letters, digits and dashes, like "sitting-together")',
    "int": "an integer",
    "bool": "true or false",
    "texts": "an array of strings",
    "ints": "an array of integers",
    "ids": "an array of ids",
    "flags": 'a table of flag = ["option", ...]',
    "tables": "an array of tables",
}


@dataclass(frozen=True, slots=True)
class Key:
    """One key a table may hold."""

    name: str
    type: KeyType
    required: bool = False
    low: int | None = None
    high: int | None = None


def _keys(*keys: Key) -> dict[str, Key]:
    return {key.name: key for key in keys}


GATE = (Key("requires", "ids"), Key("excludes", "ids"))

PROGRAM = _keys(
    Key("id", "id", required=True),
    Key("title", "text", required=True),
    Key("summary", "text"),
    Key("days", "int", required=True, low=1, high=7305),
    Key("max_minutes_per_day", "int", low=1, high=1440),
    Key("support", "text"),
    Key("closings", "texts"),
    Key("notice", "tables"),
)

NOTICE = _keys(Key("text", "text", required=True), *GATE)

MODULE = _keys(
    Key("id", "id", required=True),
    Key("title", "text", required=True),
    Key("summary", "text", required=True),
    Key("weeks", "ints", low=1),
    Key("exercise", "tables", required=True),
)

EXERCISE = _keys(
    Key("id", "id", required=True),
    Key("title", "text", required=True),
    Key("summary", "text"),
    Key("minutes", "int", required=True, low=1, high=240),
    Key("day", "int"),
    Key("days", "ints"),
    Key("daily", "bool"),
    Key("optional", "bool"),
    Key("catch_up", "bool"),
    Key("closing", "text"),
    *GATE,
    Key("step", "tables", required=True),
)

STEP_COMMON = _keys(Key("kind", "text", required=True), Key("id", "id"), *GATE)

STEP_KINDS: dict[str, dict[str, Key]] = {
    "read": _keys(Key("text", "text", required=True), Key("title", "text")),
    "reflect": _keys(Key("prompt", "text", required=True), Key("placeholder", "text")),
    "scale": _keys(
        Key("prompt", "text", required=True),
        Key("min", "int", low=-1000, high=1000),
        Key("max", "int", low=-1000, high=1000),
        Key("min_label", "text"),
        Key("max_label", "text"),
    ),
    "checklist": _keys(
        Key("prompt", "text", required=True),
        Key("items", "texts", required=True),
        Key("flags", "flags"),
    ),
    "choice": _keys(
        Key("prompt", "text", required=True),
        Key("options", "texts", required=True),
        Key("multiple", "bool"),
        Key("flags", "flags"),
    ),
    "timer": _keys(
        Key("seconds", "int", required=True, low=1, high=7200),
        Key("label", "text", required=True),
        Key("text", "text"),
    ),
    "plan": _keys(
        Key("prompt", "text", required=True),
        Key("placeholder", "text"),
        Key("remind", "bool"),
    ),
}

ANSWER_KINDS = frozenset({"reflect", "scale", "checklist", "choice", "plan"})
