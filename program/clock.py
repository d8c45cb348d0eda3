"""The one place that reads the wall clock, so everything else can be given a time.

`REPLENISH_NOW` (an ISO 8601 date-time) pins the clock for tests and for trying
a day ahead; without an offset it is read as local time.
"""

from __future__ import annotations

import os
from datetime import datetime


def now() -> datetime:
    """The current local time, aware of its UTC offset."""
    pinned = os.environ.get("REPLENISH_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        return moment.astimezone() if moment.tzinfo is None else moment
    return datetime.now().astimezone()
