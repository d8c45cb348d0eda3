"""The small question asked before an exercise is set aside: why, if the user likes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from program.tui.literal import LiteralInput
from program.tui.widgets.dialog import Dialog


class SetAsideScreen(Dialog[str | None]):
    """Returns the reason ("" is fine), or None when the user keeps the exercise."""

    WORDS = (
        "Some days an exercise is not right. That is fine. If you like, note why. "
        "It stays in Replenish on this computer, with your other answers."
    )
    """No promise that only the user will see it: anyone who opens this account can."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "keep", "Keep it")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.exercise_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.from_markup("Set aside [b]$title[/b]?", title=self.exercise_title),
                classes="dialog-title",
            )
            yield Static(Content(self.WORDS))
            yield LiteralInput(placeholder="A reason, if you like (optional)", id="reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Set aside", id="confirm", variant="primary")
                yield Button("Keep it", id="keep")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self.query_one("#reason", LiteralInput).typed.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.dismiss(self.query_one("#reason", LiteralInput).typed.strip())
        else:
            self.dismiss(None)

    def action_keep(self) -> None:
        self.dismiss(None)
