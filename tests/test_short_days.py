"""Pacing for empty days: a check-in energy of 0-3 raises `running-low` for that day only,
and that day every exercise with a short form shows it (about two minutes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from program import plan
from program.content import Program, load_program
from program.content.budget import days_over_budget
from tests.conftest import BUNDLED, enrolled
from tests.content.prose import grade, runs_of, seed_runs, words_of

PROGRAM: Program = load_program(BUNDLED)
LOW = "running-low"
START = date(2027, 1, 4)
CAUTION, CONCERN = "safety-caution", "safety-concern"
LEVELS = [frozenset(), frozenset({CAUTION}), frozenset({CAUTION, CONCERN})]


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), time(12), tzinfo=UTC)


def test_a_low_check_in_raises_the_flag_for_its_day_only() -> None:
    assert PROGRAM.short_flag == LOW
    for energy in range(11):
        answers = [("check-in", "energy", 4, energy)]
        expected = {4: frozenset({LOW})} if energy <= 3 else {}
        assert PROGRAM.day_flags_from(answers) == expected, energy
        assert PROGRAM.flags_from([("check-in", "energy", energy)]) == frozenset()  # not kept
    assert ("check-in", "energy") not in PROGRAM.flagging_steps()  # never read as a plan flag


@pytest.mark.parametrize("flags", LEVELS, ids=["no flag", "caution", "concern"])
def test_every_day_with_little_energy_is_short_and_the_next_is_not(flags: frozenset[str]) -> None:
    shortened = {exercise.id for exercise in PROGRAM.exercises if exercise.short}
    assert {"solo-reset", "body-scan", "movement", "mindful-minutes"} <= shortened
    seen_short: set[str] = set()
    for day in range(1, PROGRAM.days + 1):
        progress = plan.Progress(done=frozenset({("safety-check", 1)}), flags=flags,
                                 day_flags={day: frozenset({LOW})})
        low = plan.today(PROGRAM, plan.Schedule(START), progress, at(day))
        assert low.today is not None
        assert any(LOW in notice.gate.requires for notice in low.notices), day
        for due in low.today.exercises:
            full = PROGRAM.exercise(due.exercise.id)
            assert full is not None
            if full.short is not None:
                assert due.exercise is full.short and due.exercise.minutes <= 5, day
                seen_short.add(full.id)
        assert low.today.minutes <= 15
        tomorrow = plan.today(PROGRAM, plan.Schedule(START), progress, at(day + 1))
        if tomorrow.today is not None:
            assert not any(LOW in n.gate.requires for n in tomorrow.notices)
            assert all(due.exercise.short is not None or not PROGRAM.exercise(
                due.exercise.id).short for due in tomorrow.today.exercises), day + 1
    assert seen_short == {e for e in shortened if PROGRAM.exercise(e).gate.open_for(flags)}  # type: ignore[union-attr]
    assert list(days_over_budget(PROGRAM, [LOW])) == []


def test_short_forms_are_fresh_plain_and_kind() -> None:
    runs = seed_runs()
    pieces = [notice.text for notice in PROGRAM.notices if LOW in notice.gate.requires]
    for exercise in PROGRAM.exercises:
        if exercise.short is not None:
            pieces.append(exercise.short.summary)
            for step in exercise.short.steps:
                pieces += [str(getattr(step, name, "")) for name in ("text", "prompt", "label")]
    for piece in pieces:
        assert not [run for run_hash, run in runs_of(piece) if run_hash in runs]
        if len(words_of(piece)) >= 40:
            assert grade(piece) <= 8


def test_the_service_shows_the_short_form_on_that_day_only(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(4))
    service.save_answer("safety-check", 1, "put-down", "Never")
    before = service.today()
    assert before is not None and before.today is not None
    scan = next(d for d in before.today.exercises if d.exercise.id == "body-scan")
    assert scan.exercise.minutes == 7
    service.save_answer("check-in", 4, "energy", 2)
    low = service.today()
    assert low is not None and low.today is not None
    scan = next(d for d in low.today.exercises if d.exercise.id == "body-scan")
    assert scan.exercise.minutes == 2 and scan.exercise.steps[0].kind == "timer"
    assert service.exercise_on("body-scan", 4).minutes == 2  # type: ignore[union-attr]
    assert service.exercise_on("body-scan", 12).minutes == 7  # type: ignore[union-attr]
    assert LOW not in service.flags() and LOW in service.flags_on(4)
    service.close()


def test_the_hard_day_practice_is_due_on_no_day_and_short() -> None:
    steady = PROGRAM.exercise(PROGRAM.hard_day)
    assert steady is not None and steady.anytime and steady.days == ()
    assert steady.minutes <= 5 and not steady.joint
    assert all(steady not in PROGRAM.exercises_on(day) for day in range(1, 43))
