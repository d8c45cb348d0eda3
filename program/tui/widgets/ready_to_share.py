"""One answer to an `ask` step on the Together screen: shown in full, exactly as it would
leave, with Share and Keep private. The choice goes up as a message; the screen asks the
service, which refuses an answer changed since it was drawn (so only what is seen leaves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from program.partner.exchange import Ready
from program.tui.literal import shown


class ReadyToShare(Vertical):
    """An answer waiting for the user's choice, and the two buttons that make it."""

    DEFAULT_CSS = """
    ReadyToShare {
        height: auto;
        margin-top: 1;
        .ready-what {
            height: auto;
            color: $text-muted;
        }
        .ready-text {
            height: auto;
            padding: 0 2;
        }
        .ready-buttons {
            height: auto;
        }
        Button {
            margin-right: 2;
        }
    }
    """

    class Chosen(Message):
        """Share (`share`) or keep private the answer `ready` showed."""

        def __init__(self, ready: Ready, share: bool) -> None:
            super().__init__()
            self.ready = ready
            self.share = share

    def __init__(self, ready: Ready, title: str, partner: str) -> None:
        super().__init__()
        self.ready = ready
        self.title = title
        self.partner = partner

    def compose(self) -> ComposeResult:
        given = self.ready.given
        yield Static(
            Content(f"{given.on:%a %d %b}, ")
            .append(shown(self.title))
            .append(": ")
            .append(shown(given.step.question)),
            classes="ready-what",
        )
        yield Static(shown(self.ready.text), classes="ready-text")
        with Horizontal(classes="ready-buttons"):
            yield Button(
                Content("Share with ").append(shown(self.partner)),
                classes="ready-share",
                compact=True,
            )
            yield Button("Keep private", classes="ready-keep", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Chosen(self.ready, share=event.button.has_class("ready-share")))
