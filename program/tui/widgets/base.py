"""What every step widget shares: the step, its saved value, and one way to save."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from msgspec import Struct
from textual.containers import Vertical
from textual.events import DescendantBlur
from textual.timer import Timer
from textual.widget import Widget

from state import JSONValue


class Unsaved(Struct, frozen=True):
    """An answer the store refused (a full disk): it is still on screen, and only there."""

    value: JSONValue


Save = Callable[[JSONValue], bool]
"""Writes an answer; False when the store refused it (the view then keeps it to retry)."""

DEBOUNCE = 0.6
"""Seconds of quiet before typed text is written to the store."""

MAX_WAIT = 0.8
"""While typing goes on, the longest a keystroke waits to be written: steady typing is
saved at least this often, so a crash or `kill -9` loses under a second of it (the
issue's figure: 5 s of steady typing, every key restarting DEBOUNCE, all lost)."""


class StepView(Vertical):
    """One step on screen. Saves through `save` the moment an answer is given.

    Subclasses call `self.save(value)`; a value equal to the last one saved is not
    written again, so loading a saved answer into a widget never touches the store.
    Views with typed text call `save_soon()` on each keystroke and put the writing in
    `write()`: it then happens after a pause in typing, at the latest MAX_WAIT after
    the first keystroke not yet written, when focus leaves the view, and when the step
    is left or the app closes (unmount), whichever comes first.
    """

    DEFAULT_CSS = """
    StepView {
        height: auto;

        .step-title, .step-prompt {
            text-style: bold;
            margin-bottom: 1;
        }
        .step-hint {
            color: $text-muted;
            margin-top: 1;
        }
        .step-options {
            height: auto;
            max-height: 12;
            width: 100%;
        }
        .step-chosen {
            margin-top: 1;
        }
    }
    """
    DEFAULT_CLASSES = "step-view"
    TAKES_HOOKS: ClassVar[bool] = False
    """True for a view built with the runner's `ReminderHooks` as well."""

    def __init__(self, value: JSONValue, save: Save) -> None:
        super().__init__()
        self.saved: JSONValue = value
        self._save = save
        self._pending: Timer | None = None
        self._deadline: Timer | None = None
        self.unsaved: Unsaved | None = None
        """Set while the last try to save what the view shows failed; cleared once saved."""

    def save(self, value: JSONValue) -> None:
        if value == self.saved:
            self.unsaved = None
            return
        if self._save(value):
            self.saved, self.unsaved = value, None
        else:  # `saved` stays behind, so the next flush tries again
            self.unsaved = Unsaved(value)

    def save_soon(self) -> None:
        """Typing: write after DEBOUNCE seconds without another keystroke, or MAX_WAIT at most."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(DEBOUNCE, self.flush)
        if self._deadline is None:  # not restarted by later keys: that is the point
            self._deadline = self.set_timer(MAX_WAIT, self.flush)

    def flush(self) -> None:
        """Write anything still waiting (text typed in the last moment). Safe to call often."""
        for timer in (self._pending, self._deadline):
            if timer is not None:
                timer.stop()
        self._pending = self._deadline = None
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
