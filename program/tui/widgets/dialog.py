"""The small dialogs' shared frame: centred, bordered, readable at 80x24.

Every screen and widget keeps its styles in its own `DEFAULT_CSS`, nested under its
own type name: Textual scopes such rules to that type, so a class name used in two
places (`.dialog-title` here and in a past day's record) can never restyle the
other once both have been shown. (A `.tcss` file named by a screen's `CSS_PATH`
becomes global the moment that screen opens, and costs a re-parse of every rule.)
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button


class Dialog(ModalScreen[ScreenResultType]):
    """A modal whose box is `.dialog`, with a `.dialog-title` and a row of `.dialog-buttons`."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;

        .dialog {
            width: 70;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 1 2;
        }
        .dialog-title {
            text-style: bold;
            margin-bottom: 1;
        }
        .dialog Input {
            margin: 1 0;
        }
        .dialog-buttons {
            height: auto;
            align-horizontal: right;
        }
        .dialog-buttons Button {
            margin-left: 1;
        }
    }
    """


class ReadingDialog(Dialog[None]):
    """A dialog that is only read (Help, a past day's record): Escape or its button closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]
    AUTO_FOCUS = ""
    """No first focus from Textual (not even the app's): it went to the button below the
    text and scrolled the text to its end. `focus_reading` gives it once laid out."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def focus_reading(self, reading: str, otherwise: str) -> None:
        """Focus what is to be read if it scrolls (once laid out), else the button."""
        scroll = self.query_one(reading)
        if scroll.focusable:
            scroll.focus(scroll_visible=False)  # Textual would scroll the text to its middle
        else:
            self.query_one(otherwise).focus()
