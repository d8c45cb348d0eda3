"""The small question the Together screen asks to pair in the app: which file to write the
invitation to, or which invitation or reply to read. It returns the path, or None."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from program.tui.literal import LiteralInput
from program.tui.widgets.dialog import Dialog


class PairFileScreen(Dialog[Path | None]):
    """A file's path (`~` allowed), or None when the user goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, title: str, words: str, suggested: Path, action: str) -> None:
        super().__init__()
        self.title_words = title
        self.words = words
        self.suggested = suggested
        self.action_words = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_words, classes="dialog-title", markup=False)
            yield Static(self.words, markup=False)
            yield LiteralInput(str(self.suggested), id="pair-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.action_words, id="confirm", variant="primary")
                yield Button("Back", id="back")

    def _chosen(self) -> Path | None:
        typed = self.query_one("#pair-path", LiteralInput).typed.strip()
        return Path(typed).expanduser() if typed else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._chosen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._chosen() if event.button.id == "confirm" else None)

    def action_back(self) -> None:
        self.dismiss(None)
