"""Reminders while the app is open: an AsyncIOScheduler on Textual's own loop.

The app calls `start()` once its first frame is up (the scheduler needs the
running loop), `reschedule()` after the reminder settings change, and
`shutdown()` on the way out. `deliver` is always called on the loop's thread,
so it may call `notify` directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from program.reminders.desk import ReminderDesk
from program.reminders.jobs import WAKE_SECONDS, ReminderJobs, job_defaults

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from program.service import Replenish

CHANNEL = "app"


class InAppReminders:
    """Delivers due reminders as toasts while the app runs; safe to start and stop once."""

    def __init__(
        self,
        service: Replenish,
        deliver: Callable[[str], None],
        wake_seconds: float = WAKE_SECONDS,
    ) -> None:
        self._desk = ReminderDesk(service, CHANNEL)
        self._deliver = deliver
        self._wake_seconds = wake_seconds
        self._scheduler: AsyncIOScheduler | None = None
        self._jobs: ReminderJobs | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def planned(self) -> datetime | None:
        """When the next reminder check is planned (after each check, the following moment)."""
        return self._jobs.planned() if self._jobs is not None else None

    def start(self) -> None:
        """Start on the running loop; delivers at once a reminder missed while all was closed."""
        if self._scheduler is not None:
            return
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(), timezone="UTC", job_defaults=job_defaults()
        )
        self._scheduler = scheduler
        self._jobs = ReminderJobs(scheduler, self._desk, self._run, self._wake_seconds)
        self._jobs.install()
        scheduler.start()

    def reschedule(self) -> None:
        """The settings (or plan) changed: plan the next moment again and deliver what is due."""
        if self._jobs is not None:
            self._jobs.check_soon()

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        self._jobs = None

    async def _run(self) -> None:
        """One check: claim what is due off the loop (SQLite), deliver on it, plan the next."""
        jobs = self._jobs
        due = await asyncio.to_thread(self._desk.take_due)
        for reminder in due:
            self._deliver(reminder.text)  # a toast always shows
            await asyncio.to_thread(self._desk.settle, reminder, True)
        if jobs is not None:
            await asyncio.to_thread(jobs.plan_next)
