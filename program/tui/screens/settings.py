"""Settings: reminders, the hour a day starts, partner name, pause, theme, export, data folder.

Every change is saved the moment it is made (a switch, a box, a choice), or when a
text box is left or Enter is pressed in it; the line at the bottom says what was
saved. There is no Save button to forget. A bad value saves nothing and says why,
right under the box.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import ClassVar

from msgspec.structs import replace
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
    Switch,
)

from program import export, plan
from program.service import Replenish
from program.settings import WEEKDAYS, Settings, format_days, format_time, parse_time
from program.tui.literal import LiteralInput, shown
from program.tui.messages import PlanChanged, SettingsChanged, TogglePause
from program.tui.screens.base import LiveScreen
from program.tui.stored import stored
from program.tui.themes import ordered, theme_title
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.marks import Pick, Tick
from program.tui.widgets.settings_export import (
    ExportFormat,
    default_export_path,
    export_to,
    suffix_for,
)
from program.zone import local_zone_name

SECTIONS = (
    ("Reminders", "reminders-on"),
    ("Your day", "day-start"),
    ("Partner", "partner-name"),
    ("The plan", "pause-resume"),
    ("Look", "theme"),
    ("Export", "export-format"),
)
"""The sections a number key jumps to (1 to 6), each with the control it focuses."""

MAX_DAY_START_HOUR = 12


def section(number: int) -> str:
    """A section's heading with the key that jumps to it: `5 · Look`."""
    return f"{number} · {SECTIONS[number - 1][0]}"


def parse_times(text: str) -> tuple[time, ...]:
    """`20:30` or `08:00, 20:30` -> sorted distinct times; ValueError naming the bad one."""
    pieces = [piece.strip() for piece in text.replace(";", ",").split(",") if piece.strip()]
    return tuple(sorted({parse_time(piece) for piece in pieces}))


class SettingsScreen(LiveScreen):
    """Each control saves itself; `#settings-status` says what happened."""

    DEFAULT_CSS = """
    SettingsScreen {  /* one column of sections; labels left, controls right; 80 columns */
        #settings-body {
            height: 1fr;
            padding: 0 1;
        }
        .section {
            text-style: bold underline;
            margin-top: 1;
            height: auto;
        }
        .row {
            height: auto;
            align-vertical: middle;
        }
        .field-label {
            width: 24;
            padding: 1 1 0 0;
        }
        .row Input {
            width: 1fr;
            max-width: 60;
        }
        #reminders-on-words {
            padding: 1 1 0 1;
        }
        .days Checkbox {
            width: auto;
            height: 1;
            border: none;
            padding: 0 1 0 0;
            margin: 1 0 0 0;
        }
        .row Select {
            width: 24;
        }
        .error {
            color: $error;
            text-style: bold;
            height: auto;
        }
        .hint {
            color: $text-muted;
            height: auto;
        }
        #plan-state {
            height: auto;
            margin-bottom: 1;
        }
        #export-format {
            height: auto;
            width: auto;
            margin-top: 1;
        }
        #export-result {
            height: auto;
            margin-top: 1;
        }
        #data-path {
            height: auto;
            margin-bottom: 1;
        }
        #settings-status {
            height: auto;
            padding: 0 1;
            background: $boost;
            text-style: bold;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.open_mode('today')", "Back", show=False),
        Binding("f5", "app.open_mode('settings')", "Settings", show=False),  # already here
        *(
            Binding(str(number), f"jump({target!r})", title, show=False)
            for number, (title, target) in enumerate(SECTIONS, start=1)
        ),
    ]
    """A number key (outside a text box, where it is typed) jumps to its section: the
    theme was 13 Tab presses away, now it is one key."""

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self._confirm_replace: Path | None = None

    # ----- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.service.settings()
        reminders = settings.reminders
        yield Header()
        body = VerticalScroll(id="settings-body")
        body.can_focus = False  # every control in it takes focus; the page scrolls to it
        with body:
            yield Static(section(1), classes="section")
            with Horizontal(classes="row"):
                yield Switch(reminders.on, id="reminders-on")
                yield Label(self._on_words(reminders.on), id="reminders-on-words")
            with Horizontal(classes="row"):
                yield Label("Time (HH:MM, several with commas)", classes="field-label")
                yield LiteralInput(
                    ", ".join(format_time(moment) for moment in reminders.times),
                    placeholder="20:30",
                    id="reminder-times",
                )
            yield Static("", id="reminder-times-error", classes="error")
            with Horizontal(classes="row days"):
                for index, name in enumerate(WEEKDAYS):
                    yield Tick(name.capitalize(), index in reminders.days, id=f"day-{name}")
            with Horizontal(classes="row"):
                yield Switch(settings.detail_outside, id="detail-outside")
                yield Label(self._detail_words(settings.detail_outside), id="detail-words")
            yield Static(section(2), classes="section")
            with Horizontal(classes="row"):
                yield Label("A new day starts at", classes="field-label")
                yield Select(
                    [(f"{hour:02d}:00", hour) for hour in range(MAX_DAY_START_HOUR + 1)],
                    allow_blank=False,
                    value=self._day_start_hour(),
                    id="day-start",
                )
            yield Static(
                "Until then it still counts as the day before, so a late evening is not lost.",
                classes="hint",
            )
            yield Static(section(3), classes="section")
            with Horizontal(classes="row"):
                yield Label("Partner's name (optional)", classes="field-label")
                yield LiteralInput(settings.partner_name, placeholder="", id="partner-name")
            yield Static(section(4), classes="section")
            yield Static(id="plan-state")
            yield Button("Pause the plan", id="pause-resume")
            yield Static(section(5), classes="section")
            with Horizontal(classes="row"):
                yield Label("Theme", classes="field-label")
                yield Select(
                    [(theme_title(name), name) for name in self._themes()],
                    allow_blank=False,
                    value=self._current_theme(settings),
                    id="theme",
                )
            yield Static(section(6), classes="section")
            with RadioSet(id="export-format"):
                yield Pick("Markdown (to read)", value=True, id="export-md")
                yield Pick("JSON (to keep or import)", id="export-json")
            with Horizontal(classes="row"):
                yield Label("Write to", classes="field-label")
                yield LiteralInput(
                    str(default_export_path(self.service.now().date())), id="export-path"
                )
            yield Button("Export", id="export", variant="primary")
            yield Static("", id="export-result")
            yield Static("Your data", classes="section")
            yield Static(self._where_data_lives(), id="data-path")
        yield Static(
            "Changes save as you make them. Keys 1 to 6 jump to a section.", id="settings-status"
        )
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.title = "Settings"
        self.refresh_view()
        self.query_one("#reminders-on").focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_shown)

    def action_jump(self, target: str) -> None:
        """To a section's first control (the page scrolls it into view)."""
        self.query_one(f"#{target}").focus()

    def refresh_view(self) -> None:
        """Pausing from Today, or a new day, changes what the plan's line says."""
        self._show_plan_state()

    # ----- reading the current values ------------------------------------------

    def _day_start_hour(self) -> int:
        return min(max(self.service.day_start_hour(), 0), MAX_DAY_START_HOUR)

    def _themes(self) -> list[str]:
        return ordered(self.app.available_themes)

    def _current_theme(self, settings: Settings) -> str:
        return settings.theme if settings.theme in self._themes() else self._themes()[0]

    def _where_data_lives(self) -> Content:
        return Content.assemble(
            "Everything you write is kept in one file, readable only by you:\n",
            shown(str(self.service.store.path), "bold"),
        )

    @staticmethod
    def _on_words(on: bool) -> str:
        return "Reminders are on" if on else "Reminders are off"

    def _status(self, message: str | Content) -> None:
        self.query_one("#settings-status", Static).update(
            message if isinstance(message, Content) else Content(message)
        )

    # ----- reminders -----------------------------------------------------------

    def _detail_words(self, on: bool) -> str:
        if self.service.safety_raised():
            return "Reminders, the nudge and calendar files say only that a few minutes wait"
        if on:
            return "Reminders, the nudge and calendar files name the exercises"
        return "Reminders, the nudge and calendar files say only that a few minutes wait"

    @on(Switch.Changed, "#detail-outside")
    def _detail_touched(self, event: Switch.Changed) -> None:
        """Detail outside the app: off by default; with a safety flag raised it changes
        nothing (everything outward stays neutral), and the words say so."""
        chosen = replace(self.service.settings(), detail_outside=event.value)
        if stored(self.app, "save the setting", lambda: self.service.save_settings(chosen)):
            self.query_one("#detail-words", Label).update(self._detail_words(event.value))

    @on(Switch.Changed, "#reminders-on")
    @on(Checkbox.Changed)
    def _reminders_touched(self) -> None:
        self._save_reminders()

    @on(Input.Submitted, "#reminder-times")
    @on(Input.Blurred, "#reminder-times")
    def _times_entered(self) -> None:
        self._save_reminders()

    @on(Input.Changed, "#reminder-times")
    def _times_typing(self) -> None:
        self.query_one("#reminder-times-error", Static).update("")

    def _save_reminders(self) -> bool:
        """Save the reminder controls as they stand; on a bad value, say why and save nothing."""
        error = self.query_one("#reminder-times-error", Static)
        switch = self.query_one("#reminders-on", Switch)
        try:
            times = parse_times(self.query_one("#reminder-times", LiteralInput).typed)
        except ValueError as problem:
            error.update(shown(f"{problem}."))  # one line, as the empty one: nothing moves
            self._status("Reminders not saved: the time needs fixing.")
            return False
        days = frozenset(
            index
            for index, name in enumerate(WEEKDAYS)
            if self.query_one(f"#day-{name}", Checkbox).value
        )
        if not days:
            error.update("Tick at least one day. Nothing was saved.")
            self._status("Reminders not saved: no day is ticked.")
            return False
        if switch.value and not times:
            error.update("Type a time, like 20:30, to turn reminders on. Nothing was saved.")
            self._status("Reminders not saved: they need a time.")
            return False
        error.update("")
        current = self.service.settings()
        updated = current.with_reminders(
            on=switch.value, times=times, days=days, timezone=local_zone_name()
        )
        if updated.reminders != current.reminders:
            if not stored(
                self.app, "save the reminders", lambda: self.service.save_settings(updated)
            ):
                return False
            self.post_message(SettingsChanged())
        self.query_one("#reminders-on-words", Label).update(self._on_words(switch.value))
        if switch.value:
            self._status(f"Saved: reminders at {updated.reminders.describe()}.")
        elif times:
            self._status(
                f"Saved: {', '.join(map(format_time, times))} on {format_days(days)}. "
                "Reminders are off; switch them on to be reminded."
            )
        else:
            self._status("Saved: reminders are off.")
        return True

    # ----- day start and partner ----------------------------------------------

    @on(Select.Changed, "#day-start")
    def _day_start_changed(self, event: Select.Changed) -> None:
        hour = event.value
        if not isinstance(hour, int) or hour == self._day_start_hour():
            return
        if self.service.enrolment() is None:
            self._status("The plan has not begun yet; the start of the day is set when it does.")
            return
        if not stored(
            self.app, "save the start of the day", lambda: self.service.set_day_start_hour(hour)
        ):
            return
        self.post_message(PlanChanged())
        self.post_message(SettingsChanged())
        self._status(f"Saved: a new day starts at {hour:02d}:00.")
        self._show_plan_state()

    @on(Input.Submitted, "#partner-name")
    @on(Input.Blurred, "#partner-name")
    def _partner_entered(self) -> None:
        name = self.query_one("#partner-name", LiteralInput).typed.strip()
        current = self.service.settings()
        if name == current.partner_name:
            return
        if not stored(
            self.app,
            "save the name",
            lambda: self.service.save_settings(replace(current, partner_name=name)),
        ):
            return
        self.post_message(SettingsChanged())
        if name:
            self._status(Content.assemble("Saved: your partner's name is ", shown(name), "."))
        else:
            self._status("Saved: no partner name.")

    # ----- pause and resume -----------------------------------------------------

    def _show_plan_state(self) -> None:
        state = self.query_one("#plan-state", Static)
        button = self.query_one("#pause-resume", Button)
        today = self.service.today()
        schedule = self.service.schedule()
        if today is None or schedule is None:
            state.update("Not started yet. The plan begins from Today.")
            button.label = "Pause the plan"
            button.disabled = True
            return
        button.disabled = today.status in (plan.Status.NOT_STARTED, plan.Status.FINISHED)
        if schedule.paused:
            since = schedule.pauses[-1].started_on
            state.update(
                f"‖ Paused since {since:%A %d %B}, on day {today.day} of {today.days}. "
                "Nothing moves on and no day is counted until you resume."
            )
            button.label = "Resume the plan"
        elif today.status is plan.Status.FINISHED:
            state.update(f"✓ Finished: all {today.days} days are behind you.")
            button.label = "Pause the plan"
        else:
            state.update(
                f"▸ Running: week {today.week} of {today.weeks}, day {today.day} of {today.days}."
            )
            button.label = "Pause the plan"

    @on(Button.Pressed, "#pause-resume")
    def _pause_or_resume(self) -> None:
        """The app's one toggle does it and says so; the plan's line follows (refresh_view)."""
        self.post_message(TogglePause())

    # ----- theme -----------------------------------------------------------------

    @on(Select.Changed, "#theme")
    def _theme_changed(self, event: Select.Changed) -> None:
        """The app keeps the theme, however it is chosen; this says so."""
        theme = event.value
        if not isinstance(theme, str) or theme == self.app.theme:
            return
        if theme in self.app.available_themes:
            self.app.theme = theme
        if self.service.settings().theme == theme:
            self._status(f"Saved: the {theme_title(theme)} theme.")

    def _theme_shown(self, theme: object) -> None:
        """Chosen elsewhere (the palette): the list shows it too."""
        box = self.query_one("#theme", Select)
        if box.value != self.app.theme:
            box.value = self.app.theme

    # ----- export ----------------------------------------------------------------

    def _export_format(self) -> ExportFormat:
        return "json" if self.query_one("#export-json", RadioButton).value else "md"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        path.value = suffix_for(path.value, self._export_format())

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm_replace = None

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        result = self.query_one("#export-result", Static)
        typed = self.query_one("#export-path", LiteralInput).typed.strip()
        if not typed:
            result.update("Type where to write the export, like ~/replenish-export.md.")
            return
        path = Path(typed).expanduser().absolute()
        problem = export.export_problem(path)
        if problem:
            result.update(shown(f"{problem}. Nothing was written."))
            return
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            result.update(
                Content.assemble(
                    "There is already a file at ",
                    shown(str(path)),
                    ". Press Export again to replace it, or change the name.",
                )
            )
            return
        try:
            export_to(self.service, path, self._export_format())
        except OSError as error:
            reason = error.strerror or str(error)
            result.update(shown(f"Could not write {path}: {reason}. Nothing was written."))
            return
        self._confirm_replace = None
        result.update(
            Content.assemble(
                "Written to ",
                shown(str(path), "bold"),
                ", readable only by you. It holds your private words: keep it somewhere "
                "safe, and delete it when you no longer need it.",
            )
        )
        self._status("Export written.")
