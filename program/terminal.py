"""Text from data, made safe to write to a terminal: the one function every print point uses.

A program folder, an imported file or a one-off reminder may hold characters a
terminal obeys instead of showing: ESC starts sequences that set the window
title or write the clipboard (OSC 52), CR and BS overwrite what was printed,
C1 controls (U+0080-U+009F) are escapes of their own on some terminals, and
BiDi overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks (U+200E,
U+200F, U+061C) reorder the rest of the line. `printable` shows each of them
as text instead: C0 controls and DEL as their Unicode control pictures (ESC as
␛, as the app's text boxes draw them), C1 and BiDi characters spelled out
(`\\x9b`, `\\u202e`). Newline and tab stay. Lone surrogates, which is how Python
holds the bytes of a file name that is not UTF-8, are spelled out too
(`\\xff`), so such a name can be printed under any encoding.

It imports nothing but `sys`: the fast path of `nudge` and `today` prints through it.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_KEEP = ("\n", "\t")
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
_TABLE: dict[int, str] = {
    code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in _KEEP
}
_TABLE[0x7F] = "\u2421"
_TABLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_TABLE.update({code: f"\\u{code:04x}" for code in _BIDI})


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def printable(text: str) -> str:
    """`text` with every character a terminal would obey (see the module doc) shown as text."""
    safe = text.translate(_TABLE)
    if not safe.isascii() and _has_surrogate(safe):
        safe = "".join(
            (f"\\x{ord(char) - 0xDC00:02x}" if char >= "\udc80" else f"\\u{ord(char):04x}")
            if "\ud800" <= char <= "\udfff"
            else char
            for char in safe
        )
    return safe


def forgiving_output() -> None:
    """Let stdout show what its encoding cannot hold (`PYTHONIOENCODING=ascii`) as `?`,
    rather than stop a command half-way with a traceback; `export` checks for itself."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and getattr(sys.stdout, "errors", "") == "strict":
        reconfigure(errors="replace")


def say(text: str = "", *, file: TextIO | None = None, end: str = "\n") -> None:
    """Print `text` (which may hold data) through `printable`; stdout by default."""
    out = sys.stdout if file is None else file
    if out is not None:  # no stdout at all (closed before the start): nothing to show
        out.write(printable(text) + end)
