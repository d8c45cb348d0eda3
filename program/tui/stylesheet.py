"""A stylesheet that parses each piece of CSS once for each theme, not at every screen.

Textual's `Stylesheet.reparse` throws every parsed rule away and parses all of the
CSS again: the app's, every Textual widget's, every screen's. It runs whenever a
mode's screen is first shown (twice: `App._init_mode` and `App.switch_mode` both
call `refresh_css`), although neither the theme nor the CSS has changed. Measured
over a visit to every screen, that was 6 full re-parses (about 280 pieces of CSS) for
F3, F4 and F5 alone. The rules a piece of CSS gives depend only on the piece and the
theme's variables, so this sheet keeps them until the variables change.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

KEPT = 1024
"""Pieces of parsed CSS kept. Textual keeps 64, fewer than the app meets (about 70 once
every screen has been open), and a parse that walks more pieces than its cache holds
misses on every one of them."""


class ThemeStylesheet(Stylesheet):
    """Re-parses only what is new, until the theme's variables change."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._theme = dict(variables or {})
        # Textual has no public way to size this cache; the one private name this
        # sheet sets, because a cache smaller than the app's CSS misses every piece.
        self._parse_cache = LRUCache(KEPT)

    def set_variables(self, variables: dict[str, str]) -> None:
        """A new theme empties the parsed rules; the same variables again keep them."""
        if variables != self._theme:
            self._theme = dict(variables)
            super().set_variables(variables)

    def reparse(self) -> None:
        """Parse what is not parsed yet under the current variables (all of it after a
        change of theme). Like Textual's, a broken piece raises and leaves the rules as
        they were."""
        self.parse()
