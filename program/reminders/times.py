"""When reminders fall, computed from the settings and the plan; pure apart from zone data.

Fire times are wall-clock times in the zone captured when they were set. A time
that a DST change skips (02:30 on the night clocks jump from 02:00 to 03:00) is
moved forward by the length of the gap, so it falls at 03:30; a time that
happens twice (the night clocks go back) falls once, at its first occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from program import plan, text
from program.settings import Reminders, Settings
from program.zone import zone_named

if TYPE_CHECKING:
    from program.service import Replenish


def own_zone(reminders: Reminders) -> tzinfo | None:
    """The zone captured with the reminder times; None when none was, or it is unknown."""
    return zone_named(reminders.timezone)


def zone_of(reminders: Reminders, now: datetime) -> tzinfo:
    """The reminder's zone, or the zone of `now` when none was captured or it is unknown."""
    return own_zone(reminders) or now.tzinfo or ZoneInfo("UTC")


def wall_time(on: date, clock: time, zone: tzinfo) -> datetime:
    """`on` at wall-clock `clock` in `zone`, resolved across DST gaps and overlaps."""
    first = datetime.combine(on, clock).replace(tzinfo=zone, fold=0)
    # Round-trip through UTC: a time inside a gap comes back moved forward by the gap.
    return first.astimezone(ZoneInfo("UTC")).astimezone(zone)


def fires_on(reminders: Reminders, on: date, zone: tzinfo) -> list[tuple[time, datetime]]:
    """(time as set, moment) for each reminder of calendar day `on`, by moment."""
    if not reminders.on or on.weekday() not in reminders.days:
        return []
    return sorted(
        ((clock, wall_time(on, clock, zone)) for clock in reminders.times),
        key=lambda pair: (pair[1], pair[0]),
    )


def fire_times_on(reminders: Reminders, on: date, zone: tzinfo) -> list[datetime]:
    """The reminder moments of calendar day `on`, ascending."""
    return [moment for _, moment in fires_on(reminders, on, zone)]


def plan_day_fires(
    reminders: Reminders, plan_date: date, day_start_hour: int, zone: tzinfo
) -> list[tuple[time, datetime]]:
    """(time as set, moment) of plan day `plan_date`, which ends at `day_start_hour` next day.

    With days beginning at 04:00, a 01:30 reminder on the calendar day after
    belongs to this plan day: it is about the evening that has not ended yet.
    """
    fires = [
        fire
        for on in (plan_date, plan_date + timedelta(days=1))
        for fire in fires_on(reminders, on, zone)
    ]
    return [fire for fire in fires if plan.plan_date(fire[1], day_start_hour) == plan_date]


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


def next_sent(
    service: Replenish, reminders: Reminders, today: plan.Today | None
) -> datetime | None:
    """The first reminder moment after now that will really be sent: none while the plan
    is paused, none for a plan day that is done, none after its last day but on the
    follow-on days (the weekly check-in), when the program has them.
    (Before the plan begins, the first moment by the times alone, as the lines of
    `show.plan_lines` explain.)"""
    now = service.now()
    if today is None or today.status is plan.Status.NOT_STARTED:
        return next_fire(reminders, now)
    if not reminders.on:
        return None
    if today.status is plan.Status.ACTIVE:  # a week holds every weekday
        dates = [
            today.plan_date + timedelta(days=offset)
            for offset in range(min(8, today.days - today.day + 1))
            if offset or today.has_work_today
        ]
    elif today.status is plan.Status.FINISHED:  # only the weekly follow-on days
        dates = [today.plan_date] if today.has_work_today else []
        dates += [today.next_follow_on] if today.next_follow_on is not None else []
    else:
        return None
    zone = zone_of(reminders, now)
    for on in dates:
        for _, moment in plan_day_fires(reminders, on, service.day_start_hour(), zone):
            if moment > now:
                return moment
    return None


def next_fire_text(service: Replenish, settings: Settings, today: plan.Today | None) -> str:
    """The next reminder that will come, in local time, in words; empty when none will."""
    upcoming = next_sent(service, settings.reminders, today)
    if upcoming is None:
        return ""
    local = upcoming.astimezone()  # the system's zone: where the user is now
    return f"{local:%A %d %B at %H:%M} ({local:%Z})"


def nudge_line(service: Replenish, today: plan.Today | None) -> str:
    """One line when `today` (`service.today()`) is waiting and a reminder time of today
    has passed; else empty."""
    now = service.now()
    due, line = nudge_due(
        today, service.settings().reminders, service.day_start_hour(), now, service.discreet()
    )
    return line if due is not None and due <= now else ""


def nudge_due(
    today: plan.Today | None,
    reminders: Reminders,
    day_start_hour: int,
    now: datetime,
    discreet: bool = True,
) -> tuple[datetime | None, str]:
    """(the first moment of today's plan day at which the nudge is due, its line).

    (None, "") when nothing is waiting or no reminder falls on the day. The
    nudge shows from the first reminder of the day on: any passed reminder counts.
    `now` only picks the zone when the reminders have none of their own. The
    nudge digest asks this for the coming days, so both paths share one rule.
    """
    if today is None or not today.has_work_today or today.today is None:
        return None, ""
    fires = plan_day_fires(reminders, today.plan_date, day_start_hour, zone_of(reminders, now))
    if not fires:
        return None, ""
    line = text.outward("nudge", today.today, discreet=discreet)
    return min(moment for _, moment in fires), line


DST_NOTE = (
    "On the night the clocks go forward, a reminder time that does not exist that night"
    " comes later by the length of the jump (a 02:30 reminder comes at 03:30 where the"
    " clocks jump from 02:00 to 03:00); on the night they go back, a time that happens"
    " twice comes once, the first time."
)


def dst_notes(reminders: Reminders, today: date, zone: tzinfo, days: int = 366) -> list[str]:
    """Lines naming the coming nights when one of the user's times is skipped or doubled."""
    notes: list[str] = []
    for offset in range(days):
        on = today + timedelta(days=offset)
        if on.weekday() not in reminders.days:
            continue
        for clock in reminders.times:
            naive = datetime.combine(on, clock)
            first = naive.replace(tzinfo=zone, fold=0)
            second = naive.replace(tzinfo=zone, fold=1)
            if first.utcoffset() == second.utcoffset():
                continue
            moment = wall_time(on, clock, zone)
            if moment.replace(tzinfo=None) != naive:
                notes.append(
                    f"On {on:%A %d %B %Y} the clocks skip {clock:%H:%M}: that reminder comes at"
                    f" {moment:%H:%M}."
                )
            else:
                notes.append(
                    f"On {on:%A %d %B %Y} {clock:%H:%M} happens twice: that reminder comes once,"
                    " the first time."
                )
    return notes
