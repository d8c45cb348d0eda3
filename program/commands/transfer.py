"""`replenish export` and `replenish import`: every answer out as Markdown or JSON, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import UserError, add_command, open_service

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
        "--replace", action="store_true", help="replace what is already stored (kept otherwise)"
    )


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
        raw = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read {args.file}: {error}") from None
    with open_service(args) as service:
        try:
            summary = export.import_json(service, raw, replace=args.replace)
        except export.ImportRefused as error:
            raise UserError(str(error)) from None
    print(summary)
    return 0
