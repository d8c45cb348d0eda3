"""`replenish remind ics`: the remaining days as calendar events, so a phone can remind too.

One event per remaining program day and reminder time, in the zone the times
were set in (DTSTART with TZID, and the VTIMEZONE that defines it), each with a
display alarm at the event time. UIDs depend only on the plan's start, the day
and the time, so a new file updates the events an earlier import created
instead of adding copies; SEQUENCE grows with the time of writing, so the newer
file wins. Phone calendars are often shared: every event is `CLASS:PRIVATE`,
and its words are `program.text.outward`'s, neutral unless the user asked for
detail. While the plan is paused, the file cancels the remaining days' events.
Every path written is kept in the data folder (`calendar-files`) so that
`replenish erase` can find and remove the files.
"""

from __future__ import annotations

from datetime import UTC, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from program import plan, text
from program.reminders.times import wall_time, zone_of
from program.zone import PosixRule

if TYPE_CHECKING:
    from program.service import Replenish


CALENDAR_RECORD = "calendar-files"
"""In the data folder: the calendar files written, one absolute path a line, for `erase`."""


class CalendarRefused(Exception):
    """No calendar can be made; the message says why and what to do."""


def remember_calendar_file(data_dir: Path, path: Path) -> list[str] | None:
    """Add `path` to the record of calendar files written (0600, in the data folder), before
    the file is written; returns the record as it was (None when `path` was already in it),
    for `forget_calendar_file` should the writing fail."""
    from state.paths import write_file

    known = calendar_files(data_dir)
    absolute = str(path.expanduser().absolute())
    if absolute in known:
        return None
    write_file(data_dir / CALENDAR_RECORD, "".join(f"{line}\n" for line in [*known, absolute]))
    return known


def forget_calendar_file(data_dir: Path, before: list[str] | None) -> None:
    """Put the record back as `remember_calendar_file` found it (the file was not written)."""
    from state.paths import write_file

    if before is None:
        return
    record = data_dir / CALENDAR_RECORD
    if before:
        write_file(record, "".join(f"{line}\n" for line in before))
    else:
        record.unlink(missing_ok=True)


def calendar_files(data_dir: Path) -> list[str]:
    """The calendar files written from this data folder, as recorded (any that still exist)."""
    try:
        text = (data_dir / CALENDAR_RECORD).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in text.splitlines() if line.strip()]


def remaining_days(service: Replenish) -> list[plan.DayPlan]:
    """Today (unless done) and every later program day that holds exercises."""
    today = service.today()
    if today is None:
        raise CalendarRefused("your plan has not begun yet; `replenish start` begins it")
    if today.status is plan.Status.FINISHED:
        raise CalendarRefused("your plan has ended, so there are no days left to put in a calendar")
    first = (
        today.day
        if today.has_work_today or today.status is plan.Status.NOT_STARTED
        else today.day + 1
    )
    if today.status is plan.Status.PAUSED:
        first = today.day + 1  # today's own event stays as it was
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
    paused = today.status is plan.Status.PAUSED
    discreet = service.discreet()
    sequence = int(now.timestamp()) // 60  # a later file's events replace an earlier one's
    calendar = Calendar()
    calendar.add("prodid", "-//Replenish//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Replenish")
    count = 0
    for day in days:
        on = plan.date_of_day(schedule, day.day, today.plan_date)
        if paused:  # no date of its own yet: the one it would have if resumed today
            on = today.plan_date + timedelta(days=day.day - today.day)
        if on is None or on.weekday() not in reminders.days:
            continue
        summary = text.outward("calendar-summary", day, discreet=discreet)
        description = text.outward("calendar-text", day, discreet=discreet)
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
            event.add("summary", summary)
            event.add("description", description)
            event.add("class", "PRIVATE")
            event.add("sequence", sequence)
            event.add("status", "CANCELLED" if paused else "CONFIRMED")
            if not paused:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", timedelta(0))
                event.add_component(alarm)
            calendar.add_component(event)
            count += 1
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8"), count
