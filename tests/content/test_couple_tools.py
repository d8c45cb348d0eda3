"""The couple-work tools (issue 14, item 2): repair, the break when a talk overheats, the
daily talk about outside stress, naming the loop, and carrying more when one partner is far
more worn out. Each is joint work, hidden under concern; the talks about conflict are hidden
under caution too, and the gentle ones are kept there with their caveat."""

from __future__ import annotations

import pytest

from tests.content.test_safety import CAUTION, CAUTIOUS, CONCERN, CONCERNED, NONE, PROGRAM, day_of

GENTLE = {"start-again": (11,), "outside-stress": (9, 24)}
HARD = {"cooling-break": (16,), "the-loop": (25,), "uneven-tiredness": (15,)}


def ids_on(flags: frozenset[str], day: int) -> set[str]:
    today = day_of(flags, day)
    assert today.today is not None
    return {due.exercise.id for due in today.today.exercises}


@pytest.mark.parametrize("exercise_id", sorted(GENTLE | HARD))
def test_each_tool_is_joint_work_that_concern_hides(exercise_id: str) -> None:
    exercise = PROGRAM.exercise(exercise_id)
    assert exercise is not None and exercise.joint
    assert CONCERN in exercise.gate.excludes
    assert exercise.days == (GENTLE | HARD)[exercise_id]
    for day in exercise.days:
        assert exercise_id in ids_on(NONE, day)
        assert exercise_id not in ids_on(CONCERNED, day)


@pytest.mark.parametrize("exercise_id", sorted(GENTLE))
def test_the_gentle_tools_stay_under_caution_with_their_caveat(exercise_id: str) -> None:
    exercise = PROGRAM.exercise(exercise_id)
    assert exercise is not None and CAUTION not in exercise.gate.excludes
    for day in exercise.days:
        assert exercise_id in ids_on(CAUTIOUS, day)
    first = exercise.steps_for(CAUTIOUS)[0]
    assert first.gate.requires == {CAUTION} and "Only if it feels okay today" in str(
        getattr(first, "text", "")
    )


@pytest.mark.parametrize("exercise_id", sorted(HARD))
def test_the_talks_about_conflict_and_the_load_are_hidden_under_caution(exercise_id: str) -> None:
    exercise = PROGRAM.exercise(exercise_id)
    assert exercise is not None and CAUTION in exercise.gate.excludes
    for day in exercise.days:
        assert exercise_id not in ids_on(CAUTIOUS, day)


def test_the_break_comes_before_the_workload_talk_and_names_twenty_minutes() -> None:
    brk, talk = PROGRAM.exercise("cooling-break"), PROGRAM.exercise("whos-holding-what")
    assert brk is not None and talk is not None and brk.days[-1] < talk.days[0]
    words = " ".join(str(getattr(step, "text", "")) for step in brk.steps)
    assert "twenty minutes" in words.lower() and "come back" in words.lower()
