"""`replenish start`, `today`, `status` and `nudge`: where the plan stands, in plain text.

`today` and `nudge` leave their answers in the nudge digest, so the next run
can answer without this path (see `program.nudge_digest`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from program.commands.base import UserError, add_command, open_service
from program.terminal import say

if TYPE_CHECKING:
    from program.commands.base import Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    start = add_command(
        commands, common, "start", cmd_start, "begin the plan (today, or on another day)"
    )
    start.add_argument("--on", metavar="YYYY-MM-DD", help="the first day of the plan")
    start.add_argument(
        "--day-starts",
        type=int,
        metavar="HOUR",
        help="the hour your day begins (default 4: until 04:00 it is still yesterday)",
    )
    add_command(commands, common, "today", cmd_today, "today's exercises as plain text")
    add_command(commands, common, "status", cmd_status, "week, day, days done and reminders")
    add_command(
        commands,
        common,
        "nudge",
        cmd_nudge,
        "one line if today is waiting and the reminder time has passed",
    )


def _parse_date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{text!r} is not a date; expected YYYY-MM-DD, like 2026-12-01") from None


def cmd_start(args: argparse.Namespace) -> int:
    from datetime import date

    on = _parse_date(args.on) if args.on else None
    assert on is None or isinstance(on, date)
    hour = args.day_starts
    if hour is not None and not 0 <= hour <= 12:
        raise UserError(f"--day-starts {hour} is out of range; expected an hour from 0 to 12")
    with open_service(args) as service:
        if service.enrolment() is not None:
            raise UserError(
                "your plan has already begun; `replenish status` shows where you are "
                "(your answers are safe)"
            )
        try:
            enrolment = service.start(on, hour)
        except ValueError as error:  # a first day years away: a slip, said plainly
            raise UserError(f"{error}. Nothing was changed") from None
        say(f"Your plan begins on {enrolment.start_date:%A %d %B %Y}.")
        say("`replenish today` shows what is waiting; `replenish` opens the app.")
    return 0


def cmd_today(args: argparse.Namespace) -> int:
    """Today's exercises, or before the plan has begun a preview of day 1."""
    from program import text, then_now
    from program.paths import bundled_program_dir
    from program.reminders.digest import Draft

    draft = Draft.begin(args.given_data_dir, args.program)
    with open_service(args, now=None if draft is None else draft.now) as service:
        today = service.today()
        preview = service.preview() if today is None else None
        view = (
            then_now.read(service)
            if today is not None and then_now.offered(service.program, today.day)
            else None
        )
        shown = text.today_text(
            service.program,
            today,
            preview,
            service.recalls_today(today),
            then_now.plain_lines(view) if view is not None else (),
        )
        if draft is not None:
            draft.record(service, "today", shown, today)
    say(shown)
    if draft is not None:
        draft.finish(service.store.data_dir, args.program or bundled_program_dir())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from program import plan, text
    from program.reminders.show import plan_lines
    from program.reminders.times import next_fire_text

    with open_service(args) as service:
        today = service.today()
        settings = service.settings()
        if today is None:
            say("Not started yet. `replenish start` begins the plan.")
        elif today.status is plan.Status.NOT_STARTED:
            say(f"Your plan begins on {today.starts_on:%A %d %B %Y}.")
        else:
            state = {
                plan.Status.ACTIVE: "",
                plan.Status.PAUSED: " (paused)",
                plan.Status.FINISHED: " (the plan is complete)",
            }[today.status]
            say(f"Week {today.week} of {today.weeks}, day {today.day} of {today.days}{state}.")
            say(f"Days done: {today.days_done}.")
            if today.follow_on and today.has_work_today:
                say("Today holds this week's check-in.")
            elif later := text.next_follow_on_line(today):
                say(later)
        say(f"Reminders: {settings.reminders.describe()}.")
        upcoming = next_fire_text(service, settings, today)
        if upcoming:
            say(f"Next reminder: {upcoming}.")
        if settings.reminders.on and settings.reminders.times:
            for line in plan_lines(today):  # why none comes, or none today
                say(line)
    return 0


def cmd_nudge(args: argparse.Namespace) -> int:
    """Silent unless today is waiting and today's reminder time has passed."""
    from program.paths import bundled_program_dir
    from program.reminders.digest import Draft
    from program.reminders.times import nudge_line

    draft = Draft.begin(args.given_data_dir, args.program)
    # No daily backup here: nudge runs in every new shell and must stay minimal.
    with open_service(args, now=None if draft is None else draft.now, backup=False) as service:
        today = service.today()
        line = nudge_line(service, today)
        if draft is not None:
            draft.record(service, "nudge", line, today)
    if line:
        say(line)
    if draft is not None:
        draft.finish(service.store.data_dir, args.program or bundled_program_dir())
    return 0
