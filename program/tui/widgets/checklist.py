"""A checklist step: tick any items; every tick is saved as it happens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from program.content.model import ChecklistStep
from program.tui.widgets.base import Save
from program.tui.widgets.chosen import ENTER_HINT, ChosenStepView
from program.tui.widgets.marks import TickList
from state import JSONValue


def ticked(value: JSONValue, items: tuple[str, ...]) -> list[str]:
    """The saved items still in the step, in the step's order."""
    chosen = set(value) if isinstance(value, list) else set()
    return [item for item in items if item in chosen]


class ChecklistView(ChosenStepView):
    def __init__(self, step: ChecklistStep, value: JSONValue, save: Save) -> None:
        saved: JSONValue = [*ticked(value, step.items)] if value is not None else None
        super().__init__(saved, save)
        self.step = step
        chosen = set(ticked(value, step.items))
        self.choices: TickList[str] = TickList[str](
            *(Selection(Content(item), item, item in chosen) for item in step.items),
            id="checklist",
            classes="step-options",
        )

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.choices
        yield Static(self._chosen_words(), id="checklist-chosen", classes="step-chosen")
        yield Static(
            Content(f"↑ ↓ to move, Space ticks an item; tick as many as fit. {ENTER_HINT}"),
            classes="step-hint",
        )

    def _chosen_words(self) -> Content:
        chosen = self._ticked()
        if not chosen:
            return Content(f"Nothing ticked yet (0 of {len(self.step.items)}).")
        count = f"Ticked {len(chosen)} of {len(self.step.items)}: "
        return Content(count) + Content("; ".join(chosen)) + Content(". Saved.")

    def _ticked(self) -> list[str]:
        chosen = set(self.choices.selected)
        return [item for item in self.step.items if item in chosen]

    def initial_focus(self) -> Widget | None:
        return self.choices

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        value: list[JSONValue] = [*self._ticked()]
        self.save(value)
        self.query_one("#checklist-chosen", Static).update(self._chosen_words())
