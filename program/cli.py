"""The `replenish` command: the app by default, plus plain subcommands.

The plain subcommands must start in a few tens of milliseconds (`nudge` runs
every time a shell opens), so this module imports only `sys` at the top: the
parser is built after `nudge` and `today` have had their chance to answer from
the digest (`program.nudge_digest`), and each command imports what it needs.
Textual and APScheduler are never imported on these paths; a test checks
`sys.modules`.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # `typing` alone costs a `nudge` a tenth of its time
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from program.commands import Register
    from program.service import Replenish

    Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """Something the user can fix; printed as one plain message, never a traceback."""


CORE_COMMANDS = ("start", "today", "status", "nudge", "validate", "export", "import")
"""The commands defined in this module; the others register in `program.commands`."""
SHARED_OPTIONS = ("--data-dir", "--program")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line; the shared options work before or after the command."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(only=_core_command(words)).parse_args(words)
    for name in ("data_dir", "program"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if "nudge" in words or "today" in words:
        from program.nudge_digest import fast_answer

        try:
            if fast_answer(words):
                return 0
        except KeyboardInterrupt:
            return 130
    args = _plain_args(words) or parse_args(words)
    handler: Handler = getattr(args, "handler", run_app)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except UserError as error:
        print(f"replenish: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        # Known failures of the store and the program folder carry their own message.
        from program.content import ProgramError
        from state import StoreError

        if isinstance(error, ProgramError):
            print("replenish: the program folder has problems:", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        if isinstance(error, StoreError):
            print(f"replenish: {error}", file=sys.stderr)
            return 1
        if isinstance(error, OSError):  # the system refused a file or folder: say which, why
            where = f" {error.filename}" if error.filename else ""
            print(f"replenish: could not use{where}: {error.strerror or error}", file=sys.stderr)
            return 1
        raise


def _plain_args(words: list[str]) -> argparse.Namespace | None:
    """`today` and `status` with only the shared options, read without building a parser.

    Building argparse's parser (and the help formatter it makes on the way) costs
    a `today` more than its own work; any other line is parsed in full.
    """
    from program.plain_argv import plain_options

    for name, handler in (("today", cmd_today), ("status", cmd_status)):
        options = plain_options(words, name) if name in words else None
        if options is not None:
            import argparse
            from pathlib import Path

            data_dir, program = options.get("--data-dir"), options.get("--program")
            return argparse.Namespace(
                handler=handler,
                data_dir=None if data_dir is None else Path(data_dir),
                program=None if program is None else Path(program),
            )
    return None


def _core_command(words: list[str]) -> str | None:
    """The core command a plain command line names, when a parser of it alone parses it alike.

    Building every subparser, with the ones that register from `program.commands`,
    is a fifth of `replenish today`. Anything unusual (help, abbreviations, no
    command) gets the whole parser, so messages and help stay exactly the same.
    """
    value_next = False
    for word in words:
        if value_next:
            value_next = False
        elif word in SHARED_OPTIONS:
            value_next = True
        elif word.startswith("-"):
            if word.partition("=")[0] not in SHARED_OPTIONS or "=" not in word:
                return None
        else:
            return word if word in CORE_COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only`, that core command's subparser alone."""
    import argparse
    from pathlib import Path

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="where your answers are kept (default: $REPLENISH_HOME or the user data folder)",
    )
    common.add_argument(
        "--program",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="a program folder to run instead of the bundled one",
    )
    parser = argparse.ArgumentParser(
        prog="replenish",
        description="A calm, private companion for recovering from relationship burnout.",
        parents=[common],
        allow_abbrev=False,  # `--data nudge` must not quietly mean `--data-dir nudge`
    )
    # No set_defaults for the shared options: the parent parser's actions are shared with
    # every subparser, so a default set here would overwrite a value given before the
    # command (`replenish --program X today`). `parse_args` fills the gaps instead.
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return argparse.ArgumentParser(add_help=False)  # detached: never parses
        sub = commands.add_parser(
            name, parents=[common], help=help_text, description=help_text, allow_abbrev=False
        )
        sub.set_defaults(handler=handler)
        return sub

    start = command("start", cmd_start, "begin the plan (today, or on another day)")
    start.add_argument("--on", metavar="YYYY-MM-DD", help="the first day of the plan")
    start.add_argument(
        "--day-starts",
        type=int,
        metavar="HOUR",
        help="the hour your day begins (default 4: until 04:00 it is still yesterday)",
    )
    command("today", cmd_today, "today's exercises as plain text")
    command("status", cmd_status, "week, day, days done and reminders")
    command("nudge", cmd_nudge, "one line if today is waiting and the reminder time has passed")
    validate = command("validate", cmd_validate, "check a program folder")
    validate.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="default: --program")
    export = command("export", cmd_export, "all your answers as Markdown or JSON")
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE (default: print)"
    )
    imports = command("import", cmd_import, "bring back a JSON export")
    imports.add_argument("file", type=Path, metavar="FILE.json")
    imports.add_argument(
        "--replace",
        action="store_true",
        help="replace what is stored, keeping a copy of it (without: add only what is missing)",
    )
    for extend in [] if only is not None else _extensions():
        extend(commands, common)
    return parser


def _extensions() -> list[Register]:
    """Subcommands that live beside their subject (reminders, store care)."""
    from program.commands import registered

    return registered()


# ----- helpers --------------------------------------------------------------


def open_service(args: argparse.Namespace) -> Replenish:
    from program.service import Replenish

    return Replenish.open(program_dir=args.program, data_dir=args.data_dir)


def _parse_date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{text!r} is not a date; expected YYYY-MM-DD, like 2026-12-01") from None


# ----- commands -------------------------------------------------------------


def run_app(args: argparse.Namespace) -> int:
    """The Textual app (imported only here, so plain commands stay fast)."""
    from program.tui import run

    return run(program_dir=args.program, data_dir=args.data_dir)


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
        print(f"Your plan begins on {enrolment.start_date:%A %d %B %Y}.")
        print("`replenish today` shows what is waiting; `replenish` opens the app.")
    return 0


def cmd_today(args: argparse.Namespace) -> int:
    """Today's exercises, or before the plan has begun a preview of day 1.

    Like `nudge`, it leaves its text for the coming plan days in the digest, so
    the next `today` can answer without this path (see `program.nudge_digest`).
    """
    from program import clock, text
    from program.paths import bundled_program_dir
    from program.reminders.digest import Draft
    from program.service import Replenish

    draft = Draft.begin(args.data_dir, args.program)
    service = Replenish.open(
        program_dir=args.program,
        data_dir=args.data_dir,
        now=clock.now if draft is None else draft.now,
    )
    with service:
        today = service.today()
        preview = service.preview() if today is None else None
        shown = text.today_text(service.program, today, preview)
        if draft is not None:
            draft.record(service, "today", shown)
    print(shown)
    if draft is not None:
        draft.finish(service.store.data_dir, args.program or bundled_program_dir())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from program import plan
    from program.reminders.times import next_fire_text

    with open_service(args) as service:
        today = service.today()
        settings = service.settings()
        if today is None:
            print("Not started yet. `replenish start` begins the plan.")
        elif today.status is plan.Status.NOT_STARTED:
            print(f"Your plan begins on {today.starts_on:%A %d %B %Y}.")
        else:
            state = {
                plan.Status.ACTIVE: "",
                plan.Status.PAUSED: " (paused)",
                plan.Status.FINISHED: " (the plan is complete)",
            }[today.status]
            print(f"Week {today.week} of {today.weeks}, day {today.day} of {today.days}{state}.")
            print(f"Days done: {today.days_done}.")
        print(f"Reminders: {settings.reminders.describe()}.")
        upcoming = next_fire_text(service, settings)
        if upcoming:
            print(f"Next reminder: {upcoming}.")
    return 0


def cmd_nudge(args: argparse.Namespace) -> int:
    """Silent unless today is waiting and today's reminder time has passed.

    The answer for the coming days is left in the nudge digest, so the next
    shells can answer without this path (see `program.nudge_digest`).
    """
    from program import clock
    from program.paths import bundled_program_dir
    from program.reminders.digest import Draft
    from program.reminders.times import nudge_line
    from program.service import Replenish

    draft = Draft.begin(args.data_dir, args.program)
    # No daily backup here: nudge runs in every new shell and must stay minimal.
    service = Replenish.open(
        program_dir=args.program,
        data_dir=args.data_dir,
        now=clock.now if draft is None else draft.now,
        backup=False,
    )
    with service:
        line = nudge_line(service)
        if draft is not None:
            draft.record(service, "nudge", line)
    if line:
        print(line)
    if draft is not None:
        draft.finish(service.store.data_dir, args.program or bundled_program_dir())
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from program.content.loader import check
    from program.paths import bundled_program_dir

    folder: Path = args.dir or args.program or bundled_program_dir()
    program, problems = check(folder)  # one reading: large programs are read once, not twice
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {folder}.", file=sys.stderr)
        return 1
    assert program is not None  # no problems means the program was built
    exercises = sum(1 for _ in program.exercises)
    print(
        f"{folder}: valid. {program.title}: {len(program.modules)} modules, "
        f"{exercises} exercises, {program.days} days."
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from program import export

    with open_service(args) as service:
        content = export.as_json(service) if args.format == "json" else export.as_markdown(service)
    if args.output is None:
        sys.stdout.write(content)
        return 0
    problem = export.export_problem(args.output)
    if problem:
        raise UserError(f"{problem}. Nothing was written")
    try:
        export.write_private(args.output, content)
    except OSError as error:
        raise UserError(
            f"could not write {args.output} ({error.strerror or error}). Nothing was written"
        ) from None
    print(f"Wrote {args.output}. It holds your private words: keep it somewhere safe.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from program import export

    try:
        raw = export.read_export(args.file)
        with open_service(args) as service:
            summary = export.import_bytes(service, raw, replace=args.replace)
    except export.ImportRefused as error:
        raise UserError(str(error)) from None
    print(summary)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
