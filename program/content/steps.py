"""The step kinds. Each kind is one class, registered once in `KINDS` by `@registered`.

A kind's class carries everything about the kind: the keys a step of it may hold
(`KEYS`, which the loader checks and modules/README.md lists), how it is built
from a checked table and which rules join its keys (`check`), the question it
asks, how a saved answer reads as words (the Journal and the export alike),
whether it takes an answer, and the flags an answer raises. Nothing else in the
program branches on the kind; the TUI and `do` each map a kind's name to a view.

Adding a kind: its class here, its view (a module in program/tui/widgets, named
in `program.tui.widgets.factory.VIEWS`), its plain view for `do` (a class in
program/plain/views.py), and its row in the table of modules/README.md (tests
hold the views and that table to `KINDS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, TypeAlias, TypeVar

from msgspec import Struct, field

from program.content.fields import Field

Flags: TypeAlias = frozenset[str]

Complain = Callable[[str, str], None]
"""Reports a problem about one key of a step's table: (the key, the message)."""


class Gate(Struct, frozen=True):
    """Flags that decide whether something (a step, an exercise, a notice) is shown."""

    requires: Flags = frozenset()
    excludes: Flags = frozenset()

    def open_for(self, flags: Flags) -> bool:
        """Shown when every required flag is raised and no excluded one is."""
        return self.requires <= flags and not (self.excludes & flags)


OPEN = Gate()
"""The gate of anything that names no flags: always shown."""


PARTNER = "{partner}"
"""Where a read step's text or title, or a closing, names the user's partner: their name
as given in Settings, or "your partner" (`Replenish.personal` fills it in, literally)."""

PARTNER_WORDS = "your partner"
"""What `{partner}` says when the user gave no name."""


def answer_text(step: Step | None, value: object) -> str:
    """A saved answer as plain words: as its step's kind reads it, or (when the program
    no longer has the step) by its shape alone. "" when nothing was given."""
    return step.answer_text(value) if step is not None else words(value)


def words(value: object) -> str:
    """Any saved value as plain words, exactly as given (lists joined, a table's parts on lines)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(words(item) for item in value)
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            said = words(item)
            if said:
                lines.append(said if key in ("what", "text") else f"{key.capitalize()}: {said}")
        return "\n".join(lines)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


_CONVERTED = frozenset({"texts", "ints", "ids", "flags", "ranges"})


def _model_value(key: Field, value: Any) -> Any:
    """A checked TOML value as the model keeps it: arrays as tuples, tables read-only."""
    if key.type in ("texts", "ints", "ids"):
        return tuple(value)
    if key.type == "flags":
        return MappingProxyType({flag: frozenset(options) for flag, options in value.items()})
    if key.type == "ranges":
        return MappingProxyType({flag: (low, high) for flag, (low, high) in value.items()})
    return value


class Step(Struct, frozen=True, kw_only=True):
    """One screenful of an exercise; each kind is a subclass (see the module docstring)."""

    id: str
    gate: Gate = OPEN
    view: str = ""
    """The view beyond the Journal's reflections that its answers feed ("" for none)."""
    joint: bool = False
    """Asks the user to do something with their partner (the validator holds it to the
    program's concern flag)."""
    neutral: bool = False
    """Its title was written to give nothing away (required of a step shown only under a
    safety flag)."""
    recall: tuple[str, str] | None = None
    """(exercise id, step id) of an earlier answer shown above this step ("" parts never:
    the loader checks both exist and come earlier). None: it recalls nothing."""
    recall_label: str = ""
    """The words before the recalled answer ("" for the default, "On day N you wrote:")."""
    scope: str = "plan"
    """How long the flags its answer raises hold: "plan" (from then on) or "day" (that
    program day only)."""
    share: str = "never"
    """Whether its answer may reach the partner: "never", "together" (commit, then reveal)
    or "ask" (shown exactly as it would leave, before it leaves)."""
    shown: str = "always"
    """When the user meets its exercise: "always", "first" (until the exercise is done on
    an earlier day) or "again" (once it has been): a repeat need not say it all again."""

    def shown_when(self, again: bool) -> bool:
        """Whether it is shown the first time its exercise is met (`again` False) or later."""
        return self.shown == "always" or (self.shown == "again") == again

    kind: ClassVar[str] = ""
    KEYS: ClassVar[tuple[Field, ...]] = ()
    """The keys of this kind, beside those every step has (`schema.STEP_COMMON`)."""
    SAVED: ClassVar[str] = ""
    """The answer saved, in words for modules/README.md."""
    takes_answer: ClassVar[bool] = True
    """Saves an answer the user gives, so it needs an id to save it under."""
    own_words: ClassVar[bool] = False
    """Its answer is the user's own writing: the Journal lists and searches it."""

    @classmethod
    def build(
        cls, table: Mapping[str, Any], common: Mapping[str, Any], complain: Complain, name: str
    ) -> Step | None:
        """The step from a table whose keys and types the loader has checked.

        None when a rule across its keys is broken (after `complain`ing about it).
        """
        values = dict(common)
        for key in cls.KEYS:
            if key.name in table:
                value = table[key.name]
                values[key.name] = _model_value(key, value) if key.type in _CONVERTED else value
        step = cls(**values)
        return step if step.check(complain, name) else None

    def check(self, complain: Complain, name: str) -> bool:
        """The rules across this step's keys; False when the step cannot be kept."""
        return True

    @property
    def question(self) -> str:
        """What the step asks, shown beside its answer ("" when it asks nothing)."""
        return ""

    def answer_text(self, value: object) -> str:
        """A saved answer to this step as plain words ("" when nothing was given)."""
        return words(value)

    def recalled_text(self, value: object) -> str:
        """A saved answer as a later step shows it again (`recall`): the user's words."""
        return self.answer_text(value)

    @property
    def raises(self) -> Flags:
        """Every flag an answer to this step can raise."""
        return frozenset()

    def flags_raised(self, value: object) -> Flags:
        """The flags this answer raises."""
        return frozenset()

    def shared_value(self, value: object) -> object:
        """What of a saved answer may leave for the partner under this step's `share`: all
        of it, for every kind whose answer holds none of the user's own words."""
        return value


KINDS: dict[str, type[Step]] = {}
"""Every step kind by its name, in the order the format's documentation lists them."""

_Kind = TypeVar("_Kind", bound=type[Step])


def registered(kind: _Kind) -> _Kind:
    """Make a step kind known to the loader, the documentation and the views."""
    KINDS[kind.kind] = kind
    return kind


def _no_flags() -> MappingProxyType[str, frozenset[str]]:
    return MappingProxyType({})


def _no_ranges() -> MappingProxyType[str, tuple[int, int]]:
    return MappingProxyType({})


class _Choosing:
    """What the kinds that offer fixed choices share: flags raised by the choices made."""

    __slots__ = ()
    flags: MappingProxyType[str, frozenset[str]]

    @property
    def choices(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def raises(self) -> Flags:
        return frozenset(self.flags)

    def flags_raised(self, value: object) -> Flags:
        if not self.flags:
            return frozenset()
        if isinstance(value, str):
            chosen = {value}
        elif isinstance(value, list):
            chosen = {item for item in value if isinstance(item, str)}
        else:
            return frozenset()
        return frozenset(flag for flag, options in self.flags.items() if options & chosen)

    def check_flags(self, complain: Complain, name: str, noun: str) -> bool:
        """Every option a flag names must be one of the choices (the step is kept either way)."""
        from program.content.problems import listed  # validation only: kinds load with the cache

        choices = set(self.choices)
        for flag, options in self.flags.items():
            for option in sorted(options - choices):
                complain(
                    "flags",
                    f'flag "{flag}" in {name} names "{option}", which is not one of its '
                    f"{noun}; expected one of: {listed(self.choices)}",
                )
        return True


@registered
class ReadStep(Step, frozen=True, kw_only=True):
    """A page to read."""

    kind: ClassVar[str] = "read"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("text", "text", required=True, doc="Markdown"),
        Field("title", "text"),
    )
    SAVED: ClassVar[str] = "none"
    takes_answer: ClassVar[bool] = False

    text: str
    title: str = ""


@registered
class ReflectStep(Step, frozen=True, kw_only=True):
    """A question answered in the user's own words."""

    kind: ClassVar[str] = "reflect"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("placeholder", "text"),
    )
    SAVED: ClassVar[str] = "free text"
    own_words: ClassVar[bool] = True

    prompt: str
    placeholder: str = ""

    @property
    def question(self) -> str:
        return self.prompt


@registered
class ScaleStep(Step, frozen=True, kw_only=True):
    """A number on a scale, such as 0 to 10."""

    kind: ClassVar[str] = "scale"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("min", "int", low=-1000, high=1000),
        Field("max", "int", low=-1000, high=1000),
        Field("min_label", "text"),
        Field("max_label", "text"),
        Field("flags", "ranges"),
    )
    SAVED: ClassVar[str] = "an integer"

    prompt: str
    min: int = 0
    max: int = 10
    min_label: str = ""
    max_label: str = ""
    flags: MappingProxyType[str, tuple[int, int]] = field(default_factory=_no_ranges)
    """Flag -> (low, high): an answer from low to high (inclusive) raises the flag."""

    def check(self, complain: Complain, name: str) -> bool:
        if self.min >= self.max:
            runs = f"runs from {self.min} to {self.max}"
            complain("max", f"{name} (scale) {runs}; expected min below max")
            return False
        for flag, (low, high) in self.flags.items():
            if not self.min <= low <= high <= self.max:
                complain(
                    "flags",
                    f'flag "{flag}" in {name} (scale) is raised from {low} to {high}; expected '
                    f"[low, high] with {self.min} <= low <= high <= {self.max}",
                )
        return True

    @property
    def raises(self) -> Flags:
        return frozenset(self.flags)

    def flags_raised(self, value: object) -> Flags:
        if not isinstance(value, int) or isinstance(value, bool):
            return frozenset()
        return frozenset(
            flag for flag, (low, high) in self.flags.items() if low <= value <= high
        )

    @property
    def question(self) -> str:
        return self.prompt


@registered
class ChecklistStep(_Choosing, Step, frozen=True, kw_only=True):
    """Items to tick, any number of them."""

    kind: ClassVar[str] = "checklist"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("items", "texts", required=True, doc="array of strings"),
        Field("flags", "flags"),
    )
    SAVED: ClassVar[str] = "the ticked items"

    prompt: str
    items: tuple[str, ...]
    flags: MappingProxyType[str, frozenset[str]] = field(default_factory=_no_flags)

    @property
    def choices(self) -> tuple[str, ...]:
        return self.items

    def check(self, complain: Complain, name: str) -> bool:
        return self.check_flags(complain, name, "items")

    @property
    def question(self) -> str:
        return self.prompt


@registered
class ChoiceStep(_Choosing, Step, frozen=True, kw_only=True):
    """One option (or several) out of a list."""

    kind: ClassVar[str] = "choice"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("options", "texts", required=True, doc="array of strings"),
        Field("multiple", "bool"),
        Field("flags", "flags"),
    )
    SAVED: ClassVar[str] = "the chosen option(s)"

    prompt: str
    options: tuple[str, ...]
    multiple: bool = False
    flags: MappingProxyType[str, frozenset[str]] = field(default_factory=_no_flags)

    @property
    def choices(self) -> tuple[str, ...]:
        return self.options

    def check(self, complain: Complain, name: str) -> bool:
        return self.check_flags(complain, name, "options")

    @property
    def question(self) -> str:
        return self.prompt


@registered
class TimerStep(Step, frozen=True, kw_only=True):
    """A quiet stretch of time, counted down."""

    kind: ClassVar[str] = "timer"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("seconds", "int", required=True, low=1, high=7200, doc="1..7200"),
        Field("label", "text", required=True),
        Field("text", "text", doc="Markdown"),
    )
    SAVED: ClassVar[str] = "whether it ran to the end"
    takes_answer: ClassVar[bool] = False

    seconds: int
    label: str
    text: str = ""

    @property
    def question(self) -> str:
        return self.label


@registered
class PlanStep(Step, frozen=True, kw_only=True):
    """What the user will do and when, with a one-off reminder if the step allows one."""

    kind: ClassVar[str] = "plan"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("placeholder", "text"),
        Field("remind", "bool"),
    )
    SAVED: ClassVar[str] = "what and when; a one-off reminder when `remind` is true"
    own_words: ClassVar[bool] = True

    prompt: str
    placeholder: str = ""
    remind: bool = True

    @property
    def question(self) -> str:
        return self.prompt

    def answer_text(self, value: object) -> str:
        """What and when, as written: the reminder's own record (its id, its time) is not."""
        if isinstance(value, dict):
            value = {key: item for key, item in value.items() if key not in _REMINDER_RECORD}
        return words(value)

    def recalled_text(self, value: object) -> str:
        """What and when: whether a reminder was asked for is no part of what was planned."""
        if isinstance(value, dict):
            value = {key: item for key, item in value.items() if key != "remind"}
        return self.answer_text(value)


_REMINDER_RECORD = ("reminder", "reminder_at")
"""The keys a plan answer keeps about its one-off reminder, beside the user's words."""


WHO: tuple[str, ...] = ("me", "partner", "both", "neither")
"""Who holds a part of a task in a `grid` answer, as saved (keys 1-4 choose them)."""

ROLES: tuple[str, ...] = ("notice", "plan", "do")
"""The parts of a task a `grid` asks about: who notices it, who plans it, who does it."""

DRAIN = "drain"
"""The cell of a `grid` row that says how draining the task is (1..len(DRAIN_WORDS))."""

DRAIN_WORDS: tuple[str, ...] = ("barely", "a bit", "quite", "very")
"""How draining a task is, from 1 to 4, in words (the screen's cells and the answer's)."""

MAX_ROW_LABEL = 40
"""The longest row label a `grid` takes (the program's or one a user adds): one line."""

MAX_GRID_ROWS = 30


def _grid_key(label: str) -> str:
    """A row label as two labels are told apart: case and spacing make no new row."""
    return " ".join(label.split()).casefold()


class GridAnswer(Struct, frozen=True):
    """A `grid` answer read back: the cells given for each row, and the rows the user added.

    Saved as JSON: {"cells": {row label: {"notice": who, "plan": who, "do": who,
    "drain": 1..4}}, "added": [label, ...]}; a cell not given is left out. Anything
    else in a saved value (a damaged or older shape) is passed over, never guessed at.
    """

    cells: Mapping[str, Mapping[str, str | int]]
    added: tuple[str, ...]

    @classmethod
    def read(cls, value: object) -> GridAnswer:
        cells: dict[str, dict[str, str | int]] = {}
        added: list[str] = []
        if isinstance(value, dict):
            raw_added = value.get("added")
            if isinstance(raw_added, list):
                added = list(dict.fromkeys(item for item in raw_added if isinstance(item, str)))
            raw_cells = value.get("cells")
            if isinstance(raw_cells, dict):
                for row, given in raw_cells.items():
                    if isinstance(given, dict):
                        kept = _cells_of(given)
                        if kept:
                            cells[row] = kept
        return cls(cells, tuple(added))

    def value(self) -> dict[str, Any]:
        """As saved: the JSON the store keeps."""
        return {
            "cells": {row: dict(given) for row, given in self.cells.items() if given},
            "added": list(self.added),
        }


def _cells_of(given: Mapping[str, object]) -> dict[str, str | int]:
    kept: dict[str, str | int] = {}
    for role in ROLES:
        who = given.get(role)
        if isinstance(who, str) and who in WHO:
            kept[role] = who
    drain = given.get(DRAIN)
    if isinstance(drain, int) and not isinstance(drain, bool) and 1 <= drain <= len(DRAIN_WORDS):
        kept[DRAIN] = drain
    return kept


_WHO_SAYS = {
    "me": "I {verb}",
    "partner": "my partner {verbs}",
    "both": "we both {verb}",
    "neither": "nobody {verbs}",
}
_VERBS = {"notice": ("notice", "notices"), "plan": ("plan", "plans"), "do": ("do", "does")}


def grid_row_words(given: Mapping[str, str | int]) -> str:
    """One row's cells as a sentence: "I notice, we both plan, my partner does; quite draining"."""
    parts = []
    for role in ROLES:
        who = given.get(role)
        if isinstance(who, str):
            verb, verbs = _VERBS[role]
            parts.append(_WHO_SAYS[who].format(verb=verb, verbs=verbs))
    said = ", ".join(parts)
    drain = given.get(DRAIN)
    if isinstance(drain, int):
        drained = f"{DRAIN_WORDS[drain - 1]} draining"
        said = f"{said}; {drained}" if said else drained.capitalize()
    return said[:1].upper() + said[1:]


@registered
class GridStep(Step, frozen=True, kw_only=True):
    """The two-sided workload map: for each task, who notices, plans and does it, and how
    draining it is. Two partners' grids can be set side by side (`program.partner.compare`),
    since "me" on one side is "my partner" on the other."""

    kind: ClassVar[str] = "grid"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("prompt", "text", required=True),
        Field("rows", "texts", required=True, doc="array of strings"),
        Field("add_own", "int", low=0, high=5, doc="0..5"),
        Field("together_prompt", "text"),
    )
    SAVED: ClassVar[str] = (
        "for each row: who notices, plans and does it (me, my partner, both, neither) and "
        "how draining it is (1..4); the rows the user added"
    )

    prompt: str
    rows: tuple[str, ...]
    add_own: int = 2
    """How many rows of their own the user may add (their labels are the user's words)."""
    together_prompt: str = ""
    """A question the Together screen asks under the differences, once both maps are in."""

    def check(self, complain: Complain, name: str) -> bool:
        ok = True
        if len(self.rows) > MAX_GRID_ROWS:
            complain(
                "rows",
                f"rows in {name} (grid) lists {len(self.rows)} rows; expected at most "
                f"{MAX_GRID_ROWS}",
            )
            ok = False
        seen: dict[str, str] = {}
        for row in self.rows:
            if len(row) > MAX_ROW_LABEL:
                complain(
                    "rows",
                    f"row {row[:MAX_ROW_LABEL]!r}… in {name} (grid) is {len(row)} characters "
                    f"long; expected at most {MAX_ROW_LABEL}, to fit one line",
                )
                ok = False
            if "\n" in row:
                complain("rows", f"row {row!r} in {name} (grid) spans lines; expected one line")
                ok = False
            first = seen.setdefault(_grid_key(row), row)
            if first != row:
                complain(
                    "rows",
                    f"rows {first!r} and {row!r} in {name} (grid) are the same row; "
                    "expected each row once",
                )
                ok = False
        return ok

    @property
    def question(self) -> str:
        return self.prompt

    def label_problem(self, label: str, answer: GridAnswer) -> str:
        """Why `label` cannot be added as the user's own row ("" when it can)."""
        label = " ".join(label.split())
        if not label:
            return "Type a few words for the task first."
        if len(label) > MAX_ROW_LABEL:
            return f"That is {len(label)} characters; please keep it to {MAX_ROW_LABEL}."
        full = self.full_of_own(answer)
        if full:
            return full
        known = {_grid_key(row) for row in (*self.rows, *answer.added)}
        if _grid_key(label) in known:
            return "That task is on the map already."
        return ""

    def full_of_own(self, answer: GridAnswer) -> str:
        """Why no more rows of the user's own fit ("" while one more does)."""
        if len(answer.added) < self.add_own:
            return ""
        if not self.add_own:
            return "This map has no rows of your own."
        return f"There is room for {self.add_own} rows of your own, and they are in."

    def row_labels(self, answer: GridAnswer) -> tuple[str, ...]:
        """The program's rows, then the user's own, in order."""
        fixed = set(self.rows)
        return (*self.rows, *(row for row in answer.added if row not in fixed))

    def row_answers(self, value: object) -> list[tuple[str, str]]:
        """(row, its cells in words) for each row answered, in the map's order; a row the
        user added says so ("Dog walks (my own row)")."""
        answer = GridAnswer.read(value)
        own = set(answer.added) - set(self.rows)
        found = []
        for row in self.row_labels(answer):
            given = answer.cells.get(row)
            if given:
                mark = " (my own row)" if row in own else ""
                found.append((f"{row}{mark}", grid_row_words(given)))
        return found

    def answer_text(self, value: object) -> str:
        """One line for each row answered ("- Meals: I notice, we both plan…"): a list, so it
        reads as one in the export's Markdown too."""
        return "\n".join(f"- {row}: {said}" for row, said in self.row_answers(value))

    def shared_value(self, value: object) -> object:
        """What may leave for the partner: the cells of the program's own rows only. The rows
        a user added are their own words, which only `ask` may send."""
        if self.share == "ask":
            return value
        answer = GridAnswer.read(value)
        return GridAnswer(
            {row: given for row, given in answer.cells.items() if row in self.rows}, ()
        ).value()
