"""`replenish remind …`: set, show and stop reminders; run, install the service; a calendar file.

Only `remind run` imports APScheduler: the others stay as light as every plain command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import Handler, UserError, add_command, data_dir, open_service
from program.terminal import say

if TYPE_CHECKING:
    from program.commands.base import Commands

SET_HELP = "remind at these times of day (HH:MM or HH:MM:SS), on every day or on --days"


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    remind = add_command(
        commands,
        common,
        "remind",
        _usage,
        "reminders: set, show, off, run, install, ics",
        "Reminders that arrive: in the app, from a small service, on your calendar.",
    )
    remind.set_defaults(usage_of=remind)
    actions = remind.add_subparsers(title="actions", metavar="ACTION")

    def action(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        return add_command(actions, common, name, handler, help_text)

    set_ = action("set", cmd_set, SET_HELP)
    set_.add_argument("times", nargs="+", metavar="HH:MM")
    set_.add_argument("--days", metavar="mon,tue,...", help="weekdays to remind on (default: all)")
    action("off", cmd_off, "stop all daily reminders (your times are kept)")
    action("show", cmd_show, "the reminder times and when the next one comes")
    run = action("run", cmd_run, "the reminder service, in the foreground (Ctrl+C stops it)")
    run.add_argument("--wake-seconds", type=float, default=60.0, help=argparse.SUPPRESS)
    install = action("install", cmd_install, "write a systemd user unit for `remind run`")
    install.add_argument(
        "--print", dest="print_only", action="store_true", help="show the unit, write nothing"
    )
    ics = action("ics", cmd_ics, "write the remaining days as calendar events (iCalendar)")
    ics.add_argument("file", type=Path, metavar="FILE.ics")


def _usage(args: argparse.Namespace) -> int:
    """`replenish remind` alone: its help, and the exit status of a usage error."""
    args.usage_of.print_help()
    return 2


def cmd_set(args: argparse.Namespace) -> int:
    from program.reminders.times import next_fire_text
    from program.settings import EVERY_DAY, parse_days, parse_time
    from program.zone import local_zone_name

    try:
        times = tuple(sorted({parse_time(text) for text in args.times}))
        days = parse_days(args.days) if args.days is not None else EVERY_DAY
    except ValueError as error:
        raise UserError(str(error)) from None
    with open_service(args) as service:
        settings = service.settings().with_reminders(
            on=True, times=times, days=days, timezone=local_zone_name()
        )
        service.save_settings(settings)
        say(f"Reminders: {settings.reminders.describe()}.")
        upcoming = next_fire_text(service, settings, service.today())
        if upcoming:
            say(f"Next reminder: {upcoming}.")
        say("They arrive while the app is open; `replenish remind show` says how else.")
    return 0


def cmd_off(args: argparse.Namespace) -> int:

    with open_service(args) as service:
        service.save_settings(service.settings().with_reminders(on=False))
    say("Reminders are off. `replenish remind set HH:MM` turns them on again.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from program.reminders.show import show_lines

    with open_service(args) as service:
        say("\n".join(show_lines(service)))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from program.reminders.runner import run_service

    if not args.wake_seconds > 0:
        raise UserError("--wake-seconds must be above 0")
    with open_service(args) as service:
        return run_service(service, wake_seconds=args.wake_seconds)


def cmd_install(args: argparse.Namespace) -> int:
    from program.reminders.unit import (
        ENABLE_COMMAND,
        replenish_command,
        unit_path,
        unit_text,
        write_unit,
    )

    # Options after the subcommand: that is where the subcommand's parser reads them. The
    # data folder is always named: the service's environment may not hold the variables
    # (REPLENISH_HOME, XDG_DATA_HOME) that chose it in this shell.
    command = [*replenish_command(), "remind", "run", "--data-dir", str(data_dir(args))]
    if args.program is not None:
        command += ["--program", str(Path(args.program).expanduser().absolute())]
    text = unit_text(command)
    if args.print_only:
        say(text, end="")
        return 0
    path = unit_path()
    try:
        write_unit(text, path)
    except OSError as error:
        raise UserError(f"could not write {path}: {error.strerror or error}") from None
    say(f"Wrote {path}.")
    say("To start it now and at every login, run:")
    say(f"  {ENABLE_COMMAND}")
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from program.export import write_private
    from program.reminders.ics import (
        CalendarRefused,
        calendar_text,
        forget_calendar_file,
        remember_calendar_file,
    )

    path: Path = args.file
    with open_service(args) as service:
        try:
            text, count = calendar_text(service)
        except CalendarRefused as refused:
            raise UserError(str(refused)) from None
        schedule = service.schedule()
        paused = schedule is not None and schedule.paused
        data = service.store.data_dir
        try:
            before = remember_calendar_file(data, path)  # first: erase must find it
        except OSError as error:
            raise UserError(f"could not note {path} in {data}: {error.strerror or error}") from None
        try:
            write_private(path, text)
        except OSError as error:
            forget_calendar_file(data, before)  # nothing written: the folder as it was
            raise UserError(f"could not write {path}: {error.strerror or error}") from None
    if paused:
        say(f"Wrote {path}: it cancels {count} event{'s' if count != 1 else ''} while you rest.")
        say("Open it with your calendar; write a new file when you resume.")
        return 0
    say(f"Wrote {count} reminder event{'s' if count != 1 else ''} to {path}.")
    say("Open it with your calendar (or send it to your phone) to be reminded there too.")
    return 0
