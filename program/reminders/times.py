"""When reminders fall, computed from the settings and the plan; pure apart from zone data.

Fire times are wall-clock times in the zone captured when they were set. A time
that a DST change skips (02:30 on the night clocks jump from 02:00 to 03:00) is
moved forward by the length of the gap, so it falls at 03:30; a time that
happens twice (the night clocks go back) falls once, at its first occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from program import text
from program.settings import Reminders, Settings

if TYPE_CHECKING:
    from program.service import Replenish


def zone_of(reminders: Reminders, now: datetime) -> tzinfo:
    """The reminder's zone, or the zone of `now` when none was captured or it is unknown."""
    if reminders.timezone:
        try:
            return ZoneInfo(reminders.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return now.tzinfo or ZoneInfo("UTC")


def wall_time(on: date, clock: time, zone: tzinfo) -> datetime:
    """`on` at wall-clock `clock` in `zone`, resolved across DST gaps and overlaps."""
    first = datetime.combine(on, clock).replace(tzinfo=zone, fold=0)
    # Round-trip through UTC: a time inside a gap comes back moved forward by the gap.
    return first.astimezone(ZoneInfo("UTC")).astimezone(zone)


def fire_times_on(reminders: Reminders, on: date, zone: tzinfo) -> list[datetime]:
    """The reminder moments of calendar day `on`, ascending."""
    if not reminders.on or on.weekday() not in reminders.days:
        return []
    return sorted(wall_time(on, clock, zone) for clock in reminders.times)


def next_fire(reminders: Reminders, now: datetime) -> datetime | None:
    """The first reminder moment strictly after `now`."""
    if not reminders.on or not reminders.times:
        return None
    zone = zone_of(reminders, now)
    local = now.astimezone(zone)
    for offset in range(8):
        for moment in fire_times_on(reminders, local.date() + timedelta(days=offset), zone):
            if moment > now:
                return moment
    return None


def next_fire_text(service: Replenish, settings: Settings) -> str:
    """The next reminder in local time, in words; empty when reminders are off."""
    upcoming = next_fire(settings.reminders, service.now())
    if upcoming is None:
        return ""
    local = upcoming.astimezone(service.now().tzinfo)
    return f"{local:%A %d %B at %H:%M} ({local:%Z})"


def nudge_line(service: Replenish) -> str:
    """One line when today is waiting and a reminder time of today has passed; else empty."""
    today = service.today()
    if today is None or not today.has_work_today or today.today is None:
        return ""
    reminders = service.settings().reminders
    now = service.now()
    zone = zone_of(reminders, now)
    passed = [moment for moment in fire_times_on(reminders, today.plan_date, zone) if moment <= now]
    if not passed:
        return ""
    return f"Replenish · {text.waiting_summary(today.today)} · open `replenish` when you are ready"
