"""Plain-text renderings of the plan, for the commands, screen readers and notifications.

Words, not colours or symbols alone: every state is spelled out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import time
from typing import TYPE_CHECKING, Literal

from program import plan
from program.content import Exercise, Program

if TYPE_CHECKING:
    from program.service import Recalled


def titled(exercise: Exercise) -> str:
    """An exercise as every plain text names it: "Sitting together, 6 min"."""
    return f"{exercise.title}, {exercise.minutes} min"


def exercise_line(due: plan.DueExercise) -> str:
    state = "" if due.state == "not started" else f" ({due.state})"
    return f"{titled(due.exercise)}{state}"


WELCOME_BACK = "Welcome back. One gentle practice to start with; the rest can wait."
"""Said on the first day back after quiet days (`plan.quiet_before`), by Today and `today`."""


def heading(today: plan.Today) -> str:
    module = today.today.module.title if today.today and today.today.module else ""
    parts = [f"Week {today.week} of {today.weeks}", f"Day {today.day} of {today.days}"]
    return " · ".join(parts + ([module] if module else []))


Recalls = Mapping[tuple[str, int], Sequence["Recalled"]]
"""Earlier answers the open exercises show again, by (exercise id, day)."""


def today_text(
    program: Program,
    today: plan.Today | None,
    preview: plan.DayPlan | None,
    recalls: Recalls | None = None,
    then_now: Iterable[str] = (),
) -> str:
    """What `replenish today` prints (less the final newline): the day, or before the plan
    has begun (`today` None) the `preview` of day 1. The digest stores exactly this.
    `then_now`: the lines of the then-and-now view, shown last on the days it is offered."""
    if today is not None:
        lines = list(today_lines(program, today, recalls))
        shown = list(then_now)
        if shown:
            lines += ["", *shown]
        return "\n".join(lines)
    if preview is None:
        raise ValueError("before the plan has begun, today's text is the preview of day 1")
    return "\n".join(preview_lines(program, preview))


def today_lines(
    program: Program, today: plan.Today, recalls: Recalls | None = None
) -> Iterator[str]:
    """The whole `replenish today` text; under an exercise, what it will show again."""
    yield f"{program.title}"
    if today.status is plan.Status.NOT_STARTED:
        yield f"Your plan begins on {today.starts_on:%A %d %B %Y}. Nothing is due before then."
        return
    if today.status is plan.Status.FINISHED:
        yield from _after_end_lines(today, recalls)
        return
    yield heading(today)
    for notice in today.notices:
        yield ""
        yield plain_markdown(notice.text)
    if today.status is plan.Status.PAUSED:
        yield ""
        yield "Your plan is paused. Nothing moves on while you rest."
        yield "Resume whenever you are ready: open `replenish` and choose Settings."
    day = today.today
    if today.welcome_back is not None:
        yield ""
        yield WELCOME_BACK
        yield f"  - {exercise_line(today.welcome_back)}"
    if day is not None:
        yield ""
        if today.welcome_back is not None:
            yield f"The rest of today, whenever you like (about {day.minutes_left} minutes):"
        elif day.done:
            yield "Today is done. Thank you for showing up for yourself."
        else:
            yield f"Today, about {day.minutes_left} minutes:"
        for due in day.exercises:
            optional = " (optional)" if due.exercise.optional and not due.settled else ""
            yield f"  - {exercise_line(due)}{optional}"
            for recalled in (recalls or {}).get((due.exercise.id, due.day), ()):
                yield "    " + recalled.line.replace("\n", "\n    ")
    yield from _catch_up_lines(today)
    yield ""
    yield f"Days done so far: {today.days_done}."


def next_follow_on_line(today: plan.Today) -> str:
    """When the next weekly check-in comes, once the plan is over ("" when none will): the
    words `today`, `do`, `status` and the app's Today all say."""
    on = today.next_follow_on
    return "" if on is None else f"Your next weekly check-in is on {on:%A} {on.day} {on:%B}."


def after_end_heading(today: plan.Today) -> str:
    """The first words once the plan is over (`today` and the app's Today)."""
    if today.today is None:
        return f"You have reached the end of the {today.days} days."
    return f"The {today.days} days are complete."  # a follow-on day


def follow_on_words(day: plan.DayPlan, listing: bool = False) -> str:
    """What a follow-on day holds, in a few words (`today` and the app's Today); `listing`:
    as the line above the list of its exercises."""
    if day.done:
        return "This week's check-in is done. Thank you for coming back to it."
    return f"This week's check-in, about {day.minutes_left} minutes" + (":" if listing else ".")


def _after_end_lines(today: plan.Today, recalls: Recalls | None) -> Iterator[str]:
    """`today` once the plan is over: the follow-on on its day, else when it comes next."""
    day = today.today
    yield f"{after_end_heading(today)} {today.days_done} days done."
    if day is not None:  # a follow-on day
        yield ""
        yield follow_on_words(day, listing=True)
        for due in day.exercises:
            yield f"  - {exercise_line(due)}"
            for recalled in (recalls or {}).get((due.exercise.id, due.day), ()):
                yield "    " + recalled.line.replace("\n", "\n    ")
    later = next_follow_on_line(today)
    yield ""
    if later and (day is None or day.done):
        yield later
    yield "Everything you wrote is still here: `replenish export` keeps a copy."
    yield from _catch_up_lines(today)


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


def waiting(day: plan.DayPlan) -> list[plan.DueExercise]:
    """What a reminder is about: the day's unsettled required exercises, else any unsettled."""
    required = [due for due in day.exercises if not due.settled and not due.exercise.optional]
    return required or [due for due in day.exercises if not due.settled]


def waiting_summary(day: plan.DayPlan) -> str:
    """One line naming what is waiting: "Day 9: Sitting together, 6 min"."""
    titles = "; ".join(titled(due.exercise) for due in waiting(day))
    return f"Day {day.day}: {titles}" if titles else f"Day {day.day}"


Outward = Literal["reminder", "nudge", "calendar-summary", "calendar-text", "one-off"]
"""Where a line is seen outside the app's own screen: a notification or toast, the shell's
nudge, a calendar event's title or its words, a one-off reminder the user set."""

NEUTRAL = "a few quiet minutes are waiting"


def outward(
    where: Outward,
    day: plan.DayPlan | None,
    *,
    discreet: bool,
    late_from: time | None = None,
    own_words: str = "",
) -> str:
    """Every line Replenish shows outside its own screen, built here and only here.

    Discreet (the default, and always once a safety flag is raised) it names no
    exercise, no module, no day and none of the user's words: someone glancing at
    a phone, a shell or a shared calendar learns only that a few minutes are waiting.
    """
    if day is None:
        minutes = 0
    elif where.startswith("calendar"):
        minutes = day.minutes
    else:
        minutes = sum(due.exercise.minutes for due in waiting(day))
    about = f", about {minutes} min" if minutes else ""
    if where == "one-off":
        words = own_words.strip()
        return "A reminder you set in Replenish." if discreet or not words else words
    if where == "calendar-summary":
        return "Replenish" if discreet or day is None else f"Replenish · Day {day.day}"
    if where == "calendar-text":
        if discreet or day is None:
            return f"A few quiet minutes{about}."
        return "\n".join(titled(due.exercise) for due in day.exercises)
    summary = waiting_summary(day) if day is not None and not discreet else ""
    if where == "nudge":
        said = summary or f"{NEUTRAL}{about}"
        return f"Replenish · {said} · open `replenish` when you are ready"
    said = summary or f"{NEUTRAL[0].upper()}{NEUTRAL[1:]}{about}"
    if late_from is not None:
        return f"From {late_from:%H:%M} earlier: {said}. Still here whenever you are ready."
    return f"{said}. Whenever you are ready."


# ----- Markdown as plain text ---------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|=+\s*)$")
_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL),
    re.compile(r"(?<![\w])__(?=\S)(.+?)(?<=\S)__(?![\w])", re.DOTALL),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL),
    re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.DOTALL),
    re.compile(r"(?<![\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w])", re.DOTALL),
)


def plain_markdown(markdown: str) -> str:
    """A program's Markdown as plain lines, for `today` and `do` (a screen reader would read
    `**` aloud): headings and list items on lines of their own, a paragraph's lines joined
    into one, emphasis, code marks and escapes dropped, a link as "text (address)", code
    blocks kept as they are. Its result is still data: print it through `printable`."""
    blocks: list[str] = []  # finished lines; "" between paragraphs
    paragraph: list[str] = []
    fence = ""

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(_inline(" ".join(paragraph)))
            paragraph.clear()

    def gap() -> None:
        end_paragraph()
        if blocks and blocks[-1] != "":
            blocks.append("")

    for raw in markdown.replace("\r\n", "\n").split("\n"):
        if fence:
            if raw.strip().startswith(fence):
                fence = ""
                gap()
            else:
                blocks.append(raw)
            continue
        opened = _FENCE.match(raw)
        if opened:
            gap()
            fence = opened.group(1)
            continue
        line = raw
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            gap()
            continue
        heading = _HEADING.match(line)
        if heading:
            gap()
            blocks.extend((_inline((heading.group(1) or "").rstrip("#").strip()), ""))
            continue
        if _RULE.match(line):
            gap()  # a rule, or the underline of the heading just ended
            continue
        item = _ITEM.match(line)
        if item:
            end_paragraph()
            indent, mark, rest = item.groups()
            mark = "-" if mark in "-*+" else mark
            paragraph.append(f"{indent}{mark} {rest.strip()}")
            continue
        hard_break = line.endswith(("  ", "\\"))
        paragraph.append(line.strip().removesuffix("\\").rstrip())
        if hard_break:
            end_paragraph()
    end_paragraph()
    while blocks and blocks[-1] == "":
        blocks.pop()
    return "\n".join(blocks)


def _inline(text: str) -> str:
    """One paragraph's inline Markdown as plain words. Code spans and escaped characters
    are set aside first (behind characters the text does not hold), so nothing in them
    is read as emphasis or a link."""
    kept: list[str] = []
    mark = next(chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)

    def keep(value: str) -> str:
        kept.append(value)
        return f"{mark}{len(kept) - 1}{mark}"

    text = _CODE_SPAN.sub(lambda found: keep(found.group(2).strip() or found.group(2)), text)
    text = _ESCAPE.sub(lambda found: keep(found.group(1)), text)
    text = _IMAGE.sub(lambda found: found.group(1), text)
    text = _LINK.sub(
        lambda found: found.group(1)
        if found.group(2) in ("", found.group(1))
        else f"{found.group(1)} ({found.group(2)})",
        text,
    )
    text = _AUTOLINK.sub(lambda found: found.group(1), text)
    for emphasis in _EMPHASIS:
        text = emphasis.sub(lambda found: found.group(1), text)
    return re.sub(f"{mark}(\\d+){mark}", lambda found: kept[int(found.group(1))], text)
