"""A key footer that rebuilds once per burst of binding changes.

Textual's Footer recomposes every key for every binding change. Opening a
screen changes the bindings five or six times in a row (the screen stack, the
focus, the option list's highlight), so the first frame waited for six rebuilds
of the same keys, about 40 ms. This one lets a burst settle and rebuilds once.
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

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_queued:
            return
        self._rebuild_queued = True
        self.call_after_refresh(self._rebuild, screen)

    def _rebuild(self, screen: Screen[Any]) -> None:
        self._rebuild_queued = False
        super().bindings_changed(screen)
