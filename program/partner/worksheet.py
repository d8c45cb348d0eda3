"""The worksheet: this week's shared steps as a printable Markdown page, and the filled
page read back, for a partner who never opens a terminal.

The page holds each step's prompt and room to answer, never an answer: for a scale its
range and ends and an `Answer:` line, for a choice or a checklist its options as `[ ]`
boxes, for own words a few lines to write on, for a workload map a line a task
("- Meals: notices ____; plans ____; does ____; draining ____", said from the side of
whoever fills it in, as their own map would be). Each step is introduced by a comment line,
`<!-- step EXERCISE DAY STEP -->`, which says where its answers belong; the reader goes
by those lines alone, so the user may tick `[x]` and write in any editor (or type a
handwritten page in). A page it cannot read is refused whole, with `file:line` for each
problem, and nothing is stored from it.

Only steps the program shares (`together` or `ask`) go on a page, never a safety step
(the validator already refuses `share` there; `steps_for` checks again).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import cast

from msgspec import Struct

from program.content import Exercise, Program
from program.content.steps import (
    DRAIN,
    DRAIN_WORDS,
    ROLES,
    WHO,
    ChecklistStep,
    ChoiceStep,
    GridAnswer,
    GridStep,
    ReflectStep,
    ScaleStep,
    Step,
)
from program.terminal import printable
from state import JSONValue

FORMAT = 1
HEADER = f"<!-- replenish worksheet {FORMAT}: keep the lines that begin with <!-- as they are -->"
_HEADER = re.compile(r"\s*<!--\s*replenish worksheet\s+(\d+)\b.*-->\s*\Z")
_STEP = re.compile(r"\s*<!--\s*step\s+(\S+)\s+(\d{1,6})\s+(\S+)\s*-->\s*\Z")
_ANY_MARKER = re.compile(r"\s*<!--.*-->\s*\Z")
_BOX = re.compile(r"\s*(?:[-*+]\s*)?\[\s*([^\]]?)\s*\]\s*(.*?)\s*\Z")
_ANSWER = re.compile(r"\s*answer\s*:(.*)\Z", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?\d+")
_TICKS = frozenset("xX✓✔*vV")
_LINE = "_" * 60
_BLANK = "____"
_PARTS = {"notices": "notice", "plans": "plan", "does": "do", "draining": DRAIN}
"""A map line's words for its cells, as the page writes them, and the cells they fill."""
_PART = re.compile(r"\b(?:notices|plans|does|draining)\b")
_WHO_WORDS = {"me": "me", "i": "me", "partner": "partner", "my partner": "partner",
              "both": "both", "we both": "both", "neither": "neither", "no one": "neither",
              "nobody": "neither"}
WRITING_LINES = 4

KINDS: tuple[type[Step], ...] = (ScaleStep, ChoiceStep, ChecklistStep, ReflectStep, GridStep)
"""The kinds a page can ask and read back; a shared step of another kind stays in the app."""

Key = tuple[str, int, str]
"""(exercise id, plan day, step id): where an answer on a page belongs."""


class SheetStep(Struct, frozen=True):
    """One shared step on one plan day, as a page asks it."""

    exercise: Exercise
    day: int
    on: date
    step: Step

    @property
    def key(self) -> Key:
        return (self.exercise.id, self.day, self.step.id)


class Filled(Struct, frozen=True):
    """One answer read from a page: where it belongs, and the value as the app keeps it."""

    sheet: SheetStep
    value: JSONValue


class WorksheetError(Exception):
    """A page that cannot be read; `problems` are `file:line: what` lines, for the user."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def shared_on_page(program: Program, exercise: Exercise, step: Step) -> bool:
    """A step a page may ask: shared by the program, of a kind a page can read back, and
    never a safety step (whatever the program says)."""
    return (
        step.share != "never"
        and isinstance(step, KINDS)
        and not program.is_safety_step(exercise, step)
    )


def _plain(text: str) -> str:
    """Data on one line of the page: nothing a terminal or a viewer would obey."""
    return printable(" ".join(text.split()))


def write(steps: Iterable[SheetStep], week: int, partner: str) -> str:
    """The page for `steps` (in order), for `partner` to fill in and give back."""
    who = _plain(partner)
    lines = [
        f"# Replenish: week {week}, questions for both of you",
        "",
        (f"For {who} to fill in. " if who else "To fill in. ")
        + "Write on the lines, or put an x in a box, like this: [x].",
        "Leave out anything you like, and give the page back when you are done.",
        "",
        HEADER,
    ]
    current: tuple[date, str] | None = None
    for sheet in steps:
        heading = (sheet.on, sheet.exercise.id)
        if heading != current:
            current = heading
            on = sheet.on
            lines += ["", f"## {on:%A} {on.day} {on:%B}: {_plain(sheet.exercise.title)}"]
        step = sheet.step
        exercise, day = sheet.exercise.id, sheet.day
        lines += ["", f"<!-- step {exercise} {day} {step.id} -->", f"**{_plain(step.question)}**"]
        lines += _room(step)
    lines.append("")
    return "\n".join(lines)


def _room(step: Step) -> list[str]:
    """Where the answer goes on the page, as the step's kind asks it."""
    if isinstance(step, ScaleStep):
        ends = [f"{step.min}", f"{step.max}"]
        if step.min_label:
            ends[0] += f" ({_plain(step.min_label)})"
        if step.max_label:
            ends[1] += f" ({_plain(step.max_label)})"
        return ["", f"One whole number from {ends[0]} to {ends[1]}.", "", "Answer: ____"]
    if isinstance(step, ChoiceStep | ChecklistStep):
        one = isinstance(step, ChoiceStep) and not step.multiple
        return ["", "Tick one." if one else "Tick any.", "", *(
            f"- [ ] {_plain(choice)}" for choice in step.choices
        )]
    if isinstance(step, GridStep):
        blanks = "; ".join(f"{word} {_BLANK}" for word in _PARTS)
        return [
            "",
            "For each task, write who notices it, who plans it and who does it: me, partner, "
            "both or neither (you are me). Then how draining it is for you: "
            + ", ".join(DRAIN_WORDS[:-1]) + f" or {DRAIN_WORDS[-1]}. Leave out any you like.",
            "",
            *(f"- {_plain(row)}: {blanks}" for row in step.rows),
        ]
    return ["", *([_LINE] * WRITING_LINES)]


def read(text: str, where: str, steps: Mapping[Key, SheetStep]) -> list[Filled]:
    """The answers on a filled page. `steps` are the steps a page may hold, by key; `where`
    names the page in problems. Raises WorksheetError, naming every line it cannot read."""
    lines = text.splitlines()
    problems: list[str] = []
    found: list[Filled] = []
    header = next((n for n, line in enumerate(lines) if _HEADER.match(line)), None)
    matched = None if header is None else _HEADER.match(lines[header])
    if header is None or matched is None:
        problems.append(
            f"{where}:1: this is not a Replenish worksheet; expected the line "
            f"{HEADER!r} near the top (`replenish worksheet` writes one)"
        )
        raise WorksheetError(problems)
    if int(matched.group(1)) != FORMAT:
        raise WorksheetError(
            [f"{where}:{header + 1}: a worksheet of format {matched.group(1)}; this Replenish "
             f"reads format {FORMAT}"]
        )
    blocks: list[tuple[int, Key, list[tuple[int, str]]]] = []
    for number, line in enumerate(lines[header + 1 :], start=header + 2):
        step_line = _STEP.match(line)
        if step_line is not None:
            key = (step_line.group(1), int(step_line.group(2)), step_line.group(3))
            blocks.append((number, key, []))
        elif line.startswith(("## ", "# ")):
            if blocks:
                blocks.append((number, ("", 0, ""), []))  # a heading ends the step above
        elif _ANY_MARKER.match(line) and blocks:
            problems.append(f"{where}:{number}: a marker line was changed; it reads {line!r}")
        elif blocks:
            blocks[-1][2].append((number, line))
    seen: dict[Key, int] = {}
    for number, key, body in blocks:
        if key == ("", 0, ""):
            continue
        sheet = steps.get(key)
        if sheet is None:
            problems.append(
                f"{where}:{number}: step {key[2]} of {key[0]} on day {key[1]} is not one this "
                "program shares; was the marker line changed, or the page made for another "
                "program?"
            )
            continue
        if key in seen:
            problems.append(
                f"{where}:{number}: this step is on the page twice (first at line {seen[key]}); "
                "keep one"
            )
            continue
        seen[key] = number
        value = _value(sheet.step, _answer_lines(body), where, problems)
        if value is not None:
            found.append(Filled(sheet, value))
    if problems:
        raise WorksheetError(problems)
    return found


def _answer_lines(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A step's lines after its prompt (the first line with words on it)."""
    for index, (_number, line) in enumerate(body):
        if line.strip():
            return body[index + 1 :]
    return []


def _value(
    step: Step, body: list[tuple[int, str]], where: str, problems: list[str]
) -> JSONValue:
    """What the lines under a step say, as its kind keeps it; None when left blank."""
    if isinstance(step, ScaleStep):
        return _scale(step, body, where, problems)
    if isinstance(step, ChoiceStep | ChecklistStep):
        return _boxes(step, body, where, problems)
    if isinstance(step, GridStep):
        return _map(step, body, where, problems)
    kept = [line.strip().strip("_").strip() for _number, line in body]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return "\n".join(kept) or None


def _scale(
    step: ScaleStep, body: list[tuple[int, str]], where: str, problems: list[str]
) -> JSONValue:
    for number, line in body:
        matched = _ANSWER.match(line)
        if matched is None:
            continue
        written = matched.group(1).replace("_", " ").strip()
        if not written:
            return None
        digits = _NUMBER.match(written)
        value = int(digits.group()) if digits else None
        if value is None or not step.min <= value <= step.max:
            problems.append(
                f"{where}:{number}: the answer to {_plain(step.prompt)!r} should be one whole "
                f"number from {step.min} to {step.max}; it reads {printable(written)!r}"
            )
            return None
        return value
    return None


def _boxes(
    step: ChoiceStep | ChecklistStep, body: list[tuple[int, str]], where: str,
    problems: list[str],
) -> JSONValue:
    choices = {_folded(choice): choice for choice in step.choices}
    ticked: list[str] = []
    first = 0
    for number, line in body:
        matched = _BOX.match(line)
        if matched is None:
            continue
        mark, said = matched.group(1), matched.group(2)
        choice = choices.get(_folded(said))
        if choice is None:
            problems.append(
                f"{where}:{number}: {printable(said)!r} is not one of the choices of "
                f"{_plain(step.prompt)!r}; was it changed?"
            )
            continue
        if mark and mark not in _TICKS:
            problems.append(
                f"{where}:{number}: the box of {printable(said)!r} holds {printable(mark)!r}; "
                "tick it with an x, or leave it empty"
            )
            continue
        if mark:
            first = first or number
            ticked.append(choice)
    if isinstance(step, ChoiceStep) and not step.multiple:
        if len(ticked) > 1:
            problems.append(
                f"{where}:{first}: {_plain(step.prompt)!r} takes one answer; "
                f"{len(ticked)} boxes are ticked"
            )
            return None
        return ticked[0] if ticked else None
    if not ticked:
        return None
    return [choice for choice in step.choices if choice in ticked]


def _map(
    step: GridStep, body: list[tuple[int, str]], where: str, problems: list[str]
) -> JSONValue:
    """The map's lines: one a task, each cell a word after its part's name; a task left
    blank is left out, and a word that is not one of the choices is named by its line."""
    rows = {_folded(row): row for row in step.rows}
    cells: dict[str, dict[str, str | int]] = {}
    for number, line in body:
        said_line = _folded(line.strip().lstrip("-*+").replace("_", " "))
        label = next((key for key in rows if said_line.startswith(f"{key}:")), None)
        if label is None:
            if line.lstrip().startswith(("-", "*", "+")) and _PART.search(said_line):
                problems.append(
                    f"{where}:{number}: {printable(line.strip())!r} is not one of the tasks "
                    f"of {_plain(step.prompt)!r}; was a task's name changed?"
                )
            continue
        row, rest = rows[label], said_line[len(label) + 1 :]
        given: dict[str, str | int] = {}
        for part in rest.split(";"):
            name, _, said = part.strip().partition(" ")
            cell = _PARTS.get(name)
            said = said.strip()
            if cell is None or not said:
                continue
            if cell == DRAIN:
                if said in DRAIN_WORDS:
                    given[cell] = DRAIN_WORDS.index(said) + 1
                elif said.isdigit() and 1 <= int(said) <= len(DRAIN_WORDS):
                    given[cell] = int(said)
                else:
                    problems.append(
                        f"{where}:{number}: how draining {printable(row)!r} is reads "
                        f"{printable(said)!r}; expected one of {', '.join(DRAIN_WORDS)}"
                    )
            elif said in _WHO_WORDS:
                given[cell] = _WHO_WORDS[said]
            else:
                problems.append(
                    f"{where}:{number}: who {name} {printable(row)!r} reads {printable(said)!r};"
                    f" expected one of {', '.join(WHO)}"
                )
        if given:
            cells[row] = {part: given[part] for part in (*ROLES, DRAIN) if part in given}
    return cast("JSONValue", GridAnswer(cells, ()).value()) if cells else None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
