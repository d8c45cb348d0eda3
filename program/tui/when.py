"""Reading the "when" of a plan step: `HH:MM` (the next one) or `YYYY-MM-DD HH:MM`.

Pure: `now` is passed in, so every case can be tested with plain values.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from program.settings import parse_time

WHEN_HINT = "a time like 20:30, or a day and time like 2026-03-14 09:00"


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
            raise ValueError(f"{words[0]!r} is not a date; expected {WHEN_HINT}") from None
        moment = datetime.combine(on, parse_time(words[1]), tzinfo=now.tzinfo)
        if moment <= now:
            raise ValueError(f"{text.strip()} has already passed; choose a moment ahead")
        return moment
    raise ValueError(f"{text.strip()!r} is not a time; expected {WHEN_HINT}")
