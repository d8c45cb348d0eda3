"""Then and now: the start of the plan beside the latest, as plain records and plain lines.

The program says what to compare (`[then_and_now]` in program.toml): exercises that come
back (an intake on day 1 and again in the last week), whose answers on their first day
stand beside those on their latest, and daily scales (the check-in), whose first week's
average stands beside the last seven days'. It is said in words and numbers, never as a
score, a trend or a verdict: "energy: about 3 of 10 in week 1, about 5 in the last week".

`compare` is pure (tested on its own); `read` asks the store only for the windows it
shows: two days of each exercise and two weeks of the scales, however long the history.
The app's screen, `replenish today` and the Markdown export all show `lines`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from msgspec import Struct

from program import plan
from program.content import Exercise, Flags, Program
from program.content.steps import ScaleStep
from program.service import Replenish
from state import Answer

WEEK = 7
TITLE = "Then and now"


class AnswerPair(Struct, frozen=True):
    """One question, answered on the first day and on the latest ("" where not answered)."""

    prompt: str
    then: str
    now: str


class ExercisePair(Struct, frozen=True):
    """One exercise's answers from its first day beside its latest."""

    title: str
    then_day: int
    now_day: int | None
    """Its latest day up to today other than the first, or None when it has not come back yet."""
    next_day: int | None
    """When `now_day` is None: the day it comes back (None when it never will)."""
    answers: tuple[AnswerPair, ...]


class Window(Struct, frozen=True):
    """A run of program days and the scale's answers on them."""

    first: int
    last: int
    count: int
    average: float | None
    """The mean of the answers, or None when there were none."""


class ScaleAverages(Struct, frozen=True):
    """A daily scale's first week beside its last seven days."""

    name: str
    low: int
    high: int
    low_label: str
    high_label: str
    start: Window
    latest: Window | None
    """None while today is still in the first week."""

    @property
    def line(self) -> str:
        """'Energy (0 empty, 10 full): about 3 of 10 in week 1, about 5 in the last week.'"""
        labels = ""
        if self.low_label and self.high_label:
            labels = f" ({self.low} {self.low_label}, {self.high} {self.high_label})"
        start = self._about(self.start, "in week 1", first=True)
        if self.latest is None:
            return f"{self.name}{labels}: {start}. The last week will show here from day 8."
        latest = self._about(self.latest, "in the last week", first=self.start.average is None)
        return f"{self.name}{labels}: {start}, {latest}."

    def _about(self, window: Window, when: str, *, first: bool) -> str:
        if window.average is None:
            return f"no check-ins {when}"
        shown = int(window.average + 0.5)  # half up: 2.5 is "about 3"
        scale = f" of {self.high}" if self.low == 0 else f" (from {self.low} to {self.high})"
        return f"about {shown}{scale if first else ''} {when}"


class ThenNow(Struct, frozen=True):
    """Everything the view shows, in program order."""

    day: int
    """The program day it was read on."""
    text: str
    """The program's words about how to read it (Markdown)."""
    scales: tuple[ScaleAverages, ...]
    exercises: tuple[ExercisePair, ...]

    @property
    def empty(self) -> bool:
        """Nothing answered anywhere in it yet."""
        quiet = all(
            scale.start.count == 0 and (scale.latest is None or scale.latest.count == 0)
            for scale in self.scales
        )
        return quiet and not any(item.answers for item in self.exercises)

    def lines(self) -> Iterator[str]:
        """The view as plain text: the check-in averages, then each exercise's answers."""
        if self.scales:
            yield "Your daily check-in:"
            for scale in self.scales:
                yield f"  {scale.line}"
        for item in self.exercises:
            yield ""
            yield f"{item.title}:"
            if item.now_day is None:
                comes = f" It comes back on day {item.next_day}." if item.next_day else ""
                yield f"  Your answers from day {item.then_day}.{comes}"
            if not item.answers:
                yield f"  Nothing answered here yet.{_days(item)}"
            for pair in item.answers:
                yield f"  {pair.prompt}"
                yield f"    Day {item.then_day}: {pair.then or '(not answered)'}"
                if item.now_day is not None:
                    yield f"    Day {item.now_day}: {pair.now or '(not answered)'}"


def plain_lines(view: ThenNow) -> Iterator[str]:
    """The view for a plain terminal (`replenish today`): its title, the program's words
    about it, then `ThenNow.lines`."""
    from program.text import plain_markdown

    yield TITLE
    if view.text.strip():
        yield ""
        yield plain_markdown(view.text.strip())
    yield ""
    yield from view.lines()


def markdown_lines(view: ThenNow) -> Iterator[str]:
    """The view as a section of the Markdown export: the same words as `lines`."""
    yield f"## {TITLE}"
    if view.text.strip():
        yield ""
        yield view.text.strip()
    if view.scales:
        yield ""
        yield "**Your daily check-in**"
        yield ""
        for scale in view.scales:
            yield f"- {scale.line}"
    for item in view.exercises:
        yield ""
        yield f"### {item.title}"
        if item.now_day is None:
            comes = f" It comes back on day {item.next_day}." if item.next_day else ""
            yield ""
            yield f"Your answers from day {item.then_day}.{comes}"
        if not item.answers:
            yield ""
            yield f"Nothing answered here yet.{_days(item)}"
        for pair in item.answers:
            yield ""
            yield f"**{pair.prompt}**"
            yield ""
            yield f"- Day {item.then_day}: {pair.then or '(not answered)'}"
            if item.now_day is not None:
                yield f"- Day {item.now_day}: {pair.now or '(not answered)'}"


def _days(item: ExercisePair) -> str:
    if item.now_day is None:
        return ""
    return f" It was offered on day {item.then_day} and day {item.now_day}."


def scale_name(step_id: str) -> str:
    """A scale's name in the view: its step id in words ("energy", "hard-days" -> "Hard days")."""
    return step_id.replace("-", " ").capitalize()


def windows(day: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The first week (days 1-7, to `day` while in it) and the seven days up to `day`, never
    reaching back into the first week (None while `day` is in it)."""
    if day <= WEEK:
        return (1, max(day, 1)), None
    return (1, WEEK), (max(WEEK + 1, day - WEEK + 1), day)


def latest_day(exercise: Exercise, day: int) -> int | None:
    """The exercise's latest due day up to `day` other than its first (None before it)."""
    found = [due for due in exercise.days[1:] if due <= day]
    return found[-1] if found else None


def compare(
    program: Program,
    day: int,
    flags: Flags,
    checkins: Iterable[Answer],
    answers: Mapping[tuple[str, int], Mapping[str, Answer]],
) -> ThenNow | None:
    """The view on program `day` for someone with these `flags`, from the daily scales'
    answers in `windows(day)` and each compared exercise's answers on its first and latest
    day (by (exercise id, day), then step id). None when the program compares nothing."""
    setup = program.then_and_now
    if setup is None:
        return None
    start, latest = windows(day)
    by_step: dict[tuple[str, str], list[Answer]] = {}
    for answer in checkins:
        by_step.setdefault((answer.exercise_id, answer.step_id), []).append(answer)
    scales = []
    for exercise_id, step_id in setup.scales:
        exercise = program.exercise(exercise_id)
        step = exercise.step(step_id) if exercise is not None else None
        if exercise is None or not isinstance(step, ScaleStep) or not exercise.gate.open_for(flags):
            continue
        given = by_step.get((exercise_id, step_id), [])
        scales.append(
            ScaleAverages(
                name=scale_name(step_id),
                low=step.min,
                high=step.max,
                low_label=step.min_label,
                high_label=step.max_label,
                start=_window(given, *start),
                latest=None if latest is None else _window(given, *latest),
            )
        )
    exercises = []
    for exercise_id in setup.exercises:
        exercise = program.exercise(exercise_id)
        if exercise is None or not exercise.gate.open_for(flags):
            continue
        then_day = exercise.days[0]
        now_day = latest_day(exercise, day)
        then = answers.get((exercise_id, then_day), {})
        now = answers.get((exercise_id, now_day), {}) if now_day is not None else {}
        pairs = tuple(
            AnswerPair(
                step.question or step.id,
                step.answer_text(then[step.id].value) if step.id in then else "",
                step.answer_text(now[step.id].value) if step.id in now else "",
            )
            for step in exercise.steps
            if step.takes_answer and step.gate.open_for(flags)
        )
        pairs = tuple(pair for pair in pairs if pair.then or pair.now)  # asked, never answered
        upcoming = [due for due in exercise.days[1:] if due > day]
        exercises.append(
            ExercisePair(
                exercise.title,
                then_day,
                now_day,
                upcoming[0] if now_day is None and upcoming else None,
                pairs,
            )
        )
    return ThenNow(day, setup.text, tuple(scales), tuple(exercises))


def _window(answers: list[Answer], first: int, last: int) -> Window:
    values = [
        answer.value
        for answer in answers
        if first <= answer.day <= last
        and isinstance(answer.value, int)
        and not isinstance(answer.value, bool)
    ]
    average = sum(values) / len(values) if values else None
    return Window(first, last, len(values), average)


def offered(program: Program, day: int) -> bool:
    """Whether Today (and `replenish today`) offers the view on program `day`."""
    setup = program.then_and_now
    return setup is not None and day >= setup.from_day


def read(service: Replenish, day: int | None = None) -> ThenNow | None:
    """The view on program `day` (today's by default), reading only its windows: the
    scales' first and last weeks, and two days of each compared exercise."""
    program = service.program
    setup = program.then_and_now
    if setup is None:
        return None
    if day is None:
        schedule = service.schedule()
        day = 1 if schedule is None else plan.day_now(program, schedule, service.now())
    day = min(max(day, 1), program.days)
    start, latest = windows(day)
    checkins = service.store.answers_for_steps(setup.scales, *start) if setup.scales else []
    if latest is not None and setup.scales:
        checkins += service.store.answers_for_steps(setup.scales, *latest)
    answers: dict[tuple[str, int], Mapping[str, Answer]] = {}
    for exercise_id in setup.exercises:
        exercise = program.exercise(exercise_id)
        if exercise is None:
            continue
        for wanted in (exercise.days[0], latest_day(exercise, day)):
            if wanted is not None:
                answers[(exercise_id, wanted)] = service.answers(exercise_id, wanted)
    return compare(program, day, service.flags(), checkins, answers)
