"""The day budget, counted in running totals, says exactly what asking every day would say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from program.content.budget import days_over_budget
from program.content.model import Exercise, Module, Program
from program.content.steps import Gate, ReadStep

FLAGS = ["a", "b", "c"]
DAYS = 12


def asked_day_by_day(program: Program, flags: list[str]) -> list[tuple[int, int, str | None]]:
    """The rule as the format states it, one day and one case at a time."""
    budget = program.max_minutes_per_day
    assert budget is not None
    found: list[tuple[int, int, str | None]] = []
    cases: list[tuple[str | None, frozenset[str]]] = [(None, frozenset())]
    cases += [(flag, frozenset({flag})) for flag in sorted(flags)]
    for day in range(1, program.days + 1):
        for flag, raised in cases:
            total = sum(exercise.minutes for exercise in program.exercises_on(day, raised))
            if total > budget:
                found.append((day, total, flag))
                break
    return found


exercises = st.builds(
    lambda days, daily, minutes, requires, excludes: (days, daily, minutes, requires, excludes),
    st.sets(st.integers(1, DAYS), min_size=1),
    st.booleans(),
    st.integers(1, 6),
    st.sets(st.sampled_from([*FLAGS, "never"]), max_size=2),
    st.sets(st.sampled_from([*FLAGS, "never"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    drawn=st.lists(exercises, min_size=1, max_size=8),
    budget=st.integers(1, 14),
    raised=st.lists(st.sampled_from(FLAGS), unique=True),
)
def test_running_totals_agree_with_asking_every_day(
    drawn: list[tuple[set[int], bool, int, set[str], set[str]]], budget: int, raised: list[str]
) -> None:
    built = tuple(
        Exercise(
            id=f"e{index}",
            title="E",
            module_id="m",
            minutes=minutes,
            days=tuple(range(1, DAYS + 1)) if daily else tuple(sorted(days)),
            steps=(ReadStep(id="r", text="t"),),
            daily=daily,
            gate=Gate(frozenset(requires), frozenset(excludes)),
        )
        for index, (days, daily, minutes, requires, excludes) in enumerate(drawn)
    )
    program = Program(
        id="p",
        title="P",
        days=DAYS,
        modules=(Module("m", "M", "S", built),),
        max_minutes_per_day=budget,
    )
    assert list(days_over_budget(program, raised)) == asked_day_by_day(program, raised)
