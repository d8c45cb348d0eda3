"""A plan step's "when" and the one-off reminder it asks for, for the app and `do` alike.

`parse_when` reads `HH:MM` (the next one) or `YYYY-MM-DD HH:MM`; it is pure (`now` is
passed in). `PlanReminder` keeps the reminder a plan answer holds in step with what
the answer asks: set when "remind me" is chosen with a valid time, moved when the
time changes, withdrawn when it is no longer wanted. Both step views save the
answer through `PlanReminder.answer`, so the app and `do` write the same record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from program.settings import parse_time

if TYPE_CHECKING:
    from program.content.model import PlanStep
    from state import JSONValue

def example_when(now: datetime) -> str:
    """A day and time to show as an example: a week after `now`, never one that has passed
    (which `parse_when` would refuse)."""
    return f"{(now.date() + timedelta(days=7)).isoformat()} 09:00"


def when_hint(now: datetime) -> str:
    """How to write a "when", for messages and prompts."""
    return f"a time like 20:30, or a day and time like {example_when(now)}"


def parse_when(text: str, now: datetime) -> datetime:
    """The moment `text` names, in `now`'s zone; ValueError with a plain message otherwise."""
    words = text.strip().split()
    if len(words) == 1:
        clock = parse_time(words[0])
        moment = datetime.combine(now.date(), clock, tzinfo=now.tzinfo)
        return moment if moment > now else moment + timedelta(days=1)
    if len(words) == 2:
        try:
            on = date.fromisoformat(words[0])
        except ValueError:
            raise ValueError(f"{words[0]!r} is not a date; expected {when_hint(now)}") from None
        moment = datetime.combine(on, parse_time(words[1]), tzinfo=now.tzinfo)
        if moment <= now:
            raise ValueError(f"{text.strip()} has already passed; choose a moment ahead")
        return moment
    raise ValueError(f"{text.strip()!r} is not a time; expected {when_hint(now)}")


class ReminderHooks:
    """What a plan step may do about reminders, given by the runner (the service underneath).

    `add` returns the new reminder's id and `cancel` True, or None / False when the
    store refused (the runner has said so); the step then tries again on its next write.
    """

    def __init__(
        self,
        now: Callable[[], datetime],
        add: Callable[[datetime, str], int | None],
        cancel: Callable[[int], bool],
    ) -> None:
        self.now = now
        self.add = add
        self.cancel = cancel


def _field(value: JSONValue, key: str) -> JSONValue:
    return value.get(key) if isinstance(value, dict) else None


class PlanReminder:
    """The one-off reminder of one plan answer: its id and time, as saved in the answer."""

    def __init__(self, step: PlanStep, value: JSONValue, hooks: ReminderHooks) -> None:
        self.step = step
        self.hooks = hooks
        reminder, at = _field(value, "reminder"), _field(value, "reminder_at")
        self.id = reminder if isinstance(reminder, int) and not isinstance(reminder, bool) else None
        self.at = at if isinstance(at, str) else None

    def wanted(self, what: str, when: str, remind: bool) -> tuple[datetime, str] | None:
        """The reminder these answers ask for (its moment and words), or None."""
        if not (self.step.remind and remind and when.strip()):
            return None
        try:
            moment = parse_when(when, self.hooks.now())
        except ValueError:
            return None
        return moment, f"You planned: {what.strip() or self.step.prompt}"

    def sync(self, what: str, when: str, remind: bool) -> bool:
        """Make the reminder match the answers; False when the store refused a change."""
        wanted = self.wanted(what, when, remind)
        wanted_at = wanted[0].isoformat() if wanted else None
        if wanted_at == self.at and (wanted is None) == (self.id is None):
            return True
        if self.id is not None:
            if not self.hooks.cancel(self.id):
                return False
            self.id, self.at = None, None
        if wanted is not None:
            made = self.hooks.add(*wanted)
            if made is None:
                return False
            self.id, self.at = made, wanted_at
        return True

    def answer(self, what: str, when: str, remind: bool) -> dict[str, JSONValue]:
        """The value saved for the step: what and when as given, and the reminder's record."""
        value: dict[str, JSONValue] = {
            "what": what,
            "when": when,
            "remind": self.step.remind and remind,
        }
        if self.id is not None:
            value["reminder"] = self.id
            value["reminder_at"] = self.at
        return value
