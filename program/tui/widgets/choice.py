"""A choice step: one option (radio buttons) or several (a selection list), saved on change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from program.content.model import ChoiceStep
from program.tui.widgets.base import Save, StepView
from state import JSONValue


class ChoiceView(StepView):
    DEFAULT_CSS = """
    ChoiceView #choice {
        height: auto;
        max-height: 12;
        width: 100%;
    }
    """

    def __init__(self, step: ChoiceStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step
        self.control: RadioSet | SelectionList[str]
        if step.multiple:
            chosen = set(value) if isinstance(value, list) else set()
            self.control = SelectionList[str](
                *(Selection(Content(option), option, option in chosen) for option in step.options),
                id="choice",
            )
        else:
            self.control = RadioSet(
                *(RadioButton(Content(option), value=option == value) for option in step.options),
                id="choice",
            )

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.control
        hint = (
            "Space or Enter ticks an option; choose as many as fit."
            if self.step.multiple
            else "↑ ↓ to move, Enter or Space to choose one."
        )
        yield Static(Content(hint + " Saved as you go."), classes="step-hint")

    def initial_focus(self) -> Widget | None:
        return self.control

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if 0 <= event.index < len(self.step.options):
            self.save(self.step.options[event.index])

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        assert isinstance(self.control, SelectionList)
        chosen = set(self.control.selected)
        value: list[JSONValue] = [option for option in self.step.options if option in chosen]
        self.save(value)
