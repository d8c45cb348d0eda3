"""`replenish worksheet`: this week's shared steps as a printable page for a partner who
never opens a terminal, and `--enter FILE` to keep their filled-in answers, marked as
entered for them. It works paired or not. The page's format is in `program.partner.worksheet`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import UserError, add_command, open_service
from program.terminal import say

if TYPE_CHECKING:
    from program.commands.base import Commands

_PAGE_LIMIT = 1 << 20


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    sheet = add_command(
        commands,
        common,
        "worksheet",
        cmd_worksheet,
        "this week's shared questions as a page to print; --enter FILE takes it back",
        "This week's questions to answer with your partner, as a Markdown page to print or "
        "send (no answers on it); --enter FILE keeps the answers written on it as your "
        "partner's, marked as entered for them.",
    )
    sheet.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE")
    sheet.add_argument("--week", type=int, metavar="N", help="another week of the plan")
    sheet.add_argument(
        "--enter", type=Path, metavar="FILE", help="read a filled-in page back and keep it"
    )


def cmd_worksheet(args: argparse.Namespace) -> int:
    if args.enter is not None:
        if args.output is not None or args.week is not None:
            raise UserError("--enter reads a page back; it takes no -o or --week")
        return _enter(args.enter, args)
    from program.partner.worksheet import write

    with open_service(args) as service:
        if service.partner().sharing_paused():
            raise UserError(
                "sharing is paused on this side, so there is no worksheet while it is"
            )
        weeks = service.program.weeks
        if args.week is not None and not 1 <= args.week <= weeks:
            raise UserError(f"--week {args.week}: the plan has weeks 1 to {weeks}")
        week, steps = service.worksheet_steps(args.week)
        partner = service.partner_name()
    if not steps:
        say(f"Week {week} has no questions to answer together; nothing was written.")
        return 0
    page = write(steps, week, partner)
    if args.output is None:
        say(page, end="")
        return 0
    from state.paths import write_file

    try:
        write_file(args.output, page, chosen=True)
    except OSError as error:
        raise UserError(f"could not write {args.output} ({error.strerror or error})") from None
    say(f"Wrote {args.output}: {len(steps)} questions for {partner or 'your partner'}, "
        "with no answers on it.")
    say(f"When it comes back filled in: `replenish worksheet --enter {args.output}`.")
    return 0


def _enter(path: Path, args: argparse.Namespace) -> int:
    from program.partner.worksheet import WorksheetError, read
    from state.paths import read_file

    try:
        data = read_file(path, _PAGE_LIMIT)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: could not be read ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(
            f"{path}:{line}: not text in UTF-8; save the page as plain text (UTF-8) and try again"
        ) from None
    with open_service(args) as service:
        try:
            filled = read(text, str(path), service.worksheet_known())
        except WorksheetError as error:
            raise UserError(
                "\n".join(error.problems) + "\nNothing was kept from the page."
            ) from None
        if not filled:
            raise UserError(f"{path}: no answers are written on the page; nothing was kept")
        name = service.enter_for_partner(filled)
    say(
        f"Kept {len(filled)} answer{'s' if len(filled) != 1 else ''}, entered for "
        f"{name or 'your partner'}:"
    )
    for one in filled:
        sheet = one.sheet
        say(f"  {sheet.on:%a %d %b}, {sheet.exercise.title}: {sheet.step.question}")
    say("They stand beside your own answers where both of you answered.")
    return 0
