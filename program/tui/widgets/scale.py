"""A scale step: a row of numbers (0 to 10 by default), chosen with arrows, digits or a click."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from program.content.model import ScaleStep
from program.tui.widgets.base import Save
from program.tui.widgets.chosen import ENTER_HINT, ChosenStepView
from state import JSONValue

CELL = 4
"""Columns per number on the scale."""

JOIN = 1.0
"""Seconds within which a second digit makes one number with the first ("1", "0": 10)."""


class Scale(Widget, can_focus=True):
    """The numbers min..max in a row; the chosen one is bracketed (not colour alone)."""

    DEFAULT_CSS = """
    Scale {
        width: auto;
        height: 1;
        padding: 0;

        &:focus {
            text-style: underline;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Less", show=False),
        Binding("right", "move(1)", "More", show=False),
        Binding("home", "jump('min')", "Lowest", show=False),
        Binding("end", "jump('max')", "Highest", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, scale: Scale, value: int) -> None:
            super().__init__()
            self.scale = scale
            self.value = value

    def __init__(
        self,
        low: int,
        high: int,
        value: int | None,
        id: str | None = None,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        super().__init__(id=id)
        self.low = low
        self.high = high
        self.clock = clock
        self._typed = ""
        self._typed_at = 0.0
        self.set_reactive(Scale.value, value)

    def render(self) -> Content:
        parts: list[Content] = []
        for number in range(self.low, self.high + 1):
            if number == self.value:
                parts.append(Content.styled(f"[{number}]".center(CELL), "reverse bold"))
            else:
                parts.append(Content(f" {number} ".center(CELL)))
        return Content("").join(parts)

    def get_content_width(self, container: object, viewport: object) -> int:
        return CELL * (self.high - self.low + 1)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 1

    def choose(self, number: int) -> None:
        number = min(max(number, self.low), self.high)
        if number != self.value:
            self.value = number
            self.post_message(self.Changed(self, number))

    def action_move(self, delta: int) -> None:
        if self.value is None:
            self.choose((self.low + self.high) // 2)
        else:
            self.choose(self.value + delta)

    def action_jump(self, end: str) -> None:
        self.choose(self.low if end == "min" else self.high)

    def on_key(self, event: events.Key) -> None:
        """A digit chooses its number; a second one soon after makes one number with it
        when that is on the scale ("1" then "0" is 10)."""
        if event.character is None or not event.character.isdigit():
            return
        now = self.clock()
        joined = self._typed + event.character
        if self._typed and now - self._typed_at <= JOIN and self.low <= int(joined) <= self.high:
            typed = joined
        else:
            typed = event.character
        self._typed, self._typed_at = typed, now
        if self.low <= int(typed) <= self.high:
            event.stop()
            self.choose(int(typed))

    def on_click(self, event: events.Click) -> None:
        self.choose(self.low + event.x // CELL)


class ScaleView(ChosenStepView):
    DEFAULT_CSS = """
    ScaleView .scale-labels {
        color: $text-muted;
    }
    """

    def __init__(self, step: ScaleStep, value: JSONValue, save: Save) -> None:
        saved = value if isinstance(value, int) and not isinstance(value, bool) else None
        super().__init__(saved, save)
        self.step = step
        self.scale = Scale(step.min, step.max, saved, id="scale")

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.scale
        yield Static(self._labels(), classes="scale-labels")
        yield Static(self._chosen_words(), id="scale-chosen", classes="step-hint")

    def _labels(self) -> Content:
        width = CELL * (self.step.max - self.step.min + 1)
        low = f"{self.step.min} = {self.step.min_label}" if self.step.min_label else ""
        high = f"{self.step.max_label} = {self.step.max}" if self.step.max_label else ""
        gap = max(width - len(low) - len(high), 1)
        return Content(low + " " * gap + high)

    def _chosen_words(self) -> Content:
        if self.scale.value is None:
            return Content(f"Not answered yet. {self._how()} {ENTER_HINT}")
        return Content(f"You chose {self.scale.value} of {self.step.max}. Saved. {ENTER_HINT}")

    def _how(self) -> str:
        """How to choose, with the keys for the highest number when it has two digits."""
        high = str(self.step.max)
        typing = f"type {self.step.min} to {high}"
        if len(high) > 1:
            typing += f" ({high[0]} then {high[1:]} for {high}, or End)"
        return f"← → to move, or {typing}."

    def initial_focus(self) -> Widget | None:
        return self.scale

    def on_scale_changed(self, event: Scale.Changed) -> None:
        event.stop()
        self.save(event.value)
        self.query_one("#scale-chosen", Static).update(self._chosen_words())
