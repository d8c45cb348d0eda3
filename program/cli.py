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


EXIT_PIPE_CLOSED = 141
"""The status of a Unix tool that SIGPIPE ended (128 + 13): `replenish status | head -1`."""


def main(argv: Sequence[str] | None = None) -> int:
    try:  # from the first line: Ctrl+C while modules still load is a quiet exit too
        from program.terminal import forgiving_output

        words = list(sys.argv[1:] if argv is None else argv)
        forgiving_output()
        code = _run(words)
        if sys.stdout is not None:
            sys.stdout.flush()  # a reader that went away shows here, not at the exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `| head`: stop quietly, as Unix tools do
        _quiet_stdout()
        return EXIT_PIPE_CLOSED
    except Exception as error:
        if _interrupted(error):
            return 130
        raise


def _interrupted(error: BaseException) -> bool:
    """Whether Ctrl+C is what this failure carries: one that lands while Python builds a
    class during an import (in a descriptor's `__set_name__`) arrives as a RuntimeError
    caused by the KeyboardInterrupt, and is the same quiet exit."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__  # not __context__: a real fault met while handling Ctrl+C shows
    return False


def _run(words: list[str]) -> int:
    if "nudge" in words or "today" in words:
        from program.nudge_digest import fast_answer

        if fast_answer(words):
            return 0
    try:
        args = parse_args(words)
        handler: Handler = getattr(args, "handler", run_app)
        return handler(args)
    except BrokenPipeError:
        raise
    except Exception as error:
        message = _message(error)
        if message is None:
            raise
        from program.terminal import say

        for line in message:
            say(line, file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush finds no closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):  # no real stdout (a test's capture)
        pass


def _message(error: Exception) -> list[str] | None:
    """The lines that say what went wrong, for the failures a user can meet; None for a bug."""
    from program.clock import PinnedClockInvalid
    from program.commands.base import UserError

    if isinstance(error, (UserError, PinnedClockInvalid)):
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

    words = list(argv)
    args = build_parser(command_named(words)).parse_args(words)
    from program import clock

    clock.now()  # a malformed REPLENISH_NOW is refused before anything is opened
    for name in ("data_dir", "program"):
        if not hasattr(args, name):
            setattr(args, name, None)
    # As given too: the nudge digest checks its own reading of the line against it.
    args.given_data_dir = args.data_dir
    args.data_dir = resolve_data_dir(args.data_dir)
    return args


def command_named(words: Sequence[str]) -> str | None:
    """The command a line names, read as argparse will read it: "" for none (the app),
    None for `--help` or an option before it (the whole parser then lists every command
    or refuses the option)."""
    given = iter(words)
    for word in given:
        if word in ("--data-dir", "--program"):
            next(given, None)  # its value, which may be any word, `nudge` too
        elif not word.startswith("-"):
            return word
        elif not word.startswith(("--data-dir=", "--program=")):
            return None
    return ""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The commands of `command`'s module alone (all this line can run), none for "" (the
    app), or every command, as the modules of `program.commands` register them."""
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
    for register in registered(command):
        register(commands, common)
    return parser


def run_app(args: argparse.Namespace) -> int:
    """The Textual app (imported only here, so plain commands stay fast)."""
    from program.tui import run

    return run(program_dir=args.program, data_dir=args.data_dir)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
