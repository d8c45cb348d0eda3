"""`replenish remind …`: set, show and stop reminders; run, install the service; a calendar file.

Only `remind run` imports APScheduler: the others stay as light as every plain command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]

SET_HELP = "remind at these times of day (HH:MM or HH:MM:SS), on every day or on --days"


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    remind = commands.add_parser(
        "remind",
        parents=[common],
        allow_abbrev=False,
        help="reminders: set, show, off, run, install, ics",
        description="Reminders that arrive: in the app, from a small service, on your calendar.",
    )
    remind.set_defaults(handler=_usage(remind))
    actions = remind.add_subparsers(title="actions", metavar="ACTION")

    def action(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(
            name, parents=[common], help=help_text, description=help_text, allow_abbrev=False
        )
        sub.set_defaults(handler=handler)
        return sub

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


def _usage(parser: argparse.ArgumentParser) -> Handler:
    def show_usage(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show_usage


def cmd_set(args: argparse.Namespace) -> int:
    from program.cli import UserError, open_service
    from program.reminders.times import next_fire_text
    from program.reminders.zone import local_zone_name
    from program.settings import EVERY_DAY, parse_days, parse_time

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
        print(f"Reminders: {settings.reminders.describe()}.")
        upcoming = next_fire_text(service, settings)
        if upcoming:
            print(f"Next reminder: {upcoming}.")
        print("They arrive while the app is open; `replenish remind show` says how else.")
    return 0


def cmd_off(args: argparse.Namespace) -> int:
    from program.cli import open_service

    with open_service(args) as service:
        service.save_settings(service.settings().with_reminders(on=False))
    print("Reminders are off. `replenish remind set HH:MM` turns them on again.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from program.cli import open_service
    from program.reminders.show import show_lines

    with open_service(args) as service:
        print("\n".join(show_lines(service)))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from program.cli import UserError, open_service
    from program.reminders.runner import run_service

    if not args.wake_seconds > 0:
        raise UserError("--wake-seconds must be above 0")
    with open_service(args) as service:
        return run_service(service, wake_seconds=args.wake_seconds)


def cmd_install(args: argparse.Namespace) -> int:
    from program.cli import UserError
    from program.reminders.unit import (
        ENABLE_COMMAND,
        replenish_command,
        unit_path,
        unit_text,
        write_unit,
    )

    # Options after the subcommand: that is where the subcommand's parser reads them.
    command = [*replenish_command(), "remind", "run"]
    if args.data_dir is not None:
        command += ["--data-dir", str(Path(args.data_dir).expanduser().absolute())]
    elif _replenish_home():
        command += ["--data-dir", _replenish_home()]
    if args.program is not None:
        command += ["--program", str(Path(args.program).expanduser().absolute())]
    text = unit_text(command)
    if args.print_only:
        print(text, end="")
        return 0
    path = unit_path()
    try:
        write_unit(text, path)
    except OSError as error:
        raise UserError(f"could not write {path}: {error.strerror or error}") from None
    print(f"Wrote {path}.")
    print("To start it now and at every login, run:")
    print(f"  {ENABLE_COMMAND}")
    return 0


def _replenish_home() -> str:
    import os

    home = os.environ.get("REPLENISH_HOME", "")
    return str(Path(home).expanduser().absolute()) if home else ""


def cmd_ics(args: argparse.Namespace) -> int:
    from program.cli import UserError, open_service
    from program.export import write_private
    from program.reminders.ics import CalendarRefused, calendar_text

    with open_service(args) as service:
        try:
            text, count = calendar_text(service)
        except CalendarRefused as refused:
            raise UserError(str(refused)) from None
    path: Path = args.file
    try:
        write_private(path, text)
    except OSError as error:
        raise UserError(f"could not write {path}: {error.strerror or error}") from None
    print(f"Wrote {count} reminder event{'s' if count != 1 else ''} to {path}.")
    print("Open it with your calendar (or send it to your phone) to be reminded there too.")
    return 0
