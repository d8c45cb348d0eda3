"""Do it today, look back later (issue 14, item 4): the "do it today" exercises ask what
the user will try, the day counting as done once that is chosen; a short look back on the
next day shows the choice again and asks how it went."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program import plan
from program.content import ChoiceStep, ReflectStep, load_program
from tests.conftest import BUNDLED, enrolled

PROGRAM = load_program(BUNDLED)
START = date(2027, 1, 4)
PRACTICES = ["gentle-touch", "quiet-glance", "noticing-bids", "seen-work", "expectations-together"]
CHOSEN = {
    "gentle-touch": "touch-choice",
    "quiet-glance": "glance-when",
    "noticing-bids": "bids-watch",
    "seen-work": "thank-for",
    "expectations-together": "share-first",
}


AFTER = {"expectations-together": "expectations-after"}


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=20
    )


@pytest.mark.parametrize("practice_id", PRACTICES)
def test_the_practice_asks_what_to_try_and_never_how_it_went(practice_id: str) -> None:
    practice = PROGRAM.exercise(practice_id)
    assert practice is not None
    answered = [step for step in practice.steps if step.kind not in ("read", "timer")]
    assert [step.id for step in answered] == [CHOSEN[practice_id]]  # one choice, nothing after
    assert isinstance(answered[0], ChoiceStep)
    assert not any(isinstance(step, ReflectStep) for step in practice.steps)


@pytest.mark.parametrize("practice_id", PRACTICES)
def test_the_look_back_comes_the_next_day_recalls_the_choice_and_is_optional(
    practice_id: str,
) -> None:
    practice = PROGRAM.exercise(practice_id)
    after = PROGRAM.exercise(AFTER.get(practice_id, f"{practice_id}-after"))
    assert practice is not None and after is not None
    assert after.days == tuple(day + 1 for day in practice.days)
    assert after.optional and not after.joint and after.minutes <= 2
    assert after.gate == practice.gate  # shown to whoever was shown the practice
    assert after.steps[0].recall == (practice_id, CHOSEN[practice_id])
    assert any(isinstance(step, ReflectStep) for step in after.steps)  # the reflection moved here


def test_the_day_is_done_once_the_practice_is_chosen_and_the_look_back_shows_it(
    tmp_path: Path,
) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(11))
    service.save_answer("safety-check", 1, "put-down", "Never")
    service.complete("safety-check", 1)
    for due in plan.day_plan(service.program, 11, plan.Progress(), 11).exercises:
        if due.exercise.id != "gentle-touch" and not due.exercise.optional:
            service.complete(due.exercise.id, 11)
    service.save_answer("gentle-touch", 11, "touch-choice", "A longer hug")
    service.complete("gentle-touch", 11)
    today = service.today()
    assert today is not None and today.today is not None and today.today.done
    after = service.program.exercise("gentle-touch-after")
    assert after is not None
    found = service.recalled(after.steps[0], 12)
    assert found is not None and found.day == 11
    assert found.line == "You chose to try: A longer hug"
    service.close()


@pytest.mark.parametrize("practice_id", PRACTICES)
def test_the_look_back_closes_with_words_that_fit_any_answer(practice_id: str) -> None:
    """Issue 14, item 8: not a generic "step taken" after "it didn't happen"."""
    after = PROGRAM.exercise(AFTER.get(practice_id, f"{practice_id}-after"))
    assert after is not None and after.closing.startswith(("Thank you", "However it went"))
    assert after.closing not in PROGRAM.closings
