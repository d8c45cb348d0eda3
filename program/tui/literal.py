"""User text on screen exactly as typed, control characters included, never acted on.

Markup is never applied to user text (widgets get `Content(text)`), but a terminal
would still obey an escape sequence that reaches it: `\\x1b[31m` would turn the
screen red instead of showing those characters. So control characters are shown
as their Unicode "control pictures" (ESC as ␛). In the editing widgets they are
turned back when saved (`unpictured`), so the store keeps exactly what was typed or
pasted; read-only views use `shown`, which also spells out C1 controls as `\\x9b`.
C1 controls have no pictures; the editing widgets leave them out of what they draw
(`drawn_safely`) and keep them in the text.

A paste is the one place where a CR is not a character to show: most terminals send
each line break of a paste as CR (some as CRLF), so `pasted` makes them line breaks,
as a plain TextArea does, before the pictures are drawn.
"""

from __future__ import annotations

import re
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Input, TextArea

_KEEP = {"\n", "\t"}
_TO_PICTURE = {code: 0x2400 + code for code in range(0x20) if chr(code) not in _KEEP} | {
    0x7F: 0x2421
}
_FROM_PICTURE = {picture: code for code, picture in _TO_PICTURE.items()}
_FOR_READING: dict[int, int | str] = {**_TO_PICTURE}
_FOR_READING.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """`text` with control characters (other than newline and tab) as visible pictures."""
    return text.translate(_TO_PICTURE)


def unpictured(text: str) -> str:
    """The inverse of `visible`: what was typed, control characters restored."""
    return text.translate(_FROM_PICTURE)


_LINE_BREAK = re.compile("\r\n?")
_LINES = re.compile("\n+")


def pasted(text: str) -> str:
    """A paste as a text box takes it: each CR or CRLF a line break, other controls visible."""
    return visible(_LINE_BREAK.sub("\n", text))


def pasted_on_one_line(text: str) -> str:
    """A paste for a one-line box: its lines joined by spaces, so no word is left out."""
    return _LINES.sub(" ", pasted(text).strip("\n"))


def shown(text: str, style: str = "") -> Content:
    """User text as Content that no markup, variable or escape sequence can restyle."""
    safe = text.translate(_FOR_READING)
    return Content.styled(safe, style) if style else Content(safe)


def shown_text(text: str, style: str = "") -> Text:
    """The same for Rich-only places (DataTable cells): a Text, never parsed as markup."""
    return Text(text.translate(_FOR_READING), style=style, end="")


_C1 = re.compile("[\x80-\x9f]")


def drawn_safely(strip: Strip) -> Strip:
    """`strip` without C1 controls, which some terminals (xterm) obey as escapes.

    They take no cells (Rich gives them width 0), so dropping them from what is
    drawn moves nothing on screen, not even the cursor; the text keeps them.
    """
    if not _C1.search(strip.text):
        return strip
    return Strip(
        [Segment(_C1.sub("", text), style, control) for text, style, control in strip],
        strip.cell_length,
    )


# Textual runs a handler of every class in the MRO, subclass first: these only rewrite
# the pasted text, and TextArea's / Input's own `_on_paste` then inserts it.


class LiteralTextArea(TextArea):
    """A TextArea whose control characters show as pictures (see the module doc).

    It takes the real text and gives it back (`typed`): callers never see pictures.
    """

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(visible(text), **kwargs)

    @property
    def typed(self) -> str:
        """What the user typed or pasted, control characters restored."""
        return unpictured(self.text)

    def _on_paste(self, event: events.Paste) -> None:  # type: ignore[override]
        event.text = pasted(event.text)

    def render_line(self, y: int) -> Strip:
        return drawn_safely(super().render_line(y))


class LiteralInput(Input):
    """An Input whose control characters show as pictures (see the module doc).

    It takes the real text and gives it back (`typed`): callers never see pictures.
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(visible(value), **kwargs)

    @property
    def typed(self) -> str:
        """What the user typed or pasted, control characters restored."""
        return unpictured(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        event.text = pasted_on_one_line(event.text)

    def render_line(self, y: int) -> Strip:
        return drawn_safely(super().render_line(y))
