"""A short report of the app's last crash, kept in the data folder for `doctor` to mention.

Textual's own crash report printed every local variable of every frame, the user's
reflections among them, to the terminal. This one holds no user text at all: the
kind of error, the code's file:line:function frames (no source lines, no message,
no variables), the versions and the time. The message is left out because an
error's message can quote data (a KeyError names the key it missed).

Only the standard library is imported here: `doctor` reads the report and must stay
a plain, fast command.
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from msgspec import Struct

REPORT_NAME = "crash-report.txt"
_WHEN = "when: "
_CHAIN_LIMIT = 5


class CrashReport(Struct, frozen=True):
    """Where the last report is and when the app stopped."""

    path: Path
    when: datetime


def report_text(error: BaseException, when: datetime) -> str:
    """The report for `error`: nothing in it comes from the user's data."""
    lines = [
        "Replenish stopped with an error. This report holds no words of yours: only the",
        "kind of error and where in the code it happened.",
        "",
        f"{_WHEN}{when.isoformat(timespec='seconds')}",
        f"versions: {_versions()}",
    ]
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < _CHAIN_LIMIT:
        kind = type(current)
        lines += ["", f"error: {kind.__module__}.{kind.__qualname__}", "frames (innermost last):"]
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno}:{frame.name}")
        seen += 1
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
        if current is not None:
            lines.append("while handling, or caused by:")
    return "\n".join(lines) + "\n"


def write_crash_report(data_dir: Path, error: BaseException, when: datetime) -> Path | None:
    """Write the report (0600) in `data_dir`; None when it cannot be written (a full disk)."""
    from program.export import write_private  # the one private write; loaded only on a crash

    path = data_dir / REPORT_NAME
    try:
        write_private(path, report_text(error, when))
    except Exception:  # a report must never turn one failure into two
        return None
    return path


def last_crash(data_dir: Path) -> CrashReport | None:
    """The report in `data_dir`, if the app has stopped with an error since it was deleted."""
    path = data_dir / REPORT_NAME
    try:
        with path.open(encoding="utf-8", errors="replace") as report:
            head = [report.readline() for _ in range(8)]
        modified = path.stat().st_mtime
    except OSError:
        return None
    for line in head:
        if line.startswith(_WHEN):
            try:
                return CrashReport(path, datetime.fromisoformat(line[len(_WHEN) :].strip()))
            except ValueError:
                break
    return CrashReport(path, datetime.fromtimestamp(modified).astimezone())


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("replenish", "textual", "rich"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} (not installed)")
    found.append(f"Python {platform.python_version()} on {sys.platform}")
    return ", ".join(found)


def _short(filename: str) -> str:
    """A frame's file relative to the import path it came from (no home folder in it)."""
    candidate = Path(filename)
    for root in sorted((Path(entry) for entry in sys.path if entry), key=lambda p: -len(p.parts)):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return candidate.name
