"""What every subcommand shares: the handler type, how one registers, the user's error,
the data folder and the service.

Each command module (`everyday`, `validate`, `transfer`, `care`, `remind`) has a
`register(commands, common)` that adds its subparsers with `add_command`, so every
command is built the same way and `cli` only assembles them. Nothing heavy here:
the modules that register are imported for every command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime
    from typing import TypeAlias

    from program.service import Replenish

    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    """The table of subcommands that `register` adds to."""

Handler = Callable[[argparse.Namespace], int]
Register = Callable[["Commands", argparse.ArgumentParser], None]
"""A command module's `register(commands, common)`: add subparsers to `commands`, each with
the shared options of `common` (`--data-dir`, `--program`)."""


class UserError(Exception):
    """Something the user can fix; printed as one plain message, never a traceback."""


def add_command(
    commands: Commands,
    common: argparse.ArgumentParser,
    name: str,
    handler: Handler,
    help_text: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand with the shared options, its help, and `handler` to run it."""
    sub = commands.add_parser(
        name,
        parents=[common],
        help=help_text,
        description=description or help_text,
        allow_abbrev=False,  # `--data nudge` must not quietly mean `--data-dir nudge`
    )
    sub.set_defaults(handler=handler)
    return sub


def folder_argument(text: str) -> Path:
    """`--data-dir` and `--program` as argparse reads them; an empty one is refused.

    `Path("")` is the current folder: `--data-dir ""` (an unset shell variable) would
    make whatever folder the user stands in the private data folder, and tighten it.
    """
    if not text:
        raise argparse.ArgumentTypeError("an empty folder name; give the folder's path")
    return Path(text)


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder this command uses (resolved once by `cli.main`, before any handler)."""
    chosen = args.data_dir
    assert isinstance(chosen, Path) and chosen.is_absolute(), "cli.main resolves --data-dir"
    return chosen


def open_service(
    args: argparse.Namespace,
    *,
    now: Callable[[], datetime] | None = None,
    backup: bool = True,
) -> Replenish:
    """The program and the store the command line names, on `now` (default: the real
    clock) and with the daily backup unless told (see `Replenish.open`)."""
    from program import clock
    from program.service import Replenish

    return Replenish.open(
        program_dir=args.program, data_dir=data_dir(args), now=now or clock.now, backup=backup
    )
