"""Then and now: the start beside the latest, worked out in one place (`program.then_now`)
and shown by `replenish today`, the Markdown export and the app (tests/tui/test_then_now.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program import then_now
from program.content import load_program
from program.export import as_markdown
from program.service import Replenish
from tests.conftest import BUNDLED, Cli, enrolled

START = date(2027, 1, 4)
PROGRAM = load_program(BUNDLED)
VERDICTS = re.compile(
    r"better|worse|improv|declin|progress|score|fail|success|good news|bad news",
    re.IGNORECASE,
)
"""Words that would grade the change: the view says where things stand, never how well."""


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=12
    )


def checkins(service: Replenish, energy: dict[int, int], closeness: int = 5) -> None:
    for day, value in energy.items():
        service.save_answer("check-in", day, "energy", value)
        service.save_answer("check-in", day, "closeness", closeness)


@pytest.fixture
def day_40(tmp_path: Path) -> Iterator[Replenish]:
    """The bundled plan on day 40: the starting numbers and the intake answered on days 1
    and 39, check-ins in week 1 (about 3) and in the last seven days (about 5)."""
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(40))
    service.save_answer("starting-point", 1, "rested", 2)
    service.save_answer("starting-point", 39, "rested", 6)
    service.save_answer("starting-point", 1, "load", 9)
    service.save_answer("taking-stock", 1, "drained", 8)
    service.save_answer("taking-stock", 39, "drained", 4)
    service.save_answer("taking-stock", 1, "body-signs", ["It is hard to focus", "I forget things"])
    service.save_answer("taking-stock", 39, "body-signs", ["I forget things"])
    service.save_answer("taking-stock", 1, "note", "Worn thin \x1b[2J, both of us")
    checkins(service, {1: 2, 2: 3, 3: 3, 4: 4, 5: 3, 6: 3, 7: 3})
    checkins(service, {day: 9 for day in range(8, 34)})  # between the windows: never read
    checkins(service, {34: 5, 35: 4, 36: 5, 37: 6, 38: 5, 39: 5, 40: 5})
    yield service
    service.close()


def test_the_bundled_program_compares_the_starting_numbers_the_intake_and_the_check_in() -> None:
    setup = PROGRAM.then_and_now
    assert setup is not None
    assert setup.from_day == 39
    assert setup.exercises == ("starting-point", "taking-stock")
    assert setup.scales == (("check-in", "energy"), ("check-in", "closeness"))
    for exercise_id in setup.exercises:  # both on day 1, and back on the day it is offered
        exercise = PROGRAM.exercise(exercise_id)
        assert exercise is not None and exercise.days == (1, 39)
    starting = PROGRAM.exercise("starting-point")
    assert starting is not None and not starting.optional  # always something to compare
    assert [step.kind for step in starting.steps] == ["scale", "scale", "scale"]


def test_day_40_sets_day_1_beside_day_39_and_week_1_beside_the_last(day_40: Replenish) -> None:
    view = then_now.read(day_40)
    assert view is not None and view.day == 40
    lines = list(view.lines())
    energy = "  Energy (0 empty, 10 full): about 3 of 10 in week 1, about 5 in the last week."
    assert energy in lines
    assert (
        "  Closeness (0 far apart, 10 very close): about 5 of 10 in week 1, about 5 in the last "
        "week." in lines
    )
    text = "\n".join(lines)
    assert "Three numbers to start:\n  Most days lately, how rested do you feel?\n" in text
    assert "    Day 1: 2\n    Day 39: 6" in text
    assert "How heavy does your share of the everyday load feel?\n    Day 1: 9\n" in text
    assert "    Day 39: (not answered)" in text
    assert "    Day 1: 8\n    Day 39: 4" in text
    assert "    Day 1: It is hard to focus, I forget things\n    Day 39: I forget things" in text
    assert "Worn thin \x1b[2J, both of us" in text  # the user's words as given; views escape them


def test_only_the_two_windows_and_the_two_days_are_read(
    day_40: Replenish, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[int | None, int | None]] = []
    days: list[int] = []
    windows = day_40.store.answers_for_steps
    one_day = day_40.answers

    def window(steps: object, first: int | None = None, last: int | None = None) -> object:
        if ("check-in", "energy") in steps:  # type: ignore[operator]
            asked.append((first, last))  # (the plan's flags are read as on every path)
        return windows(steps, first, last)  # type: ignore[arg-type]

    def answers(exercise_id: str, day: int) -> object:
        days.append(day)
        return one_day(exercise_id, day)

    monkeypatch.setattr(day_40.store, "answers_for_steps", window)
    monkeypatch.setattr(day_40, "answers", answers)
    monkeypatch.setattr(day_40.store, "answers", lambda: pytest.fail("the whole history read"))
    then_now.read(day_40)
    assert asked == [(1, 7), (34, 40)]
    assert sorted(days) == [1, 1, 39, 39]


def test_when_things_got_heavier_it_says_where_they_stand_and_no_verdict(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(40))
    try:
        checkins(service, {1: 7, 2: 8, 3: 7}, closeness=8)
        checkins(service, {38: 1, 39: 2, 40: 1}, closeness=1)
        service.save_answer("starting-point", 1, "rested", 8)
        service.save_answer("starting-point", 39, "rested", 1)
        view = then_now.read(service)
    finally:
        service.close()
    assert view is not None
    lines = list(view.lines())
    energy = "  Energy (0 empty, 10 full): about 7 of 10 in week 1, about 1 in the last week."
    assert energy in lines
    assert not VERDICTS.search("\n".join(lines)), lines
    assert not VERDICTS.search(view.text.replace("worth knowing", ""))
    assert "not a grade" in view.text and "heavier" in view.text  # said calmly, by the program


def test_nothing_answered_is_said_plainly_and_the_first_week_has_no_last_week() -> None:
    view = then_now.compare(PROGRAM, 5, frozenset(), [], {})
    assert view is not None and view.empty
    lines = list(view.lines())
    assert lines[1] == (
        "  Energy (0 empty, 10 full): no check-ins in week 1. "
        "The last week will show here from day 8."
    )
    assert "  Your answers from day 1. It comes back on day 39." in lines
    assert "  Nothing answered here yet." in lines
    assert not any("(not answered)" in line for line in lines)  # asked, never answered: left out


def test_the_windows_are_the_first_week_and_the_seven_days_up_to_today() -> None:
    assert then_now.windows(1) == ((1, 1), None)
    assert then_now.windows(7) == ((1, 7), None)
    assert then_now.windows(9) == ((1, 7), (8, 9))
    assert then_now.windows(40) == ((1, 7), (34, 40))
    assert then_now.windows(4000) == ((1, 7), (3994, 4000))


def test_averages_are_rounded_half_up_and_said_as_about() -> None:
    window = then_now.Window(1, 7, 2, 2.5)
    scale = then_now.ScaleAverages("Energy", 0, 10, "", "", window, then_now.Window(8, 9, 1, 3.49))
    assert scale.line == "Energy: about 3 of 10 in week 1, about 3 in the last week."
    other = then_now.ScaleAverages("Calm", 1, 5, "", "", window, None)
    assert other.line.startswith("Calm: about 3 (from 1 to 5) in week 1.")


def test_offered_from_day_39_on() -> None:
    assert not then_now.offered(PROGRAM, 38)
    assert then_now.offered(PROGRAM, 39)
    assert then_now.offered(PROGRAM, 42)


def test_today_shows_it_from_day_39_and_not_before(day_40: Replenish, cli: Cli) -> None:
    data = str(day_40.store.data_dir)
    day_40.close()
    before = cli("--data-dir", data, "today", REPLENISH_NOW=at(38).isoformat())
    assert before.code == 0 and "Then and now" not in before.out
    shown = cli("--data-dir", data, "today", REPLENISH_NOW=at(40).isoformat())
    assert shown.code == 0, shown.err
    assert "Then and now" in shown.out
    assert "about 3 of 10 in week 1, about 5 in the last week" in shown.out
    assert "Day 1: 8" in shown.out and "Day 39: 4" in shown.out
    assert "\x1b" not in shown.out  # the user's words, made harmless for the terminal


def test_the_markdown_export_has_a_then_and_now_section(day_40: Replenish) -> None:
    text = as_markdown(day_40)
    section = text.split("## Then and now", 1)[1].split("\n## ", 1)[0]
    assert "It is a picture, not a grade." in section
    assert "about 3 of 10 in week 1, about 5 in the last week" in section
    assert "Day 1: 2" in section and "Day 39: 6" in section
