"""The user's settings as a typed record, read from and written to the store's key/values.

Reading is forgiving: a value that does not make sense (edited by hand, written
by an older version) falls back to its default instead of stopping the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time

from msgspec import Struct, field
from msgspec.structs import replace

from state import JSONValue

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
DEFAULT_THEME = "textual-dark"


def parse_time(text: str) -> time:
    """`HH:MM` or `HH:MM:SS` (24-hour) -> time; ValueError with a plain message otherwise."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(part.isdigit() and len(part) == 2 for part in parts):
        raise ValueError(f"{text!r} is not a time; expected HH:MM or HH:MM:SS, like 20:30")
    hour, minute, second = (int(part) for part in [*parts, "00"][:3])
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{text!r} is not a time of day; expected 00:00 to 23:59:59")
    return time(hour, minute, second)


def format_time(moment: time) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def parse_days(text: str) -> frozenset[int]:
    """`mon,tue,...` (or `all`) -> weekday numbers, Monday 0."""
    words = [word.strip().lower()[:3] for word in text.split(",") if word.strip()]
    if words in (["all"], ["dai"]):
        return EVERY_DAY
    unknown = [word for word in words if word not in WEEKDAYS]
    if unknown or not words:
        raise ValueError(f"{text!r} is not a list of days; expected names like mon,tue,wed")
    return frozenset(WEEKDAYS.index(word) for word in words)


def format_days(days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return "every day"
    return ", ".join(WEEKDAYS[day].capitalize() for day in sorted(days))


class Reminders(Struct, frozen=True):
    """When to remind: times of day on some weekdays, in the zone they were set in."""

    on: bool = False
    times: tuple[time, ...] = ()
    days: frozenset[int] = EVERY_DAY
    timezone: str = ""
    """The IANA zone captured when the times were set; empty means the system's."""

    def describe(self) -> str:
        if not self.on or not self.times:
            return "off"
        times = ", ".join(format_time(moment) for moment in self.times)
        return f"{times}, {format_days(self.days)}"


class Settings(Struct, frozen=True):
    reminders: Reminders = field(default_factory=Reminders)
    partner_name: str = ""
    theme: str = DEFAULT_THEME
    detail_outside: bool = False
    """Name the exercises in what is seen outside the app (notifications, the nudge, the
    calendar). Off by default; ignored once a safety flag is raised."""

    @classmethod
    def from_values(cls, values: Mapping[str, JSONValue]) -> Settings:
        times: list[time] = []
        raw_times = values.get("reminder.times")
        for raw in raw_times if isinstance(raw_times, list) else []:
            try:
                times.append(parse_time(str(raw)))
            except ValueError:
                continue
        raw_days = values.get("reminder.days")
        days = (
            frozenset(day for day in raw_days if isinstance(day, int) and _weekday(day))
            if isinstance(raw_days, list)
            else EVERY_DAY
        )
        reminders = Reminders(
            on=values.get("reminder.on") is True and bool(times),
            times=tuple(sorted(set(times))),
            days=days or EVERY_DAY,
            timezone=_text(values.get("reminder.timezone")),
        )
        return cls(
            reminders=reminders,
            partner_name=_text(values.get("partner_name")),
            theme=_text(values.get("theme")) or DEFAULT_THEME,
            detail_outside=values.get("outside.detail") is True,
        )

    def to_values(self) -> dict[str, JSONValue]:
        times: list[JSONValue] = [format_time(moment) for moment in self.reminders.times]
        days: list[JSONValue] = [*sorted(self.reminders.days)]
        return {
            "reminder.on": self.reminders.on,
            "reminder.times": times,
            "reminder.days": days,
            "reminder.timezone": self.reminders.timezone,
            "partner_name": self.partner_name,
            "theme": self.theme,
            "outside.detail": self.detail_outside,
        }

    def with_reminders(self, **changes: object) -> Settings:
        return replace(self, reminders=replace(self.reminders, **changes))


def _text(value: JSONValue) -> str:
    return value if isinstance(value, str) else ""


def _weekday(value: JSONValue) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 7


EXPECTED = {
    "reminder.times": 'expected a list of different times of day in order, like ["08:00", "20:30"]',
    "reminder.days": "expected a list of different weekdays in order, 0 (Monday) to 6 (Sunday)",
    "reminder.timezone": 'expected a time zone this system knows, like "Europe/London", or ""',
    "reminder.on": "expected true or false, and true only with reminder times",
    "partner_name": "expected a string",
    "theme": "expected the name of a theme",
    "outside.detail": "expected true or false",
}
"""What each setting must hold, in words: what `Settings.to_values` writes."""


def settings_problem(values: Mapping[str, JSONValue]) -> tuple[str, str] | None:
    """The first setting the app would not have written as it is: (key, what was expected).

    The rule is the app's own: a value is right when reading it into `Settings`
    and writing it back gives the same value, and a time zone is one that
    `zone_named` accepts (as `remind set` only ever keeps). Keys the app does not
    know are left alone: they change nothing.
    """
    from program.zone import zone_named

    written = Settings.from_values(values).to_values()
    for key, expected in EXPECTED.items():
        if key not in values:
            continue
        value = values[key]
        if type(value) is not type(written[key]) or value != written[key]:
            return key, expected
        if key == "reminder.timezone" and value and zone_named(str(value)) is None:
            return key, expected
    return None
