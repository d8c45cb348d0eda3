"""Where the bundled program lives, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def bundled_program_dir() -> Path:
    """The shipped program: `program/bundled` in a wheel, `modules/` in a checkout."""
    installed = _HERE / "bundled"
    if installed.is_dir():
        return installed
    return _HERE.parent / "modules"
