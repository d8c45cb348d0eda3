"""Welcome (first run only): what burnout is and is not, then the few choices to begin.

Nothing is written until the user presses a Begin button: quitting half-way
leaves the store exactly as it was. Dismisses with True (take the intake now),
False (later); the app opens the intake when asked.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from msgspec.structs import replace
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Static

from program.plan import check_start
from program.service import Replenish
from program.settings import parse_time
from program.tui.literal import LiteralInput
from program.tui.messages import SettingsChanged
from program.tui.screens.base import HoldsNavigation
from program.tui.stored import stored
from program.tui.widgets.reading import ReadingScroll

NOT_THERAPY = (
    "Replenish is not therapy. Press F1 at any time for Help, which lists where to find support."
)
"""Said when a program has no welcome of its own (the bundled one says more, in its words)."""


def about(service: Replenish) -> list[str]:
    """The Welcome's paragraphs: the program's `welcome` (program.toml), as the flags choose."""
    text = service.seen().welcome.strip()
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return paragraphs or [NOT_THERAPY]


def intake_exercise(service: Replenish) -> str | None:
    """The intake: the first optional exercise of day 1 (a short check of where you are)."""
    for due in service.preview().exercises:
        if due.exercise.optional:
            return due.exercise.id
    return None


class WelcomeScreen(HoldsNavigation, Screen[bool]):
    """Two pages: a few words about burnout, then start date, reminder and partner name."""

    DEFAULT_CSS = """
    WelcomeScreen {  /* short paragraphs with air between them; fits 80x24 unscrolled */
        #welcome {
            height: 1fr;
        }
        #about, #setup {
            padding: 0 2;
        }
        .welcome-title {
            text-style: bold;
            margin: 0 0 1 0;
        }
        .welcome-text {
            margin-bottom: 1;
            max-width: 76;
        }
        .not-therapy {
            text-style: italic;
        }
        #setup Input {
            width: 40;
            margin-bottom: 0;
        }
        #problem {
            height: auto;
            margin-top: 1;
            display: none;
        }
        #intake-offer {
            margin-top: 1;
            max-width: 76;
        }
        #begin-buttons {
            height: 3;
            margin-top: 1;
        }
        #begin-buttons Button {
            margin-right: 2;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self.sub_title = "Welcome"
        self.intake = intake_exercise(service)

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="about", id="welcome"):
            with ReadingScroll(id="about"):
                yield Static(Content("Welcome to Replenish"), classes="welcome-title")
                for paragraph in about(self.service):
                    yield Static(Content(paragraph), classes="welcome-text")
                yield Button("Continue →", id="continue", variant="primary")
            setup = VerticalScroll(id="setup")
            setup.can_focus = False  # its boxes and buttons take focus; it scrolls to them
            with setup:
                yield Static(
                    Content("A few choices, all of them changeable later"),
                    classes="welcome-title",
                )
                yield Static(Content("Start date (YYYY-MM-DD; today unless you change it)"))
                yield LiteralInput(self._today().isoformat(), id="start-date")
                yield Static(Content("A daily reminder time, if you like (HH:MM, e.g. 20:30)"))
                yield LiteralInput(placeholder="no reminder", id="reminder-time")
                yield Static(Content("Your partner's name, if you like"))
                yield LiteralInput(placeholder="optional", id="partner-name")
                yield Static(id="problem")
                yield Static(self._intake_words(), id="intake-offer")
                with Horizontal(id="begin-buttons"):
                    if self.intake is not None:
                        yield Button("Begin, take it now", id="begin-intake", variant="primary")
                    yield Button("Begin, later" if self.intake else "Begin", id="begin")
                    yield Button("← Back", id="back")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()

    def _intake_words(self) -> Content:
        exercise = self.service.program.exercise(self.intake) if self.intake else None
        if exercise is None:
            return Content("Nothing is saved until you press Begin.")
        return Content.from_markup(
            "Day 1 offers [b]$title[/b] ($minutes min, optional). "
            "Take it now or later; nothing is saved until you press Begin.",
            title=exercise.title,
            minutes=str(exercise.minutes),
        )

    def _today(self) -> date:
        from program import plan

        return plan.plan_date(self.service.now(), plan.DEFAULT_DAY_START_HOUR)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        switcher = self.query_one("#welcome", ContentSwitcher)
        if event.button.id == "continue":
            switcher.current = "setup"
            self.query_one("#start-date", Input).focus()
        elif event.button.id == "back":
            self.action_back()
        elif event.button.id in ("begin", "begin-intake"):
            self._begin(take_intake=event.button.id == "begin-intake")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._say_problem("")  # an old complaint about an old value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_back(self) -> None:
        switcher = self.query_one("#welcome", ContentSwitcher)
        if switcher.current == "setup":
            switcher.current = "about"
            self.query_one("#continue", Button).focus()

    def _say_problem(self, words: str) -> None:
        """A problem takes the intake offer's lines while it shows: with both, the Begin
        buttons were pushed below the bottom of an 80x24 screen."""
        self.query_one("#problem", Static).update(Content(words))
        self.query_one("#problem").display = bool(words)
        self.query_one("#intake-offer").display = not words

    def _problem(self, words: str, field: str) -> None:
        self._say_problem(words)
        self.query_one(f"#{field}", Input).focus()

    def _begin(self, take_intake: bool) -> None:
        """Check every answer first; only then write the enrolment and the settings."""
        start_text = self.query_one("#start-date", LiteralInput).typed.strip()
        try:
            start = date.fromisoformat(start_text) if start_text else self._today()
        except ValueError:
            self._problem(
                f"⚠ {start_text!r} is not a date. Please write it as YYYY-MM-DD, "
                f"like {self._today().isoformat()}.",
                "start-date",
            )
            return
        try:
            check_start(start, self._today())
        except ValueError as error:
            self._problem(f"⚠ {error}.", "start-date")
            return
        reminder_text = self.query_one("#reminder-time", LiteralInput).typed.strip()
        try:
            reminder = parse_time(reminder_text) if reminder_text else None
        except ValueError as error:
            self._problem(f"⚠ {error}. Or leave it empty for no reminder.", "reminder-time")
            return
        partner = self.query_one("#partner-name", LiteralInput).typed.strip()
        if not stored(self.app, "begin the plan", lambda: self.service.start(on=start)):
            return  # still on the Welcome, with everything typed in place
        settings = self.service.settings()
        if reminder is not None:
            from program.zone import local_zone_name

            settings = settings.with_reminders(
                on=True, times=(reminder,), timezone=local_zone_name()
            )
        if partner:
            settings = replace(settings, partner_name=partner)
        if (reminder is not None or partner) and stored(
            self.app,
            "save your reminder and name (Settings can try again)",
            lambda: self.service.save_settings(settings),
        ):
            self.post_message(SettingsChanged())
        self.dismiss(take_intake)
