"""The figures of issue 7: each measures one thing a user meets, beside its baseline.

The figures that must not grow with history are in `bench_history`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench_programs import write_program
from bench_timing import HarnessError, Samples, alternate, child_env, time_process

from state import JSONValue

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
NOT_BUILT = "not built yet"


@dataclass(frozen=True)
class Sizes:
    process_runs: int
    frame_runs: int
    validate_modules: tuple[int, int]
    validate_runs: tuple[int, int]
    hostile_bytes: int
    saves: int
    history_days: tuple[int, ...]
    """Days of daily answers in the data folders of the history figures (`bench_history`)."""
    key_days: tuple[int, ...]
    """The history sizes the keys are timed at (sessions are the slow part of a run)."""
    key_runs: int
    reminder_runs: int


@dataclass(frozen=True)
class Figure:
    """One printed line. `target` None means shown for information, not counted."""

    name: str
    samples: Samples | None
    unit: str
    target: str | None
    ok: bool = False
    baseline: str = "-"
    note: str = ""
    digits: int = 1
    value: str = ""
    """Overrides `median (min-max)` for derived figures such as ratios."""

    def line(self) -> str:
        verdict = "info" if self.target is None else ("ok" if self.ok else "MISS")
        if self.value:
            shown = self.value
        elif self.samples is None:
            shown = f"n/a ({self.note})"
        else:
            d = self.digits
            s = self.samples
            shown = f"{s.median:.{d}f} ({s.low:.{d}f}-{s.high:.{d}f}) {self.unit}"
            if self.note:
                shown += f" [{self.note}]"
        return f"{self.name}: {shown}; {self.baseline}; {self.target or '-'}; {verdict}"


def unmeasured(name: str, target: str, why: str = NOT_BUILT) -> Figure:
    """A figure whose piece does not exist yet: shown, and counted as a miss."""
    return Figure(name, None, "", target, ok=False, note=why)


def replenish_command() -> list[str]:
    """The installed console script beside this Python, as a user's shell runs it."""
    script = Path(PYTHON).with_name("replenish")
    return [str(script)] if script.exists() else [PYTHON, "-m", "program"]


def enrolled_home(folder: Path, reminder_passed: bool = True) -> Path:
    """A data folder whose plan began today, with a reminder time already passed today.

    The reminder is set at the hour the plan day starts, the one time that has passed
    whenever the benchmark runs: a time before that hour (00:00, say) belongs to the
    late evening of the plan day, so from the day start until midnight it is still ahead.
    """
    from datetime import time as clock_time

    from program.service import Replenish
    from program.settings import Reminders

    clear_of_day_boundaries()
    home = folder / "home"
    service = Replenish.open(data_dir=home)
    try:
        enrolment = service.start()
        if reminder_passed:
            settings = service.settings()
            day_start = clock_time(enrolment.day_start_hour, 0)
            reminders = Reminders(on=True, times=(day_start,))
            service.save_settings(settings.with_reminders(on=reminders.on, times=reminders.times))
    finally:
        service.close()
    return home


# ----------------------------------------------------------------- validate


TOMLLIB_ALONE = (
    "import pathlib, sys, tomllib\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.toml')):\n"
    "    tomllib.loads(path.read_bytes().decode('utf-8'))\n"
)
"""The floor of `validate`: the same files read and parsed, nothing checked."""


def validate_scaling(folder: Path, sizes: Sizes) -> list[Figure]:
    """`replenish validate` at two sizes beside tomllib alone on the same files, measured turn
    about in the same run; how its time grows; and the slowest hostile file of a given size."""
    env = child_env(str(folder / "home"))
    timed: list[tuple[int, Samples, Samples]] = []
    figures: list[Figure] = []
    for modules, runs in zip(sizes.validate_modules, sizes.validate_runs, strict=True):
        program = write_program(folder / f"program-{modules}", modules)
        argv = [*replenish_command(), "validate", str(program)]
        floor_argv = [PYTHON, "-c", TOMLLIB_ALONE, str(program)]

        def expect(out: str) -> bool:
            return "valid" in out

        time_process(argv, env, expect)  # warm-up: .pyc files, the disk cache
        time_process(floor_argv, env)
        ours, base = alternate(
            runs,
            lambda argv=argv, expect=expect: time_process(argv, env, expect) / 1000,  # type: ignore[misc]
            lambda floor_argv=floor_argv: time_process(floor_argv, env) / 1000,  # type: ignore[misc]
        )
        ratio = ours.median / base.median
        figures.append(
            Figure(
                f"validate, {modules:,} modules / {modules * 10:,} exercises",
                ours,
                "s",
                "<= 1.5x tomllib alone",
                ok=ratio <= 1.5,
                baseline=f"{ratio:.2f}x tomllib alone ({base.median:.3f} s)",
                digits=3,
            )
        )
        timed.append((modules, ours, base))
    (small_n, small, small_base), (large_n, large, large_base) = timed
    growth = large.median / small.median
    allowed = (large_n / small_n) * 1.25
    per_small = small.median / small_n * 1000
    per_large = large.median / large_n * 1000
    figures.append(
        Figure(
            f"validate growth, {small_n:,} to {large_n:,} modules",
            None,
            "",
            f"<= {allowed:.1f}x (linear, +25%)",
            ok=growth <= allowed,
            baseline=f"tomllib alone grew {large_base.median / small_base.median:.2f}x",
            value=f"{growth:.2f}x time for {large_n // small_n}x modules "
            f"({per_small:.2f} -> {per_large:.2f} ms per module)",
        )
    )
    figures.append(hostile_validate(folder / "hostile", env, sizes.hostile_bytes))
    return figures


def hostile_validate(folder: Path, env: dict[str, str], size: int) -> Figure:
    """The slowest `validate` of the shapes in tests/content/hostile.py, `size` bytes each."""
    from tests.content.hostile import CASES, write_case

    worst = ("", 0.0)
    for case in CASES:
        program = write_case(folder / case.replace(" ", "-"), case, size)
        argv = [*replenish_command(), "validate", str(program)]
        start = time.perf_counter()
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            raise HarnessError(f"validate of {case} exited {done.returncode}: {done.stderr[-400:]}")
        worst = max(worst, (case, elapsed), key=lambda item: item[1])
    return Figure(
        f"validate, slowest of {len(CASES)} hostile files of {size:,} bytes",
        Samples((worst[1],)),
        "s",
        "< 2 s",
        ok=worst[1] < 2.0,
        note=worst[0],
        digits=2,
    )


# ----------------------------------------------------------------- saving an answer


def answer_save(folder: Path, sizes: Sizes) -> list[Figure]:
    """One answer written durably (fsynced) through the service, as the app saves it."""
    from program.service import Replenish

    service = Replenish.open(data_dir=folder / "home")  # in-process: the app saves this way
    try:
        service.start()
        timings: list[float] = []
        for index in range(sizes.saves + 5):
            value: JSONValue = (
                index % 11
                if index % 2
                else f"Answer {index}: a few honest words about today, saved as I type them."
            )
            step = "energy" if index % 2 else "noticed"
            start = time.perf_counter()
            service.save_answer("daily-check-in", 1 + index % 42, step, value)
            if index >= 5:  # the first few warm the connection and the file
                timings.append((time.perf_counter() - start) * 1000)
    finally:
        service.close()
    samples = Samples(tuple(timings))
    p50, p99 = samples.percentile(0.50), samples.percentile(0.99)
    count = f"{len(timings)} saves, synchronous=FULL"
    return [
        Figure(
            "answer saved durably, p50",
            samples,
            "ms",
            None,
            value=f"{p50:.2f} ms ({samples.low:.2f}-{samples.high:.2f}, {count})",
        ),
        Figure(
            "answer saved durably, p99",
            samples,
            "ms",
            "p99 < 5 ms",
            ok=p99 < 5.0,
            value=f"{p99:.2f} ms ({samples.low:.2f}-{samples.high:.2f}, {count})",
        ),
    ]


# ----------------------------------------------------------------- reminders

NOTIFY_STAND_IN = """#!/bin/sh
# Stand-in for notify-send: note the moment it was called, and nothing else.
date +%s.%N >> "$REPLENISH_BENCH_NOTIFIED"
"""
REMINDER_LEAD = 4.0
"""Seconds between setting the reminder and its due time: room for the service to start."""


def reminder_delay(folder: Path, sizes: Sizes) -> list[Figure]:
    """`replenish remind run` with a stand-in notify-send: due instant to its invocation."""
    name = "reminder delivered after its due time (remind run)"
    if not _has_remind_run():
        return [unmeasured(name, "<= 2 s")]
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "notify-send"
    stand_in.write_text(NOTIFY_STAND_IN, encoding="utf-8")
    stand_in.chmod(0o755)
    delays = [
        _one_reminder(folder / f"run-{index}", bin_dir) for index in range(sizes.reminder_runs)
    ]
    samples = Samples(tuple(delays))
    return [Figure(name, samples, "s", "<= 2 s", ok=samples.high <= 2.0, digits=2)]


def _one_reminder(folder: Path, bin_dir: Path) -> float:
    folder.mkdir()
    home = enrolled_home(folder, reminder_passed=False)
    log = folder / "notified"
    env = child_env(
        str(home),
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        REPLENISH_BENCH_NOTIFIED=str(log),
    )
    now = datetime.now().astimezone()  # no day begins for 90 s (enrolled_home saw to it)
    due = (now + timedelta(seconds=REMINDER_LEAD)).replace(microsecond=0) + timedelta(seconds=1)
    time_process([*replenish_command(), "remind", "set", f"{due:%H:%M:%S}"], env)
    service = subprocess.Popen(
        [*replenish_command(), "remind", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = due.timestamp() + 20
        while time.time() < deadline and not (log.exists() and log.read_text().strip()):
            if service.poll() is not None:
                raise HarnessError(f"remind run ended early: {service.stderr.read()[-400:]}")  # type: ignore[union-attr]
            time.sleep(0.02)
        if not (log.exists() and log.read_text().strip()):
            raise HarnessError("remind run sent nothing within 20 s of the due time")
        return float(log.read_text().split()[0]) - due.timestamp()
    finally:
        service.terminate()
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def clear_of_day_boundaries(seconds: float = 90) -> None:
    """Wait until no plan or calendar day begins in the next `seconds`: a new day in the
    middle of a figure would change what the screen shows."""
    while _near_a_day_boundary(datetime.now().astimezone(), timedelta(seconds=seconds)):
        time.sleep(5)


def _near_a_day_boundary(now: datetime, ahead: timedelta) -> bool:
    """Whether midnight or the hour the plan day starts falls between now and now + ahead."""
    from program.plan import DEFAULT_DAY_START_HOUR

    later = now + ahead
    shift = timedelta(hours=DEFAULT_DAY_START_HOUR)
    return later.date() != now.date() or (later - shift).date() != (now - shift).date()


def _has_remind_run() -> bool:
    done = subprocess.run(
        [*replenish_command(), "remind", "run", "--help"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0
