"""What every step widget shares: the step, its saved value, and one way to save."""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import Vertical
from textual.widget import Widget

from state import JSONValue

Save = Callable[[JSONValue], None]


class StepView(Vertical):
    """One step on screen. Saves through `save` the moment an answer is given.

    Subclasses call `self.save(value)`; a value equal to the last one saved is not
    written again, so loading a saved answer into a widget never touches the store.
    """

    DEFAULT_CLASSES = "step-view"

    def __init__(self, value: JSONValue, save: Save) -> None:
        super().__init__()
        self.saved: JSONValue = value
        self._save = save

    def save(self, value: JSONValue) -> None:
        if value == self.saved:
            return
        self._save(value)
        self.saved = value

    def flush(self) -> None:
        """Write anything still waiting (text typed in the last moment). Safe to call often."""

    def initial_focus(self) -> Widget | None:
        """The widget to focus when the step appears; None leaves it to the runner."""
        return None

    def on_unmount(self) -> None:
        self.flush()
