"""Timing helpers: whole processes, alternated with a baseline, and summaries of samples."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Samples:
    """Timings of one figure, in the unit they are shown in."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile (share 0.99 for p99): an observed value, never interpolated."""
        ordered = sorted(self.values)
        rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
        return ordered[rank - 1]


class HarnessError(Exception):
    """A measured command failed: the figure would be meaningless, so say why instead."""


def time_process(
    argv: Sequence[str], env: Mapping[str, str], expect: Callable[[str], bool] | None = None
) -> float:
    """Milliseconds from spawn to exit of one process; its output is checked, not shown."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv), env=dict(env), capture_output=True, text=True, timeout=120, check=False
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0 or (expect is not None and not expect(done.stdout)):
        raise HarnessError(
            f"{' '.join(argv)} exited {done.returncode}: {(done.stderr or done.stdout)[-400:]}"
        )
    return elapsed


def alternate(
    runs: int, measured: Callable[[], float], baseline: Callable[[], float]
) -> tuple[Samples, Samples]:
    """Run the figure and its baseline turn about, so drift in the machine hits both alike."""
    ours: list[float] = []
    base: list[float] = []
    for index in range(runs):
        pair = (measured, baseline) if index % 2 == 0 else (baseline, measured)
        for fn in pair:
            (ours if fn is measured else base).append(fn())
    return Samples(tuple(ours)), Samples(tuple(base))


def child_env(home: str, **extra: str) -> dict[str, str]:
    """The environment a user's shell gives: our private home, bytecode caching left on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REPLENISH_", "PYTEST_")) and key != "PYTHONDONTWRITEBYTECODE"
    }
    env["REPLENISH_HOME"] = home
    env.update(extra)
    return env
