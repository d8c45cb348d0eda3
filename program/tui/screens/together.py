"""Together: where the pairing with a partner stands, where the two workload maps differ,
and the check-ins both have shared.

Not paired, it says in plain words how to pair (the `replenish partner` commands).
Paired, it shows with whom, the six words to compare aloud, the last exchange, what
is waiting, a pause on the partner's side (never why), each shared workload map (only
where the two differ, as questions to talk about), and the days both checked in,
side by side, under a line saying these are two views, not a verdict. Sync now asks
the app to exchange through the linked folder (in a worker thread, `SyncPartner`).

Below: other shared answers side by side (a partner's answer entered for them from a
worksheet says so, and shows even unpaired), and the answers to `ask` steps ready to
share, each in full with Share / Keep private. Not paired, Invite and Join pair here
with files, by the same calls as `replenish partner invite / join`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Static

from program import journal
from program.content import GridStep, ScaleStep
from program.partner.exchange import PartnerStatus, Ready
from program.partner.keys import PartnerError, device_name
from program.service import Replenish
from program.tui.literal import shown
from program.tui.messages import SyncPartner
from program.tui.screens.base import LiveScreen
from program.tui.screens.pair_file import PairFileScreen
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.ready_to_share import ReadyToShare

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
    "Nothing is shared until both of you have answered the same step.\n\n"
    "Or pair here: press i to write an invitation to a file, and j to take in an "
    "invitation or a reply."
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
        Binding("y", "share_answer", "Share this answer"),
        Binding("k", "keep_answer", "Keep it private"),
        Binding("i", "invite", "Invite a partner"),
        Binding("j", "join", "Join with a file"),
        Binding("escape", "app.open_mode('today')", "Back", show=False),
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self.paired = False
        self.notes: list[str] = []
        """What the last pairing step did and what comes next, shown above the rest."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="together-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.read_now()
        status = self.service.partner_status()
        self.paired = status is not None
        body = self.query_one("#together-body", VerticalScroll)
        body.remove_children()
        body.mount_all(Static(shown(note), classes="together-heading") for note in self.notes)
        alone = []
        if status is None:  # answers entered for the partner from a worksheet, unpaired
            alone = self._checkins(self.service.partner_name() or "your partner")
        body.mount_all(
            [*self._lines(status), *alone, *self._side_by_side(status), *self._ready(status)]
        )
        self.refresh_bindings()

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
                line = (
                    Content(f"{on:%a %d %b}   you {mine:>2}   ")
                    .append(shown(name))
                    .append(f" {theirs:>2}")
                )
                if on in scale.entered:
                    line = line.append("   (entered for ").append(shown(name)).append(")")
                lines.append(Static(line, classes="together-line"))
        return lines

    def action_sync_now(self) -> None:
        self.post_message(SyncPartner(by_hand=True))

    # ----- answers to `ask` steps: shown in full, then shared or kept ------------

    def _ready(self, status: PartnerStatus | None) -> list[Widget]:
        ready = self.service.ready_to_share() if status is not None else []
        if status is None or not ready:
            return []
        found: list[Widget] = [
            Static(
                Content("Ready to share with ").append(shown(status.name)),
                classes="together-heading",
            ),
            Static(
                "Each is shown exactly as it would leave. Nothing goes until you choose; "
                "kept private, it never goes.",
                classes="together-muted",
                markup=False,
            ),
        ]
        for item in ready:
            exercise = self.service.program.exercise(item.given.exercise_id)
            title = exercise.title if exercise is not None else item.given.exercise_id
            found.append(ReadyToShare(item, title, status.name))
        return found

    def _side_by_side(self, status: PartnerStatus | None) -> list[Widget]:
        """Both answers to the shared steps that are not daily scales or workload maps (those
        are above: the check-ins as two lines, a map only where the two differ), on each
        day both are in: sealed from the partner's device, or entered for them."""
        name = status.name if status is not None else self.service.partner_name()
        who = name or "Your partner"
        found: list[Widget] = []
        for exercise in self.service.program.exercises:
            for step in exercise.steps:
                if (
                    step.share == "never"
                    or isinstance(step, GridStep)
                    or (exercise.daily and isinstance(step, ScaleStep))
                ):
                    continue
                for pair in self.service.revealed_pairs(exercise.id, step.id)[-7:]:
                    if not found:
                        found.append(
                            Static("Answers side by side", classes="together-heading",
                                   markup=False)
                        )
                    found.append(
                        Static(
                            Content(f"{pair.on:%a %d %b}, ")
                            .append(shown(exercise.title))
                            .append(": ")
                            .append(shown(step.question)),
                            classes="together-muted",
                        )
                    )
                    found.append(
                        Static(
                            Content("  You: ").append(shown(step.answer_text(pair.mine))),
                            classes="together-line",
                        )
                    )
                    theirs = Content("  ").append(shown(who)).append(": ")
                    theirs = theirs.append(shown(step.answer_text(pair.theirs)))
                    if pair.entered_for is not None:
                        theirs = theirs.append("  (").append(shown(pair.entered_words)).append(")")
                    found.append(Static(theirs, classes="together-line"))
        return found

    def _chosen_widget(self) -> ReadyToShare | None:
        """The answer the focus is in, or else the first one listed."""
        focused = self.focused
        while focused is not None and not isinstance(focused, ReadyToShare):
            parent = focused.parent
            focused = parent if isinstance(parent, Widget) else None
        if focused is not None:
            return focused
        listed = self.query(ReadyToShare)
        return listed.first() if listed else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("share_answer", "keep_answer"):
            return bool(self.query(ReadyToShare))
        if action in ("invite", "join"):
            return not self.paired
        return True

    # ----- pairing in the app: the same calls as `replenish partner invite / join` -------

    def action_invite(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                self.service.partner().invite_to(path, device_name())
            except PartnerError as error:
                self.notify(str(error), markup=False)
                return
            except OSError as error:
                self.notify(f"Could not write {path}: {error.strerror or error}", markup=False)
                return
            self.notes = [
                f"Invitation written to {path}. Give it to your partner; they run "
                "replenish partner join on it (or press j on their Together screen).",
                "When their reply comes back, press j here and choose it.",
            ]
            self.refresh_view()

        self.app.push_screen(
            PairFileScreen(
                "Invite your partner",
                "Where should the invitation go? Any folder you can pass a file on from "
                "(a USB stick, a synced folder, an e-mail attachment).",
                Path.home() / "replenish-invite.txt",
                "Write it",
            ),
            chosen,
        )

    def action_join(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is None:
                return
            reply_to = path.with_name("replenish-reply.txt")
            try:
                reply, _words = self.service.partner().join_from(path, device_name(), reply_to)
            except PartnerError as error:
                self.notify(str(error), markup=False)
                return
            except OSError as error:
                self.notify(f"Could not use {path}: {error.strerror or error}", markup=False)
                return
            name = self.service.partner_name() or "your partner"
            self.notes = [f"Paired with {name}."]
            if reply is not None:
                self.notes.append(f"Your reply is in {reply}: give it back to {name}.")
            self.notes.append(
                "Read the six words below to each other aloud: they must be the same on "
                "both sides."
            )
            self.refresh_view()

        self.app.push_screen(
            PairFileScreen(
                "Join with a file",
                "Which file holds your partner's invitation, or their reply to yours?",
                Path.home() / "replenish-invite.txt",
                "Take it in",
            ),
            chosen,
        )

    def action_share_answer(self) -> None:
        chosen = self._chosen_widget()
        if chosen is not None:
            self._choose(chosen.ready, share=True)

    def action_keep_answer(self) -> None:
        chosen = self._chosen_widget()
        if chosen is not None:
            self._choose(chosen.ready, share=False)

    def on_ready_to_share_chosen(self, message: ReadyToShare.Chosen) -> None:
        self._choose(message.ready, message.share)

    def _choose(self, ready: Ready, share: bool) -> None:
        try:
            self.service.choose_share(ready, share)
        except PartnerError as error:
            self.notify(str(error), markup=False)
        else:
            self.notify(
                "It goes at the next exchange, as shown." if share
                else "Kept on this machine; it will never be sent.",
                markup=False,
            )
            if share and self.service.partner_folder_linked():
                self.post_message(SyncPartner())
        self.refresh_view()
