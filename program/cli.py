"""The `replenish` command: the app by default, plus plain subcommands.

`nudge` runs every time a shell opens, so before anything else the nudge
digest (`program.nudge_digest`) may answer it, or `today`, from a file, with
`os` alone. Every other line is parsed by one argparse parser, built from the
commands each module registers (`program.commands`), and its handler runs;
this module turns the failures a user can meet into one plain message each.
Textual and APScheduler are never imported on the plain paths; a test checks
`sys.modules`.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # `typing` alone costs a `nudge` a tenth of its time
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from program.commands.base import Handler


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if "nudge" in words or "today" in words:
        from program.nudge_digest import fast_answer

        try:
            if fast_answer(words):
                return 0
        except KeyboardInterrupt:
            return 130
    try:
        args = parse_args(words)
        handler: Handler = getattr(args, "handler", run_app)
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = _message(error)
        if message is None:
            raise
        for line in message:
            print(line, file=sys.stderr)
        return 1


def _message(error: Exception) -> list[str] | None:
    """The lines that say what went wrong, for the failures a user can meet; None for a bug."""
    from program.commands.base import UserError

    if isinstance(error, UserError):
        return [f"replenish: {error}"]
    # Known failures of the store and the program folder carry their own message.
    from program.content import ProgramError
    from state import StoreError

    if isinstance(error, ProgramError):
        return [
            "replenish: the program folder has problems:",
            *(f"  {problem}" for problem in error.problems),
        ]
    if isinstance(error, StoreError):
        return [f"replenish: {error}"]
    if isinstance(error, OSError):  # the system refused a file or folder: say which, why
        where = f" {error.filename}" if error.filename else ""
        return [f"replenish: could not use{where}: {error.strerror or error}"]
    return None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line read by the whole parser, the data folder resolved once for all."""
    from state import resolve_data_dir

    args = build_parser().parse_args(list(argv))
    for name in ("data_dir", "program"):
        if not hasattr(args, name):
            setattr(args, name, None)
    # As given too: the nudge digest checks its own reading of the line against it.
    args.given_data_dir = args.data_dir
    args.data_dir = resolve_data_dir(args.data_dir)
    return args


def build_parser() -> argparse.ArgumentParser:
    """Every command, as the modules of `program.commands` register them."""
    import argparse

    from program.commands import registered
    from program.commands.base import folder_argument

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=folder_argument,
        default=argparse.SUPPRESS,
        help="where your answers are kept (default: $REPLENISH_HOME or the user data folder)",
    )
    common.add_argument(
        "--program",
        type=folder_argument,
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
    for register in registered():
        register(commands, common)
    return parser


def run_app(args: argparse.Namespace) -> int:
    """The Textual app (imported only here, so plain commands stay fast)."""
    from program.tui import run

    return run(program_dir=args.program, data_dir=args.data_dir)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
