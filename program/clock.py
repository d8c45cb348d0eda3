"""The one place that reads the wall clock, so everything else can be given a time.

`REPLENISH_NOW` (an ISO 8601 date-time) pins the clock for tests and for trying
a day ahead; without an offset it is read as local time.
"""

from __future__ import annotations

import os
from datetime import datetime

PINNED = "REPLENISH_NOW"


class PinnedClockInvalid(ValueError):
    """`REPLENISH_NOW` is set but is not a date-time; its `str()` says what to set instead."""


def now() -> datetime:
    """The current local time, aware of its UTC offset."""
    pinned = os.environ.get(PINNED)
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
            return moment.astimezone() if moment.tzinfo is None else moment
        except (ValueError, OverflowError, OSError):
            raise PinnedClockInvalid(
                f"{PINNED}={pinned!r} is not a date and time; expected ISO 8601, like "
                f"2026-12-28T09:00 or 2026-12-28T09:00+01:00 (or unset it)"
            ) from None
    return datetime.now().astimezone()
