"""What the app's screens share: how a screen that lives on shows fresh data, and the
mark of a screen that must be answered before anything else opens.

Screens tell the app what happened by posting messages (`program.tui.messages`); the
app tells screens what to show by calling them (`refresh_view`, `data_changed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from program.service import Replenish


class HoldsNavigation:
    """Marks a screen that must be answered first (the Welcome; words the store refused):
    while it is on top, F2-F5 and the palette's screens wait, and leave the footer."""


class LiveScreen(Screen[None]):
    """A screen that lives on between visits and reads its data again when shown again.

    Shown again means: after the user went to another screen (F2-F5, or a full screen
    such as an exercise over it), not after a dialog over it (closing Help or a past
    day leaves the view, and the place in it, as it was), and not at its first showing,
    which reads the data once in `on_mount`. The app calls `data_changed` when the plan
    moved: the screen on view redraws now, the others when next shown.

    A screen that calls `read_now` as it reads is not read again when shown again with
    nothing written and no new day since (`service.version()`): F2-F4 back to a screen
    then reads nothing.
    """

    service: Replenish
    _stale = False
    _seen: tuple[object, ...] | None = None
    """`service.version()` when the screen last read its data (None: read when shown)."""

    def made_ahead(self) -> None:
        """The app makes this screen before it is first shown: read again when shown, if
        anything was written meanwhile (as on a return)."""
        self._stale = True

    def read_now(self) -> None:
        """Note that the screen is reading its data as the service now stands."""
        self._seen = self.service.version()

    def refresh_view(self) -> None:
        """Read the data again and redraw (each screen says what that means for it)."""

    def data_changed(self) -> None:
        if self.is_current and self.is_mounted:
            self.refresh_view()
        else:
            self._stale = True
            self._seen = None  # the app says the plan moved: read again, whatever the version

    def on_screen_suspend(self) -> None:
        # Handled after the push or switch, so `app.screen` is what now covers this one.
        if not isinstance(self.app.screen, ModalScreen):
            self._stale = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual asks every mode switch to apply the whole stylesheet to every widget of
        # the screen again (about 40% of a return). Nothing here needs it: the app
        # re-styles a screen whose sheet changed while away (a new theme) before it
        # resumes, and a widget changed while away was styled as it changed.
        event.refresh_styles = False
        if self._stale:
            self._stale = False
            if self._seen is None or self._seen != self.service.version():
                self.refresh_view()
