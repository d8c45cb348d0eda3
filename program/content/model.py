"""The typed, immutable model of a program: program -> modules -> exercises -> steps.

Built only by `program.content.loader`, after validation, so everything here
can be trusted by the plan engine and the screens without re-checking.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

from program.content.steps import (
    KINDS,
    OPEN,
    ChecklistStep,
    ChoiceStep,
    Flags,
    Gate,
    PlanStep,
    ReadStep,
    ReflectStep,
    ScaleStep,
    Step,
    TimerStep,
)

__all__ = [
    "KINDS",
    "ChecklistStep",
    "ChoiceStep",
    "Exercise",
    "Flags",
    "Gate",
    "Module",
    "Notice",
    "PlanStep",
    "Program",
    "ReadStep",
    "ReflectStep",
    "ScaleStep",
    "Step",
    "TimerStep",
]
"""The step kinds are defined in `program.content.steps`, and named here with the rest."""


@dataclass(frozen=True, slots=True)
class Exercise:
    """A short sequence of steps due on one or more program days."""

    id: str
    title: str
    module_id: str
    minutes: int
    days: tuple[int, ...]
    """The program days it is due on, ascending (every day for a daily exercise)."""
    steps: tuple[Step, ...]
    summary: str = ""
    daily: bool = False
    optional: bool = False
    catch_up: bool = True
    closing: str = ""
    gate: Gate = OPEN

    def steps_for(self, flags: Flags) -> tuple[Step, ...]:
        """The steps shown to someone with these flags raised."""
        return tuple(step for step in self.steps if step.gate.open_for(flags))

    def step(self, step_id: str) -> Step | None:
        for step in self.steps:
            if step.id == step_id:
                return step
        return None


@dataclass(frozen=True, slots=True)
class Module:
    """A themed group of exercises, one file of the program."""

    id: str
    title: str
    summary: str
    exercises: tuple[Exercise, ...]
    weeks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A banner shown on Today while its gate is open."""

    text: str
    gate: Gate = OPEN


@dataclass(frozen=True, slots=True)
class Program:
    """A whole program: its length, modules and the words around them."""

    id: str
    title: str
    days: int
    modules: tuple[Module, ...]
    summary: str = ""
    support: str = ""
    closings: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    max_minutes_per_day: int | None = None
    folder: str = ""
    _by_id: MappingProxyType[str, Exercise] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index = {exercise.id: exercise for module in self.modules for exercise in module.exercises}
        object.__setattr__(self, "_by_id", MappingProxyType(index))

    @property
    def weeks(self) -> int:
        return (self.days + 6) // 7

    @property
    def exercises(self) -> Iterable[Exercise]:
        return self._by_id.values()

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def module(self, module_id: str) -> Module | None:
        for module in self.modules:
            if module.id == module_id:
                return module
        return None

    def module_for_week(self, week: int) -> Module | None:
        """The module that leads `week`, if one says so."""
        for module in self.modules:
            if week in module.weeks:
                return module
        return None

    def exercises_on(self, day: int, flags: Flags = frozenset()) -> tuple[Exercise, ...]:
        """Exercises due on program `day` for someone with these flags, in program order.

        `days` is ascending, so it is searched by bisection: `day in days` walked a daily
        exercise's every day, and cost more the later in a long plan the day fell.
        """
        return tuple(
            exercise
            for exercise in self._by_id.values()
            if _due_on(exercise.days, day) and exercise.gate.open_for(flags)
        )

    def notices_for(self, flags: Flags) -> tuple[Notice, ...]:
        return tuple(notice for notice in self.notices if notice.gate.open_for(flags))

    def closing_for(self, exercise: Exercise, day: int) -> str:
        """The line shown when `exercise` is finished: its own, or one of the program's."""
        if exercise.closing:
            return exercise.closing
        if not self.closings:
            return "Done. Thank you for taking this time."
        return self.closings[(day + len(exercise.id)) % len(self.closings)]

    def flags_from(self, answers: Iterable[tuple[str, str, object]]) -> Flags:
        """The flags raised by saved answers given as (exercise_id, step_id, value)."""
        raised: set[str] = set()
        for exercise_id, step_id, value in answers:
            exercise = self._by_id.get(exercise_id)
            step = exercise.step(step_id) if exercise else None
            if step is not None:
                raised |= step.flags_raised(value)
        return frozenset(raised)


def _due_on(days: tuple[int, ...], day: int) -> bool:
    """Whether `day` is in the ascending `days`."""
    index = bisect_left(days, day)
    return index < len(days) and days[index] == day
