"""What each table of the program format may hold: the single source for checks and docs."""

from __future__ import annotations

import re

from msgspec import NODEFAULT
from msgspec.structs import fields

from program.content.fields import Field, KeyType
from program.content.steps import KINDS, Step

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
    "ranges": "a table of flag = [low, high]",
    "table": "a table",
    "tables": "an array of tables",
}


class Keys(dict[str, Field]):
    """The keys one table may hold, by name, with the required ones named apart."""

    __slots__ = ("required", "required_names")

    def __init__(self, *keys: Field) -> None:
        super().__init__((key.name, key) for key in keys)
        self.required = tuple(key for key in keys if key.required)
        self.required_names = frozenset(key.name for key in self.required)



GATE = (Field("requires", "ids"), Field("excludes", "ids"))

PROGRAM = Keys(
    Field("id", "id", required=True),
    Field("title", "text", required=True),
    Field("summary", "text"),
    Field("days", "int", required=True, low=1, high=7305),
    Field("max_minutes_per_day", "int", low=1, high=1440),
    Field("support", "text"),
    Field("closings", "texts"),
    Field("welcome", "text"),
    Field("caution_flag", "id"),
    Field("concern_flag", "id"),
    Field("short_flag", "id"),
    Field("hard_day", "id"),
    Field("welcome_back", "id"),
    Field("then_and_now", "table"),
    Field("notice", "tables"),
    Field("variant", "tables"),
    Field("retired", "tables"),
)

THEN_AND_NOW = Keys(
    Field("from_day", "int", required=True, low=1, high=7305),
    Field("exercises", "ids"),
    Field("scales", "texts"),
    Field("text", "text"),
)
"""`[then_and_now]` in program.toml: the start beside the latest, offered from `from_day`."""

NOTICE = Keys(Field("text", "text", required=True), *GATE)

PROGRAM_VARIANT = Keys(
    *GATE,
    Field("summary", "text"),
    Field("support", "text"),
    Field("closings", "texts"),
    Field("welcome", "text"),
)
"""A `[[variant]]` of program.toml: the words it replaces while its gate is open."""

MODULE_VARIANT = Keys(*GATE, Field("title", "text"), Field("summary", "text"))
"""A module's `[[variant]]`: its title (the week's title on Today) and summary, by flags."""

RETIRED = Keys(
    Field("exercise", "id", required=True),
    Field("step", "id", required=True),
    Field("flags", "flags", required=True),
)
"""A `[[retired]]` step: no longer shown, but the answers saved under it still raise flags."""

MODULE = Keys(
    Field("id", "id", required=True),
    Field("title", "text", required=True),
    Field("summary", "text", required=True),
    Field("weeks", "ints", low=1),
    Field("exercise", "tables", required=True),
    Field("variant", "tables"),
)

EXERCISE = Keys(
    Field("id", "id", required=True),
    Field("title", "text", required=True),
    Field("summary", "text"),
    Field("minutes", "int", required=True, low=1, high=240),
    Field("day", "int"),
    Field("days", "ints"),
    Field("daily", "bool"),
    Field("anytime", "bool"),
    Field("after_end", "text"),
    Field("optional", "bool"),
    Field("catch_up", "bool"),
    Field("until_done", "bool"),
    Field("closing", "text"),
    Field("joint", "bool"),
    Field("neutral", "bool"),
    Field("safety", "bool"),
    *GATE,
    Field("short", "table"),
    Field("step", "tables", required=True),
)

SHORT = Keys(
    Field("minutes", "int", required=True, low=1, high=5),
    Field("summary", "text"),
    Field("step", "tables", required=True),
)
"""An exercise's `[exercise.short]`: the about-two-minute form shown on a day the program's
`short_flag` is raised."""

STEP_COMMON = Keys(
    Field("kind", "text", required=True),
    Field("id", "id"),
    *GATE,
    Field("view", "id"),
    Field("joint", "bool"),
    Field("neutral", "bool"),
    Field("recall", "text"),
    Field("recall_label", "text"),
    Field("scope", "text"),
    Field("share", "text"),
    Field("shown", "text"),
)
"""The keys every step may hold; each kind adds its own (`Step.KEYS`)."""

SHARES = {
    "never": "the answer stays on this machine (the default)",
    "together": "sent to the partner, and each sees the other's only once both have answered",
    "ask": "shown exactly as it would leave, and sent only when the user agrees",
}
"""What a step's `share` may say."""

SHOWN = {
    "always": "every time its exercise is shown (the default)",
    "first": "until the exercise is done on an earlier day",
    "again": "once the exercise is done on an earlier day",
}
"""What a step's `shown` may say."""

AFTER_END = {
    "weekly": "due every seventh day after the plan's last day (day 49, 56, ... of 42 days)",
}
"""What an exercise's `after_end` may say: how it repeats once the plan is over."""

FOLLOW_ON_EVERY = 7
"""`after_end = "weekly"`: due this many days apart after the last day (`plan.follow_on_day`)."""

VIEWS = {"workload": "the Journal's Workload tab: who holds what, as answered"}
"""The views a step may feed (`view = "workload"`), beyond the Journal's reflections."""


def step_keys(kind: type[Step]) -> Keys:
    """Every key a step of this kind may hold (made once per kind: it is asked for every step)."""
    found = _STEP_KEYS.get(kind)
    if found is None:
        found = _STEP_KEYS[kind] = Keys(*STEP_COMMON.values(), *kind.KEYS)
    return found


_STEP_KEYS: dict[type[Step], Keys] = {}


def kinds_table() -> list[str]:
    """The table of step kinds in modules/README.md, as its lines: kept to `KINDS` by a test."""
    lines = ["| kind | keys | the answer saved |", "|---|---|---|"]
    for kind, step in KINDS.items():
        defaults = {item.name: item.default for item in fields(step)}
        described = []
        for key in step.KEYS:
            notes = [key.doc] if key.doc else []
            default = defaults.get(key.name, NODEFAULT)
            if key.required:
                notes.append("required")
            elif isinstance(default, bool | int):
                notes.append(str(default).lower())
            described.append(f"`{key.name}`" + (f" ({', '.join(notes)})" if notes else ""))
        lines.append(f"| `{kind}` | {', '.join(described)} | {step.SAVED} |")
    return lines
