"""Plan, do, review: a later step shows an earlier answer (`recall`), in `today`, `do` and
the service the app's runner asks, from the bundled program's follow-ups."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program.cli import main
from program.content import load_program
from tests.conftest import BUNDLED, enrolled, open_service

START = date(2027, 1, 4)
PLANNED = {"what": "A nap \x1b[2J on the sofa", "when": "Saturday 14:00", "remind": False}


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=12
    )


@pytest.fixture
def rest_planned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan of the bundled program with a rest block planned on day 5; now is day 7."""
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(5))
    service.save_answer("rest-block", 5, "rest-when", PLANNED)
    service.close()
    monkeypatch.setenv("REPLENISH_NOW", at(7).isoformat())
    return data


def test_the_follow_ups_recall_the_talk_the_change_and_the_rest_plans() -> None:
    program = load_program(BUNDLED)
    recalled = {
        exercise.id: {step.recall for step in exercise.steps if step.recall}
        for exercise in program.exercises
        if any(step.recall for step in exercise.steps)
    }
    assert recalled == {
        "after-the-talk": {("whos-holding-what", "try")},
        "after-renegotiating": {("renegotiate", "which"), ("renegotiate", "raise-it")},
        "after-easing": {("ease-your-load", "heavy-task"), ("ease-your-load", "ease-when")},
        "rest-look-back": {("rest-block", "rest-when")},
        "gentle-touch-after": {("gentle-touch", "touch-choice")},
        "quiet-glance-after": {("quiet-glance", "glance-when")},
        "noticing-bids-after": {("noticing-bids", "bids-watch")},
        "seen-work-after": {("seen-work", "thank-for")},
        "expectations-after": {("expectations-together", "share-first")},
        "last-page": {("keep-going", "early-signs")},
        "body-signals": {("body-signals", "signals")},  # its own list, met again
        "weekly-check-in": {  # after the plan, each week (tests/test_follow_on.py)
            ("keep-going", "early-signs"),
            ("keep-going", "keep-rest"),
            ("keep-going", "keep-connection"),
        },
    }
    for follow_up, sources in recalled.items():
        later = program.exercise(follow_up)
        assert later is not None
        for exercise_id, step_id in sources:
            source = program.exercise(exercise_id)
            assert source is not None
            if source is later:  # shown only again: never on its own first day
                recalling = [step for step in later.steps if step.recall == (exercise_id, step_id)]
                assert all(step.shown == "again" for step in recalling)
            else:  # a follow-on is due only past the plan's last day
                assert source.days[0] < (later.days[0] if later.days else program.days + 1)
            assert source.gate == later.gate  # shown to whoever was shown what it recalls


def test_the_service_finds_the_latest_answer_before_the_day(rest_planned: Path) -> None:
    service = open_service(rest_planned, BUNDLED, at(30))
    exercise = service.program.exercise("rest-look-back")
    assert exercise is not None
    step = exercise.steps[0]
    found = service.recalled(step, 7)
    assert found is not None and found.day == 5
    assert found.line == (
        "You planned this rest block:\nA nap \x1b[2J on the sofa\nWhen: Saturday 14:00"
    )
    assert service.recalled(step, 5) is None  # nothing before the day it was given
    service.save_answer("rest-block", 26, "rest-when", {"what": "A long bath"})
    later = service.recalled(step, 30)
    assert later is not None and later.day == 26 and later.text == "A long bath"
    assert service.recalled(exercise.steps[1], 30) is None  # a step that recalls nothing
    service.close()


def test_today_names_what_the_follow_up_will_show(
    rest_planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(rest_planned), "today"])
    out = capsys.readouterr().out
    assert code == 0
    assert "  - Did the rest happen?, 2 min\n    You planned this rest block:\n" in out
    assert "    A nap ␛[2J on the sofa\n    When: Saturday 14:00" in out  # literally, indented
    assert "\x1b" not in out


def test_do_shows_it_above_the_step(
    rest_planned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    service = open_service(rest_planned, BUNDLED, at(7))
    service.set_position("rest-look-back", 7, 0)
    service.close()
    read, write = os.pipe()
    os.write(write, b"quit\n")
    os.close(write)
    with os.fdopen(read, "r") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        code = main(["--data-dir", str(rest_planned), "do"])
    out = capsys.readouterr().out
    assert code == 0
    step = out.split("Did the rest happen?, 2 min · Day 7", 1)[1]
    assert step.index("You planned this rest block:\nA nap ␛[2J on the sofa") < step.index(
        "Plans for rest are easy to push aside."
    )


def test_the_last_day_shows_back_the_first_signs_written_in_week_6(tmp_path: Path) -> None:
    """Issue 14, item 7: a short list of the user's own early warning signs, written on day
    41 (`keep-going.early-signs`), shown back on day 42 by `last-page`."""
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(42))
    try:
        service.save_answer("keep-going", 41, "early-signs", "Short sleep\nSnapping at the kids")
        last = service.program.exercise("last-page")
        assert last is not None
        step = next(step for step in last.steps if step.recall)
        recalled = service.recalled(step, 42)
        assert recalled is not None and recalled.day == 41
        label = "Your own first signs of running low:"
        assert recalled.line == f"{label}\nShort sleep\nSnapping at the kids"
        shown = service.recalls_today(service.today())
        assert [item.text for item in shown[("last-page", 42)]] == [
            "Short sleep\nSnapping at the kids"
        ]
    finally:
        service.close()
