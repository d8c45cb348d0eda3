"""`replenish export` and `replenish import`: every answer out as Markdown or JSON, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import UserError, add_command, open_service
from program.terminal import printable, say

if TYPE_CHECKING:
    from program.commands.base import Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    export = add_command(
        commands, common, "export", cmd_export, "all your answers as Markdown or JSON"
    )
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE (default: print)"
    )
    imports = add_command(commands, common, "import", cmd_import, "bring back a JSON export")
    imports.add_argument("file", type=Path, metavar="FILE.json")
    imports.add_argument(
        "--replace",
        action="store_true",
        help="replace what is stored, keeping a copy of it (without: add only what is missing)",
    )


def cmd_export(args: argparse.Namespace) -> int:
    from program import export

    with open_service(args) as service:
        content = export.as_json(service) if args.format == "json" else export.as_markdown(service)
    if args.output is None:
        _to_stdout(content)
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
    say(f"Wrote {args.output}. It holds your private words: keep it somewhere safe.")
    return 0


def _to_stdout(content: str) -> None:
    """The export on stdout: exactly, into a file or a pipe; through `printable` on a terminal,
    which would obey any escape sequence in the words. Refused, with nothing written, when
    stdout's encoding cannot hold every character (a file written with `-o` always can)."""
    out = sys.stdout
    if out is None:
        raise UserError("there is no standard output to write to; use `--output FILE`")
    encoding = out.encoding or "utf-8"
    try:
        content.encode(encoding)
    except UnicodeEncodeError:
        raise UserError(
            f"standard output's encoding ({encoding}) cannot hold every character of your "
            "answers, so nothing was written; use `--output FILE` (always UTF-8), or a UTF-8 "
            "locale such as LANG=C.UTF-8"
        ) from None
    out.write(printable(content) if out.isatty() else content)


def cmd_import(args: argparse.Namespace) -> int:
    from program import export

    try:
        raw = export.read_export(args.file)
        with open_service(args) as service:
            summary = export.import_bytes(service, raw, replace=args.replace)
    except export.ImportRefused as error:
        raise UserError(str(error)) from None
    say(summary)
    return 0
