"""`replenish remind ics`: the remaining days as calendar events, so a phone can remind too.

One event per remaining program day and reminder time, in the zone the times
were set in (DTSTART with TZID, and the VTIMEZONE that defines it), each with
the day's exercise titles and a display alarm at the event time. UIDs depend
only on the plan's start, the day and the time, so a new file updates the
events an earlier import created instead of adding copies.
"""

from __future__ import annotations

from datetime import UTC, timedelta, tzinfo
from typing import TYPE_CHECKING

from program import plan, text
from program.reminders.times import wall_time, zone_of
from program.zone import PosixRule

if TYPE_CHECKING:
    from program.service import Replenish


class CalendarRefused(Exception):
    """No calendar can be made; the message says why and what to do."""


def remaining_days(service: Replenish) -> list[plan.DayPlan]:
    """Today (unless done) and every later program day that holds exercises."""
    today = service.today()
    if today is None:
        raise CalendarRefused("your plan has not begun yet; `replenish start` begins it")
    if today.status is plan.Status.FINISHED:
        raise CalendarRefused("your plan has ended, so there are no days left to put in a calendar")
    if today.status is plan.Status.PAUSED:
        raise CalendarRefused(
            "your plan is paused, so its next days have no dates yet; resume it first"
        )
    first = (
        today.day
        if today.has_work_today or today.status is plan.Status.NOT_STARTED
        else today.day + 1
    )
    days = [service.day(day) for day in range(first, today.days + 1)]
    return [day for day in days if day.exercises]


def calendar_text(service: Replenish) -> tuple[str, int]:
    """The iCalendar text and how many events it holds."""
    from icalendar import Alarm, Calendar, Event

    reminders = service.settings().reminders
    if not reminders.on or not reminders.times:
        raise CalendarRefused(
            "reminders are off; set a time first, like `replenish remind set 20:30`"
        )
    schedule = service.schedule()
    today = service.today()
    if schedule is None or today is None:
        raise CalendarRefused("your plan has not begun yet; `replenish start` begins it")
    days = remaining_days(service)
    now = service.now()
    zone: tzinfo = zone_of(reminders, now)
    calendar = Calendar()
    calendar.add("prodid", "-//Replenish//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Replenish")
    count = 0
    for day in days:
        on = plan.date_of_day(schedule, day.day, today.plan_date)
        if on is None or on.weekday() not in reminders.days:
            continue
        titles = [text.titled(due.exercise) for due in day.exercises]
        description = "\n".join(titles)
        for clock in reminders.times:
            start = wall_time(on, clock, zone)
            if isinstance(zone, PosixRule):  # no VTIMEZONE can name it: the moment in UTC
                start = start.astimezone(UTC)
            event = Event()
            event.add(
                "uid",
                f"replenish-{schedule.start.isoformat()}-day{day.day}-{clock:%H%M%S}@replenish",
            )
            event.add("dtstamp", now.astimezone(UTC))
            event.add("dtstart", start)
            event.add("duration", timedelta(minutes=max(day.minutes, 5)))
            event.add("summary", f"Replenish · Day {day.day}")
            event.add("description", description)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Replenish · Day {day.day}: {'; '.join(titles)}")
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            calendar.add_component(event)
            count += 1
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8"), count
