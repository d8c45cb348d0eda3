"""A reflect step: a text area whose words are saved as they are typed.

Saved four ways, so closing the terminal or a crash loses at most the last moment of
typing: after `DEBOUNCE` seconds without a keystroke, at the latest `MAX_WAIT` after
a keystroke while typing goes on, when focus leaves the text area, and when the step
is left or the app closes (unmount).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static, TextArea

from program.content.model import ReflectStep
from program.tui.literal import LiteralTextArea
from program.tui.widgets.base import Save, StepView
from state import JSONValue


class ReflectView(StepView):
    DEFAULT_CSS = """
    ReflectView TextArea {
        height: 8;
    }
    """

    def __init__(self, step: ReflectStep, value: JSONValue, save: Save) -> None:
        super().__init__(value if isinstance(value, str) else "", save)
        self.step = step
        self.area = LiteralTextArea(
            self.saved if isinstance(self.saved, str) else "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=Content(step.placeholder or "Type here. It is saved as you go."),
            id="reflect-text",
        )

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.area
        yield Static(
            Content("Saved as you type. Tab or Esc moves on to the buttons."), classes="step-hint"
        )

    def on_mount(self) -> None:
        self.area.move_cursor(self.area.document.end)  # coming back: typing goes on at the end

    def initial_focus(self) -> Widget | None:
        return self.area

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.area.typed == self.saved:
            return  # loading the saved text is not a change
        self.save_soon()

    def write(self) -> None:
        self.save(self.area.typed)
