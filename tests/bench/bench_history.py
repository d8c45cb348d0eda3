"""The figures that must not grow with history, each at every history size beside its floor.

One generated program of twenty years (two daily exercises) and, for each size, a data
folder whose plan began that many days ago, every earlier day done and answered, today
waiting and its reminder passed. The same program at every size: only the history
differs, so a figure that grows from one size to the next grows with history.

Floors, measured in the same run and turn about with the figures: `python -c pass` for
the plain commands, a bare Textual app (one Static) for the first frame, and a bare
Textual app's echo of one typed character for the keys.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_bare_app import ESCAPED, READY
from bench_figures import Figure
from bench_frame import FrameTimeout, PtySession
from bench_programs import (
    EVENING_WORDS,
    HISTORY_PROGRAM_DAYS,
    history_export,
    write_history_program,
)
from bench_timing import HarnessError, Samples, child_env, time_process

PYTHON = sys.executable
LOOK_SECONDS = 1.0
"""How long the app is left after its first frame before the first key, as a person looks."""
QUIET_BEFORE_KEY = 0.1
"""Before each key the app must have written nothing for this long: its last answer is done."""
FLAT = 1.25
"""A figure is flat when at no size it exceeds its smallest size's median by more than this
factor (within the noise of a shared machine)."""
FRAME_MS = 1000 / 60
"""Textual draws at most 60 frames a second, so a key's time on the pty lands on one frame
or the next: a key figure is also flat when it grew by no more than this."""
KEY_MS = 50.0
FIRST_VISIT_MS = 100.0
TYPING_FLOOR = 1.5
"""Typing is at the floor within this factor of the bare app's echo."""

DOWN, UP, LEFT, RIGHT = b"\x1b[B", b"\x1b[A", b"\x1b[D", b"\x1b[C"
ENTER, ESCAPE = b"\r", b"\x1b"
F2, F3, F4, F5 = b"\x1bOQ", b"\x1bOR", b"\x1bOS", b"\x1b[15~"
F7, F8 = b"\x1b[18~", b"\x1b[19~"
TYPED_FIRST = "~Qz"
"""Typed (untimed) before the timed characters, so each timed prefix is unique on screen
(a plain "Q" is: the footer shows Quit)."""
TYPED = "jkvwy"


@dataclass(frozen=True)
class History:
    """A data folder with `days` days of daily answers, and the program it runs."""

    days: int
    home: Path
    program: Path

    @property
    def label(self) -> str:
        return label(self.days)

    @property
    def week(self) -> int:
        return (self.days - 1) // 7 + 1


def label(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years > 1 else ''}"
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks > 1 else ''}"
    return f"{days} days"


def build_histories(folder: Path, sizes: Sequence[int]) -> list[History]:
    """One data folder per size, all on the one twenty-year program."""
    from datetime import time as clock_time

    from bench_figures import clear_of_day_boundaries

    from program import clock, plan
    from program.service import Replenish

    program = write_history_program(folder / "program")
    clear_of_day_boundaries(seconds=600)  # a new plan day mid-run would change every screen
    histories = []
    for days in sizes:
        home = folder / f"home-{days}"
        with Replenish.open(program_dir=program, data_dir=home, backup=False) as service:
            today = plan.plan_date(clock.now(), plan.DEFAULT_DAY_START_HOUR)
            service.store.import_data(history_export(days, today))
            settings = service.settings()
            at_day_start = clock_time(plan.DEFAULT_DAY_START_HOUR, 0)
            service.save_settings(settings.with_reminders(on=True, times=(at_day_start,)))
        histories.append(History(days, home, program))
    return histories


def rounds(runs: int, measures: Sequence[Callable[[], float]]) -> list[Samples]:
    """Each measure once a round, the order turned every round: drift hits all alike."""
    values: list[list[float]] = [[] for _ in measures]
    for index in range(runs):
        order = list(range(len(measures)))
        turn = index % len(order)
        for which in order[turn:] + order[:turn]:
            values[which].append(measures[which]())
    return [Samples(tuple(found)) for found in values]


def ratio_row(
    name: str, ours: Samples, floor: Samples, floor_name: str, limit: float | None
) -> Figure:
    ratio = ours.median / floor.median
    return Figure(
        name,
        ours,
        "ms",
        None if limit is None else f"<= {limit:.2f}x",
        ok=limit is None or ratio <= limit,
        baseline=f"{ratio:.2f}x {floor_name} ({floor.median:.1f} ms)",
    )


def ms_row(
    name: str, ours: Samples, floor: Samples, floor_name: str, limit_ms: float, note: str = ""
) -> Figure:
    ratio = ours.median / floor.median
    return Figure(
        name,
        ours,
        "ms",
        f"<= {limit_ms:.0f} ms",
        ok=ours.median <= limit_ms,
        baseline=f"{ratio:.1f}x {floor_name} ({floor.median:.1f} ms)",
        note=note,
    )


def flat_row(
    name: str, by_size: Sequence[tuple[str, Samples]], slack_ms: float = 0.0
) -> Figure | None:
    """Whether `name` stays flat from the smallest size to each larger one: within `FLAT`
    of it, or no more than `slack_ms` above it."""
    if len(by_size) < 2:
        return None
    first_label, first = by_size[0]
    growth = [(size, samples.median / first.median) for size, samples in by_size[1:]]
    worst = max(ratio for _, ratio in growth)
    most = max(samples.median for _, samples in by_size[1:]) - first.median
    shown = ", ".join(f"{size} {ratio:.2f}x" for size, ratio in growth)
    target = f"<= {FLAT:.2f}x (flat)"
    if slack_ms:
        target = f"<= {FLAT:.2f}x or +{slack_ms:.0f} ms, a frame (flat)"
        shown += f" (+{most:.1f} ms at most)"
    return Figure(
        f"{name}: growth from {first_label}",
        None,
        "",
        target,
        ok=worst <= FLAT or most <= slack_ms,
        value=shown,
    )


# ----------------------------------------------------------------- plain commands


def plain_rows(histories: Sequence[History], runs: int, replenish: list[str]) -> list[Figure]:
    """`today` and `nudge` (fast and full paths) and `status`, per size, beside `python -c pass`."""
    base_argv = [PYTHON, "-c", "pass"]
    env0 = child_env(str(histories[0].home))
    measures: list[Callable[[], float]] = [lambda: time_process(base_argv, env0)]
    names: list[tuple[str, int]] = []
    for history in histories:
        env = child_env(str(history.home))
        argv = [*replenish, "--program", str(history.program)]
        digest = history.home / "nudge-digest"
        for command in ("today", "nudge"):
            expect = _expected(command, history)
            time_process([*argv, command], env, expect)  # warm-up: .pyc, cache, the backup
        time.sleep(1.2)  # the digest is written once the data files are a second old
        for command in ("today", "nudge"):
            run = [*argv, command]
            expect = _expected(command, history)
            measures.append(_fast(run, env, expect, digest))
            names.append((f"replenish {command}, fast path (digest current)", history.days))
            measures.append(_full(run, env, expect, digest))
            names.append(
                (f"replenish {command}, full path (first run after a change)", history.days)
            )
        status = [*argv, "status"]
        measures.append(
            lambda status=status, env=env, d=history.days: time_process(  # type: ignore[misc]
                status, env, lambda out: f"day {d} of" in out
            )
        )
        names.append(("replenish status", history.days))
    base, *found = rounds(runs, measures)
    limits = {
        "replenish today, fast path (digest current)": 3.0,
        "replenish nudge, fast path (digest current)": 3.0,
        "replenish nudge, full path (first run after a change)": 5.0,
    }
    rows: list[Figure] = []
    by_name: dict[str, list[tuple[str, Samples]]] = defaultdict(list)
    for (name, days), samples in zip(names, found, strict=True):
        rows.append(
            ratio_row(f"{name}, {label(days)}", samples, base, "python -c pass", limits.get(name))
        )
        by_name[name].append((label(days), samples))
    for name, by_size in by_name.items():
        row = flat_row(name, by_size)
        if row is not None:
            rows.append(row)
    return rows


def _expected(command: str, history: History) -> Callable[[str], bool]:
    if command == "nudge":  # discreet by default: it names no day and no exercise
        return lambda out: out.startswith("Replenish · ") and "when you are ready" in out
    return lambda out: f"Day {history.days} of {HISTORY_PROGRAM_DAYS}" in out


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns)


def _fast(
    argv: list[str], env: dict[str, str], expect: Callable[[str], bool], digest: Path
) -> Callable[[], float]:
    """A timed run that the digest answers: an untimed run first makes it current for this
    command; the digest is unchanged by the timed one (the full path would rewrite it)."""

    def measure() -> float:
        time_process(argv, env, expect)
        before = _stamp(digest)
        took = time_process(argv, env, expect)
        if before is None or _stamp(digest) != before:
            raise HarnessError(f"{' '.join(argv)} did not take the fast path")
        return took

    return measure


def _full(
    argv: list[str], env: dict[str, str], expect: Callable[[str], bool], digest: Path
) -> Callable[[], float]:
    """A timed run that finds no digest: it answers in full and writes the next one, as the
    first run after a change does (a pinned clock would switch the writer off)."""

    def measure() -> float:
        digest.unlink(missing_ok=True)
        took = time_process(argv, env, expect)
        if not digest.exists():
            raise HarnessError(f"{' '.join(argv)} left no digest: the full path was not measured")
        return took

    return measure


# ----------------------------------------------------------------- the first frame


def frame_rows(histories: Sequence[History], runs: int, replenish: list[str]) -> list[Figure]:
    """Spawn to today's heading on screen, per size, beside a bare Textual app's first line."""
    from bench_frame import time_to_text

    env0 = child_env(str(histories[0].home), TEXTUAL_ANIMATIONS="none")
    bare = [PYTHON, str(Path(__file__).with_name("bench_bare_app.py"))]
    measures: list[Callable[[], float]] = [lambda: time_to_text(bare, env0, READY)]
    for history in histories:
        env = child_env(str(history.home), TEXTUAL_ANIMATIONS="none")
        argv = [*replenish, "--program", str(history.program)]
        text = f"Day {history.days} ·"
        time_to_text(argv, env, text)  # warm-up
        measures.append(lambda argv=argv, env=env, text=text: time_to_text(argv, env, text))  # type: ignore[misc]
    time_to_text(bare, env0, READY)
    base, *found = rounds(runs, measures)
    name = "app first frame on an 80x24 pty (today's day on screen)"
    rows = [
        ratio_row(f"{name}, {history.label}", samples, base, "bare Textual app", 1.25)
        for history, samples in zip(histories, found, strict=True)
    ]
    row = flat_row(name, [(h.label, s) for h, s in zip(histories, found, strict=True)])
    return rows + ([row] if row else [])


# ----------------------------------------------------------------- keys


FIRST_VISITS = ("open an exercise, first time", "F3 Journey, first visit",
                "F4 Journal, first visit", "F5 Settings, first visit")  # fmt: skip
KEYS = (
    "move in Today",
    "Next",
    "Back",
    "leave an exercise",
    "leave an exercise with F2",
    "open an exercise again",
    "move in Journey",
    "F2 Today, after a visit elsewhere",
    "F3 Journey, again",
    "F4 Journal, again",
    "F5 Settings, again",
)
TYPING = "typing one character"
ESCAPE_NOTE = (
    "Escape is read as a key only once no sequence follows it: Textual's input thread "
    "checks that on a 100 ms select timeout, so any Textual app answers Escape about 100 ms "
    "late on a terminal without the kitty keyboard protocol; the target is that floor, "
    "measured in the same run, plus the 50 ms of any key"
)
ESCAPE_FLOOR = "bare Textual app, Escape answered"
ESCAPES = 4
"""Escapes pressed in each bare echo session, for the floor of "leave an exercise"."""


class Keyboard:
    """Keys typed into one session, each timed from its write to the change on screen."""

    def __init__(self, session: PtySession) -> None:
        self.session = session
        self.times: dict[str, list[float]] = defaultdict(list)

    def key(self, name: str | None, keys: bytes, done: Callable[[], bool], what: str) -> None:
        session = self.session
        session.quiet(QUIET_BEFORE_KEY)
        if done():
            raise HarnessError(f"{name or what}: the screen showed {what} before the key")
        pressed = session.press(keys)
        try:
            shown = session.wait_until(done, what, timeout=30)
        except FrameTimeout as error:
            raise HarnessError(f"{name or what}: {error}") from None
        if name is not None:
            self.times[name].append((shown - pressed) * 1000)

    def shows(self, text: str) -> Callable[[], bool]:
        return lambda: self.session.shows(text)

    def restyled(self, text: str) -> Callable[[], bool]:
        """True once the line showing `text` is drawn differently than now (a moved highlight)."""
        before = self.session.style_of(text)
        if before is None:
            raise HarnessError(f"{text!r} is not on screen to watch")
        return lambda: self.session.style_of(text) != before

    def type_text(self, name: str | None, text: str, already: str) -> str:
        for char in text:
            already += char
            self.key(name, char.encode(), self.shows(already), repr(already))
        return already


def app_session(history: History, replenish: list[str]) -> tuple[dict[str, list[float]], int]:
    """Every key of the latency group once (typing and Next several times) in one app;
    the key times, and the app's peak resident memory (KiB) at the end."""
    home = history.home.with_name(history.home.name + "-session")
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(history.home, home)  # every session starts from the same state
    env = child_env(str(home), TEXTUAL_ANIMATIONS="none")
    # A copy is a new file to the store, which runs SQLite's quick_check (every page) on
    # it; a user's app finds the file as Replenish closed it and skips that. One plain
    # run, untimed, leaves the copy so, and the peak memory is the session's own.
    time_process([*replenish, "--program", str(history.program), "nudge"], env)
    session = PtySession([*replenish, "--program", str(history.program)], env)
    keyboard = Keyboard(session)
    k = keyboard.key
    d, days = history.days, HISTORY_PROGRAM_DAYS
    on_today = "Enter opens the highlighted exercise"
    on_journey = f"day {d} of {days}."
    on_journal = EVENING_WORDS
    on_settings = "Changes save as you make them"
    try:
        try:
            session.wait_for(f"Day {d} ·", timeout=30)
        except FrameTimeout as error:
            raise HarnessError(f"the app did not start: {error}") from None
        session.settle(LOOK_SECONDS)
        k("move in Today", DOWN, keyboard.restyled("Evening note"), "the highlight moved down")
        k("move in Today", UP, keyboard.restyled("Daily check-in"), "the highlight moved up")
        k("open an exercise, first time", ENTER, keyboard.shows("Step 1 of 3"), "step 1")
        k("Next", F8, keyboard.shows("Step 2 of 3"), "step 2")
        k("Next", F8, keyboard.shows("Step 3 of 3"), "step 3")
        k("Back", F7, keyboard.shows("Step 2 of 3"), "step 2")
        k("Next", F8, keyboard.shows("Step 3 of 3"), "step 3")
        typed = keyboard.type_text(None, TYPED_FIRST, "")
        keyboard.type_text(TYPING, TYPED, typed)
        k("Back", F7, keyboard.shows("Step 2 of 3"), "step 2")
        k("leave an exercise", ESCAPE, keyboard.shows(on_today), "Today")
        k("open an exercise again", ENTER, keyboard.shows("Step 2 of 3"), "step 2 (resumed)")
        k("leave an exercise", ESCAPE, keyboard.shows(on_today), "Today")
        k("open an exercise again", ENTER, keyboard.shows("Step 2 of 3"), "step 2 (resumed)")
        k("leave an exercise with F2", F2, keyboard.shows(on_today), "Today")
        k("F3 Journey, first visit", F3, keyboard.shows(on_journey), "the Journey")
        there, back = (LEFT, RIGHT) if (d - 1) % 7 else (RIGHT, LEFT)
        other = d - 1 if there == LEFT else d + 1
        k("move in Journey", there, keyboard.shows(f"Day {other},"), f"day {other} described")
        k("move in Journey", back, keyboard.shows(f"Day {d},"), f"day {d} described")
        k("F4 Journal, first visit", F4, keyboard.shows(on_journal), "the Journal's entries")
        k("F5 Settings, first visit", F5, keyboard.shows(on_settings), "Settings")
        k("F2 Today, after a visit elsewhere", F2, keyboard.shows(on_today), "Today")
        k("F3 Journey, again", F3, keyboard.shows(on_journey), "the Journey")
        k("F4 Journal, again", F4, keyboard.shows(on_journal), "the Journal")
        k("F2 Today, after a visit elsewhere", F2, keyboard.shows(on_today), "Today")
        k("F5 Settings, again", F5, keyboard.shows(on_settings), "Settings")
        k("F2 Today, after a visit elsewhere", F2, keyboard.shows(on_today), "Today")
        return keyboard.times, session.peak_rss_kib()
    finally:
        session.close()
        shutil.rmtree(home, ignore_errors=True)


def echo_session() -> dict[str, list[float]]:
    """A bare Textual TextArea's echo of each timed character, the floor for every key, and
    the same app's answer to Escape, the floor for a key that is Escape."""
    import tempfile

    env = child_env(tempfile.gettempdir(), TEXTUAL_ANIMATIONS="none")
    session = PtySession([PYTHON, str(Path(__file__).with_name("bench_bare_app.py")), "echo"], env)
    keyboard = Keyboard(session)
    try:
        try:
            session.wait_for(READY, timeout=60)
        except FrameTimeout as error:
            raise HarnessError(f"the bare echo app did not start: {error}") from None
        session.settle(LOOK_SECONDS)
        typed = keyboard.type_text(None, TYPED_FIRST, "")
        keyboard.type_text(TYPING, TYPED, typed)
        for index in range(ESCAPES):
            said = ESCAPED[index % 2]
            keyboard.key(ESCAPE_FLOOR, ESCAPE, keyboard.shows(said), repr(said))
        return keyboard.times
    finally:
        session.close()


def key_rows(histories: Sequence[History], runs: int, replenish: list[str]) -> list[Figure]:
    """The latency group: sessions of every size and the bare echo, turn about."""
    times: dict[int, dict[str, list[float]]] = {h.days: defaultdict(list) for h in histories}
    peaks: dict[int, list[float]] = defaultdict(list)
    echo: list[float] = []
    escapes: list[float] = []
    echo_session()  # warm-up: .pyc files
    for history in histories:  # warm-up: the program cache, the day's backup
        argv = [*replenish, "--program", str(history.program), "today"]
        time_process(argv, child_env(str(history.home)), _expected("today", history))
    app_session(histories[0], replenish)  # warm-up: the app's .pyc files
    for _ in range(runs):
        bare = echo_session()
        echo += bare[TYPING]
        escapes += bare[ESCAPE_FLOOR]
        for history in histories:
            found, peak = app_session(history, replenish)
            for name, values in found.items():
                times[history.days][name] += values
            peaks[history.days].append(peak / 1024)
    floor = Samples(tuple(echo))
    escape_floor = Samples(tuple(escapes))
    rows = [
        Figure("bare Textual TextArea, echo of one character", floor, "ms", None),
        Figure(ESCAPE_FLOOR, escape_floor, "ms", None),
    ]
    for name in (*FIRST_VISITS, *KEYS, TYPING):
        by_size = []
        for history in histories:
            samples = Samples(tuple(times[history.days][name]))
            by_size.append((history.label, samples))
            title = f"key: {name}, {history.label}"
            if name == TYPING:
                rows.append(ratio_row(title, samples, floor, "bare echo", TYPING_FLOOR))
            else:
                limit = FIRST_VISIT_MS if name in FIRST_VISITS else KEY_MS
                if name == "leave an exercise":  # Escape: the bare app's own answer is its floor
                    rows.append(ms_row(title, samples, escape_floor, "bare app's Escape",
                                       escape_floor.median + limit, ESCAPE_NOTE))  # fmt: skip
                else:
                    rows.append(ms_row(title, samples, floor, "bare echo", limit))
        row = flat_row(f"key: {name}", by_size, FRAME_MS)
        if row is not None:
            rows.append(row)
    for history in histories:
        peak = Samples(tuple(peaks[history.days]))
        name = f"app peak RSS after every key, {history.label}"
        rows.append(Figure(name, peak, "MiB", "<= 60 MiB", ok=peak.high <= 60))
    return rows
