"""The floors the framework allows: a bare Textual app that shows one line and nothing else,
and (with `echo`) one that only echoes what is typed into a TextArea."""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TextArea

READY = "Bare Textual app: ready"
ESCAPED = ("Bare Textual app: Escape, odd", "Bare Textual app: Escape, even")
"""What the echo app's ready line says after an odd and an even Escape."""


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(READY)


class BareEcho(App[None]):
    """A focused TextArea under the ready line: a keystroke's echo, and nothing else; Escape
    only changes the ready line (the floor for any Textual app's answer to Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escaped", priority=True)]

    escapes = 0

    def compose(self) -> ComposeResult:
        yield Static(READY, id="ready")
        yield TextArea(id="echo")

    def action_escaped(self) -> None:
        self.query_one("#ready", Static).update(ESCAPED[self.escapes % 2])
        self.escapes += 1


if __name__ == "__main__":
    (BareEcho() if sys.argv[1:] == ["echo"] else BareApp()).run()
