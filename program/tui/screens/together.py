"""Together: where the pairing with a partner stands, where the two workload maps differ,
and the check-ins both have shared.

Not paired, it says in plain words how to pair (the `replenish partner` commands).
Paired, it shows with whom, the six words to compare aloud, the last exchange, what
is waiting, a pause on the partner's side (never why), each shared workload map (only
where the two differ, as questions to talk about), and the days both checked in,
side by side, under a line saying these are two views, not a verdict. Sync now asks
the app to exchange through the linked folder (in a worker thread, `SyncPartner`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from program import journal
from program.partner.exchange import PartnerStatus
from program.service import Replenish
from program.tui.literal import shown
from program.tui.messages import SyncPartner
from program.tui.screens.base import LiveScreen
from program.tui.widgets.footer import KeyFooter

HOW_TO_PAIR = (
    "You are not paired with a partner. Each of you keeps your own Replenish; chosen "
    "answers travel between the two as sealed files, with no server and no account.\n\n"
    "1. One of you runs  replenish partner invite -o invite.txt  and gives the file "
    "to the other.\n"
    "2. The other runs  replenish partner join invite.txt -o reply.txt  and gives the "
    "reply back; the first runs  replenish partner join reply.txt.\n"
    "3. You both see six words: read them to each other aloud. They must match.\n"
    "4. Each runs  replenish partner link FOLDER  on a folder you both already sync "
    "(Syncthing, Dropbox, a network share); or swap files by hand with  replenish "
    "partner send  and  receive.\n\n"
    "Nothing is shared until both of you have answered the same step."
)


class TogetherScreen(LiveScreen):
    """The pairing, what is waiting, and the shared check-ins side by side."""

    DEFAULT_CSS = """
    TogetherScreen {
        #together-body {  /* it takes the focus so the arrow keys scroll it: show that */
            height: 1fr;
            padding: 0 1;
            border-left: blank;
            &:focus {
                border-left: outer $accent;
            }
        }
        .together-line {
            height: auto;
        }
        .together-muted {
            height: auto;
            color: $text-muted;
        }
        .together-ask {
            height: auto;
            margin-top: 1;
            text-style: italic;
        }
        .together-heading {
            height: auto;
            text-style: bold;
            margin-top: 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sync_now", "Sync now"),
        Binding("escape", "app.open_mode('today')", "Back", show=False),
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="together-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.read_now()
        status = self.service.partner_status()
        body = self.query_one("#together-body", VerticalScroll)
        body.remove_children()
        body.mount_all(self._lines(status))

    def _lines(self, status: PartnerStatus | None) -> list[Static]:
        if status is None:
            return [Static(HOW_TO_PAIR, classes="together-line", markup=False)]
        name = status.name
        last = status.last_received
        lines = [
            Static(Content("Paired with ").append(shown(name)), classes="together-line"),
            Static(
                "Six words: " + " ".join(status.fingerprint) + "  (the same on both sides)",
                classes="together-line",
                markup=False,
            ),
            Static(
                f"Shared folder: {status.folder}" if status.folder else
                "No shared folder: swap files with `replenish partner send` and `receive`.",
                classes="together-muted",
                markup=False,
            ),
            Static(
                "Last exchange: "
                + (f"{last.astimezone():%a %d %b, %H:%M}" if last else "nothing received yet"),
                classes="together-muted",
                markup=False,
            ),
        ]
        if status.partner_paused:
            lines.append(
                Static(shown(name).append(" has paused sharing."), classes="together-line")
            )
        if status.paused:
            lines.append(
                Static(
                    "Sharing is paused on this side; nothing leaves while it is.",
                    classes="together-line",
                    markup=False,
                )
            )
        lines.extend(Static(shown(line), classes="together-line") for line in status.waiting)
        lines.extend(Static(shown(line), classes="together-muted") for line in status.problems)
        lines.extend(self._maps())
        lines.extend(self._checkins(name))
        return lines

    def _maps(self) -> list[Static]:
        """Each shared workload map: what it waits for, or only where the two differ."""
        lines: list[Static] = []
        for talk in journal.map_talks(self.service):
            lines.append(
                Static(shown(talk.title).append(": your two maps"), classes="together-heading")
            )
            if not talk.revealed:
                lines.append(Static(shown(talk.waiting), classes="together-line"))
                continue
            lines.append(Static(journal.MAP_VIEWS, classes="together-muted", markup=False))
            if not talk.questions:
                lines.append(
                    Static(
                        "Your maps agree everywhere you both answered.",
                        classes="together-line",
                        markup=False,
                    )
                )
            lines.extend(
                Static(shown(f"• {question}"), classes="together-line")
                for question in talk.questions
            )
            if talk.then_ask:
                lines.append(Static(shown(talk.then_ask), classes="together-ask"))
        return lines

    def _checkins(self, name: str) -> list[Static]:
        scales = journal.shared_checkins(self.service)
        if not scales:
            return []
        lines = [
            Static("Check-ins side by side", classes="together-heading", markup=False),
            Static(journal.TWO_VIEWS, classes="together-muted", markup=False),
        ]
        for scale in scales:
            lines.append(Static(shown(scale.label), classes="together-heading"))
            if not scale.days:
                lines.append(
                    Static(
                        "No day with both check-ins in yet.",
                        classes="together-muted",
                        markup=False,
                    )
                )
            for on, mine, theirs in scale.days[-14:]:
                lines.append(
                    Static(
                        Content(f"{on:%a %d %b}   you {mine:>2}   ")
                        .append(shown(name))
                        .append(f" {theirs:>2}"),
                        classes="together-line",
                    )
                )
        return lines

    def action_sync_now(self) -> None:
        self.post_message(SyncPartner(by_hand=True))
