"""The Textual app. Imported only when the app opens, never by the plain commands."""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def run(program_dir: Path | None, data_dir: Path | None) -> int:
    """Open the service and run the app; a broken program or store is a message, not a trace.

    The cyclic garbage collector is paused until the first frame is on screen
    (the app resumes it): starting up allocates hundreds of thousands of objects
    that all live on, and collecting them over and over cost a tenth of the time
    to the first frame.
    """
    gc.disable()
    try:
        return _run(program_dir, data_dir)
    finally:
        gc.enable()


def _run(program_dir: Path | None, data_dir: Path | None) -> int:
    from program.content import ProgramError
    from program.service import Replenish
    from state import StoreError

    try:
        service = Replenish.open(program_dir=program_dir, data_dir=data_dir)
    except ProgramError as error:
        print("replenish: the program folder has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"replenish: {error}", file=sys.stderr)
        return 1
    from program.tui.app import ReplenishApp

    app = ReplenishApp(service)
    try:
        app.run()
    except Exception as error:  # escaped Textual (while shutting down): the same short notice
        app.crashed(error)
        print(f"replenish: {app.crash_notice()}", file=sys.stderr)
        return 1
    finally:
        service.close()
        if app.left_at_once:
            leave_no_trace()
    return 1 if app.return_code else 0


CLEAR = "\x1b[H\x1b[2J\x1b[3J\x1b]0;\x07"
"""Home, clear the screen and its scrollback, and an empty window title (OSC 0)."""


def leave_no_trace() -> None:
    """After F9: the alternate screen is already left; clear what the terminal shows."""
    out = sys.__stdout__
    if out is not None and out.isatty():
        out.write(CLEAR)
        out.flush()
