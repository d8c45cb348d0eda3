"""Plain, immutable records the store hands out, so callers never see a row or cursor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, TypeAlias

from msgspec import Struct

JSONValue: TypeAlias = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None
"""Anything `json` can round-trip; answers and settings are stored as JSON text."""

OutcomeKind: TypeAlias = Literal["done", "skipped"]


class Pause(Struct, frozen=True):
    """One pause of the plan; `resumed_on` is None while it is still running."""

    started_on: date
    resumed_on: date | None


class Enrolment(Struct, frozen=True):
    """The plan the user started, and when, so the plan engine can count days."""

    program_id: str
    start_date: date
    day_start_hour: int
    pauses: tuple[Pause, ...]
    enrolled_at: datetime

    @property
    def paused(self) -> bool:
        """True while the latest pause has not been resumed."""
        return bool(self.pauses) and self.pauses[-1].resumed_on is None


class Answer(Struct, frozen=True):
    """The current value of one step on one program day."""

    exercise_id: str
    day: int
    step_id: str
    value: JSONValue
    saved_at: datetime


class Outcome(Struct, frozen=True):
    """Whether an exercise on a day was done or skipped (absent means open)."""

    exercise_id: str
    day: int
    kind: OutcomeKind
    reason: str
    at: datetime


class Position(Struct, frozen=True):
    """Where the user was, so reopening resumes at the same step."""

    exercise_id: str
    day: int
    step_index: int
    at: datetime


class Delivery(Struct, frozen=True):
    """A reminder that has been sent, so no other process sends it again."""

    key: str
    delivered_at: datetime
    channel: str


class OneOffReminder(Struct, frozen=True):
    """A reminder the user set for one moment (from a "plan" step)."""

    id: int
    fire_at: datetime
    text: str
    created_at: datetime
    delivered: bool


class Partner(Struct, frozen=True):
    """The partner this device is paired with: their device, name and public key, and the
    folder the two exchange envelopes through (None until one is linked)."""

    device: str
    name: str
    public_key: bytes
    folder: str | None
    paired_at: datetime


class Envelope(Struct, frozen=True):
    """One sealed envelope as it travelled: the bytes, by sender device and seq."""

    device: str
    seq: int
    body: bytes
    at: datetime


class ShareChoice(Struct, frozen=True):
    """What the user chose for one answer to a `share = "ask"` step: shared, with the
    answer exactly as they saw it leave (`value`), or kept private (`value` None)."""

    topic: str
    shared: bool
    value: JSONValue
    at: datetime


class EnteredAnswer(Struct, frozen=True):
    """An answer the user typed in for their partner from a filled-in worksheet: the
    partner's words, on the user's plan day, marked with the partner's name."""

    exercise_id: str
    day: int
    step_id: str
    value: JSONValue
    name: str
    at: datetime
