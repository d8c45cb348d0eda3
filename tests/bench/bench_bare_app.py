"""The floors the framework allows: a bare Textual app that shows one line and nothing else,
and (with `echo`) one that only echoes what is typed into a TextArea."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

READY = "Bare Textual app: ready"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(READY)


class BareEcho(App[None]):
    """A focused TextArea under the ready line: a keystroke's echo, and nothing else."""

    def compose(self) -> ComposeResult:
        yield Static(READY)
        yield TextArea(id="echo")


if __name__ == "__main__":
    (BareEcho() if sys.argv[1:] == ["echo"] else BareApp()).run()
