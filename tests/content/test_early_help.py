"""Signposts that come early enough (issue 14, item 6): a short "when to ask for more help"
in week 2, and a gentle, honest word when both "would you want to put energy into this?"
and "do you still want the same things?" are answered no."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program.content import Step
from tests.conftest import BUNDLED, enrolled
from tests.content.prose import grade, prose, runs_of, seed_runs, words_of
from tests.content.test_safety import LEVEL_IDS, LEVELS, PROGRAM, day_of

START = date(2027, 1, 4)
MORE_THAN_TIREDNESS = "Maybe more than tiredness"


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=12
    )


@pytest.mark.parametrize("flags", LEVELS, ids=LEVEL_IDS)
def test_week_two_names_the_signs_for_help_at_every_level(flags: frozenset[str]) -> None:
    today = day_of(flags, 13)
    assert today.today is not None
    assert "reach-out-sooner" in {due.exercise.id for due in today.today.exercises}
    exercise = PROGRAM.exercise("reach-out-sooner")
    assert exercise is not None and exercise.days == (13,) and not exercise.optional
    words = " ".join(str(getattr(step, "text", "")) for step in exercise.steps_for(flags))
    for sign in ("two weeks", "harming yourself", "local emergency number", "doctor", "sleep"):
        assert sign in words, sign


def shown_titles(data: Path, day: int, answers: dict[str, str], safety: str) -> list[str]:
    service = enrolled(data, BUNDLED, start=START, now=at(day))
    service.save_answer("safety-check", 1, "put-down", safety)
    for step_id, answer in answers.items():
        service.save_answer("taking-stock", day, step_id, answer)
    exercise = service.program.exercise("taking-stock")
    assert exercise is not None
    steps: tuple[Step, ...] = exercise.steps_for(service.flags_on(day))
    service.close()
    return [str(getattr(step, "title", "") or getattr(step, "text", "")) for step in steps]


def test_no_to_both_gets_an_honest_word_on_that_day(tmp_path: Path) -> None:
    both = {"more-energy": "No", "same-goals": "No"}
    titles = shown_titles(tmp_path / "a", 1, both, "Never")
    assert MORE_THAN_TIREDNESS in titles
    assert any(title.startswith("If you both feel safe") for title in titles)
    at_ease = titles.index("Burnout, a rough patch, or a poor match?")
    assert at_ease < titles.index(MORE_THAN_TIREDNESS)


@pytest.mark.parametrize(
    "answers",
    [{"more-energy": "No", "same-goals": "Not sure"}, {"more-energy": "Yes", "same-goals": "No"}],
)
def test_one_no_is_not_met_with_it(tmp_path: Path, answers: dict[str, str]) -> None:
    assert MORE_THAN_TIREDNESS not in shown_titles(tmp_path / "a", 1, answers, "Never")


def test_it_holds_for_that_day_only(tmp_path: Path) -> None:
    data = tmp_path / "a"
    shown_titles(data, 1, {"more-energy": "No", "same-goals": "No"}, "Never")
    later = shown_titles(data, 39, {"more-energy": "Yes", "same-goals": "Yes"}, "Never")
    assert MORE_THAN_TIREDNESS not in later


@pytest.mark.parametrize("safety", ["Once in a while", "Often"], ids=["caution", "concern"])
def test_under_a_safety_flag_it_names_help_just_for_the_user(tmp_path: Path, safety: str) -> None:
    titles = shown_titles(tmp_path / "a", 1, {"more-energy": "No", "same-goals": "No"}, safety)
    assert MORE_THAN_TIREDNESS in titles
    assert not any("couple" in title.lower() for title in titles)
    assert not any(title.startswith("If you both feel safe") for title in titles)


@pytest.mark.parametrize("flags", LEVELS, ids=LEVEL_IDS)
def test_the_word_for_no_is_fresh_plain_and_kind(flags: frozenset[str]) -> None:
    """The prose checks (test_safety) on what only "no" to both shows."""
    raised = flags | {"no-energy-for-it", "different-wants"}
    runs = seed_runs()
    banned = re.compile(
        r"\b(fail\w*|streaks?|behind|lazy|should have|missed|your fault|nobody's fault)\b", re.I
    )
    pieces = [(where, text) for where, text in prose(PROGRAM, raised) if where.startswith("taking")]
    assert any(MORE_THAN_TIREDNESS in text for _, text in pieces)
    for where, piece in pieces:
        assert not [run for run_hash, run in runs_of(piece) if run_hash in runs], where
        assert not banned.search(piece), where
        if len(words_of(piece)) >= 40:
            assert grade(piece) <= 8, (where, round(grade(piece), 1))
