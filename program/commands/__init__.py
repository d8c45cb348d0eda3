"""Subcommands that live beside their subject register here, so `cli` stays small.

Each entry adds its subparser(s) given the subcommand table and the parser of
the options every command shares (`--data-dir`, `--program`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

Register = Callable[
    ["argparse._SubParsersAction[argparse.ArgumentParser]", argparse.ArgumentParser], None
]


def registered() -> list[Register]:
    from program.commands import care, remind

    return [care.register, remind.register]
