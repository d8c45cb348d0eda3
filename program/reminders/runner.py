"""`replenish remind run`: the reminder service, in the foreground, for systemd or a terminal.

A BlockingScheduler with the same jobs as the app. It sends through
`notify-send` when that is on the PATH (an argument list, never a shell; the
body escaped, since notification servers read it as markup), else prints the
line and rings the terminal bell. Each delivery is logged to stderr by its key
only: a one-off may hold the user's own words, which never go to a log.
"""

from __future__ import annotations

import html
import logging
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from program.reminders.desk import ReminderDesk
from program.reminders.jobs import WAKE_SECONDS, ReminderJobs, job_defaults

if TYPE_CHECKING:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from program.service import Replenish

CHANNEL = "service"
APP_NAME = "Replenish"


class _Stop(Exception):
    """Raised in the main thread by the SIGTERM handler to leave the scheduler's loop."""


def notification_body(text: str) -> str:
    """The text with & < > escaped: notification bodies are read as a small markup."""
    return html.escape(text, quote=False)


def desktop_sender(notify_send: str) -> Callable[[str], None]:
    def send(text: str) -> None:
        subprocess.run(
            [notify_send, f"--app-name={APP_NAME}", "--", APP_NAME, notification_body(text)],
            check=False,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )

    return send


def terminal_sender(out: TextIO) -> Callable[[str], None]:
    def send(text: str) -> None:
        out.write(f"{APP_NAME} · {text}\a\n")
        out.flush()

    return send


def log_line(log: TextIO, message: str) -> None:
    log.write(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z} replenish remind: {message}\n")
    log.flush()


def service_scheduler(
    service: Replenish,
    send: Callable[[str], None],
    how: str,
    log: TextIO,
    wake_seconds: float = WAKE_SECONDS,
) -> tuple[BlockingScheduler, ReminderJobs]:
    """A BlockingScheduler with the reminder jobs installed, ready to `start()`."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    desk = ReminderDesk(service, CHANNEL)
    scheduler = BlockingScheduler(timezone="UTC", job_defaults=job_defaults())

    def check() -> None:
        for reminder in desk.take_due():
            send(reminder.text)
            log_line(log, f"sent {reminder.key} through {how}")
        jobs.plan_next()

    jobs = ReminderJobs(scheduler, desk, check, wake_seconds)
    jobs.install()
    return scheduler, jobs


def run_service(
    service: Replenish,
    wake_seconds: float = WAKE_SECONDS,
    out: TextIO = sys.stdout,
    log: TextIO = sys.stderr,
) -> int:
    """Run until SIGTERM or Ctrl+C; returns 0 after saying it stopped."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    notify_send = shutil.which("notify-send")
    send = desktop_sender(notify_send) if notify_send else terminal_sender(out)
    how = "notify-send" if notify_send else "the terminal"
    scheduler, _ = service_scheduler(service, send, how, log, wake_seconds)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop

    reminders = service.settings().reminders
    previous = signal.signal(signal.SIGTERM, stop)
    try:  # a signal may come at any point from here on: always the same clean stop
        log_line(log, f"started; reminders {reminders.describe()}; sending through {how}")
        scheduler.start()
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if scheduler.running:
            scheduler.shutdown(wait=False)
    log_line(log, "stopped")
    return 0
