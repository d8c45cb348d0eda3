"""A read step: the program's Markdown, with its optional title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Markdown, Static

from program.content.model import ReadStep
from program.tui.widgets.base import Save, StepView
from state import JSONValue


class ReadView(StepView):
    def __init__(self, step: ReadStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step

    def compose(self) -> ComposeResult:
        if self.step.title:
            yield Static(Content(self.step.title), classes="step-title")
        yield Markdown(self.step.text, classes="step-text")
