"""Each step kind's plain view: what it says, what it asks, and the answer it saves.

A view saves exactly what the app's view of the same kind saves (the same JSON
value under the same step id), the moment the answer is given, through `save`.
An empty line goes on: it keeps an answer given before, or leaves the step
unanswered, as the app's Next does. Each view says how to answer, every time.

Views are found by the step's kind (`VIEWS`, filled by `@plain_view`); a test
holds `VIEWS` to `program.content.steps.KINDS`, so a new kind needs its view here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, TypeVar, cast

from program.content.steps import (
    DRAIN,
        ROLES,
    WHO,
    ChecklistStep,
    ChoiceStep,
    GridAnswer,
    GridStep,
    PlanStep,
    ReadStep,
    ReflectStep,
    ScaleStep,
    Step,
    TimerStep,
    grid_row_words,
)
from program.plain.talk import Move, Talk
from program.text import plain_markdown
from program.when import PlanReminder, ReminderHooks, parse_when, when_hint
from state import JSONValue

Save = Callable[[JSONValue], bool]
"""Writes an answer; False when the store refused it (the view has the words still)."""


class PlainView:
    """One step as a conversation; `run` returns where to go next."""

    TAKES_HOOKS: ClassVar[bool] = False
    """True for a view built with the walk's `ReminderHooks` as well."""

    def __init__(self, value: JSONValue, save: Save) -> None:
        self.saved: JSONValue = value
        self._save = save
        self.unsaved: JSONValue = None
        """An answer the store refused (None when all is saved): the walk shows it on leaving."""

    def save(self, value: JSONValue) -> bool:
        """Write `value` unless it is what is saved already; False when the store refused."""
        if value == self.saved:
            self.unsaved = None
            return True
        if self._save(value):
            self.saved, self.unsaved = value, None
            return True
        self.unsaved = value
        return False

    def run(self, talk: Talk) -> Move:
        raise NotImplementedError


VIEWS: dict[str, type[PlainView]] = {}
"""Each step kind's plain view, by the kind's name."""

_View = TypeVar("_View", bound=type[PlainView])


def plain_view(kind: type[Step]) -> Callable[[_View], _View]:
    """Register the decorated class as the plain view of steps of `kind`."""

    def register(view: _View) -> _View:
        VIEWS[kind.kind] = view
        return view

    return register


def view_for(step: Step, value: JSONValue, save: Save, hooks: ReminderHooks) -> PlainView:
    """The plain view of `step`, holding its saved `value`."""
    view = VIEWS.get(step.kind)
    if view is None:
        raise LookupError(f'no plain view for a step of kind "{step.kind}"; add one in {__name__}')
    make = cast("Callable[..., PlainView]", view)  # each view takes the step of its own kind
    return make(step, value, save, hooks) if view.TAKES_HOOKS else make(step, value, save)


def _go_on(reply: str | Move) -> Move:
    return reply if isinstance(reply, Move) else Move.NEXT


def _quoted(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.split("\n"))


@plain_view(ReadStep)
class ReadPlain(PlainView):
    def __init__(self, step: ReadStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step

    def run(self, talk: Talk) -> Move:
        if self.step.title:
            talk.say(self.step.title)
        talk.say(plain_markdown(self.step.text))
        return _go_on(talk.ask("Press Enter to go on."))


@plain_view(ReflectStep)
class ReflectPlain(PlainView):
    """Lines of the user's own words; each line is saved as soon as it is typed."""

    def __init__(self, step: ReflectStep, value: JSONValue, save: Save) -> None:
        super().__init__(value if isinstance(value, str) else "", save)
        self.step = step

    def run(self, talk: Talk) -> Move:
        talk.say(self.step.prompt)
        text = self.saved if isinstance(self.saved, str) else ""
        if text:
            talk.say("You wrote before:")
            talk.say(_quoted(text))
            talk.say("What you type now is added after it.")
        talk.say("Type as many lines as you like; each is saved as you go. An empty line ends it.")
        while True:
            reply = talk.ask()
            if isinstance(reply, Move):
                return reply
            if reply.strip():
                text = f"{text}\n{reply}" if text else reply
                if not self.save(text):
                    talk.say("Your words are kept here; they are saved with your next line.")
                continue
            if self.unsaved is None or self.save(text):
                if text:
                    talk.say("Saved.")
                return Move.NEXT
            talk.say("Not saved yet. Press Enter to try again, or type quit.")


def _range_words(step: ScaleStep) -> str:
    low = f"{step.min} ({step.min_label})" if step.min_label else str(step.min)
    high = f"{step.max} ({step.max_label})" if step.max_label else str(step.max)
    return f"from {low} to {high}"


@plain_view(ScaleStep)
class ScalePlain(PlainView):
    def __init__(self, step: ScaleStep, value: JSONValue, save: Save) -> None:
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        super().__init__(number, save)
        self.step = step

    def run(self, talk: Talk) -> Move:
        step = self.step
        talk.say(step.prompt)
        kept = (
            f"Your answer now: {self.saved}. An empty line keeps it."
            if self.saved is not None
            else "An empty line goes on without an answer."
        )
        talk.say(f"Type a whole number {_range_words(step)}. {kept}")
        while True:
            reply = talk.ask()
            if isinstance(reply, Move) or not reply.strip():
                return _go_on(reply)
            try:
                number = int(reply.strip())
            except ValueError:
                number = None
            if number is None or not step.min <= number <= step.max:
                talk.say(f"Please type a whole number from {step.min} to {step.max}.")
            elif self.save(number):
                talk.say(f"Saved: {number}.")
                return Move.NEXT


def _numbers(reply: str, count: int) -> list[int] | None:
    """The numbers typed (1-based, "1 3" or "1, 3"), each once; None unless all are in range."""
    chosen: list[int] = []
    for word in reply.replace(",", " ").split():
        if not word.isdigit() or not 1 <= int(word) <= count:
            return None
        if int(word) not in chosen:
            chosen.append(int(word))
    return chosen or None


class _Numbered(PlainView):
    """Numbered options, answered by their numbers: one, or any number of them."""

    prompt: str
    options: tuple[str, ...]
    several: bool

    def chosen(self) -> list[str]:
        """What is chosen now, in the step's order."""
        value = self.saved
        picked = set(value) if isinstance(value, list) else {value}
        return [option for option in self.options if option in picked]

    def run(self, talk: Talk) -> Move:
        talk.say(self.prompt)
        for number, option in enumerate(self.options, 1):
            talk.say(f"  {number}. {option}")
        how = (
            "Type the numbers of all that fit, like 1 3, or none."
            if self.several
            else "Type the number of one."
        )
        if self.saved is not None:
            now = ", ".join(self.chosen()) or "none"
            talk.say(f"{how} Chosen now: {now}. An empty line keeps it.")
        else:
            talk.say(f"{how} An empty line goes on without an answer.")
        while True:
            reply = talk.ask()
            if isinstance(reply, Move) or not reply.strip():
                return _go_on(reply)
            value = self._value(reply)
            if value is None:
                talk.say(f"Please type {self._expected()}.")
            elif self.save(value):
                said = ", ".join(self.chosen()) or "none"
                talk.say(f"Saved: {said}.")
                return Move.NEXT

    def _expected(self) -> str:
        last = len(self.options)
        if self.several:
            return f"numbers from 1 to {last}, with spaces between them, or none"
        return f"one number from 1 to {last}"

    def _value(self, reply: str) -> JSONValue:
        if self.several and reply.strip().lower() == "none":
            return []
        numbers = _numbers(reply, len(self.options))
        if numbers is None:
            return None
        picked = {self.options[number - 1] for number in numbers}
        if not self.several:
            return self.options[numbers[0] - 1] if len(numbers) == 1 else None
        return [option for option in self.options if option in picked]


@plain_view(ChecklistStep)
class ChecklistPlain(_Numbered):
    def __init__(self, step: ChecklistStep, value: JSONValue, save: Save) -> None:
        items = set(step.items)
        kept: JSONValue = (
            [item for item in value if isinstance(item, str) and item in items]
            if isinstance(value, list)
            else None
        )
        super().__init__(kept, save)
        self.prompt, self.options, self.several = step.prompt, step.items, True


@plain_view(ChoiceStep)
class ChoicePlain(_Numbered):
    def __init__(self, step: ChoiceStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.prompt, self.options, self.several = step.prompt, step.options, step.multiple


def duration_words(seconds: float) -> str:
    """A length of time as words: "5 minutes", "1 minute 30 seconds", "3 seconds"."""
    whole = max(round(seconds), 0)
    minutes, rest = divmod(whole, 60)
    parts = [f"{minutes} minute{'s' * (minutes != 1)}"] if minutes else []
    if rest or not parts:
        parts.append(f"{rest} second{'s' * (rest != 1)}")
    return " ".join(parts)


@plain_view(TimerStep)
class TimerPlain(PlainView):
    """Says when it starts, at half time and at the end; saves True when it ran to the end."""

    def __init__(self, step: TimerStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step

    def run(self, talk: Talk) -> Move:
        step = self.step
        talk.say(step.label)
        if step.text:
            talk.say(plain_markdown(step.text))
        length = duration_words(step.seconds)
        before = " You ran it to the end before." if self.saved is True else ""
        talk.say(f"A timer of {length}.{before}")
        reply = talk.ask("Press Enter to start it, or type next to go on without it.")
        if isinstance(reply, Move):
            return reply
        talk.say(f"Started: {length}. Press Enter to stop early.")
        started = talk.clock()
        for moment in (step.seconds / 2, float(step.seconds)):
            typed = talk.wait(started + moment - talk.clock())
            if typed is not None:
                if isinstance(typed, Move) and typed is not Move.NEXT:
                    return typed
                left = duration_words(step.seconds - (talk.clock() - started))
                talk.say(f"Stopped early, with {left} left.")
                return Move.NEXT
            if moment < step.seconds:
                talk.say(f"Half time: {duration_words(step.seconds - moment)} left.")
        talk.say("Time is up.")
        while not self.save(True):
            if isinstance(talk.ask("Press Enter to try saving again, or type quit."), Move):
                return Move.QUIT
        return Move.NEXT


def _text(value: JSONValue, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, str) else ""


@plain_view(PlanStep)
class PlanPlain(PlainView):
    """What and when, then (if the step allows it and a time is given) a reminder, or not."""

    TAKES_HOOKS = True

    def __init__(self, step: PlanStep, value: JSONValue, save: Save, hooks: ReminderHooks) -> None:
        super().__init__(value, save)
        self.step = step
        self.hooks = hooks
        self.reminder = PlanReminder(step, value, hooks)

    def run(self, talk: Talk) -> Move:
        step, saved = self.step, self.saved
        talk.say(step.prompt)
        what, when = _text(saved, "what"), _text(saved, "when")
        remind = isinstance(saved, dict) and saved.get("remind") is True
        if saved is not None:
            talk.say(f"You planned: {what or '(nothing named)'}, {when or 'no time given'}.")
            talk.say("An empty line keeps each part as it is.")
        first = (
            "What will you do?"
            if saved is not None
            else ("What will you do? An empty line goes on without a plan.")
        )
        reply = talk.ask(first)
        if isinstance(reply, Move) or (not reply.strip() and saved is None):
            return _go_on(reply)
        if reply.strip():
            what = reply
        moment: datetime | None = None
        while True:
            hint = when_hint(self.hooks.now())
            reply = talk.ask(f"When? Type {hint}; an empty line for no time.")
            if isinstance(reply, Move):
                return reply
            if reply.strip():
                when = reply
            if not when.strip():
                break
            try:
                moment = parse_when(when, self.hooks.now())
                break
            except ValueError as error:
                talk.say(f"{error}.")
                when = ""
        if step.remind and moment is not None:
            while True:
                reply = talk.ask("Remind you then? Type yes or no.")
                if isinstance(reply, Move):
                    return reply
                word = reply.strip().lower()
                if word in ("yes", "y", "no", "n", ""):
                    remind = word.startswith("y") or (not word and remind)
                    break
        if not what.strip() and not when.strip() and saved is None:
            return Move.NEXT  # nothing given: going on is not an answer
        return self._keep(talk, what, when, remind, moment)

    def _keep(
        self, talk: Talk, what: str, when: str, remind: bool, moment: datetime | None
    ) -> Move:
        while not (
            self.reminder.sync(what, when, remind)
            and self.save(self.reminder.answer(what, when, remind))
        ):
            self.unsaved = self.reminder.answer(what, when, remind)
            if isinstance(talk.ask("Press Enter to try saving again, or type quit."), Move):
                return Move.QUIT
        said = f"Saved: {what.strip() or '(nothing named)'}"
        if moment is not None:
            said += f", {moment:%A %d %B at %H:%M}"
        if self.reminder.id is not None:
            said += ". A reminder is set for then"
        talk.say(said + ".")
        return Move.NEXT


GRID_HOW = (
    "For each task, type four numbers: who notices it, who plans it and who does it "
    "(1 me, 2 my partner, 3 both, 4 neither), then how draining it is (1 barely, 2 a bit, "
    "3 quite, 4 very). Like: 1 3 2 4. A 0 leaves that one empty; fewer numbers leave the "
    "rest as they are; an empty line keeps the row as it is."
)


def grid_cells(reply: str, before: dict[str, str | int]) -> dict[str, str | int] | None:
    """A row's cells from a typed line ("1 3 2 4", "1324", "2 0 1"); None if it is not that."""
    words = reply.replace(",", " ").split()
    if len(words) == 1 and words[0].isdigit() and 1 < len(words[0]) <= 4:
        words = list(words[0])
    if not 1 <= len(words) <= 4 or not all(len(w) == 1 and w in "01234" for w in words):
        return None
    cells = dict(before)
    for column, word in zip((*ROLES, DRAIN), words, strict=False):
        number = int(word)
        if number == 0:
            cells.pop(column, None)
        elif column == DRAIN:
            cells[column] = number
        else:
            cells[column] = WHO[number - 1]
    return cells


@plain_view(GridStep)
class GridPlain(PlainView):
    """Row by row, four numbers a row; then rows of the user's own, if the step has room."""

    def __init__(self, step: GridStep, value: JSONValue, save: Save) -> None:
        super().__init__(GridAnswer.read(value).value() if value is not None else None, save)
        self.step = step
        self.answer = GridAnswer.read(value)

    def run(self, talk: Talk) -> Move:
        talk.say(self.step.prompt)
        talk.say(GRID_HOW)
        for row in self.step.row_labels(self.answer):
            move = self._row(talk, row)
            if move is not None:
                return move
        while not self.step.full_of_own(self.answer):
            reply = talk.ask("A task of your own to add? Type it, or an empty line to go on.")
            if isinstance(reply, Move) or not reply.strip():
                return _go_on(reply)
            label = " ".join(reply.split())
            problem = self.step.label_problem(label, self.answer)
            if problem:
                talk.say(problem)
                continue
            self._keep(GridAnswer(self.answer.cells, (*self.answer.added, label)))
            move = self._row(talk, label)
            if move is not None:
                return move
        return Move.NEXT

    def _row(self, talk: Talk, row: str) -> Move | None:
        rows = self.step.row_labels(self.answer)
        before = dict(self.answer.cells.get(row, {}))
        now = f" Now: {grid_row_words(before)}." if before else ""
        talk.say(f"{rows.index(row) + 1} of {len(rows)}. {row}.{now}")
        while True:
            reply = talk.ask()
            if isinstance(reply, Move):
                return reply
            if not reply.strip():
                return None
            cells = grid_cells(reply, before)
            if cells is None:
                talk.say("Please type up to four numbers from 0 to 4, like 1 3 2 4.")
                continue
            given = {**self.answer.cells, row: cells}
            if self._keep(GridAnswer({key: c for key, c in given.items() if c}, self.answer.added)):
                talk.say(f"Saved: {grid_row_words(cells) or 'nothing'}.")
                return None
            talk.say("Not saved yet. Type the numbers again to try once more, or quit.")

    def _keep(self, answer: GridAnswer) -> bool:
        self.answer = answer
        return self.save(answer.value())
