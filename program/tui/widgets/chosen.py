"""What the steps answered by choosing share: a scale, a choice, a checklist.

Their answer is saved the moment it is chosen (arrows, digits, Space), so Enter has
nothing left to confirm: it moves on to the next step, as Next does.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from program.tui.messages import MoveOn
from program.tui.widgets.base import StepView

ENTER_HINT = "Enter moves on."


class ChosenStepView(StepView):
    """A step answered by choosing; Enter (priority: the list's own Enter would tick) moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "move_on", "Next", show=False, priority=True)
    ]

    def action_move_on(self) -> None:
        self.choose_highlighted()
        self.post_message(MoveOn())

    def choose_highlighted(self) -> None:
        """Before moving on: take what Enter was pressed on, where that is an answer."""
