"""Welcome: nothing is stored before the user says go; bad input gets a plain message."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from textual.widgets import Input

from program.tui import run
from program.tui.screens.today import TodayScreen
from program.tui.screens.welcome import WelcomeScreen
from state import Store
from tests.tui.conftest import SMALL, make_app, screen_text, wait_for


async def test_quitting_the_welcome_half_way_stores_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.click("#reminder-time")
        await pilot.press(*"20:30")
        await pilot.click("#partner-name")
        await pilot.press(*"Sam")
        await pilot.press("f2", "f3")  # other screens wait until the plan has begun
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+q")
    app.service.close()
    with Store.open(data) as store:
        assert store.enrolment() is None
        assert store.settings() == {}
        assert store.answers() == []


async def test_a_bad_date_or_time_is_explained_and_nothing_is_stored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        app.screen.query_one("#start-date", Input).value = "2026-02-30"
        await pilot.click("#begin")
        await wait_for(pilot, lambda: "is not a date" in screen_text(app))
        assert "YYYY-MM-DD" in screen_text(app)
        app.screen.query_one("#start-date", Input).value = "2026-03-09"
        app.screen.query_one("#reminder-time", Input).value = "8pm"
        await pilot.click("#begin")
        await wait_for(pilot, lambda: "is not a time" in screen_text(app))
        assert app.service.enrolment() is None
        assert app.service.store.settings() == {}
        app.screen.query_one("#reminder-time", Input).value = "08:15"
        await pilot.click("#begin")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        enrolment = app.service.enrolment()
        assert enrolment is not None and enrolment.start_date == date(2026, 3, 9)
        reminders = app.service.settings().reminders
        assert reminders.on and reminders.times == (time(8, 15),)
        assert "Your plan begins on Monday 09 March 2026" in screen_text(app)
    app.service.close()


def test_a_broken_program_folder_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: object
) -> None:
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "program.toml").write_text('id = "x"\ntitle = 3\n', encoding="utf-8")
    assert run(folder, tmp_path / "data") == 1
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "the program folder has problems" in err
    assert "Traceback" not in err


async def test_a_first_day_years_away_is_explained_and_nothing_is_stored(tmp_path: Path) -> None:
    """9999-12-31 was accepted, and then the Journey and `remind ics` crashed."""
    data = tmp_path / "data"
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        app.screen.query_one("#start-date", Input).value = "9999-12-31"
        await pilot.click("#begin")
        await wait_for(pilot, lambda: "more than 5 years from today" in screen_text(app))
        assert isinstance(app.screen, WelcomeScreen)
        assert app.service.enrolment() is None
    app.service.close()
