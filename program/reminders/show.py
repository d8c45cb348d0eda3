"""The words of `replenish remind show`: the times, the next one in local time, the DST nights."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from program import plan
from program.reminders.times import DST_NOTE, dst_notes, next_fire_text, zone_of

if TYPE_CHECKING:
    from program.service import Replenish


def show_lines(service: Replenish) -> Iterator[str]:
    settings = service.settings()
    reminders = settings.reminders
    if not reminders.on or not reminders.times:
        yield "Reminders are off. `replenish remind set 20:30` reminds you at 20:30 every day."
        return
    now = service.now()
    zone = zone_of(reminders, now)
    yield f"Reminders: {reminders.describe()} ({reminders.timezone or 'local time'})."
    today = service.today()
    upcoming = next_fire_text(service, settings, today)
    if upcoming:
        yield f"Next reminder: {upcoming}."
    yield from plan_lines(today)
    yield ""
    yield DST_NOTE
    yield from dst_notes(reminders, now.astimezone(zone).date(), zone)
    yield ""
    yield "Where they arrive: in the app while it is open; from `replenish remind run`"
    yield "(`replenish remind install` keeps it running); on your phone with"
    yield "`replenish remind ics FILE`; and in new shells with `replenish nudge`."


def plan_lines(today: plan.Today | None) -> Iterator[str]:
    """Why reminders stay quiet now, if they do (`status` says the same)."""
    if today is None:
        yield "Your plan has not begun, so nothing is sent yet."
    elif today.status is plan.Status.NOT_STARTED:
        yield f"Your plan begins on {today.starts_on:%A %d %B}; reminders start then."
    elif today.status is plan.Status.PAUSED:
        yield "Your plan is paused, so no reminders are sent until you resume."
    elif today.status is plan.Status.FINISHED and today.next_follow_on is not None:
        yield "Your plan has ended: reminders now come only on the days of the weekly check-in."
    elif today.status is plan.Status.FINISHED:
        yield "Your plan has ended, so no more reminders are sent."
    elif today.today is not None and today.today.done:
        last = " It is the plan's last day: no more come." if today.day >= today.days else ""
        yield f"Today is done, so today's reminders stay quiet.{last}"
