"""Replenish's benchmark: every figure of issues 7 and 16 against its floor and target.

Run from the repository root with the project installed:

    python tests/bench/run.py            # full size, a few minutes
    python tests/bench/run.py --small    # CI: small sizes, few repetitions

Each figure runs several times, turn about with its baseline, and prints
``name: median (min-max) unit; ratio to baseline; target; ok|MISS``; the last
line counts the targets met. Timings are never asserted (they would flake):
the exit status is non-zero only when the harness itself could not measure.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_figures import (  # noqa: E402
    Figure,
    Sizes,
    answer_save,
    reminder_delay,
    replenish_command,
    validate_scaling,
)
from bench_history import (  # noqa: E402
    History,
    build_histories,
    frame_rows,
    key_rows,
    plain_rows,
)
from bench_timing import HarnessError  # noqa: E402

FULL = Sizes(
    process_runs=15,
    frame_runs=8,
    validate_modules=(1000, 5000),
    validate_runs=(3, 2),
    hostile_bytes=1_000_000,
    saves=500,
    history_days=(7, 365, 7300),
    key_days=(7, 365, 7300),
    key_runs=4,
    reminder_runs=2,
)
SMALL = Sizes(
    process_runs=3,
    frame_runs=3,
    validate_modules=(10, 100),
    validate_runs=(2, 2),
    hostile_bytes=64_000,
    saves=60,
    history_days=(7, 365),
    key_days=(365,),
    key_runs=1,
    reminder_runs=1,
)


@dataclass
class Report:
    figures: list[Figure]

    @property
    def targets(self) -> list[Figure]:
        return [figure for figure in self.figures if figure.target is not None]

    def closing_line(self) -> str:
        met = sum(1 for figure in self.targets if figure.ok)
        return f"{met} of {len(self.targets)} targets met"


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder on the same disk as the user's files (so fsync costs what it costs)."""
    folder = Path(tempfile.mkdtemp(prefix="replenish-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def header(sizes: Sizes, small: bool) -> list[str]:
    return [
        f"Replenish benchmark ({'small' if small else 'full'} size), {date.today().isoformat()}",
        f"python {platform.python_version()} at {sys.executable}; {platform.platform()}; "
        f"{os.cpu_count()} CPUs",
        "children run as an installed copy does: PYTHONDONTWRITEBYTECODE removed from their",
        "environment, after a warm-up run of each command that writes the .pyc files and the",
        "program cache; times are wall clock (time.perf_counter) from spawn.",
        f"sizes: {sizes.process_runs} runs per command, {sizes.frame_runs} first frames, "
        f"validate {' and '.join(map(str, sizes.validate_modules))} modules, "
        f"{sizes.saves} saves; histories of {', '.join(map(str, sizes.history_days))} days "
        f"of daily answers, {sizes.key_runs} app sessions of keys at "
        f"{', '.join(map(str, sizes.key_days))} days",
        f"load average at the start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="small sizes for CI (under a minute)")
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        choices=("plain", "frame", "keys", "validate", "save", "reminder"),
        help="run only these groups of figures (repeatable)",
    )
    args = parser.parse_args(argv)
    sizes = SMALL if args.small else FULL
    app = replenish_command()

    def histories(folder: Path, s: Sizes, days: tuple[int, ...] = ()) -> list[History]:
        return build_histories(folder, days or s.history_days)

    for line in header(sizes, args.small):
        print(line, flush=True)
    groups: list[tuple[str, Callable[[Path, Sizes], list[Figure]]]] = [
        ("plain", lambda folder, s: plain_rows(histories(folder, s), s.process_runs, app)),
        ("frame", lambda folder, s: frame_rows(histories(folder, s), s.frame_runs, app)),
        ("keys", lambda folder, s: key_rows(histories(folder, s, s.key_days), s.key_runs, app)),
        ("validate", validate_scaling),
        ("save", answer_save),
        ("reminder", reminder_delay),
    ]
    report = Report([])
    started = time.perf_counter()
    failed = False
    for name, measure in groups:
        if args.only and name not in args.only:
            continue
        with scratch() as folder:
            try:
                figures = measure(folder, sizes)
            except (HarnessError, subprocess.SubprocessError, OSError) as error:
                print(f"{name}: could not be measured: {error}", file=sys.stderr, flush=True)
                failed = True
                continue
        for figure in figures:
            print(figure.line(), flush=True)
        report.figures += figures
    print(report.closing_line())
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
