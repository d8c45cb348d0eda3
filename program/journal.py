"""What the Journal screen shows, as plain records: reflections, check-in scores, workload.

The screen never touches the store; it asks these functions, which ask the store
for one page at a time so a journal of many years opens as fast as a week's.
No Textual import here: the functions are tested (and timed) on their own.
"""

from __future__ import annotations

from datetime import date
from typing import TypeGuard

from msgspec import Struct

from program import plan
from program.content import Exercise, Program
from program.content.steps import GridStep, ScaleStep, Step, answer_text
from program.partner.compare import differences
from program.service import Replenish
from state import Answer

PAGE_SIZE = 20
"""Reflections loaded at a time: a few screenfuls of reading (an entry takes about five
lines), never the whole history. Each entry loaded is built and wrapped before the
Journal's first frame: a page of 100 made a year's first F4 slower than a week's."""

WORKLOAD_VIEW = "workload"
"""The steps whose answers fill the Workload tab say `view = "workload"` (see schema.VIEWS)."""

CHART_WEEKS = 12
"""The check-in chart's window: a sparkline of 80 columns shows a few months at most."""


class JournalEntry(Struct, frozen=True):
    """One thing the user wrote, with where it was written."""

    day: int
    date: date | None
    """The date the program day began, or None when it cannot be told (no plan yet)."""
    exercise_title: str
    prompt: str
    text: str


class CheckinScale(Struct, frozen=True):
    """A 0..10-style question asked every day: one line of the chart."""

    key: str
    label: str
    low: int
    high: int
    low_label: str = ""
    high_label: str = ""


class WorkloadRow(Struct, frozen=True):
    day: int
    exercise_title: str
    prompt: str
    answer: str


def reflection_steps(program: Program) -> list[tuple[str, str]]:
    """Every (exercise id, step id) whose answer is the user's own words."""
    return [
        (exercise.id, step.id)
        for exercise in program.exercises
        for step in exercise.steps
        if step.own_words
    ]


def reflections(
    service: Replenish, search: str = "", limit: int = PAGE_SIZE, offset: int = 0
) -> list[JournalEntry]:
    """One page of reflections, latest day first, narrowed to those containing `search`."""
    answers = service.store.answers_page(
        reflection_steps(service.program), search.strip(), limit, offset
    )
    dates = _DayDates(service)
    return [_entry(service.program, answer, dates) for answer in answers]


def _entry(program: Program, answer: Answer, dates: _DayDates) -> JournalEntry:
    exercise = program.exercise(answer.exercise_id)
    step = exercise.step(answer.step_id) if exercise else None
    return JournalEntry(
        day=answer.day,
        date=dates.of(answer.day),
        exercise_title=exercise.title if exercise else answer.exercise_id,
        prompt=(step.question if step else "") or answer.step_id,
        text=answer_text(step, answer.value),
    )


class _DayDates:
    """The date each program day began (`plan.date_of_day`), for one reading of the store."""

    def __init__(self, service: Replenish) -> None:
        self._schedule = service.schedule()
        self._today = (
            plan.plan_date(service.now(), self._schedule.day_start_hour) if self._schedule else None
        )

    def of(self, day: int) -> date | None:
        if self._schedule is None or self._today is None:
            return None
        return plan.date_of_day(self._schedule, day, self._today)


def checkin_scales(program: Program) -> tuple[CheckinScale, ...]:
    """The scale steps of exercises due every day, in program order: the check-in chart."""
    found: list[tuple[Exercise, ScaleStep]] = [
        (exercise, step)
        for exercise in program.exercises
        if exercise.daily
        for step in exercise.steps
        if isinstance(step, ScaleStep)
    ]
    step_ids = [step.id for _, step in found]
    return tuple(
        CheckinScale(
            key=step.id if step_ids.count(step.id) == 1 else f"{exercise.id}.{step.id}",
            label=step.prompt,
            low=step.min,
            high=step.max,
            low_label=step.min_label,
            high_label=step.max_label,
        )
        for exercise, step in found
    )


TWO_VIEWS = "These are two views of the same days, not a verdict."
"""Shown wherever both partners' check-ins stand side by side."""


class SharedScale(Struct, frozen=True):
    """One daily scale both partners share: its question, and the days both are in."""

    key: str
    label: str
    partner: str
    """The partner's name, as their device gave it."""
    days: tuple[tuple[date, int, int], ...]
    """(date, mine, theirs) for each day both checked in and both halves are revealed."""
    entered: frozenset[date] = frozenset()
    """The days among them whose partner's number the user entered from a worksheet."""

    @property
    def entered_words(self) -> str:
        """Said under both lines when some of the partner's days were entered for them."""
        if not self.entered:
            return ""
        count = len(self.entered)
        who = self.partner or "your partner"
        return f"{count} of {who}'s days entered for {who} from a worksheet."


def shared_checkins(service: Replenish) -> tuple[SharedScale, ...]:
    """The daily scales shared with the partner (`share = "together"`), side by side: with
    a partner paired, or whose answers were entered for them from a worksheet."""
    if service.store.partner() is None and not service.store.entered_answers():
        return ()
    name = service.partner_name()
    found: list[SharedScale] = []
    scales = iter(checkin_scales(service.program))
    for exercise in service.program.exercises:
        if not exercise.daily:
            continue
        for step in exercise.steps:
            if not isinstance(step, ScaleStep):
                continue
            scale = next(scales)
            if step.share != "together":
                continue
            days: list[tuple[date, int, int]] = []
            entered: set[date] = set()
            for pair in service.revealed_pairs(exercise.id, step.id):
                if _score(pair.mine) and _score(pair.theirs):
                    days.append((pair.on, pair.mine, pair.theirs))
                    if pair.entered_for is not None:
                        entered.add(pair.on)
            found.append(
                SharedScale(scale.key, scale.label, name, tuple(days), frozenset(entered))
            )
    return tuple(found)


def _score(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


MAP_VIEWS = "Only where your maps differ, as questions to talk over. Neither map is the right one."
"""Shown above the differences of two workload maps."""


class MapTalk(Struct, frozen=True):
    """One shared workload map on the Together screen: where it stands and, once both
    halves are in, only where the two maps differ, as questions (never a total or score)."""

    title: str
    """The exercise's title, naming the map."""
    revealed: bool
    """Both maps are in and open: `questions` holds the differences (none: they agree)."""
    waiting: str
    """While not revealed: what the map waits for, in a sentence ("" once revealed)."""
    questions: tuple[str, ...]
    then_ask: str
    """The step's `together_prompt`, asked under the differences ("" for none)."""


def map_talks(service: Replenish) -> tuple[MapTalk, ...]:
    """Every shared grid (`share = "together"`) with where it stands; the latest date both
    maps are in and revealed is the one compared (the partner's sealed from their device,
    or entered from a worksheet: unpaired, only such maps show). None while a safety flag
    is raised on this side: a talk to have together is not offered then, and nothing says
    why."""
    if service.safety_raised():
        return ()
    paired = service.store.partner() is not None
    name = service.partner_name() or "your partner"
    found = []
    for exercise in service.program.exercises:
        for step in exercise.steps:
            if not isinstance(step, GridStep) or step.share != "together":
                continue
            pairs = service.revealed_pairs(exercise.id, step.id)
            if pairs:
                latest = pairs[-1]
                questions = tuple(
                    difference.question(name)
                    for difference in differences(step, latest.mine, latest.theirs)
                )
                found.append(MapTalk(exercise.title, True, "", questions, step.together_prompt))
                continue
            if not paired:  # a map entered from a worksheet only: nothing to wait for
                continue
            mine = service.store.answers_for_steps([(exercise.id, step.id)])
            if mine and service.state_of(exercise.id, mine[-1].day) == "done":
                waiting = f"Waiting for {name}'s half of the map."
            elif mine:
                waiting = (
                    f"Your half goes to {name} once you finish the exercise; neither "
                    "of you sees the other's until both are in."
                )
            else:
                waiting = (
                    "Once you have both filled in this map, each on your own, this shows "
                    "where your two maps differ."
                )
            found.append(MapTalk(exercise.title, False, waiting, (), step.together_prompt))
    return tuple(found)


def checkin_series(
    service: Replenish, weeks: int = CHART_WEEKS
) -> dict[str, list[tuple[int, int]]]:
    """For each check-in scale (by `CheckinScale.key`): (day, score) pairs, by day.

    Only the last `weeks` of program days up to the latest check-in are read: years of
    scores would cost the reading and could not be told apart in a chart anyway.
    """
    program = service.program
    keys: dict[tuple[str, str], str] = {}
    scales = iter(checkin_scales(program))
    for exercise in program.exercises:
        if exercise.daily:
            for step in exercise.steps:
                if isinstance(step, ScaleStep):
                    keys[(exercise.id, step.id)] = next(scales).key
    series: dict[str, list[tuple[int, int]]] = {key: [] for key in keys.values()}
    for answer in service.store.latest_answers_for_steps(list(keys), weeks * 7):
        value = answer.value
        if isinstance(value, int) and not isinstance(value, bool):
            series[keys[(answer.exercise_id, answer.step_id)]].append((answer.day, value))
    return series


def workload_rows(service: Replenish) -> list[WorkloadRow]:
    """The answers of the steps that feed the workload view, by day then program order."""
    order: dict[tuple[str, str], tuple[int, Exercise, Step]] = {}
    for exercise in service.program.exercises:
        for step in exercise.steps:
            if step.view == WORKLOAD_VIEW:
                order[(exercise.id, step.id)] = (len(order), exercise, step)
    answers = service.store.answers_for_steps(list(order))
    answers.sort(key=lambda answer: (answer.day, order[(answer.exercise_id, answer.step_id)][0]))
    rows: list[WorkloadRow] = []
    for answer in answers:
        _, exercise, step = order[(answer.exercise_id, answer.step_id)]
        if isinstance(step, GridStep):  # a map: a row of the table for each task answered
            rows.extend(
                WorkloadRow(answer.day, exercise.title, task, said)
                for task, said in step.row_answers(answer.value)
            )
            continue
        text = step.answer_text(answer.value) or "(none)"
        rows.append(WorkloadRow(answer.day, exercise.title, step.question or step.id, text))
    return rows


class AnsweredStep(Struct, frozen=True):
    prompt: str
    text: str
    """The answer as given, or "" when the step was not answered."""


class ExerciseRecord(Struct, frozen=True):
    title: str
    state: plan.ExerciseState
    answers: tuple[AnsweredStep, ...]


class DayRecord(Struct, frozen=True):
    """What one program day held and what was written on it, for the Journey."""

    day: int
    date: date | None
    exercises: tuple[ExerciseRecord, ...]


def day_record(service: Replenish, day: int) -> DayRecord:
    """Program `day` with every answer given on it (a past check-in included)."""
    due = list(service.day(day).exercises)
    listed = {item.exercise.id for item in due}
    progress = service.progress(day, day)
    for exercise in service.program.exercises:  # daily check-ins drop out of past days' plans
        if exercise.id not in listed and day in exercise.days and service.answers(exercise.id, day):
            due.append(plan.DueExercise(exercise, day, progress.state_of(exercise.id, day)))
    records = []
    for item in due:
        answers = service.answers(item.exercise.id, day)
        steps = tuple(
            AnsweredStep(
                step.question or step.id,
                step.answer_text(answers[step.id].value) if step.id in answers else "",
            )
            for step in item.exercise.steps
            if step.takes_answer and (step.id in answers or step.gate.open_for(progress.flags))
        )
        records.append(ExerciseRecord(item.exercise.title, item.state, steps))
    return DayRecord(day, _DayDates(service).of(day), tuple(records))
