"""The Replenish app: the shell that holds the screens, the keys, the palette and the theme.

Key map (every screen follows it; global keys never clash with typing):

    Global (App.BINDINGS, work on every screen, also while typing)
        F1          Help (key list and outside support); `?` too when no text box has focus
        F2          Today
        F3          Journey
        F4          Journal
        F5          Settings
        ctrl+o      Together: the pairing with a partner and what both shared ("o" as in
                    "the other"; F6 is kept free, and no text box uses ctrl+o)
        ctrl+p      command palette (every screen and main action is there)
        ctrl+q      quit (answers are already saved; one the disk refused is asked about)
        ctrl+g      a hard day: the program's short grounding practice (`hard_day`), at
                    any moment; "g" for grounding, and no text box or terminal uses it
        F9          leave at once: everything typed is saved, no question is asked, the
                    screen is cleared and the terminal's title reset. F9 because it is one
                    key on every keyboard layout (ctrl+backslash needs AltGr on some),
                    terminals pass it through (gnome-terminal keeps F10 for its menu, most
                    terminals F11 for full screen, drop-down terminals F12), nothing in
                    Textual's text boxes uses it, and it is not ctrl+q (quit, which may ask)
    Journal
        ctrl+b      Then and now: where the user began beside where they are ("b" for
                    before; the search box does not use it); also on Today from the
                    program's `from_day`, and in the palette
    Today (no text input on it, so plain letters are safe)
        enter       open the highlighted exercise
        s           set the highlighted exercise aside, with a private reason
        p           pause the plan, or resume it when paused
    Exercise runner
        F7 / F8     Back / Next, even while typing (priority bindings: they take F7 from
                    TextArea's "select all"); also the Back and Next buttons, and Next
                    says Finish on the last step
        escape      back to Today (everything typed is saved first; if the store
                    refuses it, every way out of the step asks: try again, write
                    the words to a file, or leave without them); in a text box
                    the first escape only leaves the box, the next the exercise
        enter       on a scale, choice or checklist step: on to the next step (the
                    answer is already saved; on a one-option choice it takes the
                    highlighted option first)
        scale step: left/right, home/end, digits (a second digit within a second
                    makes one number: 1 then 0 is 10)
        choice / checklist: up/down to move, space to choose or tick
        timer step: the Start/Pause button (enter or space on it)
    Modals (Help, set aside, Welcome questions)
        escape      close without doing anything

Screens by other hands (Journey, Journal, Settings) follow the same rules: plain
letters only where no Input/TextArea can have focus, function keys and ctrl
combinations otherwise, and `escape` to go back.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from msgspec.structs import replace
from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

from program.partner import SYNC_SECONDS
from program.service import Replenish
from program.terminal import printable
from program.tui.messages import (
    OpenExercise,
    OpenThenAndNow,
    PlanChanged,
    RemindersChanged,
    SettingsChanged,
    SyncPartner,
    TogglePause,
)
from program.tui.screens.base import HoldsNavigation, LiveScreen
from program.tui.screens.today import TodayScreen
from program.tui.stored import stored
from program.tui.stylesheet import ThemeStylesheet
from program.tui.words import PAUSED, RESUMED

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.widget import AwaitMount

    from program.partner.exchange import Report
    from program.service import Resume

WARM_MODULES = ("program.tui.screens.runner",)
"""The screen Enter opens, imported once the first frame is up, while the user reads (an
exercise is pushed fresh each time, so it cannot be made ahead as the modes are)."""
WARM_AFTER = 0.3
"""Seconds after the first frame before the warming starts."""
AHEAD_MODES = ("journey", "journal", "settings")
"""The modes F3-F5 open, each screen made unseen after the first frame (`_make_ahead`)."""
AHEAD_PAUSE = 0.1
"""Seconds between two screens made ahead, so each is built before the next begins."""
AHEAD_QUIET = 0.3
"""A screen is made ahead only once no key (or click) has come for this many seconds: a
key that comes while one is being made waits for it (up to some 80 ms on the pty)."""
EXIT_WAIT = 0.5
"""At most this many seconds an exit waits for a screen half made ahead (`exit`)."""
MODE_NAMES = ("today", "journey", "journal", "settings", "together")
"""The app's modes, one screen each (F2-F5, ctrl+o), added in `ReplenishApp.__init__`."""
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
NOT_OFFERED = frozenset({"Screenshot", "Theme"})
"""Textual's palette commands the app leaves out. Its Screenshot wrote an SVG of the
screen, the user's words on it, readable by everyone, into ~/Downloads; its Theme is
the app's own (readable names, and the choice is kept)."""


class Reminders(Protocol):
    """What the app needs from the in-app reminder scheduler (program.reminders.in_app)."""

    def start(self) -> None: ...
    def shutdown(self) -> None: ...
    def reschedule(self) -> None: ...


class ReplenishApp(App[None]):
    """One user's plan on screen. Every read and write goes through `service`."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    """Only the app-wide rules: each screen's and widget's own are in its DEFAULT_CSS, scoped
    to its type and parsed when it is first shown (a screen's CSS_PATH would be global, and
    would make Textual parse every rule again when that screen first opens). A full path:
    Textual reads a relative one beside the module of the app's class, a subclass's too."""
    TITLE = "Replenish"
    ENABLE_COMMAND_PALETTE = True
    DEFAULT_MODE = "today"
    """Start on Today directly: no blank default screen mounted, styled and switched away from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "open_mode('today')", "Today"),
        Binding("f3", "open_mode('journey')", "Journey"),
        Binding("f4", "open_mode('journal')", "Journal"),
        Binding("f5", "open_mode('settings')", "Settings"),
        Binding("ctrl+o", "open_mode('together')", "Together", show=False),  # palette, Help
        Binding("ctrl+q", "quit", "Quit", priority=True),  # Textual's, shown in the footer
        Binding("f9", "leave_now", "Leave now", priority=True),  # see the key map above
        Binding("ctrl+g", "hard_day", "Hard day", show=False, priority=True),  # in Help
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.stylesheet = ThemeStylesheet(variables=self.get_css_variables())
        self.service = service
        self.title = printable(service.program.title)  # the header draws it as it is
        self._reminders: Reminders | None = None
        self.left_at_once = False
        """F9 was pressed: the caller clears the screen and the title once the app is gone."""
        self._crash_seen = False
        self.crash_report: Path | None = None
        """The report written when the app stopped with an error (None before, or if unwritable)."""
        screens: tuple[Callable[[], Screen[None]], ...] = (
            lambda: TodayScreen(service),
            self._journey_screen,
            self._journal_screen,
            self._settings_screen,
            self._together_screen,
        )
        self._makers = dict(zip(MODE_NAMES, screens, strict=True))
        for mode, make in self._makers.items():
            self.add_mode(mode, make)
        self.partner_sync_every = SYNC_SECONDS
        """Seconds between exchanges with the partner while a folder is linked."""
        self._partner_timer: Timer | None = None
        self._partner_unreachable = False
        """The last exchange failed: the timer's next failures say nothing more."""
        self._returning = False
        """A switch back to a mode's screen is under way (see `switch_mode`)."""
        self._exit_by: float | None = None
        """When an exit asked for stops waiting for a screen still being built (`exit`)."""
        self._last_input = 0.0
        """`time.monotonic()` of the last key or click (`on_event`)."""

    # ----- start and stop ------------------------------------------------

    def on_mount(self) -> None:
        self._watch_hangup()  # from the start: a key can be typed before the first idle moment
        self._apply_theme()
        self.watch(self, "theme", self._theme_chosen, init=False)
        self.switch_mode("today")
        if self.service.enrolment() is None:
            from program.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.service), self._after_welcome)
        else:
            resume = self.service.resume_point()
            if resume is not None:
                self._open_exercise(resume)

    def on_ready(self) -> None:
        """The DOM is laid out; the frame is written on the next refresh, then the rest runs."""
        self.call_after_refresh(self.call_after_refresh, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """Things the first frame does not need: the reminder scheduler, the other screens."""
        gc.freeze()  # what start-up built lives on: later collections need not walk it again
        gc.enable()  # paused by program.tui.run until now
        from program.reminders.in_app import InAppReminders

        reminders: Reminders = InAppReminders(self.service, self._deliver_reminder)
        reminders.start()
        self._reminders = reminders
        self._start_partner_sync()
        self.set_timer(WARM_AFTER, partial(self._warm, list(WARM_MODULES)))

    def _warm(self, left: list[str]) -> None:
        """Import the next of `left`, then let any key waiting go first (`call_later`); then
        make the modes' screens ahead."""
        if not left:
            self._make_ahead(list(AHEAD_MODES))
            return
        with contextlib.suppress(ImportError):  # the screen says so itself when it is asked for
            import_module(left.pop(0))
        self.call_later(self._warm, left)

    def _make_ahead(self, left: list[str]) -> None:
        """Make the next of `left`'s screens now, unseen, while the user reads: its first
        visit then only lays it out and shows it, as a return does.

        Making a screen (composing, mounting and styling some 40-70 widgets) was most of
        a first visit: on the pty (bench --only keys, 1 week / 1 year / 20 years) F3
        Journey first took about 83 ms, F4 Journal 131, F5 Settings 150; made ahead,
        36/47/46, 87/87/87, 45/55/58. The screen reads its data as it mounts, and again
        when first shown if anything was written meanwhile (`LiveScreen.made_ahead`).
        Only in a quiet moment (`AHEAD_QUIET`), and not while the Welcome (or another
        screen that holds navigation) is up: those screens may not be opened yet.

        Textual makes a mode's screen only when the mode is first shown, and has no
        public way to make it sooner: this does what that first showing does, starting
        the screen (`_register`) as the base of its mode's stack (`_screen_stacks`), so
        Textual's switch and its closing at exit treat it as a mode opened before.
        """
        if self._exit_by is not None or not self.is_running:
            return  # leaving: nothing more is made
        quiet = time.monotonic() - self._last_input >= AHEAD_QUIET
        if not quiet or isinstance(self.screen, HoldsNavigation):
            self.set_timer(AHEAD_PAUSE, partial(self._make_ahead, left))
            return
        while left:
            mode = left.pop(0)
            if self.opened(mode):
                continue
            try:
                screen = self._makers[mode]()
            except ImportError:  # the screen says so itself when it is asked for
                continue
            if isinstance(screen, LiveScreen):
                screen.made_ahead()
            self._screen_stacks[mode] = [screen]
            self._register(self, screen)
            break
        if left:
            self.set_timer(AHEAD_PAUSE, partial(self._make_ahead, left))

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Textual's exit, once no screen is still being built: closing one while it mounts
        meets its widgets half made (a Select asked for its label, the Journal for its
        list: each an error at the exit), which a screen made ahead (`_make_ahead`) made
        likely. The wait is short (a screen is built in tens of milliseconds) and bounded
        (`EXIT_WAIT`), for F9's leaving at once too."""
        now = time.monotonic()
        if self._exit_by is None:
            self._exit_by = now + EXIT_WAIT
        building = any(not screen.is_mounted for screen in self.every_screen())
        if building and now < self._exit_by:
            self.set_timer(0.01, partial(self.exit, result, return_code, message))
            return
        super().exit(result, return_code, message)

    async def on_event(self, event: events.Event) -> None:
        """Textual's, noting when the user last pressed a key or clicked (`_make_ahead`)."""
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _watch_hangup(self) -> None:
        """Closing the terminal sends SIGHUP: exit cleanly so the last words are saved."""
        # Not on this platform, or not in the main thread (tests): nothing to do.
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.exit)

    def on_unmount(self) -> None:
        if self._reminders is not None:
            self._reminders.shutdown()
            self._reminders = None
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)

    # ----- a crash --------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An error in our code: a short report in the data folder, a short notice, exit 1.

        Textual ends the app and sets the exit code; what it would print (a traceback
        listing every local variable, the words on screen among them) is replaced.
        """
        from state import StoreError

        if isinstance(error, StoreError):  # not a bug: the data file's own message says what to do
            super()._handle_exception(error)
            self._exit_renderables[:] = [Text(f"replenish: {error}")]
            return
        self.crashed(error)
        super()._handle_exception(error)
        self._exit_renderables[:] = [Text(self.crash_notice())]

    def _fatal_error(self) -> None:
        """Textual's builds the traceback with locals here; we build none (see above)."""
        self.bell()
        self._close_messages_no_wait()

    def crashed(self, error: BaseException) -> None:
        """Write the crash report for the first error (later ones follow from it)."""
        if self._crash_seen:
            return
        self._crash_seen = True
        from program.crash_report import write_crash_report

        try:
            when = self.service.now()
        except Exception:
            when = datetime.now().astimezone()
        self.crash_report = write_crash_report(self.service.store.data_dir, error, when)

    def crash_notice(self) -> str:
        """What the terminal shows after a crash: calm, and with no words of the user's."""
        where = (
            f"A short report, with no words of yours in it, is in {self.crash_report}; "
            "`replenish doctor` mentions it."
            if self.crash_report
            else "No report could be written to the data folder."
        )
        return (
            "Replenish stopped because of an error in its own code. What you had saved is "
            "safe; words typed in the last second may be missing. " + where
        )

    def _deliver_reminder(self, text: str) -> None:
        self.notify(text, title="Replenish", markup=False, timeout=15)
        self.bell()

    def _reschedule(self) -> None:
        """Settings or one-off reminders changed: the scheduler picks up the new times."""
        if self._reminders is not None:
            self._reminders.reschedule()

    # ----- theme ------------------------------------------------------------

    def _apply_theme(self) -> None:
        theme = self.service.settings().theme
        self.theme = theme if theme in self.available_themes else DARK_THEME

    def _theme_chosen(self, theme: str) -> None:
        """Every way of choosing a theme (Settings, the palette's Theme list, the toggle)
        ends here, and the choice is kept for next time (the palette's was lost)."""
        settings = self.service.settings()
        if theme != settings.theme:
            stored(
                self,
                "remember the theme",
                lambda: self.service.save_settings(replace(settings, theme=theme)),
            )

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme (kept by `_theme_chosen`)."""
        self.theme = LIGHT_THEME if self.theme != LIGHT_THEME else DARK_THEME

    def action_change_theme(self) -> None:
        """The palette's Theme list, by readable names."""
        from textual.command import CommandPalette

        from program.tui.themes import ThemeChoices

        self.push_screen(
            CommandPalette(providers=[ThemeChoices], placeholder="Search for a theme…")
        )

    # ----- the partner -------------------------------------------------------

    def _start_partner_sync(self) -> None:
        """While a folder is linked: exchange now, then every `partner_sync_every` seconds."""
        if self._partner_timer is None and self.service.partner_folder_linked():
            self._sync_partner(by_hand=False)
            self._partner_timer = self.set_interval(
                self.partner_sync_every, lambda: self._sync_partner(by_hand=False)
            )

    def on_sync_partner(self, message: SyncPartner) -> None:
        self._sync_partner(message.by_hand)

    def _sync_partner(self, by_hand: bool) -> None:
        if not self.service.partner_folder_linked():
            if by_hand:
                self.notify(
                    "No shared folder is linked: `replenish partner link FOLDER` links one.",
                    markup=False,
                )
            return
        self._partner_sync_worker(by_hand)

    @work(thread=True, exclusive=True, group="partner-sync", exit_on_error=False)
    def _partner_sync_worker(self, by_hand: bool) -> None:
        """In a thread, on a connection of its own: a slow or absent folder holds no frame."""
        from program.partner.keys import PartnerError
        from state import StoreError

        try:
            report = self.service.sync_partner_apart()
        except (PartnerError, StoreError, OSError):  # the store says sqlite3 errors as StoreError
            self.call_from_thread(self._partner_sync_failed, by_hand)
            return
        self.call_from_thread(self._partner_synced, report, by_hand)

    def _partner_sync_failed(self, by_hand: bool) -> None:
        if self._partner_unreachable and not by_hand:
            return  # said once; not again every few minutes while a drive is unplugged
        self._partner_unreachable = True
        self.notify(
            "Could not exchange with your partner just now. Nothing is lost; "
            "Replenish tries again in a few minutes.",
            markup=False,
        )

    def _partner_synced(self, report: Report, by_hand: bool) -> None:
        self._partner_unreachable = False
        if report.received or report.sent:
            self.refresh_views()
        if by_hand:
            self.notify(
                f"Exchanged: {report.received} received, {report.sent} sent."
                + (" Together shows what needs a look." if report.problems else ""),
                markup=False,
            )

    # ----- messages from screens -----------------------------------------

    def on_settings_changed(self, message: SettingsChanged) -> None:
        self._apply_theme()
        self._reschedule()

    def on_reminders_changed(self, message: RemindersChanged) -> None:
        self._reschedule()

    def on_plan_changed(self, message: PlanChanged) -> None:
        self.refresh_views()

    def on_open_exercise(self, message: OpenExercise) -> None:
        self.open_exercise(message.exercise_id, message.day)

    def on_open_then_and_now(self, message: OpenThenAndNow) -> None:
        self.action_then_and_now()

    def on_toggle_pause(self, message: TogglePause) -> None:
        self.action_pause_or_resume()

    def refresh_views(self) -> None:
        """The plan moved: every screen that lives on shows it (now, or when next shown)."""
        for screen in self.every_screen():
            if isinstance(screen, LiveScreen):
                screen.data_changed()

    def switch_mode(self, mode: str) -> AwaitMount:
        """Show `mode`'s screen; one made already is shown at once.

        Textual holds every update for 50 ms on a switch (`delay_update`), to hide a
        new screen while it is built. A screen made already has nothing to hide, and on
        the pty that hold was most of a return: F3 again took 55 ms for 8 ms of work. A
        first visit keeps the hold (its building takes longer than the hold anyway),
        and so does a screen made ahead (`_make_ahead`) that is not built yet.
        """
        self._returning = self.built(mode)
        try:
            return super().switch_mode(mode)
        finally:
            self._returning = False

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual's timed hold on updates, except on a return to a screen (`switch_mode`)."""
        if not self._returning:
            super().delay_update(delay)

    def opened(self, mode: str) -> bool:
        """Whether `mode`'s screen has been made (it lives on once it is)."""
        try:
            self.get_screen_stack(mode)
        except KeyError:
            return False
        return True

    def built(self, mode: str) -> bool:
        """Whether `mode`'s screen is made and mounted (a return, or made ahead and done)."""
        return self.opened(mode) and self.get_screen_stack(mode)[0].is_mounted

    def every_screen(self) -> Iterator[Screen[Any]]:
        """The screens of every mode opened so far, each mode's stack from its base."""
        for mode in MODE_NAMES:
            if self.opened(mode):  # a mode not opened yet holds none
                yield from self.get_screen_stack(mode)

    # ----- navigation -------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the Welcome is up, the other screens wait (and leave the footer)."""
        waits = action in ("open_mode", "then_and_now")
        return not (waits and isinstance(self.screen, HoldsNavigation))

    def action_open_mode(self, mode: str) -> None:
        self.when_words_are_safe(lambda: self._open_mode(mode))

    def _open_mode(self, mode: str) -> None:
        if not self._leave_modal():
            return
        if mode == self.current_mode:
            if mode == "today":
                self._back_to_today_base()
            return
        try:
            self.switch_mode(mode)
        except ImportError:
            self.notify(f"The {mode.title()} screen is not available in this build.", markup=False)

    def _leave_modal(self) -> bool:
        """Modals (Welcome, a question) must be answered or closed before moving elsewhere."""
        from textual.screen import ModalScreen

        if isinstance(self.screen, HoldsNavigation):
            return False
        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        return True

    def when_words_are_safe(self, go: Callable[[], object], everywhere: bool = False) -> None:
        """Run `go` (it leaves the exercise on screen, or with `everywhere` quits) now, or
        once the user has chosen what becomes of words the store refused (the runner asks)."""
        from program.tui.screens.runner import ExerciseScreen

        screens = list(self.every_screen()) if everywhere else self.screen_stack
        for screen in screens:
            if isinstance(screen, ExerciseScreen) and not screen.leaving_is_safe(go):
                return
        go()

    def action_then_and_now(self) -> None:
        """Where the user began beside where they are now, over the screen on view."""
        self.when_words_are_safe(self._open_then_and_now)

    def _open_then_and_now(self) -> None:
        from program.tui.screens.then_now import ThenNowScreen

        if not self._leave_modal() or isinstance(self.screen, ThenNowScreen):
            return
        if self.service.program.then_and_now is None:
            self.notify("This program has nothing to set side by side.", markup=False)
            return
        if self.service.schedule() is None:
            self.notify("Your plan has not begun yet: nothing to look back on.", markup=False)
            return
        self.push_screen(self._styled(ThenNowScreen(self.service)))

    def action_hard_day(self) -> None:
        """ctrl+g: the program's short grounding practice (`hard_day`), from any screen."""
        place = self.service.hard_day()
        if place is None:
            self.notify("This program has no practice for a hard day.", markup=False)
            return
        self.open_exercise(*place)

    def action_leave_now(self) -> None:
        """F9: leave at once, on any screen, while typing too. What is typed is written now
        (the store writes as it goes; a refused write leaves its words in the view, as a
        crash would); no dialog, nothing left on screen (`program.tui.run` clears it)."""
        from program.tui.widgets.base import StepView

        for screen in self.every_screen():
            for view in screen.query(StepView):
                with contextlib.suppress(Exception):  # leaving must not wait on a failure
                    view.flush()
        self.left_at_once = True
        self.exit()

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit: never past words that are not saved, unasked."""
        self.when_words_are_safe(self.exit, everywhere=True)

    def _back_to_today_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def _styled(self, screen: Screen[None]) -> Screen[None]:
        """`screen`, marked as styled by the stylesheet as it stands.

        Textual marks a new screen's styles out of date, so switching to it parsed the
        whole stylesheet again: twice on its first visit, and once more on its second
        (`refresh_css`, run while the screen was not yet mounted to be marked current),
        60-90 ms each. A new screen's widgets are styled from the current sheet as they
        mount, and its own sheet is still read when it is first shown, so it is current.
        Not Today: the refresh its first showing runs is the one that gives the sheet the
        theme's colours (a snapshot shows the difference).

        Textual has no public way to say a screen is current, so this sets its private
        counter: a figure shows it pays (CPU per key in `run_test`, a 1-week home, 3
        runs: F3/F4/F5 first visits 66-70/84-87/131-134 ms against 72-73/90-93/142-143
        without it, and again 8/12/19 against 20/17/38).
        """
        screen._css_update_count = self._css_update_count
        return screen

    def _journey_screen(self) -> Screen[None]:
        from program.tui.screens.journey import JourneyScreen

        return self._styled(JourneyScreen(self.service))

    def _journal_screen(self) -> Screen[None]:
        from program.tui.screens.journal import JournalScreen

        return self._styled(JournalScreen(self.service))

    def _together_screen(self) -> Screen[None]:
        from program.tui.screens.together import TogetherScreen

        return self._styled(TogetherScreen(self.service))

    def _settings_screen(self) -> Screen[None]:
        from program.tui.screens.settings import SettingsScreen

        return self._styled(SettingsScreen(self.service))

    def action_help(self) -> None:
        from program.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        support = self.service.seen().support  # Help's words, as the flags choose them
        self.push_screen(HelpScreen(support, self.screen.active_bindings))

    def _after_welcome(self, take_intake: bool | None) -> None:
        """The Welcome closed: the plan has begun (or not, if the user quit)."""
        self.refresh_views()
        if take_intake:
            from program.tui.screens.welcome import intake_exercise

            intake = intake_exercise(self.service)
            if intake is not None:
                self.open_exercise(intake, 1)

    def open_exercise(self, exercise_id: str, day: int, step_index: int | None = None) -> None:
        """Open the runner on `exercise_id` for program `day` (at a step, or where it was left)."""
        self.when_words_are_safe(lambda: self._open_exercise_now(exercise_id, day, step_index))

    def _open_exercise_now(self, exercise_id: str, day: int, step_index: int | None) -> None:
        from program.tui.screens.runner import ExerciseScreen

        exercise = self.service.exercise_on(exercise_id, day)  # its short form on a low day
        if exercise is None:
            return
        if step_index is None:  # opened again from Today: at the step it was left on
            left = self.service.resume_point()
            if left is not None and (left.exercise.id, left.day) == (exercise_id, day):
                step_index = left.step_index
        if self.current_mode != "today":
            self.switch_mode("today")
        self._back_to_today_base()
        self.push_screen(ExerciseScreen(self.service, exercise, day, step_index))

    def _open_exercise(self, resume: Resume) -> None:
        self.open_exercise(resume.exercise.id, resume.day, resume.step_index)

    def action_resume_where_stopped(self) -> None:
        resume = self.service.resume_point()
        if resume is None:
            self.notify("Nothing was left half-way. Today shows what is waiting.", markup=False)
            return
        self._open_exercise(resume)

    def action_pause_or_resume(self) -> None:
        """Pause the plan, or lift the pause; Today says which it is."""
        today = self.service.today()
        if today is None:
            self.notify("The plan has not begun yet.", markup=False)
            return
        if self.service.schedule() is not None and self._paused():
            if not stored(self, "resume the plan", self.service.resume):
                return
            self.notify(RESUMED, markup=False)
        else:
            if not stored(self, "pause the plan", self.service.pause):
                return
            self.notify(PAUSED, markup=False)
        self.post_message(PlanChanged())

    def _paused(self) -> bool:
        schedule = self.service.schedule()
        return schedule is not None and schedule.paused

    def action_export(self) -> None:
        """Write every answer to a Markdown file in the data folder (0600)."""
        from program.tui.widgets.settings_export import export_to

        folder = self.service.store.data_dir
        target = folder / f"replenish-export-{self.service.now():%Y-%m-%d-%H%M%S}.md"
        try:
            export_to(self.service, target, "md")
        except OSError as error:
            self.notify(f"Could not write the export: {error}", severity="error", markup=False)
            return
        self.notify(
            f"Wrote {target}. It holds your private words: keep it somewhere safe.",
            markup=False,
            timeout=10,
        )

    # ----- command palette -------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action has an entry: the app's, then those of the screen the palette was
        opened from (its own key bindings, under the words its footer and Help use)."""
        paused = self._paused()
        commands: list[tuple[str, str, str]] = [
            ("Today", "What is waiting today", "open_mode('today')"),
            ("Journey", "The weeks, day by day", "open_mode('journey')"),
            ("Journal", "Your reflections and check-in scores", "open_mode('journal')"),
            ("Settings", "Reminders, partner name, theme, export", "open_mode('settings')"),
            ("Together", "Your partner: pairing, what is waiting", "open_mode('together')"),
            ("Help", "Keys, and where to find support", "help"),
            (
                "Resume where I stopped",
                "Open the exercise and step you left",
                "resume_where_stopped",
            ),
            (
                "Resume the plan" if paused else "Pause the plan",
                "Lift the pause; days move on again"
                if paused
                else "Hold the days still while you rest",
                "pause_or_resume",
            ),
            ("Theme", "Choose how Replenish looks (kept for next time)", "change_theme"),
            ("Toggle light/dark theme", "Switch and remember", "toggle_theme"),
            ("Export answers", "A Markdown file in your data folder", "export"),
            ("Leave now", "Save, clear the screen and leave at once (F9)", "leave_now"),
            ("Hard day", "A short practice to feel steadier, at any time (ctrl+g)", "hard_day"),
            ("Then and now", "Where you began, beside where you are now", "then_and_now"),
        ]
        for title, help_text, action in commands:
            yield SystemCommand(title, help_text, partial(self.run_action, action))
        yield from self._screen_commands(screen, {action for _, _, action in commands})
        for command in super().get_system_commands(screen):
            if command.title not in NOT_OFFERED:
                yield command

    def _screen_commands(
        self, screen: Screen[object], offered: set[str]
    ) -> Iterable[SystemCommand]:
        """The screen's own bound actions (Back and Next, Set aside, Search...), each once."""
        titles: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            action = binding.action
            if (
                active.node is not screen
                or not binding.description
                or action.startswith("app.")
                or action in offered
                or binding.description in titles
            ):
                continue
            titles.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"{self.get_key_display(binding)}, on this screen",
                partial(self.run_action, action, screen),
            )

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """No screenshot is ever taken: the file would hold private words (see NOT_OFFERED)."""
        self.notify(
            "Replenish takes no screenshots: they would hold your private words.", markup=False
        )

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Textual's screenshot writer, switched off for the same reason: nothing is written."""
        return None
