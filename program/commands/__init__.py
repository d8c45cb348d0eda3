"""Every subcommand, registered by the module that defines it; `cli` only assembles them.

Each module has `register(commands, common)` (see `base.Register`) and adds its
subparsers with `base.add_command`. The order here is the order of `--help`.

`WHERE` names the module of each command, so a line that names one (`replenish
nudge`, in every new shell) imports and builds that module's parsers alone, and a
plain `replenish` (the app) none (a test holds `WHERE` to what each module
registers).
"""

from __future__ import annotations

from importlib import import_module

from program.commands.base import Register

MODULES = (
    "everyday",
    "do",
    "validate",
    "transfer",
    "care",
    "remind",
    "partner",
    "worksheet",
    "erase",
)
"""The command modules, in the order `replenish --help` lists their commands."""

WHERE = {
    "start": "everyday",
    "today": "everyday",
    "status": "everyday",
    "nudge": "everyday",
    "do": "do",
    "validate": "validate",
    "export": "transfer",
    "import": "transfer",
    "doctor": "care",
    "restore": "care",
    "remind": "remind",
    "partner": "partner",
    "worksheet": "worksheet",
    "erase": "erase",
}
"""Each command's module."""


def registered(command: str | None = None) -> list[Register]:
    """The `register` of `command`'s module alone, none for "" (a line that names no
    command starts the app), else every module's, in `--help` order."""
    names = () if command == "" else (WHERE[command],) if command in WHERE else MODULES
    return [import_module(f"program.commands.{name}").register for name in names]
