"""`replenish do`: a day done by lines of input alone, saved as the app saves it.

In-process through `main(argv)` with standard input a real pipe (the lines written
and the pipe closed, as `printf ... | replenish do` gives them), or through the
`Walk` with a scripted clock where a timer must run to its end; as a real process
only where a process shows it (tests/test_do_process.py: a kill, a pty).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from program.cli import main
from program.commands.do import Walk
from program.content import KINDS, load_program
from program.plain.talk import HELP, Talk
from program.plain.views import VIEWS, duration_words
from program.service import Replenish
from state import JSONValue, Store
from tests.conftest import SMALL

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""Day 1 of the plan begun this morning."""

DAY_ONE = [
    "7",  # check-in: energy
    "5",  # closeness
    "Slept badly, but I want to go back to bed",  # words, a line holding a command word
    "back",  # a command on a line of its own: to closeness
    "",  # keeps 5
    "and quit early",  # added to the words
    "",  # ends them
    "",  # the intake's reading
    "1",  # safe: Yes
    "1, 3",  # signs: Tired, Forgetful
    "next",  # the timer: go on without it
    "a walk",  # the plan: what
    "20:30",  # when
    "yes",  # remind me
]
"""Every line of day 1 of the small program, with a Back and a kept answer on the way."""

DAY_ONE_ANSWERS: dict[tuple[str, str], JSONValue] = {
    ("check-in", "energy"): 7,
    ("check-in", "closeness"): 5,
    ("check-in", "words"): "Slept badly, but I want to go back to bed\nand quit early",
    ("intake", "safe"): "Yes",
    ("intake", "signs"): ["Tired", "Forgetful"],
    ("rest", "when"): {
        "what": "a walk",
        "when": "20:30",
        "remind": True,
        "reminder": 1,
        "reminder_at": "2026-03-02T20:30:00+00:00",
    },
}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose plan (the small program) began today, at NOW."""
    monkeypatch.setenv("REPLENISH_NOW", NOW.isoformat())
    folder = tmp_path / "data"
    with service_at(folder) as service:
        service.start()
    return folder


def service_at(folder: Path, now: datetime = NOW) -> Replenish:
    return Replenish(load_program(SMALL), Store.open(folder), now=lambda: now)


def do(
    folder: Path,
    lines: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    end: str = "\n",
) -> tuple[int, str]:
    """`replenish do` with `lines` on a pipe that then closes; (exit code, what it printed)."""
    read, write = os.pipe()
    os.write(write, ("\n".join(lines) + end).encode() if lines else b"")
    os.close(write)
    with os.fdopen(read, "r") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        code = main(["--program", str(SMALL), "--data-dir", str(folder), "do"])
    return code, capsys.readouterr().out


def answers(folder: Path) -> dict[tuple[str, str], JSONValue]:
    with Store.open(folder) as store:
        return {(answer.exercise_id, answer.step_id): answer.value for answer in store.answers()}


def outcomes(folder: Path) -> dict[str, tuple[str, str]]:
    with Store.open(folder) as store:
        return {outcome.exercise_id: (outcome.kind, outcome.reason) for outcome in store.outcomes()}


def test_a_whole_day_by_lines_of_input_alone(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = do(data, DAY_ONE, monkeypatch, capsys)
    assert code == 0
    assert answers(data) == DAY_ONE_ANSWERS
    assert outcomes(data) == {
        "check-in": ("done", ""),
        "intake": ("done", ""),
        "rest": ("done", ""),
    }
    with Store.open(data) as store:
        assert store.position() is None
        (reminder,) = store.one_offs()
        assert (reminder.fire_at, reminder.text) == (
            datetime(2026, 3, 2, 20, 30, tzinfo=UTC),
            "You planned: a walk",
        )
    assert out.startswith("Small steps\nWeek 1 of 2 · Day 1 of 14 · Basics\n")
    assert HELP in out
    for said in (
        "Type a whole number from 0 (empty) to 10 (full).",
        "Your answer now: 5. An empty line keeps it.",
        "An empty line ends it.",
        "You wrote before:\n  Slept badly, but I want to go back to bed\n",
        "This is not therapy.\nPress Enter to go on.",  # Markdown read as plain words
        "  1. Yes\n  2. Not sure\n  3. No\n",
        "Saved: Tired, Forgetful.",
        "A timer of 3 seconds.",
        "Saved: a walk, Monday 02 March at 20:30. A reminder is set for then.",
        "Done: A short rest.",
        "Today is done. Thank you for showing up for yourself.",
    ):
        assert said in out, said
    assert "**" not in out and "\x1b" not in out
    # Nothing is left to do today: a second run says so and asks nothing.
    code, again = do(data, [], monkeypatch, capsys)
    assert code == 0 and "Today is done." in again and "Step 1" not in again


def test_stopping_at_any_step_starts_there_next_time(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """quit, and the end of input half-way through a reflection: the next run picks up
    at the same step, with every line given before kept."""
    code, out = do(data, ["7", "quit"], monkeypatch, capsys)
    assert code == 0
    assert out.rstrip().endswith("`replenish do` starts again at this step.")
    assert answers(data) == {("check-in", "energy"): 7}
    code, out = do(data, ["", "Tired today"], monkeypatch, capsys, end="")  # no final newline
    assert "Picking up where you stopped: Daily check-in, 1 min." in out
    assert "Step 2 of 3." in out.split("Picking up")[1].split("\n\n")[2]
    assert answers(data)[("check-in", "words")] == "Tired today"
    code, out = do(data, ["and still tired", "", *DAY_ONE[7:]], monkeypatch, capsys)
    assert "Step 3 of 3.\nA few words, if you like.\nYou wrote before:\n  Tired today" in out
    assert answers(data)[("check-in", "words")] == "Tired today\nand still tired"
    assert set(outcomes(data)) == {"check-in", "intake", "rest"}


def test_next_skip_aside_and_help(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["next", "SKIP", "?", "", "aside", "keep", "aside", "Not today", "", "quit"]
    code, out = do(data, lines, monkeypatch, capsys)
    assert code == 0
    assert answers(data) == {}  # nothing answered: nothing saved
    assert out.count(HELP) == 2  # at the start, and on "?"
    assert "Kept." in out
    assert outcomes(data) == {"check-in": ("done", ""), "intake": ("skipped", "Not today")}
    assert "Set aside. It will not be asked of you again." in out
    assert "A short rest, 5 min · Day 1" in out


def test_bad_answers_are_asked_again_and_lose_nothing(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["11", "seven", "-1", "10", "", "", "", "4", "", "2 2 9", "none", "next"]
    lines += ["a nap", "yesterday", "2026-03-01 10:00", "21:00", "maybe", "no"]
    code, out = do(data, lines, monkeypatch, capsys)
    assert code == 0
    assert out.count("Please type a whole number from 0 to 10.") == 3
    assert "Please type one number from 1 to 3." in out
    assert "Please type numbers from 1 to 3, with spaces between them, or none." in out
    assert "'yesterday' is not a time" in out and "2026-03-01 10:00 has already passed" in out
    found = answers(data)
    assert found[("check-in", "energy")] == 10
    assert found[("intake", "signs")] == []
    assert ("intake", "safe") not in found
    assert found[("rest", "when")] == {"what": "a nap", "when": "21:00", "remind": False}
    with Store.open(data) as store:
        assert store.one_offs() == []


def test_the_flags_raised_hide_and_show_what_the_app_hides_and_shows(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    do(data, ["", "", "", "", "3", "", "aside", ""], monkeypatch, capsys)  # safe: "No"
    monkeypatch.setenv("REPLENISH_NOW", "2026-03-09T09:30:00+00:00")  # day 8
    code, out = do(data, ["", "", "", "My own time", ""], monkeypatch, capsys)
    assert code == 0
    assert "Support outside the relationship comes first." in out  # the flag's notice
    assert "Sitting together" not in out
    # The exercise the flag requires, without its step the flag excludes.
    assert "Time for you, 6 min · Day 8\n\nStep 1 of 1.\nWhat do you need right now?" in out
    assert "Never shown" not in out
    assert answers(data)[("alone-time", "need")] == "My own time"


def test_data_text_is_shown_literally(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with service_at(data) as service:
        service.save_answer("check-in", 1, "words", "[b]x[/b] \x1b]52;c;aGk=\x07 \u202eevil")
        service.set_position("check-in", 1, 2)
    code, out = do(data, ["quit"], monkeypatch, capsys)
    assert code == 0
    assert "[b]x[/b] ␛]52;c;aGk=␇ \\u202eevil" in out
    assert "\x1b" not in out and "\x07" not in out


def test_before_the_plan_begins_it_says_how_to_begin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--program", str(SMALL), "--data-dir", str(tmp_path / "d"), "do"])
    assert code == 1
    assert "your plan has not begun yet; `replenish start` begins it" in capsys.readouterr().err


def test_every_step_kind_has_a_plain_view() -> None:
    assert set(VIEWS) == set(KINDS)


# ----- the timer, on a scripted clock --------------------------------------------------


class Script:
    """Lines typed by a test. `TIME_PASSES` lets a waiting timer reach its next moment on
    the scripted clock (no real waiting), once; a read without a timeout passes over it."""

    TIME_PASSES = object()

    def __init__(self, *lines: object) -> None:
        self.lines = list(lines)
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def read(self, timeout: float | None = None) -> str | None:
        while self.lines and self.lines[0] is self.TIME_PASSES:
            self.lines.pop(0)
            if timeout is not None:
                self.now += timeout
                raise TimeoutError
        if not self.lines:
            return None
        line = self.lines.pop(0)
        assert isinstance(line, str)
        self.now += 0.5  # typing takes a moment
        return line


def walk(folder: Path, script: Script) -> str:
    """The walk over `script`, on its clock; what it said."""
    out = io.StringIO()
    with service_at(folder) as service:
        assert Walk(service, Talk(script, out, clock=script.clock)).run() == 0
    return out.getvalue()


REST_TIMER = next(e for e in load_program(SMALL).exercises if e.id == "rest").steps[0].id
"""The id of the small program's timer step (given it by the loader: it names none)."""


def day_one_to_the_timer() -> Iterator[str]:
    yield from ("7", "5", "", "", "1", "1")


def test_the_timer_says_start_half_time_and_end_and_saves_that_it_ran(data: Path) -> None:
    wait = Script.TIME_PASSES
    said = walk(data, Script(*day_one_to_the_timer(), "", wait, wait, "quit"))
    assert (
        "Rest.\nA timer of 3 seconds.\n"
        "Press Enter to start it, or type next to go on without it.\n"
        "Started: 3 seconds. Press Enter to stop early.\n"
        "Half time: 2 seconds left.\n"
        "Time is up.\n"
    ) in said
    assert answers(data)[("rest", REST_TIMER)] is True
    with Store.open(data) as store:
        position = store.position()
    assert position is not None and (position.exercise_id, position.step_index) == ("rest", 1)


def test_a_timer_stopped_early_is_not_counted_as_run(data: Path) -> None:
    said = walk(data, Script(*day_one_to_the_timer(), "", Script.TIME_PASSES, "", "quit"))
    assert "Half time: 2 seconds left.\nStopped early, with 1 second left." in said
    assert ("rest", REST_TIMER) not in answers(data)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(3, "3 seconds"), (1, "1 second"), (60, "1 minute"), (90, "1 minute 30 seconds")],
)
def test_durations_in_words(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


def test_earlier_days_still_open_are_offered_once_today_is_through(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPLENISH_NOW", "2026-03-04T09:30:00+00:00")  # day 3; days 1 and 2 open
    today = ["", "", "", "next", ""]  # the check-in, unanswered; the rest, timer not waited for
    code, out = do(data, [*today, "", "quit"], monkeypatch, capsys)
    assert code == 0
    assert "Today is done." in out
    assert "  - Day 2: A short rest, 5 min\n  - Day 1: Where you are, 5 min; A short rest" in out
    assert "Step" not in out.split("Today is done.")[1]  # an empty line: nothing more asked
    code, out = do(data, ["yes", "quit"], monkeypatch, capsys)
    assert "A short rest, 5 min · Day 2\n\nStep 1 of 2." in out
    code, out = do(data, ["next", "", "yes", "", "", "", "next", ""], monkeypatch, capsys)
    assert "Where you are, 5 min · Day 1" in out and "A short rest, 5 min · Day 1" in out
    assert out.rstrip().endswith("That is everything that was open. Thank you for this time.")
    with Store.open(data) as store:
        settled = {(o.exercise_id, o.day, o.kind) for o in store.outcomes()}
    assert settled == {
        ("check-in", 3, "done"),
        ("rest", 3, "done"),
        ("rest", 2, "done"),
        ("intake", 1, "done"),
        ("rest", 1, "done"),
    }
