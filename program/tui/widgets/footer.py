"""A key footer that rebuilds once per burst of binding changes, and only for news.

Textual's Footer recomposes every key for every binding change. Opening a
screen changes the bindings five or six times in a row (the screen stack, the
focus, the option list's highlight), so the first frame waited for six rebuilds
of the same keys, about 40 ms. This one lets a burst settle and rebuilds once;
and when the keys it would show are the ones on show (focus moving from one step's
widget to the next's, say), it rebuilds nothing: each rebuild cost a layout, new
widgets and their styles, 15-30 ms after every Next and Back.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Footer whose rebuilds are coalesced: the latest bindings, drawn once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rebuild_queued = False
        self._shown: tuple[object, ...] | None = None
        """What the keys on show were built from (None before the first build)."""

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_queued:
            return
        self._rebuild_queued = True
        self.call_after_refresh(self._rebuild, screen)

    def _rebuild(self, screen: Screen[Any]) -> None:
        self._rebuild_queued = False
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # Textual's own rules for these cases
            return
        shown = self._keys_of(screen)
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)

    def _keys_of(self, screen: Screen[Any]) -> tuple[object, ...]:
        """Everything `Footer.compose` draws from: the shown bindings, in order, with
        their state, and the command palette's key."""
        active = screen.active_bindings
        shown: list[object] = [
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show
        ]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            _, binding, enabled, tooltip = palette
            shown.append(("palette", binding.key, binding.description, enabled, tooltip))
        return tuple(shown)
