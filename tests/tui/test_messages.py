"""Messages up, attributes down: screens tell the app what happened, the app tells screens
what to show. One pause toggle with one set of words; one way for a screen that lives
on to show what changed while it was away."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from program.service import Replenish
from program.tui.app import ReplenishApp
from program.tui.messages import RemindersChanged
from program.tui.screens.help import HelpScreen
from program.tui.screens.journey import JourneyScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.set_aside import SetAsideScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.screens.today import TodayScreen
from program.tui.widgets.journey_day import DayScreen
from program.tui.words import PAUSED, RESUMED
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_service, screen_text, wait_for


class Told(ReplenishApp):
    """The real app, recording the messages screens send it and the reschedules."""

    def __init__(self, service: Replenish) -> None:
        super().__init__(service)
        self.received: list[type[Message]] = []
        self.reschedules = 0

    def on_reminders_changed(self, message: RemindersChanged) -> None:
        self.received.append(RemindersChanged)

    def _reschedule(self) -> None:
        self.reschedules += 1


def begun(data: Path, step: tuple[str, int] | None = None) -> Told:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    if step is not None:
        service.set_position(step[0], 1, step[1])
    service.close()
    return Told(make_service(data, SMALL))


async def test_a_plan_steps_reminder_reaches_the_scheduler_as_a_message(tmp_path: Path) -> None:
    """The runner used to look for the app's `reminders_changed` by name (getattr): it
    posts RemindersChanged now, and the app reschedules."""
    app = begun(tmp_path / "data", ("rest", 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-what")))
        await pilot.press(*"a walk", "tab", *"20:30", "tab", "space")
        await wait_for(pilot, lambda: len(app.service.store.one_offs()) == 1)
        await wait_for(pilot, lambda: app.received == [RemindersChanged])
        assert app.reschedules == 1
        await pilot.press("space")  # unticked: withdrawn, rescheduled again
        await wait_for(pilot, lambda: app.service.store.one_offs() == [])
        await wait_for(pilot, lambda: app.reschedules == 2)
    app.service.close()


def told(app: ReplenishApp) -> list[str]:
    return [notice.message for notice in app._notifications]


async def test_pause_is_one_toggle_with_one_set_of_words(tmp_path: Path) -> None:
    """Today's `p` and Settings' button were two pieces of code saying different things;
    both are the app's toggle now, and every view shows the pause."""
    app = begun(tmp_path / "data")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3", "f5")  # Journey and Settings live on, out of sight
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("f2", "p")
        await wait_for(pilot, lambda: PAUSED in told(app))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        assert "Paused since" in str(app.screen.query_one("#plan-state", Static).render())
        app.screen.query_one("#pause-resume", Button).press()
        await wait_for(pilot, lambda: RESUMED in told(app))
        await wait_for(pilot, lambda: not app.service.schedule().paused)  # type: ignore[union-attr]
        await pilot.pause()
        assert "Running" in str(app.screen.query_one("#plan-state", Static).render())
        app.screen.query_one("#pause-resume", Button).press()
        await wait_for(pilot, lambda: told(app).count(PAUSED) == 2)
        await pilot.press("f3")  # left before the pause: shows it now
        await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))
        await wait_for(pilot, lambda: "‖ paused" in screen_text(app))
        await pilot.press("f2")
        await wait_for(pilot, lambda: "Your plan is paused" in screen_text(app))
    app.service.close()


async def test_closing_a_dialog_leaves_the_screen_under_it_as_it_was(tmp_path: Path) -> None:
    """Closing a past day's record used to redraw the Journey and put the cursor back
    on today; a dialog over a screen is not leaving it."""
    data = tmp_path / "data"
    service = make_service(data, SMALL)
    service.start(on=FIXED_NOW.date() - timedelta(days=2))
    service.close()
    app = Told(make_service(data, SMALL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))
        grid = app.screen.query_one("#journey-grid", DataTable)
        assert grid.cursor_coordinate == Coordinate(0, 2)  # day 3, today
        await pilot.press("left", "enter")  # day 2
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))
        await pilot.pause()
        assert grid.cursor_coordinate == Coordinate(0, 1)
        assert "Day 2" in str(app.screen.query_one("#journey-day-words", Static).render())
    app.service.close()


async def test_today_reads_the_plan_again_only_after_being_left(tmp_path: Path) -> None:
    """Today read the whole plan again on every resume, after Help or a question over it
    too (a cost that grows with history); now once to open, and again after an exercise
    or another screen when something was written meanwhile, not after a dialog, and not
    after another screen when nothing was written (the service's version says so)."""
    app = begun(tmp_path / "data")
    drawn: list[int] = []
    real = TodayScreen.refresh_view

    def counted(screen: TodayScreen) -> None:
        drawn.append(1)
        real(screen)

    TodayScreen.refresh_view = counted  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: "Daily check-in" in screen_text(app))
            assert len(drawn) == 1
            for key, dialog in (("f1", HelpScreen), ("s", SetAsideScreen)):
                await pilot.press(key)
                await wait_for(pilot, lambda: isinstance(app.screen, dialog))  # noqa: B023
                await pilot.press("escape")
                await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
            await pilot.pause()
            assert len(drawn) == 1
            await pilot.press("enter")  # an exercise over Today: it redraws after
            await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            await pilot.press("5", "escape")  # answered: it is in progress now
            await wait_for(pilot, lambda: "◐ in progress" in screen_text(app))
            assert len(drawn) == 2
            await pilot.press("f3", "f2")  # nothing written on the way: nothing read
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
            await pilot.pause()
            assert len(drawn) == 2
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))
            other = make_service(tmp_path / "data")  # another process answers meanwhile
            other.save_answer("check-in", 1, "energy", 7)
            other.close()
            await pilot.press("f2")
            await wait_for(pilot, lambda: len(drawn) == 3)
    finally:
        TodayScreen.refresh_view = real  # type: ignore[method-assign]
    app.service.close()
