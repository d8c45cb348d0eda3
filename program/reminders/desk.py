"""What is due now, claimed in the store before it is sent: the one rule every channel shares.

The app and the reminder service both ask the desk; each reminder has a key
(`daily:<plan date>:<HH:MM:SS>`, `once:<id>`) that the store lets exactly one
process claim, so nobody is reminded twice. After a time when nothing was
running, only the latest reminder of the current plan day is sent, as one
gentle line; the older ones are claimed silently, never sent as a pile.

A claim is only a right to try. The caller says how the sending went
(`settle`): a reminder counts as sent only once a channel accepted it (the app's
toast, notify-send exiting 0, a line on a terminal); otherwise the claim is
given back for another channel (the app, when it opens) and this desk does not
try that reminder again. A one-off leaves the schedule only once it was sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from msgspec import Struct

from program import plan, text
from program.reminders.times import next_fire, plan_day_fires, zone_of

if TYPE_CHECKING:
    from program.service import Replenish

LATE_AFTER = timedelta(minutes=10)
"""A reminder sent later than this after its time says it comes from earlier."""

ONE_OFF_STALE_AFTER = timedelta(hours=12)
"""A one-off missed by more than this is set aside unsent: it would only confuse now."""

SILENT = "missed"
"""Channel recorded for reminders claimed without being sent."""


class Reminder(Struct, frozen=True):
    """One claimed reminder, ready to send. `text` is `program.text.outward`'s: neutral unless
    the user asked for detail (and no safety flag is raised)."""

    key: str
    text: str
    due_at: datetime
    one_off: int | None = None
    """The one-off reminder's id, taken off the schedule once the text was sent."""


def daily_key(plan_date: date, clock: time) -> str:
    return f"daily:{plan_date.isoformat()}:{clock:%H:%M:%S}"


def one_off_key(reminder_id: int) -> str:
    return f"once:{reminder_id}"


def daily_text(day: plan.DayPlan, clock: time, late: bool, discreet: bool = True) -> str:
    return text.outward("reminder", day, discreet=discreet, late_from=clock if late else None)


class ReminderDesk:
    """Claims and words the reminders that are due for one channel ("app", "service")."""

    def __init__(self, service: Replenish, channel: str) -> None:
        self._service = service
        self._channel = channel
        self._declined: set[str] = set()
        """Keys no channel of this process could send: left for another process."""

    def take_due(self) -> list[Reminder]:
        """Claim and return what to send now; nothing while paused, done or outside the plan,
        but for a follow-on day (the weekly check-in) once the plan is over."""
        service = self._service
        today = service.today()
        if today is None or today.status not in (plan.Status.ACTIVE, plan.Status.FINISHED):
            return []
        now = service.now()
        if today.status is plan.Status.FINISHED:  # past the end, a follow-on day's alone
            return self._take_daily(today, now)
        return [*self._take_daily(today, now), *self._take_one_offs(now)]

    def settle(self, reminder: Reminder, sent: bool) -> None:
        """After trying `reminder`: sent, it stays claimed (and a one-off leaves the
        schedule); not sent, the claim is given back for another channel to take."""
        if sent:
            if reminder.one_off is not None:
                self._service.retire_one_off(reminder.one_off)
            return
        self._declined.add(reminder.key)
        self._service.release_delivery(reminder.key, self._channel)

    def next_wake(self) -> datetime | None:
        """The next moment anything may fall due (a daily time or a pending one-off)."""
        service = self._service
        now = service.now()
        moments = [
            one_off.fire_at for one_off in service.pending_one_offs() if one_off.fire_at > now
        ]
        upcoming = next_fire(service.settings().reminders, now)
        if upcoming is not None:
            moments.append(upcoming)
        return min(moments, default=None)

    def _take_daily(self, today: plan.Today, now: datetime) -> list[Reminder]:
        service = self._service
        if not today.has_work_today or today.today is None:
            return []
        reminders = service.settings().reminders
        hour = service.day_start_hour()
        zone = zone_of(reminders, now)
        passed = [
            (daily_key(today.plan_date, clock), clock, moment)
            for clock, moment in plan_day_fires(reminders, today.plan_date, hour, zone)
            if moment <= now
        ]
        claimed = service.delivered_keys([key for key, _, _ in passed])
        unsent = [fire for fire in passed if fire[0] not in claimed]
        if not unsent:
            return []
        *older, (key, clock, moment) = unsent
        if key in self._declined:
            return []  # this process could not send it: another channel may
        taken: list[Reminder] = []
        if service.claim_delivery(key, self._channel):
            late = now - moment > LATE_AFTER
            words = daily_text(today.today, clock, late, service.discreet())
            taken.append(Reminder(key, words, moment))
        for older_key, _, _ in older:
            service.claim_delivery(older_key, SILENT)
        return taken

    def _take_one_offs(self, now: datetime) -> list[Reminder]:
        service = self._service
        taken: list[Reminder] = []
        discreet = service.discreet()
        for one_off in service.pending_one_offs():
            if one_off.fire_at > now:
                break
            key = one_off_key(one_off.id)
            if key in self._declined:
                continue
            if now - one_off.fire_at > ONE_OFF_STALE_AFTER:
                service.claim_delivery(key, SILENT)  # too late to help: set aside unsent
                service.retire_one_off(one_off.id)
            elif service.claim_delivery(key, self._channel):
                words = text.outward("one-off", None, discreet=discreet, own_words=one_off.text)
                taken.append(Reminder(key, words, one_off.fire_at, one_off.id))
            # Claimed by another process: it sends and retires it, or gives it back.
        return taken
