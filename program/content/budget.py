"""The day budget: does a day ask for more than `max_minutes_per_day`, with no flag raised
or with any one flag raised?

Asked of `Program.exercises_on` day by day, that is days x flags x exercises (and a
ten-year program with a few hundred exercises took minutes). Here each exercise is
read once into running totals, so the work is the program's size plus days x flags,
and a program raises at most `MAX_FLAGS` flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from program.content.model import Program
from program.content.schema import FOLLOW_ON_EVERY

MAX_FLAGS = 64
"""Different flags one program may raise: far more than any needs (the bundled one raises one)."""


def days_over_budget(
    program: Program, flags: Iterable[str]
) -> Iterator[tuple[int, int, str | None]]:
    """(day, minutes, flag) for each day over the budget, in day order.

    A day is tried with no flag raised (flag None), then with each flag raised alone,
    in name order; the first case over the budget is the one given, one per day.
    """
    budget = program.max_minutes_per_day
    if budget is None:
        return
    raised = sorted(set(flags))
    last = program.days
    every = 0  # minutes shown every day with no flag raised
    on_day = [0] * (last + 1)  # ... and on one day only
    every_change = dict.fromkeys(raised, 0)  # how raising one flag changes every day's minutes
    change = {flag: [0] * (last + 1) for flag in raised}  # ... and one day's
    for exercise in program.exercises:
        requires, excludes = exercise.gate.requires, exercise.gate.excludes
        minutes = exercise.minutes
        if not requires:  # shown with no flag; hidden by each flag it excludes
            shown = True
            changes = [(flag, -minutes) for flag in excludes if flag in change]
            short = program.short_flag
            if exercise.short is not None and short in change and short not in excludes:
                changes.append((short, exercise.short.minutes - minutes))  # its short form
        elif len(requires) == 1 and (flag := min(requires)) in change and flag not in excludes:
            shown = False  # shown only when its one flag is raised
            changes = [(flag, minutes)]
        else:
            continue  # never shown with one flag or none
        if exercise.daily:
            every += minutes if shown else 0
            for flag, minutes_changed in changes:
                every_change[flag] += minutes_changed
            continue
        for day in exercise.days:
            on_day[day] += minutes if shown else 0
            for flag, minutes_changed in changes:
                change[flag][day] += minutes_changed
    yield from _plan_days(budget, last, every, on_day, every_change, change, raised)
    yield from _follow_on_day(program, budget, raised)


def _plan_days(
    budget: int,
    last: int,
    every: int,
    on_day: list[int],
    every_change: dict[str, int],
    change: dict[str, list[int]],
    raised: list[str],
) -> Iterator[tuple[int, int, str | None]]:
    for day in range(1, last + 1):
        total = every + on_day[day]
        if total > budget:
            yield day, total, None
            continue
        for flag in raised:
            flagged = total + every_change[flag] + change[flag][day]
            if flagged > budget:
                yield day, flagged, flag
                break


def _follow_on_day(
    program: Program, budget: int, raised: list[str]
) -> Iterator[tuple[int, int, str | None]]:
    """The first follow-on day (`after_end`): every one holds the same exercises alone."""
    follow = [exercise for exercise in program.exercises if exercise.after_end]
    if not follow:
        return
    day = program.days + FOLLOW_ON_EVERY
    for flag in (None, *raised):
        flags = frozenset() if flag is None else frozenset({flag})
        total = sum(
            program.form_of(exercise, flags).minutes
            for exercise in follow
            if exercise.gate.open_for(flags)
        )
        if total > budget:
            yield day, total, flag
            return
