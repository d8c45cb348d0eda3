"""Nothing cut off at 80x24: each case below was cut or pushed off screen before."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from program.tui.screens.journal import JournalScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.screens.welcome import WelcomeScreen
from tests.conftest import enrolled
from tests.tui.conftest import BUNDLED, FIXED_NOW, make_app, screen_text, wait_for


async def test_the_empty_workload_tab_says_it_in_full(tmp_path: Path) -> None:
    """It was a table row whose 16-column cell read "Nothing noted ye"."""
    service = enrolled(tmp_path / "data", BUNDLED, now=FIXED_NOW)
    service.close()
    app = make_app(tmp_path / "data", BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await pilot.press("ctrl+t", "ctrl+t")
        await wait_for(pilot, lambda: screen.table_loaded)
        await pilot.pause()
        assert "Nothing noted yet. Your answers in the workload steps will show here." in (
            screen_text(app)
        )
    app.service.close()


async def test_the_begin_buttons_stay_on_screen_under_a_problem(tmp_path: Path) -> None:
    """A problem line pushed the Begin buttons' lower edge off an 80x24 screen."""
    app = make_app(tmp_path / "data", BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#start-date")))
        app.screen.query_one("#start-date", Input).value = "2026-02-30"
        await pilot.click("#begin")
        await wait_for(pilot, lambda: "is not a date" in screen_text(app))
        assert isinstance(app.screen, WelcomeScreen)
        screen = app.screen
        for button in ("#begin-intake", "#begin", "#back"):
            region = screen.query_one(button).region
            assert region.bottom <= 23, (button, region)  # above the footer, whole
        app.screen.query_one("#start-date", Input).value = "2026-03-02"  # fixed: the offer
        await wait_for(pilot, lambda: "Take it now or later" in screen_text(app))
        assert "is not a date" not in screen_text(app)
    app.service.close()


async def test_settings_rows_stay_put_when_a_time_is_refused(tmp_path: Path) -> None:
    """The refusal took two lines where its empty line took one: every row under it
    moved down a line while the time was being fixed, and back up after."""
    service = enrolled(tmp_path / "data", BUNDLED, now=FIXED_NOW)
    service.close()
    app = make_app(tmp_path / "data", BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        days = app.screen.query_one("#day-mon")
        where = days.region
        box = app.screen.query_one("#reminder-times", Input)
        box.focus()
        box.value = "9pm"
        await pilot.press("tab")
        await wait_for(pilot, lambda: "is not a time" in screen_text(app))
        assert days.region == where
    app.service.close()
