"""The Textual app. Imported only when the app opens, never by the plain commands."""

from __future__ import annotations

from pathlib import Path


def run(program_dir: Path | None, data_dir: Path | None) -> int:
    """Open the app; until it exists, show today's summary as plain text."""
    import argparse

    from program.cli import cmd_today

    return cmd_today(argparse.Namespace(program=program_dir, data_dir=data_dir))
