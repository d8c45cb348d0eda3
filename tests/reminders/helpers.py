"""A real plan on the real clock, with reminder times a moment ahead, and bounded waiting."""

from __future__ import annotations

import asyncio
import time as monotonic
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from program import plan
from program.reminders.desk import daily_key
from program.service import Replenish
from program.zone import local_zone_name
from tests.conftest import SMALL

WAIT_LIMIT = 20.0
"""Seconds a condition may take before the test fails (it normally takes one or two)."""


def open_small(data_dir: Path) -> Replenish:
    return Replenish.open(program_dir=SMALL, data_dir=data_dir, backup=False)


def begin(service: Replenish, days_ago: int = 0) -> None:
    """Start the plan `days_ago` days back; days are cut so now is an hour or more into today."""
    now = service.now()
    hour = now.hour - 1 if 1 <= now.hour <= 13 else 12
    today = plan.plan_date(now, hour)
    service.start(on=today - timedelta(days=days_ago), day_start_hour=hour)


def set_times(service: Replenish, *clocks: time) -> None:
    settings = service.settings().with_reminders(
        on=True, times=tuple(sorted(clocks)), timezone=local_zone_name()
    )
    service.save_settings(settings)


def moment_ahead(service: Replenish, seconds: int = 2) -> datetime:
    """A whole second one to `seconds` seconds from now (reminder times have no fractions)."""
    return (service.now() + timedelta(seconds=seconds)).replace(microsecond=0)


def key_for(service: Replenish, moment: datetime) -> str:
    today = service.today()
    assert today is not None
    return daily_key(today.plan_date, moment.time())


def wait_until(condition: Callable[[], bool], limit: float = WAIT_LIMIT) -> None:
    deadline = monotonic.monotonic() + limit
    while not condition():
        assert monotonic.monotonic() < deadline, "the condition did not come true in time"
        monotonic.sleep(0.05)


async def wait_until_async(condition: Callable[[], bool], limit: float = WAIT_LIMIT) -> None:
    deadline = monotonic.monotonic() + limit
    while not condition():
        assert monotonic.monotonic() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.05)
