"""APScheduler jobs for one scheduler, kept in step with the store.

No CronTrigger (it misbehaves at DST changes): the next moment is computed by
`times` and planned as a DateTrigger, and planned again after every run. A
periodic wake-up re-checks what is due, because timers do not count time spent
suspended: after a laptop sleeps past a reminder, the wake-up still sends it.
Every job runs the same idempotent check; claims in the store keep it single.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from program.reminders.desk import ReminderDesk

WAKE_SECONDS = 60.0
MISFIRE_GRACE_SECONDS = 6 * 3600
"""A late job still runs within six hours (APScheduler's default of 1 s would drop it)."""

NEXT_JOB = "replenish-next"
WAKE_JOB = "replenish-wake"
NOW_JOB = "replenish-now"


def job_defaults() -> dict[str, object]:
    return {"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1}


class ReminderJobs:
    """Installs the wake-up, an immediate check, and the next moment's job; `run` is the check."""

    def __init__(
        self,
        scheduler: BaseScheduler,
        desk: ReminderDesk,
        run: Callable[[], object],
        wake_seconds: float = WAKE_SECONDS,
    ) -> None:
        self._scheduler = scheduler
        self._desk = desk
        self._run = run
        self._wake_seconds = wake_seconds

    def install(self) -> None:
        """Before or after the scheduler starts: wake up periodically and check once at once."""
        self._scheduler.add_job(
            self._run,
            IntervalTrigger(seconds=self._wake_seconds, timezone=UTC),
            id=WAKE_JOB,
            replace_existing=True,
        )
        self.check_soon()

    def check_soon(self) -> None:
        """Run the check as soon as the scheduler can (it plans the next moment itself)."""
        self._scheduler.add_job(
            self._run,
            DateTrigger(datetime.now(UTC), timezone=UTC),
            id=NOW_JOB,
            replace_existing=True,
        )

    def planned(self) -> datetime | None:
        """When the next-moment job will run, if one is planned."""
        job = self._scheduler.get_job(NEXT_JOB)
        moment = job.next_run_time if job is not None else None
        return moment if isinstance(moment, datetime) else None

    def plan_next(self) -> None:
        """Point the next-moment job at the next daily time or one-off; a no-op when unchanged."""
        moment = self._desk.next_wake()
        current = self._scheduler.get_job(NEXT_JOB)
        if moment is None:
            if current is not None:
                self._scheduler.remove_job(NEXT_JOB)
            return
        if current is not None and current.next_run_time == moment:
            return
        self._scheduler.add_job(
            self._run, DateTrigger(moment, timezone=UTC), id=NEXT_JOB, replace_existing=True
        )
