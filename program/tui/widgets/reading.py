"""A column of text to read that scrolls: a Tab stop only while there is more to read,
and one that shows it has the focus (a bar down its left edge, a character, not a colour).

A scroll container took a Tab stop whether or not it had anything to scroll, and showed
nothing when focused: the focus seemed lost. Where nothing is out of view, Tab now passes
it by; where something is, the arrows and PageDown read on.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class ReadingScroll(VerticalScroll):
    DEFAULT_CSS = """
    ReadingScroll:focus {
        border-left: tall $accent;
    }
    """

    def allow_focus(self) -> bool:
        return self.allow_vertical_scroll
