"""`replenish remind run`: the reminder service, in the foreground, for systemd or a terminal.

A BlockingScheduler with the same jobs as the app, in the main thread; SIGTERM and
Ctrl+C end it and a stop waits for a check under way (`quiet`). Its channels, tried in turn
until one accepts: `notify-send` when it is on the PATH (an argument list, never
a shell; the body escaped, since notification servers read it as markup), which
accepts when it exits 0; then, when stdout is a terminal, the line itself (made
`printable`) with the terminal bell. A reminder no channel took is given back
(`ReminderDesk.settle`) for the app to show when it opens.

Nothing the user wrote goes to a log: a one-off reminder holds their own words,
and under the systemd unit stdout and stderr are the journal, which others may
read. So the text goes only to notify-send or to a terminal; never to a stdout
that is not one. The log (stderr) names reminders by key alone.

While a folder is linked to a partner, it also exchanges with them (`install_partner_sync`),
and says in the log only how many envelopes moved.
"""

from __future__ import annotations

import html
import logging
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from program.partner import SYNC_SECONDS
from program.reminders.desk import ReminderDesk
from program.reminders.jobs import WAKE_SECONDS, ReminderJobs, job_defaults
from program.terminal import printable

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    from program.service import Replenish

CHANNEL = "service"
APP_NAME = "Replenish"
LEFT = "the app shows it when it opens"


def notification_body(text: str) -> str:
    """The text with & < > escaped: notification bodies are read as a small markup."""
    return html.escape(text, quote=False)


Sender = Callable[[str], bool]
"""Tries to show a reminder's text; True only when the channel accepted it."""


def desktop_sender(notify_send: str) -> Sender:
    def send(text: str) -> bool:
        try:
            done = subprocess.run(
                [notify_send, f"--app-name={APP_NAME}", "--", APP_NAME, notification_body(text)],
                check=False,
                timeout=30,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):  # gone since the start, or hung
            return False
        return done.returncode == 0

    return send


def terminal_sender(out: TextIO) -> Sender:
    def send(text: str) -> bool:
        try:
            out.write(f"{APP_NAME} · {printable(text)}\a\n")
            out.flush()
        except (OSError, ValueError):  # the terminal went away
            return False
        return True

    return send


def channels(out: TextIO) -> list[tuple[str, Sender]]:
    """(name, sender) of each channel this service has, in the order they are tried."""
    found: list[tuple[str, Sender]] = []
    notify_send = shutil.which("notify-send")
    if notify_send:
        found.append(("notify-send", desktop_sender(notify_send)))
    if _is_terminal(out):
        found.append(("the terminal", terminal_sender(out)))
    return found


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (OSError, ValueError):
        return False


def deliver(routes: list[tuple[str, Sender]], text: str) -> str | None:
    """The name of the first channel that accepted `text`, or None when none did."""
    for name, send in routes:
        if send(text):
            return name
    return None


def log_line(log: TextIO, message: str) -> None:
    log.write(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z} replenish remind: {message}\n")
    log.flush()


def service_scheduler(
    service: Replenish,
    routes: list[tuple[str, Sender]],
    log: TextIO,
    wake_seconds: float = WAKE_SECONDS,
    partner_seconds: float = SYNC_SECONDS,
) -> tuple[BlockingScheduler, ReminderJobs, Callable[[], None]]:
    """A scheduler with the reminder jobs installed, ready to `start()` (it blocks), and
    the way to stop it (`quiet`)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    desk = ReminderDesk(service, CHANNEL)
    scheduler = BlockingScheduler(timezone="UTC", job_defaults=job_defaults())
    checking = threading.Lock()
    stopped = threading.Event()

    def guarded(job: Callable[[], None]) -> Callable[[], None]:
        """`job` as the scheduler runs it: `quiet` waits for one under way, and none
        begins after it (the store it reads is closed next)."""

        def run() -> None:
            with checking:
                if not stopped.is_set():
                    job()

        return run

    def run_check() -> None:
        for reminder in desk.take_due():
            how = deliver(routes, reminder.text)
            desk.settle(reminder, how is not None)
            if how is not None:
                log_line(log, f"sent {reminder.key} through {how}")
            else:
                log_line(log, f"{reminder.key} is due but no channel here took it; {LEFT}")
        jobs.plan_next()

    def quiet() -> None:
        """Stop the jobs and wait for one under way, so the store it reads is closed
        only after it (shutdown(wait=True) deadlocks on a check that reschedules)."""
        stopped.set()
        if scheduler.running:
            scheduler.pause()
        with checking:
            pass

    jobs = ReminderJobs(scheduler, desk, guarded(run_check), wake_seconds)
    jobs.install()
    install_partner_sync(scheduler, service, log, partner_seconds, guarded)
    return scheduler, jobs, quiet


PARTNER_JOB = "replenish-partner"
STOP_WATCH = "replenish-stop-watch"


def install_partner_sync(
    scheduler: BaseScheduler,
    service: Replenish,
    log: TextIO,
    seconds: float,
    guarded: Callable[[Callable[[], None]], Callable[[], None]],
) -> None:
    """Exchange with the partner at start and every `seconds` while a folder is linked
    (run `guarded`, as the service's other jobs are, so a stop waits for it).

    On a connection of its own (`sync_partner_apart`), in the scheduler's threads. The log
    says only how many envelopes moved, never a name or a word; a folder not there (a
    drive unplugged) is a line in the log, and the next run tries again.
    """
    from apscheduler.triggers.interval import IntervalTrigger

    from program.partner.keys import PartnerError
    from state import StoreError

    def sync() -> None:
        if not service.partner_folder_linked():
            return
        try:
            report = service.sync_partner_apart()
        except (PartnerError, StoreError, OSError):  # the store says sqlite3 errors as StoreError
            log_line(log, "could not exchange with the partner just now; trying again later")
            return
        if report.received or report.sent or report.problems:
            log_line(
                log,
                f"exchanged with the partner: {report.received} received, {report.sent} sent"
                + (f", {len(report.problems)} to look at" if report.problems else ""),
            )

    scheduler.add_job(
        guarded(sync),
        IntervalTrigger(seconds=seconds, timezone=UTC),
        id=PARTNER_JOB,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )


def run_service(
    service: Replenish,
    wake_seconds: float = WAKE_SECONDS,
    out: TextIO = sys.stdout,
    log: TextIO = sys.stderr,
) -> int:
    """Run until SIGTERM or Ctrl+C; returns 0 after saying it stopped."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    routes = channels(out)
    if routes:
        how = "sending through " + ", else ".join(name for name, _ in routes)
    else:
        how = f"no channel here (notify-send is missing and stdout is not a terminal); {LEFT}"
    scheduler, _, quiet = service_scheduler(service, routes, log, wake_seconds)

    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        """Only a flag: an exception raised here could land inside APScheduler's job
        submission, which catches every exception and logs it, and the loop goes on."""
        stopping.set()

    def watch() -> None:
        """Carries out a stop within a second, from a worker thread (where shutting the
        scheduler down is safe, as it is not inside a signal handler)."""
        if stopping.is_set():
            scheduler.shutdown(wait=False)

    from apscheduler.triggers.interval import IntervalTrigger

    scheduler.add_job(watch, IntervalTrigger(seconds=1), id=STOP_WATCH, replace_existing=True)
    reminders = service.settings().reminders
    previous = signal.signal(signal.SIGTERM, stop)
    previous_int = signal.signal(signal.SIGINT, stop)
    try:  # a signal may come at any point from here on: always the same clean stop
        log_line(log, f"started; reminders {reminders.describe()}; {how}")
        scheduler.start()
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
        quiet()  # a check under way finishes first
    log_line(log, "stopped")
    return 0
