"""Asked before leaving words the store refused (a full disk): nothing typed goes unasked.

Three ways on, and Stay: try saving again; write the words to a file the user names
(0600, through the one private write, never over an existing file); or leave without
them, which takes a second, different button. The screen says plainly what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from program.tui.literal import LiteralInput, shown
from program.tui.screens.base import HoldsNavigation
from program.tui.widgets.dialog import Dialog


class UnsavedScreen(HoldsNavigation, Dialog[bool]):
    """Returns True when leaving may go on (saved at last, written to a file, or left on
    purpose), False to stay with the words on screen.

    `retry` tries the save once more and returns None when it worked, else why not.
    """

    DEFAULT_CSS = """
    UnsavedScreen {
        #unsaved {
            width: 78;  /* five buttons in one row at 80 columns */
            padding: 0 2;
        }
        #unsaved-why {
            margin-bottom: 1;
        }
        #unsaved-path {
            margin: 0;
        }
        #unsaved Button {
            min-width: 8;
        }
        #unsaved-message {
            height: auto;
            margin-bottom: 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "Stay")]

    def __init__(
        self, retry: Callable[[], str | None], words: str, problem: str, suggested: str
    ) -> None:
        super().__init__()
        self.retry = retry
        self.words = words
        self.problem = problem
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unsaved"):
            yield Static(Content("Your words are not saved yet"), classes="dialog-title")
            yield Static(shown(self.problem), id="unsaved-why")
            yield Static(
                Content(
                    "They are still on screen. Try again, or write them to a file that only "
                    "you can read:"
                )
            )
            yield LiteralInput(self.suggested, id="unsaved-path")
            yield Static(id="unsaved-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Try again", id="retry", variant="primary")
                yield Button("Write to file", id="write")
                yield Button("Leave without saving", id="leave", variant="error")
                yield Button("Yes, lose these words", id="leave-sure", variant="error")
                yield Button("Stay", id="stay")

    def on_mount(self) -> None:
        self.app.clear_notifications()  # the notice said the same; this says it in full
        self.query_one("#leave-sure").display = False
        self.query_one("#retry", Button).focus()

    def _say(self, text: str) -> None:
        self.query_one("#unsaved-message", Static).update(shown(text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "retry":
            self._try_again()
        elif button == "write":
            self._write()
        elif button == "leave":
            event.button.display = False
            self.query_one("#leave-sure").display = True
            self._say("Leave without them? What you typed in this step will be lost.")
            self.query_one("#stay", Button).focus()  # the yes is never the next key press
        elif button == "leave-sure":
            self.dismiss(True)
        else:
            self.action_stay()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._write()

    def _try_again(self) -> None:
        problem = self.retry()
        if problem is None:  # the runner says "Saved now."
            self.dismiss(True)
            return
        self.problem = problem
        self.query_one("#unsaved-why", Static).update(shown(problem))
        self._say("Still not saved. Nothing was lost: the words are still here.")

    def _write(self) -> None:
        from program.export import export_problem, write_private

        typed = self.query_one("#unsaved-path", LiteralInput).typed.strip()
        if not typed:
            self._say("Name a file first, for example ~/replenish-words.txt.")
            return
        path = Path(typed).expanduser()
        if path.exists() or path.is_symlink():
            self._say(f"{path} already exists; choose a new name, so that nothing is replaced.")
            return
        problem = export_problem(path)
        if problem is not None:
            self._say(f"{problem}.")
            return
        try:
            write_private(path, self.words)
        except OSError as error:
            self._say(f"Could not write {path}: {error.strerror or error}. Try another place.")
            return
        self.app.notify(
            f"Your words are in {path}; only you can read it. They are not in Replenish: "
            "paste them back in when it can save again.",
            markup=False,
            timeout=15,
        )
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
