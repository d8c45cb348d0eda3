"""Then and now: where the user began beside where they are, in words and numbers.

Everything it shows is worked out by `program.then_now` (the first week and the last,
the first day of an intake and its latest); this screen only lays it out, the user's
answers shown literally. Opened over any screen (from Today on the days it is offered,
ctrl+b on the Journal, and the palette); escape goes back to where it was opened.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from program import then_now
from program.service import Replenish
from program.text import plain_markdown
from program.tui.literal import shown
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.reading import ReadingScroll

SHORT_ANSWER = 24
"""Two answers this short share a line ("Day 1: 2    Day 39: 6"); longer ones get one each."""


class ThenNowScreen(Screen[None]):
    """The check-in's first week beside its last, and each intake's first day beside its
    latest: read once when opened (a few windows of the store), nothing to answer."""

    DEFAULT_CSS = """
    ThenNowScreen {
        #then-now-body {
            height: 1fr;
            padding: 0 1;
        }
        .then-now-intro {
            height: auto;
            color: $text-muted;
        }
        .then-now-heading {
            height: auto;
            text-style: bold;
            margin-top: 1;
        }
        .then-now-line {
            height: auto;
        }
        .then-now-answer {
            height: auto;
            padding-left: 2;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self.view = then_now.read(service)

    def compose(self) -> ComposeResult:
        yield Header()
        with ReadingScroll(id="then-now-body"):
            yield from self._parts()
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.title = then_now.TITLE
        self.query_one(ReadingScroll).focus()

    def _parts(self) -> ComposeResult:
        view = self.view
        if view is None:
            yield Static(Content("This program has nothing to set side by side."))
            return
        if view.text.strip():
            yield Static(shown(plain_markdown(view.text.strip())), classes="then-now-intro")
        if view.scales:
            yield Static(Content("Your daily check-in"), classes="then-now-heading")
            for scale in view.scales:
                yield Static(shown(scale.line), classes="then-now-line")  # a label from the program
        for item in view.exercises:
            yield Static(shown(item.title), classes="then-now-heading")
            if item.now_day is None:
                comes = f" It comes back on day {item.next_day}." if item.next_day else ""
                words = f"Your answers from day {item.then_day}.{comes}"
                yield Static(Content(words), classes="then-now-line")
            if not item.answers:
                yield Static(Content("Nothing answered here yet."), classes="then-now-line")
            for pair in item.answers:
                yield Static(shown(pair.prompt), classes="then-now-line")
                yield from self._answers(item, pair)

    def _answers(self, item: then_now.ExercisePair, pair: then_now.AnswerPair) -> ComposeResult:
        then = Content.assemble(
            f"Day {item.then_day}: ", shown(pair.then or "(not answered)", "bold")
        )
        if item.now_day is None:
            yield Static(then, classes="then-now-answer")
            return
        now = Content.assemble(f"Day {item.now_day}: ", shown(pair.now or "(not answered)", "bold"))
        if len(pair.then) <= SHORT_ANSWER and len(pair.now) <= SHORT_ANSWER:
            yield Static(Content.assemble(then, "    ", now), classes="then-now-answer")
        else:
            yield Static(then, classes="then-now-answer")
            yield Static(now, classes="then-now-answer")

    def action_back(self) -> None:
        self.dismiss()
