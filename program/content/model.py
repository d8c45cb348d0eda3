"""The typed, immutable model of a program: program -> modules -> exercises -> steps.

Built only by `program.content.loader`, after validation, so everything here
can be trusted by the plan engine and the screens without re-checking.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from types import MappingProxyType

from msgspec import Struct, field
from msgspec.structs import force_setattr, replace

from program.content.steps import (
    KINDS,
    OPEN,
    ChecklistStep,
    ChoiceStep,
    Flags,
    Gate,
    GridStep,
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
    "GridStep",
    "Module",
    "Notice",
    "PlanStep",
    "Program",
    "ReadStep",
    "ReflectStep",
    "Retired",
    "ScaleStep",
    "Step",
    "ThenAndNow",
    "TimerStep",
    "Variant",
]
"""The step kinds are defined in `program.content.steps`, and named here with the rest."""


class Exercise(Struct, frozen=True):
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
    until_done: bool = False
    """Kept on Today from its day until it is done, whatever the catch-up window."""
    joint: bool = False
    """Done with the partner: the validator requires it to be excluded by the concern flag."""
    neutral: bool = False
    """Its title gives nothing away (required of an exercise shown only under a safety flag)."""
    safety: bool = False
    """A safety check: none of its steps may ever leave the machine."""
    short: Exercise | None = None
    """Its short form (`[exercise.short]`: the same exercise, its own steps and about two
    minutes), shown instead on a day the program's `short_flag` is raised."""
    anytime: bool = False
    """Due on no day: opened when the user asks (the program's `hard_day` practice)."""
    after_end: str = ""
    """How it repeats once the plan is over ("weekly", `schema.AFTER_END`), or "": due on
    no day of the plan itself; `plan.follow_on_day` is the rule for the days after."""

    def steps_for(self, flags: Flags, again: bool = False) -> tuple[Step, ...]:
        """The steps shown to someone with these flags raised, meeting it for the first time
        or `again` (done on an earlier day: steps with `shown = "first"` drop out then)."""
        return tuple(
            step for step in self.steps if step.gate.open_for(flags) and step.shown_when(again)
        )

    def steps_again(
        self, flags: Flags, steps: tuple[Step, ...], index: int, again: bool = False
    ) -> tuple[tuple[Step, ...], int]:
        """Steps appear or vanish as answers raise flags: the steps shown under `flags`, and
        where the step at `index` of the earlier `steps` stands among them now (the app's
        runner and `replenish do` both ask this after each answer)."""
        current = steps[index].id if steps else None
        fresh = self.steps_for(flags, again)
        for position, step in enumerate(fresh):
            if step.id == current:
                return fresh, position
        return fresh, min(index, max(len(fresh) - 1, 0))

    def step(self, step_id: str) -> Step | None:
        """The step with this id, in the full form or the short one."""
        for step in self.steps + (self.short.steps if self.short else ()):
            if step.id == step_id:
                return step
        return None


class Variant(Struct, frozen=True):
    """Words that replace a table's own while `gate` is open (`[[variant]]` in the format)."""

    gate: Gate
    words: MappingProxyType[str, object]
    """The keys it replaces, as the model keeps them (closings as a tuple)."""


def chosen(variants: tuple[Variant, ...], flags: Flags) -> dict[str, object]:
    """The words of the first variant open for these flags ({} when none is)."""
    for variant in variants:
        if variant.gate.open_for(flags):
            return dict(variant.words)
    return {}


class Retired(Struct, frozen=True):
    """A step no longer in the program whose saved answers still raise flags."""

    exercise_id: str
    step_id: str
    flags: MappingProxyType[str, frozenset[str]]

    def flags_raised(self, value: object) -> Flags:
        if isinstance(value, str):
            picked = {value}
        else:
            items = value if isinstance(value, list) else []
            picked = {item for item in items if isinstance(item, str)}
        return frozenset(flag for flag, options in self.flags.items() if options & picked)


class Module(Struct, frozen=True):
    """A themed group of exercises, one file of the program."""

    id: str
    title: str
    summary: str
    exercises: tuple[Exercise, ...]
    weeks: tuple[int, ...] = ()
    variants: tuple[Variant, ...] = ()

    def seen_with(self, flags: Flags) -> Module:
        """The module as someone with these flags sees it (its title and summary by flags)."""
        words = chosen(self.variants, flags)
        return replace(self, **words) if words else self


class Notice(Struct, frozen=True):
    """A banner shown on Today while its gate is open."""

    text: str
    gate: Gate = OPEN


class ThenAndNow(Struct, frozen=True):
    """The program's `[then_and_now]`: what the user sees of the start beside the latest.

    Validated by the loader: each exercise is due on two days or more and is no safety
    check, each scale is a scale step of a daily exercise, and no step here raises or is
    shown only under a safety flag."""

    from_day: int
    """Today offers the view from this program day on."""
    exercises: tuple[str, ...] = ()
    """Exercises whose answers on their first day stand beside those on their latest."""
    scales: tuple[tuple[str, str], ...] = ()
    """(exercise id, step id) of daily scales: the first week's average beside the last."""
    text: str = ""
    """Words shown above it (Markdown), so the program says how to read it."""


class Program(Struct, frozen=True):
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
    welcome: str = ""
    """The Welcome screen's words (Markdown paragraphs), shown before the plan begins."""
    caution_flag: str = ""
    """The safety flag for "tread carefully": hard talks drop out, gentle ones carry a caveat."""
    concern_flag: str = ""
    """The safety flag for fear, threats or hurt: no joint work at all. Raising it raises
    `caution_flag` too."""
    variants: tuple[Variant, ...] = ()
    retired: tuple[Retired, ...] = ()
    short_flag: str = ""
    """A day-scoped flag: on a day it is raised, exercises with a short form show that."""
    hard_day: str = ""
    """The id of the `anytime` exercise the "hard day" action opens ("" for none)."""
    welcome_back: str = ""
    """The `anytime` exercise offered first on the day back after quiet days ("" for none;
    the rule is `plan.quiet_before`)."""
    then_and_now: ThenAndNow | None = None
    """The start beside the latest (`[then_and_now]`), or None when the program has none."""
    _by_id: MappingProxyType[str, Exercise] = field(default_factory=lambda: MappingProxyType({}))
    """Every exercise by id: made from `modules` as the program is made (never passed)."""

    def __post_init__(self) -> None:
        index = {exercise.id: exercise for module in self.modules for exercise in module.exercises}
        force_setattr(self, "_by_id", MappingProxyType(index))

    @property
    def safety_flags(self) -> Flags:
        """The flags the program declares as safety flags (caution and concern)."""
        return frozenset(flag for flag in (self.caution_flag, self.concern_flag) if flag)

    def seen_with(self, flags: Flags) -> Program:
        """The program as someone with these flags sees it: each `[[variant]]` open for them
        replaces the words of its table. The program, not the code, decides what they read."""
        words = chosen(self.variants, flags)
        modules = tuple(module.seen_with(flags) for module in self.modules)
        if not words and all(new is old for new, old in zip(modules, self.modules, strict=True)):
            return self
        return replace(self, modules=modules, **words)

    def is_safety_step(self, exercise: Exercise, step: Step) -> bool:
        """Part of a safety check, or raises or is shown under a safety flag: such a step's
        answer must never leave the machine (the rule a step's `share` key is held to)."""
        return is_safety_step(self.safety_flags, exercise, step)

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
            self.form_of(exercise, flags)
            for exercise in self._by_id.values()
            if _due_on(exercise.days, day) and exercise.gate.open_for(flags)
        )

    def form_of(self, exercise: Exercise, flags: Flags) -> Exercise:
        """The exercise as shown with these flags: its short form when the day asks for it."""
        if exercise.short is not None and self.short_flag and self.short_flag in flags:
            return exercise.short
        return exercise

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
        retired = {(item.exercise_id, item.step_id): item for item in self.retired}
        for exercise_id, step_id, value in answers:
            exercise = self._by_id.get(exercise_id)
            step = exercise.step(step_id) if exercise else None
            if step is not None:
                if step.scope != "day":  # a day's flags hold for that day alone
                    raised |= step.flags_raised(value)
            elif (exercise_id, step_id) in retired:
                raised |= retired[(exercise_id, step_id)].flags_raised(value)
        if self.concern_flag in raised and self.caution_flag:
            raised.add(self.caution_flag)  # concern is caution and more
        return frozenset(raised)

    def flagging_steps(self) -> list[tuple[str, str]]:
        """(exercise id, step id) of every step, shown or retired, whose answer may raise a flag."""
        found = [
            (exercise.id, step.id)
            for exercise in self.exercises
            for step in exercise.steps
            if step.raises and step.scope != "day"
        ]
        return found + [(item.exercise_id, item.step_id) for item in self.retired]

    def day_flagging_steps(self) -> list[tuple[str, str]]:
        """(exercise id, step id) of every step whose answer raises a flag for its day only."""
        return [
            (exercise.id, step.id)
            for exercise in self.exercises
            for step in exercise.steps + (exercise.short.steps if exercise.short else ())
            if step.raises and step.scope == "day"
        ]

    def day_flags_from(
        self, answers: Iterable[tuple[str, str, int, object]]
    ) -> dict[int, Flags]:
        """The flags raised for one day only, by program day, from saved answers given as
        (exercise_id, step_id, day, value)."""
        by_day: dict[int, set[str]] = {}
        for exercise_id, step_id, day, value in answers:
            exercise = self._by_id.get(exercise_id)
            step = exercise.step(step_id) if exercise else None
            if step is not None and step.scope == "day":
                raised = step.flags_raised(value)
                if raised:
                    by_day.setdefault(day, set()).update(raised)
        return {day: frozenset(flags) for day, flags in by_day.items()}

def _due_on(days: tuple[int, ...], day: int) -> bool:
    """Whether `day` is in the ascending `days`."""
    index = bisect_left(days, day)
    return index < len(days) and days[index] == day


def is_safety_step(safety: Flags, exercise: Exercise, step: Step) -> bool:
    """`Program.is_safety_step` for the validator, which knows the safety flags before
    the program is whole."""
    return (
        exercise.safety
        or bool(step.raises & safety)
        or bool((step.gate.requires | exercise.gate.requires) & safety)
    )
