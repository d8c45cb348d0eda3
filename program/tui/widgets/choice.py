"""A choice step: one option (radio buttons) or several (a selection list), saved on change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from program.content.model import ChoiceStep
from program.tui.widgets.base import Save
from program.tui.widgets.chosen import ENTER_HINT, ChosenStepView
from program.tui.widgets.marks import Pick, TickList
from state import JSONValue


class ChoiceView(ChosenStepView):
    def __init__(self, step: ChoiceStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step
        self.control: RadioSet | TickList[str]
        if step.multiple:
            chosen = set(value) if isinstance(value, list) else set()
            self.control = TickList[str](
                *(Selection(Content(option), option, option in chosen) for option in step.options),
                id="choice",
                classes="step-options",
            )
        else:
            self.control = RadioSet(
                *(Pick(Content(option), value=option == value) for option in step.options),
                id="choice",
                classes="step-options",
            )

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield self.control
        yield Static(self._chosen_words(), id="choice-chosen", classes="step-chosen")
        hint = (
            "↑ ↓ to move, Space ticks an option; choose as many as fit."
            if self.step.multiple
            else "↑ ↓ to move, Space chooses one; Enter chooses it too."
        )
        yield Static(Content(f"{hint} Saved as you go. {ENTER_HINT}"), classes="step-hint")

    def _chosen(self) -> list[str]:
        """What is chosen now, in the step's order (read from the answer, kept up to date)."""
        value = self.saved if self.unsaved is None else self.unsaved.value
        chosen = set(value) if isinstance(value, list) else {value}
        return [option for option in self.step.options if option in chosen]

    def _chosen_words(self) -> Content:
        chosen = self._chosen()
        if not chosen:
            return Content("Nothing chosen yet.")
        return Content("You chose: ") + Content("; ".join(chosen)) + Content(". Saved.")

    def initial_focus(self) -> Widget | None:
        return self.control

    def choose_highlighted(self) -> None:
        """One option: Enter chooses the highlighted one, as it always did, then moves on
        (saved here and now, before the step is left)."""
        if isinstance(self.control, TickList):
            return
        for index, button in enumerate(self.control.query(Pick)):
            if button.has_class("-selected") and self.step.options[index] != self.saved:
                button.value = True
                self.save(self.step.options[index])

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if 0 <= event.index < len(self.step.options):
            self.save(self.step.options[event.index])
        self.query_one("#choice-chosen", Static).update(self._chosen_words())

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        assert isinstance(self.control, TickList)
        chosen = set(self.control.selected)
        value: list[JSONValue] = [option for option in self.step.options if option in chosen]
        self.save(value)
        self.query_one("#choice-chosen", Static).update(self._chosen_words())
