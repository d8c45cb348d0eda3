"""`replenish validate [DIR]`: check a program folder; exit 0 only when it is valid."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import add_command
from program.terminal import say

if TYPE_CHECKING:
    from program.commands.base import Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    validate = add_command(commands, common, "validate", cmd_validate, "check a program folder")
    validate.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="default: --program")


def cmd_validate(args: argparse.Namespace) -> int:
    from program.content.loader import collector_paused
    from program.paths import bundled_program_dir

    folder: Path = args.dir or args.program or bundled_program_dir()
    with collector_paused():  # until the program is let go (see collector_paused)
        return _report(folder)


def _report(folder: Path) -> int:
    from program.content.loader import check, not_read

    program, problems = check(folder)  # one reading: large programs are read once, not twice
    for line in not_read(folder):  # a warning: what is left out does not make a folder invalid
        say(line)
    if problems:  # one write: a hostile file's 100,000 lines cost 0.23 s one by one, 0.04 s so
        say("\n".join(map(str, problems)))
        count = len(problems)
        say(f"{count} problem{'s' if count != 1 else ''} in {folder}.", file=sys.stderr)
        return 1
    assert program is not None  # no problems means the program was built
    exercises = sum(1 for _ in program.exercises)
    say(
        f"{folder}: valid. {program.title}: {len(program.modules)} modules, "
        f"{exercises} exercises, {program.days} days."
    )
    return 0
