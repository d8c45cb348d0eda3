"""The plan engine: dates and progress in, decisions out.

Pure: no clock, no files, no database. The caller passes `now` and what the
store knows, so every rule here can be tested with plain values.

Words matter to tired people: this module counts days done and offers a few
recent days to pick up again; it has no notion of a streak or a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Literal

from msgspec import Struct, field
from msgspec.structs import replace

from program.content import schema
from program.content.model import Exercise, Flags, Module, Notice, Program

DEFAULT_DAY_START_HOUR = 4
"""Until 04:00 it is still yesterday: an evening exercise after midnight counts for the evening."""

CATCH_UP_DAYS = 3
"""How many earlier days stay on offer. Older ones rest quietly in the Journey."""

QUIET_DAYS = 3
"""Days in a row with nothing done, begun or set aside before the first day back offers the
program's `welcome_back` practice first (`quiet_before`). Within the window Today reads."""

ExerciseState = Literal["not started", "in progress", "done", "skipped"]
DayState = Literal["done", "skipped", "today", "paused", "ahead", "open"]
ExerciseDay = tuple[str, int]
"""An exercise on a program day: (exercise id, day)."""


class Status(Enum):
    NOT_STARTED = "not started"
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"


class PauseSpan(Struct, frozen=True):
    """A pause taken on `started_on`, lifted on `resumed_on` (None while it lasts)."""

    started_on: date
    resumed_on: date | None = None


class Schedule(Struct, frozen=True):
    """When the plan began and how the user's days are cut."""

    start: date
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    pauses: tuple[PauseSpan, ...] = ()
    begun_on: date | None = None
    """The plan date the user began the plan on (a start may be back-dated): days before it
    were never quiet days (`quiet_before`). None: from the start."""

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].resumed_on is None


class Progress(Struct, frozen=True):
    """What the user has done, as plain sets of (exercise id, day)."""

    done: frozenset[ExerciseDay] = frozenset()
    skipped: frozenset[ExerciseDay] = frozenset()
    started: frozenset[ExerciseDay] = frozenset()
    flags: Flags = frozenset()
    day_flags: Mapping[int, Flags] = field(default_factory=dict)
    """Flags raised for one program day only (`scope = "day"`), by day."""

    def flags_on(self, day: int) -> Flags:
        """The flags that hold on program `day`: the plan's, and that day's own."""
        own = self.day_flags.get(day)
        return self.flags | own if own else self.flags

    def state_of(self, exercise_id: str, day: int) -> ExerciseState:
        key = (exercise_id, day)
        if key in self.done:
            return "done"
        if key in self.skipped:
            return "skipped"
        if key in self.started:
            return "in progress"
        return "not started"


class DueExercise(Struct, frozen=True):
    exercise: Exercise
    day: int
    state: ExerciseState

    @property
    def settled(self) -> bool:
        """Done or set aside: nothing more is asked of it."""
        return self.state in ("done", "skipped")


class DayPlan(Struct, frozen=True):
    """One program day and the exercises it holds for this user."""

    day: int
    week: int
    module: Module | None
    exercises: tuple[DueExercise, ...]

    @property
    def required(self) -> tuple[DueExercise, ...]:
        return tuple(due for due in self.exercises if not due.exercise.optional)

    @property
    def done(self) -> bool:
        """Every required exercise done or skipped (or, with none required, any done)."""
        if self.required:
            return all(due.settled for due in self.required)
        return any(due.state == "done" for due in self.exercises)

    @property
    def minutes(self) -> int:
        return sum(due.exercise.minutes for due in self.exercises)

    @property
    def minutes_left(self) -> int:
        return sum(due.exercise.minutes for due in self.exercises if not due.settled)


class Today(Struct, frozen=True):
    """Everything the Today screen and the plain commands need to know."""

    status: Status
    plan_date: date
    day: int
    """The current program day, kept within 1..days for display."""
    week: int
    weeks: int
    days: int
    today: DayPlan | None
    catch_up: tuple[DayPlan, ...]
    days_done: int
    starts_on: date
    notices: tuple[Notice, ...] = ()
    welcome_back: DueExercise | None = None
    """The one gentle practice offered first on the day back after quiet days (the rest of
    the day stays a step away), or None (`quiet_before`)."""

    next_follow_on: date | None = None
    """Once the plan is over, the date of the next follow-on day after today (the weekly
    check-in), or None: the plan is not over, or the program has no follow-on."""

    @property
    def follow_on(self) -> bool:
        """The plan is over and today is a follow-on day: `today` holds its exercises."""
        return self.status is Status.FINISHED and self.today is not None

    @property
    def has_work_today(self) -> bool:
        return (
            self.today is not None
            and not self.today.done
            and self.status in (Status.ACTIVE, Status.FINISHED)
        )


def plan_date(now: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The calendar day `now` belongs to, when days begin at `day_start_hour` (wall clock)."""
    return (now.replace(tzinfo=None) - timedelta(hours=day_start_hour)).date()


START_WITHIN_YEARS = 5
"""How far from today a plan may begin: further is a typing slip, not a plan."""


def check_start(on: date, today: date) -> None:
    """Refuse a start date more than `START_WITHIN_YEARS` years before or after `today`.

    ValueError with the words to show: the one rule for the Welcome and `start --on`.
    """
    years = START_WITHIN_YEARS
    earliest = _years_from(today, -years)
    latest = _years_from(today, years)
    if not earliest <= on <= latest:
        raise ValueError(
            f"{on.isoformat()} is more than {years} years from today; choose a first day "
            f"between {earliest.isoformat()} and {latest.isoformat()}"
        )


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year without it
        return day.replace(year=day.year + years, day=28)


def week_of(day: int) -> int:
    return (max(day, 1) - 1) // 7 + 1


def frozen_days(schedule: Schedule, on: date) -> int:
    """Days between the start and `on` (inclusive) that a pause held still.

    A pause taken on day P and lifted on day R holds P+1 .. R-1 still: the day
    you pause on is still yours, and the day you resume moves on by one.
    """
    spans: list[tuple[date, date]] = []
    first_counted = schedule.start + timedelta(days=1)
    for pause in schedule.pauses:
        low = max(pause.started_on + timedelta(days=1), first_counted)
        high = on if pause.resumed_on is None else min(on, pause.resumed_on - timedelta(days=1))
        if low <= high:
            spans.append((low, high))
    total = 0
    covered: date | None = None
    for low, high in sorted(spans):  # a union, so overlapping pauses never count twice
        first = low if covered is None else max(low, covered + timedelta(days=1))
        if first <= high:
            total += (high - first).days + 1
        covered = high if covered is None else max(covered, high)
    return total


def program_day(schedule: Schedule, on: date) -> int:
    """The raw program day on date `on`: below 1 before the start, above the length after it."""
    if on < schedule.start:
        return (on - schedule.start).days + 1
    return (on - schedule.start).days + 1 - frozen_days(schedule, on)


FOLLOW_ON_EVERY = schema.FOLLOW_ON_EVERY
"""A follow-on (`after_end = "weekly"`) comes back every this many days after the last day."""


def follow_on_day(program: Program, day: int) -> bool:
    """Whether program `day`, past the plan's last, is a follow-on day: 7, 14, ... days after
    it (49, 56, ... of 42). Arithmetic, so nothing grows with the weeks past the end; the
    one rule for what `after_end = "weekly"` means. Within the plan it is never due."""
    return (
        day > program.days
        and (day - program.days) % FOLLOW_ON_EVERY == 0
        and any(exercise.after_end for exercise in program.exercises)
    )


def next_follow_on(program: Program, day: int) -> int | None:
    """The first follow-on day after program `day` (None when the program has none)."""
    if not any(exercise.after_end for exercise in program.exercises):
        return None
    past = max(day - program.days, 0)
    return program.days + (past // FOLLOW_ON_EVERY + 1) * FOLLOW_ON_EVERY


def exercises_due(program: Program, day: int, flags: Flags) -> tuple[Exercise, ...]:
    """What program `day` holds for someone with these flags: the plan's own exercises on its
    days, the follow-on (`after_end`) on a `follow_on_day`, nothing on the days between."""
    if day <= program.days:
        return program.exercises_on(day, flags)
    if not follow_on_day(program, day):
        return ()
    return tuple(
        program.form_of(exercise, flags)
        for exercise in program.exercises
        if exercise.after_end and exercise.gate.open_for(flags)
    )


def day_plan(program: Program, day: int, progress: Progress, current_day: int) -> DayPlan:
    """Program `day` for this user; on earlier days, exercises that do not carry over drop out."""
    exercises = tuple(
        DueExercise(exercise, day, progress.state_of(exercise.id, day))
        for exercise in exercises_due(program, day, progress.flags_on(day))
        if day >= current_day or exercise.catch_up
    )
    week = week_of(day)
    module = program.module_for_week(week) or _module_of(program, exercises)
    return DayPlan(day, week, module, exercises)


def days_done(program: Program, progress: Progress, current_day: int) -> int:
    """How many program days are done. A count of days, never a run of them.

    It walks every day so far: the running tally (`past_day_done`, kept by the store)
    gives the same count without the walk, and this is the recount it is held to.
    """
    return sum(
        1
        for day in range(1, min(current_day, program.days) + 1)
        if day_plan(program, day, progress, current_day).done
    )


def past_day_done(program: Program, day: int, progress: Progress) -> bool:
    """Whether program `day`, once it is behind the user, counts as done.

    A day behind the user is judged on the exercises that carry over; the store keeps
    this verdict for each day with an outcome, so counting days done never walks them.
    It depends on the day's outcomes and on what `tally_basis` names, nothing else.
    """
    return day_plan(program, day, progress, day + 1).done


def tally_basis(program: Program, flags: Flags) -> str:
    """Everything `past_day_done` depends on besides a day's outcomes, as one short text:
    which exercise is due on which days, which of them carry over or are optional, their
    gates, and the flags raised. When it changes, every kept verdict is judged again.

    An exercise's days enter as their tuple's hash (for integers the same in every
    process; only text hashes are salted): writing out twenty years of days cost
    milliseconds on every start. Two checksums make the text short without `hashlib`,
    whose import alone costs a plain command 12 ms; no one forges a program against
    their own store, so they need only tell an edited program from the last one.
    """
    import zlib

    parts = [
        (
            exercise.id,
            len(exercise.days),
            hash(exercise.days),
            exercise.catch_up,
            exercise.optional,
            sorted(exercise.gate.requires),
            sorted(exercise.gate.excludes),
        )
        for exercise in sorted(program.exercises, key=lambda exercise: exercise.id)
    ]
    data = repr((program.days, parts)).encode("utf-8")
    digest = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}:{len(data)}"
    return f"{digest} {' '.join(sorted(flags))}"


def day_now(program: Program, schedule: Schedule, now: datetime) -> int:
    """The program day at `now` for counting: below 1 before the start, and one past the
    last day once the plan is over (`today`'s `days_done` counts the days before it)."""
    return min(program_day(schedule, plan_date(now, schedule.day_start_hour)), program.days + 1)


def today(
    program: Program,
    schedule: Schedule,
    progress: Progress,
    now: datetime,
    days_before: int | None = None,
) -> Today:
    """Where the user stands at `now`.

    `progress` needs only the days from `CATCH_UP_DAYS` before the current one on, when
    `days_before` gives the days done before the current day (the store's tally);
    without it every day is walked (`days_done`). Past the end, on a follow-on day, it needs
    that day too (`follow_on_day`): `today` then holds the follow-on, the plan stays finished.
    """
    on = plan_date(now, schedule.day_start_hour)
    raw_day = program_day(schedule, on)
    if raw_day < 1:
        status = Status.NOT_STARTED
    elif raw_day > program.days:
        status = Status.FINISHED
    elif schedule.paused:
        status = Status.PAUSED
    else:
        status = Status.ACTIVE
    day = min(max(raw_day, 1), program.days)
    current = day_plan(program, day, progress, day) if 1 <= raw_day <= program.days else None
    if current is not None:
        current = replace(current, exercises=held(program, progress, day) + current.exercises)
    later = next_follow_on(program, raw_day) if status is Status.FINISHED else None
    if status is Status.FINISHED and follow_on_day(program, raw_day):
        follow = day_plan(program, raw_day, progress, raw_day)
        today_plan = follow if follow.exercises else None
    else:
        today_plan = current
    back = program.exercise(program.welcome_back) if program.welcome_back else None
    welcome = (
        DueExercise(back, day, progress.state_of(back.id, day))
        if back is not None
        and status is Status.ACTIVE
        and back.gate.open_for(progress.flags_on(day))
        and quiet_before(progress, day, since=_joined(schedule))
        else None
    )
    return Today(
        status=status,
        plan_date=on,
        day=day,
        week=week_of(day),
        weeks=program.weeks,
        days=program.days,
        today=today_plan,
        catch_up=catch_up(program, progress, raw_day) if status is not Status.NOT_STARTED else (),
        days_done=(
            days_done(program, progress, min(raw_day, program.days + 1))
            if days_before is None
            else days_before + int(current is not None and current.done)
        ),
        starts_on=schedule.start,
        notices=program.notices_for(progress.flags_on(day) if current else progress.flags),
        welcome_back=welcome,
        next_follow_on=None if later is None else on + timedelta(days=later - raw_day),
    )


def quiet_before(progress: Progress, day: int, since: int = 1) -> bool:
    """The first day back after quiet days: nothing done, begun or set aside on the
    `QUIET_DAYS` days before program `day`, nor yet on it. Then Today offers one gentle
    practice first instead of the list of what is open (which stays a step away); anything
    touched today ends it. Only days from `since` on (the day the plan was begun) count:
    the first days, or those before a back-dated start, were never quiet days."""
    if day - QUIET_DAYS < max(since, 1):
        return False
    first = day - QUIET_DAYS
    touched = progress.done | progress.skipped | progress.started
    return not any(first <= on <= day for _, on in touched)


def _joined(schedule: Schedule) -> int:
    """The program day the user began the plan on (1 when not known)."""
    return 1 if schedule.begun_on is None else program_day(schedule, schedule.begun_on)


def held(program: Program, progress: Progress, current_day: int) -> tuple[DueExercise, ...]:
    """Exercises marked `until_done` from days before `current_day` that are not done yet.

    They stay on Today itself (a safety check, say), whatever the catch-up window and
    however the plan was begun: a back-dated start or an import lands on a later day,
    and the check is still the first thing there. Set aside is not done.
    """
    return tuple(
        DueExercise(exercise, day, progress.state_of(exercise.id, day))
        for exercise in program.exercises
        if exercise.until_done and exercise.gate.open_for(progress.flags)
        for day in exercise.days
        if day < current_day and (exercise.id, day) not in progress.done
    )


def catch_up(program: Program, progress: Progress, current_day: int) -> tuple[DayPlan, ...]:
    """Up to `CATCH_UP_DAYS` recent days still open, most recent first (what is `held` on
    Today itself is not repeated here)."""
    offered: list[DayPlan] = []
    first = max(1, current_day - CATCH_UP_DAYS)
    for day in range(min(current_day - 1, program.days), first - 1, -1):
        plan = day_plan(program, day, progress, current_day)
        if any(due.exercise.until_done for due in plan.exercises):
            plan = replace(
                plan, exercises=tuple(due for due in plan.exercises if not due.exercise.until_done)
            )
        if plan.exercises and not plan.done:
            offered.append(plan)
    return tuple(offered)


def journey(
    program: Program,
    schedule: Schedule,
    progress: Progress,
    now: datetime,
    first: int = 1,
    last: int | None = None,
) -> tuple[tuple[int, DayState], ...]:
    """Program days `first`..`last` (by default every day) with a word for where each
    stands; `progress` needs only those days."""
    current = program_day(schedule, plan_date(now, schedule.day_start_hour))
    states: list[tuple[int, DayState]] = []
    end = program.days if last is None else min(last, program.days)
    for day in range(max(first, 1), end + 1):
        plan = day_plan(program, day, progress, current)
        state: DayState
        if plan.done and all(due.state == "skipped" for due in plan.required) and plan.required:
            state = "skipped"
        elif plan.done:
            state = "done"
        elif day == current:
            state = "paused" if schedule.paused else "today"
        elif day > current:
            state = "ahead"
        else:
            state = "open"
        states.append((day, state))
    return tuple(states)


def date_of_day(schedule: Schedule, day: int, today_date: date) -> date | None:
    """The date program `day` began, or will begin if the plan runs on from `today_date`.

    A past day that a pause stretched over several dates began on the first of them.
    While paused, future days have no date; before day 1 there is none either.
    """
    if day < 1:
        return None
    current = program_day(schedule, today_date)
    if day > current:
        return None if schedule.paused else today_date + timedelta(days=day - current)
    low, high = 0, (today_date - schedule.start).days
    while low < high:  # program days never go backwards as dates go forwards: bisect
        middle = (low + high) // 2
        if program_day(schedule, schedule.start + timedelta(days=middle)) >= day:
            high = middle
        else:
            low = middle + 1
    return schedule.start + timedelta(days=low)


def _module_of(program: Program, exercises: tuple[DueExercise, ...]) -> Module | None:
    """The module of the day's first exercise that is not repeated every day."""
    chosen = [due for due in exercises if not due.exercise.daily] or list(exercises)
    return program.module(chosen[0].exercise.module_id) if chosen else None
