"""Plain-text renderings of the plan, for the commands, screen readers and notifications.

Words, not colours or symbols alone: every state is spelled out.
"""

from __future__ import annotations

from collections.abc import Iterator

from program import plan
from program.content import Exercise, Program


def titled(exercise: Exercise) -> str:
    """An exercise as every plain text names it: "Sitting together, 6 min"."""
    return f"{exercise.title}, {exercise.minutes} min"


def exercise_line(due: plan.DueExercise) -> str:
    state = "" if due.state == "not started" else f" ({due.state})"
    return f"{titled(due.exercise)}{state}"


def heading(today: plan.Today) -> str:
    module = today.today.module.title if today.today and today.today.module else ""
    parts = [f"Week {today.week} of {today.weeks}", f"Day {today.day} of {today.days}"]
    return " · ".join(parts + ([module] if module else []))


def today_text(program: Program, today: plan.Today | None, preview: plan.DayPlan | None) -> str:
    """What `replenish today` prints (less the final newline): the day, or before the plan
    has begun (`today` None) the `preview` of day 1. The digest stores exactly this."""
    if today is not None:
        return "\n".join(today_lines(program, today))
    if preview is None:
        raise ValueError("before the plan has begun, today's text is the preview of day 1")
    return "\n".join(preview_lines(program, preview))


def today_lines(program: Program, today: plan.Today) -> Iterator[str]:
    """The whole `replenish today` text."""
    yield f"{program.title}"
    if today.status is plan.Status.NOT_STARTED:
        yield f"Your plan begins on {today.starts_on:%A %d %B %Y}. Nothing is due before then."
        return
    if today.status is plan.Status.FINISHED:
        yield f"You have reached the end of the {today.days} days. {today.days_done} days done."
        yield "Everything you wrote is still here: `replenish export` keeps a copy."
        yield from _catch_up_lines(today)
        return
    yield heading(today)
    for notice in today.notices:
        yield ""
        yield notice.text.strip()
    if today.status is plan.Status.PAUSED:
        yield ""
        yield "Your plan is paused. Nothing moves on while you rest."
        yield "Resume whenever you are ready: open `replenish` and choose Settings."
    day = today.today
    if day is not None:
        yield ""
        if day.done:
            yield "Today is done. Thank you for showing up for yourself."
        else:
            yield f"Today, about {day.minutes_left} minutes:"
        for due in day.exercises:
            optional = " (optional)" if due.exercise.optional and not due.settled else ""
            yield f"  - {exercise_line(due)}{optional}"
    yield from _catch_up_lines(today)
    yield ""
    yield f"Days done so far: {today.days_done}."


def _catch_up_lines(today: plan.Today) -> Iterator[str]:
    if not today.catch_up:
        return
    yield ""
    yield "A few earlier days are still open, if you would like them. No rush:"
    for day in today.catch_up:
        waiting = [due for due in day.exercises if not due.settled]
        titles = "; ".join(titled(due.exercise) for due in waiting)
        yield f"  - Day {day.day}: {titles}"


def preview_lines(program: Program, day: plan.DayPlan) -> Iterator[str]:
    """What `today` shows before the plan has begun."""
    yield program.title
    yield "You have not started yet. This is what day 1 holds:"
    yield ""
    for due in day.exercises:
        optional = " (optional)" if due.exercise.optional else ""
        yield f"  - {titled(due.exercise)}{optional}"
    yield ""
    yield "Begin today with `replenish start`,"
    yield "or on another day with `replenish start --on YYYY-MM-DD`."
    yield "Or open the app with `replenish`: it will walk you through."


def waiting_summary(day: plan.DayPlan) -> str:
    """One line naming what is waiting: "Day 9: Sitting together, 6 min"."""
    waiting = [due for due in day.exercises if not due.settled and not due.exercise.optional]
    waiting = waiting or [due for due in day.exercises if not due.settled]
    titles = "; ".join(titled(due.exercise) for due in waiting)
    return f"Day {day.day}: {titles}" if titles else f"Day {day.day}"
