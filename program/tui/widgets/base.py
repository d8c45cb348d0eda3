"""What every step widget shares: the step, its saved value, and one way to save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.containers import Vertical
from textual.events import DescendantBlur
from textual.timer import Timer
from textual.widget import Widget

from state import JSONValue

Save = Callable[[JSONValue], bool]
"""Writes an answer; False when the store refused it (the view then keeps it to retry)."""

DEBOUNCE = 0.6
"""Seconds of quiet before typed text is written to the store."""


class ReminderHooks:
    """What a plan step may do about reminders, given by the runner (the service underneath)."""

    def __init__(
        self,
        now: Callable[[], datetime],
        add: Callable[[datetime, str], int],
        cancel: Callable[[int], None],
    ) -> None:
        self.now = now
        self.add = add
        self.cancel = cancel


class StepView(Vertical):
    """One step on screen. Saves through `save` the moment an answer is given.

    Subclasses call `self.save(value)`; a value equal to the last one saved is not
    written again, so loading a saved answer into a widget never touches the store.
    Views with typed text call `save_soon()` on each keystroke and put the writing in
    `write()`: it then happens after a pause in typing, when focus leaves the view,
    and when the step is left or the app closes (unmount), whichever comes first.
    """

    DEFAULT_CLASSES = "step-view"
    TAKES_HOOKS: ClassVar[bool] = False
    """True for a view built with the runner's `ReminderHooks` as well."""

    def __init__(self, value: JSONValue, save: Save) -> None:
        super().__init__()
        self.saved: JSONValue = value
        self._save = save
        self._pending: Timer | None = None

    def save(self, value: JSONValue) -> None:
        if value == self.saved:
            return
        if self._save(value):  # on failure `saved` stays behind, so the next flush retries
            self.saved = value

    def save_soon(self) -> None:
        """Typing: write after DEBOUNCE seconds without another keystroke."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(DEBOUNCE, self.flush)

    def flush(self) -> None:
        """Write anything still waiting (text typed in the last moment). Safe to call often."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.write()

    def write(self) -> None:
        """Save what the view shows now; views that save on every change need nothing here."""

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.flush()

    def initial_focus(self) -> Widget | None:
        """The widget to focus when the step appears; None leaves it to the runner."""
        return None

    def on_unmount(self) -> None:
        self.flush()
