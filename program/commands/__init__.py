"""Every subcommand, registered by the module that defines it; `cli` only assembles them.

Each module has `register(commands, common)` (see `base.Register`) and adds its
subparsers with `base.add_command`. The order here is the order of `--help`.
"""

from __future__ import annotations

from program.commands.base import Register


def registered() -> list[Register]:
    """Every command module's `register`, in the order `replenish --help` lists them."""
    from program.commands import (
        care,
        do,
        erase,
        everyday,
        partner,
        remind,
        transfer,
        validate,
        worksheet,
    )

    return [
        everyday.register,
        do.register,
        validate.register,
        transfer.register,
        care.register,
        remind.register,
        partner.register,
        worksheet.register,
        erase.register,
    ]
