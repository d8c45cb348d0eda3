"""The export format: records to JSON and back; imports are checked in full before writing."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import NoReturn, TypeVar

from msgspec import Struct

from .codec import MAX_INT, BadValue, int_value, json_problem, read_date, read_dt, text_value
from .errors import ImportRejected
from .records import (
    Answer,
    Delivery,
    Enrolment,
    EnteredAnswer,
    JSONValue,
    OneOffReminder,
    Outcome,
    Pause,
    Position,
)

T = TypeVar("T")

EXPORT_FORMAT = "replenish-export"
EXPORT_VERSION = 2
"""2 added `entered_answers` (answers entered for the partner from a worksheet); a version 1
export, without them, still imports."""
TOP_FIELDS = (
    "format",
    "version",
    "exported_at",
    "enrolment",
    "answers",
    "outcomes",
    "position",
    "settings",
    "deliveries",
    "one_offs",
    "entered_answers",
)
_SINCE = {"entered_answers": 2}
"""The top fields a version before this one lacks."""


MAX_BYTES = 32 << 20
"""The largest export `import` reads: hundreds of times a long plan's worth of words."""
MAX_DIGITS = 19
"""An integer longer than this cannot be one the store keeps (64 bits)."""


class Snapshot(Struct, frozen=True):
    """Everything the store holds, as records; what an export is read into before it is written."""

    enrolment: Enrolment | None
    answers: tuple[Answer, ...]
    outcomes: tuple[Outcome, ...]
    position: Position | None
    settings: Mapping[str, JSONValue]
    deliveries: tuple[Delivery, ...]
    one_offs: tuple[OneOffReminder, ...]
    entered: tuple[EnteredAnswer, ...] = ()
    """Answers entered for the partner from a worksheet: theirs, kept only here."""

    @property
    def holds_nothing(self) -> bool:
        """No plan, no answer, no outcome: nothing the user did or wrote."""
        return (
            self.enrolment is None and not self.answers and not self.outcomes and not self.entered
        )


class Counts(Struct, frozen=True):
    """How many of each kind of thing, for the words after an import."""

    plan: int = 0
    answers: int = 0
    outcomes: int = 0
    position: int = 0
    settings: int = 0
    deliveries: int = 0
    one_offs: int = 0
    entered: int = 0


class Merged(Struct, frozen=True):
    """What an import did: `added` was written; `kept` was already here, different from the
    export, and left as it was (nothing is overwritten without `--replace`)."""

    added: Counts
    kept: Counts


# ---------------------------------------------------------------- export


def to_export(snapshot: Snapshot, exported_at: datetime) -> dict[str, JSONValue]:
    """A JSON-serialisable dict; dates and times as ISO 8601 text."""
    enrolment: JSONValue = None
    if snapshot.enrolment is not None:
        e = snapshot.enrolment
        enrolment = {
            "program_id": e.program_id,
            "start_date": e.start_date.isoformat(),
            "day_start_hour": e.day_start_hour,
            "enrolled_at": e.enrolled_at.isoformat(),
            "pauses": [
                {
                    "started_on": p.started_on.isoformat(),
                    "resumed_on": None if p.resumed_on is None else p.resumed_on.isoformat(),
                }
                for p in e.pauses
            ],
        }
    position: JSONValue = None
    if snapshot.position is not None:
        pos = snapshot.position
        position = {
            "exercise_id": pos.exercise_id,
            "day": pos.day,
            "step_index": pos.step_index,
            "at": pos.at.isoformat(),
        }
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(),
        "enrolment": enrolment,
        "answers": [
            {
                "exercise_id": a.exercise_id,
                "day": a.day,
                "step_id": a.step_id,
                "value": a.value,
                "saved_at": a.saved_at.isoformat(),
            }
            for a in snapshot.answers
        ],
        "outcomes": [
            {
                "exercise_id": o.exercise_id,
                "day": o.day,
                "kind": o.kind,
                "reason": o.reason,
                "at": o.at.isoformat(),
            }
            for o in snapshot.outcomes
        ],
        "position": position,
        "settings": dict(snapshot.settings),
        "deliveries": [
            {"key": d.key, "delivered_at": d.delivered_at.isoformat(), "channel": d.channel}
            for d in snapshot.deliveries
        ],
        "one_offs": [
            {
                "id": r.id,
                "fire_at": r.fire_at.isoformat(),
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "delivered": r.delivered,
            }
            for r in snapshot.one_offs
        ],
        "entered_answers": [
            {
                "exercise_id": e.exercise_id,
                "day": e.day,
                "step_id": e.step_id,
                "value": e.value,
                "name": e.name,
                "at": e.at.isoformat(),
            }
            for e in snapshot.entered
        ],
    }


# ---------------------------------------------------------------- import


class _TooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _int_literal(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _TooLong(digits)
    return int(text)


def parse_export(raw: bytes) -> object:
    """The JSON in `raw` (an export file's bytes, at most MAX_BYTES), or ImportRejected saying
    why it cannot be one: not UTF-8, not JSON, nested too deeply to read, a number too long."""
    if len(raw) > MAX_BYTES:
        _reject("", f"the file is larger than {MAX_BYTES >> 20} MB, far more than any export")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        _reject("", f"the file is not UTF-8 text (byte {error.start} is not), so not an export")
    try:
        data: object = json.loads(text, parse_int=_int_literal)
    except json.JSONDecodeError as error:
        _reject(
            "",
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        )
    except RecursionError:
        _reject("", "the file nests lists or objects far deeper than an export does")
    except _TooLong as error:
        _reject(
            "",
            f"the file holds a number of {error.digits} digits; "
            f"an export's numbers have at most {MAX_DIGITS}",
        )
    return data


def _reject(where: str, detail: str) -> NoReturn:
    raise ImportRejected(where, detail)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _object(
    value: object, where: str, fields: tuple[str, ...], optional: frozenset[str] = frozenset()
) -> dict[str, object]:
    """A dict with exactly `fields` (those in `optional` may be missing); unknown fields are
    refused so typos are not silently lost."""
    if not isinstance(value, dict):
        _reject(where, "expected an object")
    for key in value:
        if not isinstance(key, str) or key not in fields:
            _reject(_join(where, str(key)), "unexpected field")
    for key in fields:
        if key not in value and key not in optional:
            _reject(_join(where, key), "missing field")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        _reject(where, "expected a list")
    return value


# The values themselves pass the store's own checks (`state.codec`), the ones every
# write of the app passes: one rule for each kind of value, whoever writes it.


def _checked(check: Callable[[], T]) -> T:
    try:
        return check()
    except BadValue as problem:
        raise ImportRejected(problem.where, problem.expected) from None


def _str(value: object, where: str, *, allow_empty: bool = True) -> str:
    return _checked(lambda: text_value(value, where, allow_empty=allow_empty))


def _int(value: object, where: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    return _checked(lambda: int_value(value, where, minimum, maximum))


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        _reject(where, "expected true or false")
    return value


def _date(value: object, where: str) -> date:
    return _checked(lambda: read_date(value, where))


def _datetime(value: object, where: str) -> datetime:
    return _checked(lambda: read_dt(value, where))


def _json(value: object, where: str) -> JSONValue:
    problem = json_problem(value, where)
    if problem:
        _reject(*problem)
    return value  # type: ignore[return-value]  # checked just above


def _enrolment(value: object, where: str) -> Enrolment | None:
    if value is None:
        return None
    raw = _object(
        value, where, ("program_id", "start_date", "day_start_hour", "enrolled_at", "pauses")
    )
    program_id = _str(raw["program_id"], f"{where}.program_id", allow_empty=False)
    start_date = _date(raw["start_date"], f"{where}.start_date")
    hour = _int(raw["day_start_hour"], f"{where}.day_start_hour", 0, 23)
    enrolled_at = _datetime(raw["enrolled_at"], f"{where}.enrolled_at")
    pauses: list[Pause] = []
    raw_pauses = _list(raw["pauses"], f"{where}.pauses")
    for index, item in enumerate(raw_pauses):
        at = f"{where}.pauses[{index}]"
        p = _object(item, at, ("started_on", "resumed_on"))
        started = _date(p["started_on"], f"{at}.started_on")
        resumed = None if p["resumed_on"] is None else _date(p["resumed_on"], f"{at}.resumed_on")
        if pauses:
            before = pauses[-1].resumed_on
            if before is None:
                earlier = f"{where}.pauses[{index - 1}].resumed_on"
                _reject(earlier, "only the last pause may be open")
            if started < before:
                _reject(f"{at}.started_on", "pauses must not overlap")
        if resumed is not None and resumed < started:
            _reject(f"{at}.resumed_on", "expected a date on or after started_on")
        pauses.append(Pause(started, resumed))
    return Enrolment(program_id, start_date, hour, tuple(pauses), enrolled_at)


def _answers(value: object) -> tuple[Answer, ...]:
    found: dict[tuple[str, int, str], int] = {}
    result = []
    for index, item in enumerate(_list(value, "answers")):
        at = f"answers[{index}]"
        raw = _object(item, at, ("exercise_id", "day", "step_id", "value", "saved_at"))
        answer = Answer(
            _str(raw["exercise_id"], f"{at}.exercise_id", allow_empty=False),
            _int(raw["day"], f"{at}.day"),
            _str(raw["step_id"], f"{at}.step_id", allow_empty=False),
            _json(raw["value"], f"{at}.value"),
            _datetime(raw["saved_at"], f"{at}.saved_at"),
        )
        key = (answer.exercise_id, answer.day, answer.step_id)
        if key in found:
            _reject(at, f"same exercise_id, day and step_id as answers[{found[key]}]")
        found[key] = index
        result.append(answer)
    return tuple(result)


def _outcomes(value: object) -> tuple[Outcome, ...]:
    found: dict[tuple[str, int], int] = {}
    result = []
    for index, item in enumerate(_list(value, "outcomes")):
        at = f"outcomes[{index}]"
        raw = _object(item, at, ("exercise_id", "day", "kind", "reason", "at"))
        exercise_id = _str(raw["exercise_id"], f"{at}.exercise_id", allow_empty=False)
        day = _int(raw["day"], f"{at}.day")
        kind = raw["kind"]
        if kind not in ("done", "skipped"):
            _reject(f"{at}.kind", 'expected "done" or "skipped"')
        reason = _str(raw["reason"], f"{at}.reason")
        when = _datetime(raw["at"], f"{at}.at")
        if (exercise_id, day) in found:
            _reject(at, f"same exercise_id and day as outcomes[{found[(exercise_id, day)]}]")
        found[(exercise_id, day)] = index
        result.append(Outcome(exercise_id, day, kind, reason, when))
    return tuple(result)


def _position(value: object) -> Position | None:
    if value is None:
        return None
    raw = _object(value, "position", ("exercise_id", "day", "step_index", "at"))
    return Position(
        _str(raw["exercise_id"], "position.exercise_id", allow_empty=False),
        _int(raw["day"], "position.day"),
        _int(raw["step_index"], "position.step_index"),
        _datetime(raw["at"], "position.at"),
    )


def _settings(value: object) -> dict[str, JSONValue]:
    if not isinstance(value, dict):
        _reject("settings", "expected an object")
    result: dict[str, JSONValue] = {}
    for key, item in value.items():
        at = f"settings[{json.dumps(str(key), ensure_ascii=False)}]"
        if not isinstance(key, str) or not key:
            _reject(at, "expected a non-empty string key")
        result[key] = _json(item, at)
    return result


def _deliveries(value: object) -> tuple[Delivery, ...]:
    found: dict[str, int] = {}
    result = []
    for index, item in enumerate(_list(value, "deliveries")):
        at = f"deliveries[{index}]"
        raw = _object(item, at, ("key", "delivered_at", "channel"))
        key = _str(raw["key"], f"{at}.key", allow_empty=False)
        delivery = Delivery(
            key,
            _datetime(raw["delivered_at"], f"{at}.delivered_at"),
            _str(raw["channel"], f"{at}.channel"),
        )
        if key in found:
            _reject(f"{at}.key", f"same key as deliveries[{found[key]}]")
        found[key] = index
        result.append(delivery)
    return tuple(result)


def _one_offs(value: object) -> tuple[OneOffReminder, ...]:
    found: dict[int, int] = {}
    result = []
    for index, item in enumerate(_list(value, "one_offs")):
        at = f"one_offs[{index}]"
        raw = _object(item, at, ("id", "fire_at", "text", "created_at", "delivered"))
        ident = _int(raw["id"], f"{at}.id", minimum=1)
        reminder = OneOffReminder(
            ident,
            _datetime(raw["fire_at"], f"{at}.fire_at"),
            _str(raw["text"], f"{at}.text"),
            _datetime(raw["created_at"], f"{at}.created_at"),
            _bool(raw["delivered"], f"{at}.delivered"),
        )
        if ident in found:
            _reject(f"{at}.id", f"same id as one_offs[{found[ident]}]")
        found[ident] = index
        result.append(reminder)
    return tuple(result)


def _entered(value: object) -> tuple[EnteredAnswer, ...]:
    found: dict[tuple[str, int, str], int] = {}
    result = []
    for index, item in enumerate(_list(value, "entered_answers")):
        at = f"entered_answers[{index}]"
        raw = _object(item, at, ("exercise_id", "day", "step_id", "value", "name", "at"))
        entered = EnteredAnswer(
            _str(raw["exercise_id"], f"{at}.exercise_id", allow_empty=False),
            _int(raw["day"], f"{at}.day", minimum=1),
            _str(raw["step_id"], f"{at}.step_id", allow_empty=False),
            _json(raw["value"], f"{at}.value"),
            _str(raw["name"], f"{at}.name"),
            _datetime(raw["at"], f"{at}.at"),
        )
        key = (entered.exercise_id, entered.day, entered.step_id)
        if key in found:
            _reject(at, f"same exercise_id, day and step_id as entered_answers[{found[key]}]")
        found[key] = index
        result.append(entered)
    return tuple(result)


def from_export(data: object) -> Snapshot:
    """Check the whole structure; raises ImportRejected naming the first bad field."""
    if not isinstance(data, dict):
        _reject("", "expected a JSON object at the top level")
    if data.get("format") != EXPORT_FORMAT:
        _reject("format", f'expected "{EXPORT_FORMAT}" (this is not a Replenish export)')
    if "version" not in data:
        _reject("version", "missing field")
    version = _int(data["version"], "version", minimum=1)
    if version > EXPORT_VERSION:
        _reject(
            "version",
            f"this export was made by a newer Replenish (format {version}, "
            f"this version reads {EXPORT_VERSION}); update Replenish to import it",
        )
    lacking = frozenset(field for field, since in _SINCE.items() if version < since)
    raw = _object(data, "", TOP_FIELDS, lacking)
    _datetime(raw["exported_at"], "exported_at")
    return Snapshot(
        enrolment=_enrolment(raw["enrolment"], "enrolment"),
        answers=_answers(raw["answers"]),
        outcomes=_outcomes(raw["outcomes"]),
        position=_position(raw["position"]),
        settings=_settings(raw["settings"]),
        deliveries=_deliveries(raw["deliveries"]),
        one_offs=_one_offs(raw["one_offs"]),
        entered=_entered(raw.get("entered_answers", [])),
    )
