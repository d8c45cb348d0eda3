"""The app's Today past the last day at 80x24: the weekly check-in on its day, opened and
walked with the first signs from week 6 on screen; the days between name the next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.today import TodayScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import held_still, make_app, screen_text, wait_for

START = date(2027, 1, 4)  # day 49 is Sunday 21 February 2027
SnapCompare = Callable[..., bool]


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=12
    )


def ended(data: Path, today: int) -> ReplenishApp:
    """The bundled plan on `today`, with the first signs written on day 41."""
    service = enrolled(data, BUNDLED, start=START, now=at(41))
    service.save_answer("keep-going", 41, "early-signs", "[b]short fuse[/b] \x1b[31m")
    service.save_answer("keep-going", 41, "keep-rest", "The body scan")
    service.close()
    return make_app(data, BUNDLED, now=lambda: at(today))


def option_ids(app: ReplenishApp) -> list[str]:
    options = app.screen.query_one("#exercises", OptionList).options
    return [option.id for option in options if option.id is not None]


@pytest.fixture(autouse=True)
def still(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


async def test_between_check_ins_today_names_the_next(tmp_path: Path) -> None:
    app = ended(tmp_path / "data", today=46)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        shown = screen_text(app)
        assert "You have reached the end of the 42 days." in shown
        assert "Your next weekly check-in is on Sunday 21 February." in shown
        assert not any(ident.startswith("weekly-check-in@") for ident in option_ids(app))
    app.service.close()


async def test_on_its_day_today_opens_the_weekly_check_in(tmp_path: Path) -> None:
    app = ended(tmp_path / "data", today=49)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert "The 42 days are complete." in screen_text(app)
        assert "This week's check-in, about 4 minutes." in screen_text(app)
        assert option_ids(app)[0] == "weekly-check-in@49"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert "Once a week" in screen_text(app)
        for _ in range(3):  # past the two scales to the first signs
            await pilot.press("f8")
        await wait_for(pilot, lambda: bool(app.screen.query("#recalled")))
        recalled = str(app.screen.query_one("#recalled", Static).render())
        assert recalled.startswith("Your own first signs of running low, from week 6:")
        assert recalled.endswith("[b]short fuse[/b] ␛[31m")  # literally, never markup
    app.service.close()


async def test_once_done_today_names_the_next_check_in(tmp_path: Path) -> None:
    app = ended(tmp_path / "data", today=49)
    app.service.complete("weekly-check-in", 49)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        shown = screen_text(app)
        assert "This week's check-in is done." in shown
        assert "Your next weekly check-in is on Sunday 28 February." in shown
    app.service.close()


def test_the_weekly_check_in_day_snapshot(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = ended(tmp_path / "data", today=49)
    assert snap_compare(app, terminal_size=(80, 24), run_before=held_still)
