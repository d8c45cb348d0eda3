"""A checklist step: tick any items; every tick is saved as it happens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from program.content.model import ChecklistStep
from program.tui.widgets.base import Save, StepView
from state import JSONValue


def ticked(value: JSONValue, items: tuple[str, ...]) -> list[str]:
    """The saved items still in the step, in the step's order."""
    chosen = set(value) if isinstance(value, list) else set()
    return [item for item in items if item in chosen]


class ChecklistView(StepView):
    DEFAULT_CSS = """
    ChecklistView #checklist {
        height: auto;
        max-height: 12;
        width: 100%;
    }
    """

    def __init__(self, step: ChecklistStep, value: JSONValue, save: Save) -> None:
        saved: JSONValue = [*ticked(value, step.items)] if value is not None else None
        super().__init__(saved, save)
        self.step = step
        chosen = set(ticked(value, step.items))
        self.choices: SelectionList[str] = SelectionList[str](
            *(Selection(Content(item), item, item in chosen) for item in step.items),
            id="checklist",
        )

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.choices
        yield Static(
            Content("Space or Enter ticks an item; tick as many as fit. Saved as you go."),
            classes="step-hint",
        )

    def initial_focus(self) -> Widget | None:
        return self.choices

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        chosen = set(self.choices.selected)
        value: list[JSONValue] = [item for item in self.step.items if item in chosen]
        self.save(value)
