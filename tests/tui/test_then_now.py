"""The then-and-now view in the app at 80x24: offered on Today from day 39, reached from
the Journal (ctrl+b) and the palette, day 1 and day 39 read on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from program.tui.app import ReplenishApp
from program.tui.screens.journal import JournalScreen
from program.tui.screens.then_now import ThenNowScreen
from program.tui.screens.today import THEN_AND_NOW, TodayScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import held_still, make_app, screen_text, wait_for

START = date(2026, 1, 5)
SnapCompare = Callable[..., bool]


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=10
    )


def answered(data: Path, today: int = 40) -> ReplenishApp:
    """The bundled plan on `today`, with the starting numbers and the intake answered on
    days 1 and 39 and a check-in in week 1 and in the last week."""
    service = enrolled(data, BUNDLED, start=START, now=at(today))
    for day, rested, drained, energy in ((1, 2, 8, 3), (39, 6, 4, 5)):
        service.save_answer("starting-point", day, "rested", rested)
        service.save_answer("taking-stock", day, "drained", drained)
        service.save_answer("check-in", day, "energy", energy)
        service.save_answer("check-in", day, "closeness", 4)
    service.save_answer("taking-stock", 1, "note", "[bold]worn[/bold] \x1b[31mthin")
    service.close()
    return make_app(data, BUNDLED, now=lambda: at(today))


def offered_on_today(app: ReplenishApp) -> bool:
    options = app.screen.query_one("#exercises", OptionList)
    return any(option.id == THEN_AND_NOW for option in options.options)


def shown_text(app: ReplenishApp) -> str:
    return screen_text(app) if isinstance(app.screen, ThenNowScreen) else ""


async def test_day_40_from_today_shows_day_1_beside_day_39(tmp_path: Path) -> None:
    app = answered(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert "Then and now: where you began" in screen_text(app)
        options = app.screen.query_one("#exercises", OptionList)
        index = next(i for i, o in enumerate(options.options) if o.id == THEN_AND_NOW)
        options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Your daily check-in" in shown_text(app))
        first = shown_text(app)
        assert "Energy (0 empty, 10 full): about 3 of 10 in week 1, about 5 in the" in first
        assert "Most days lately, how rested do you feel?" in first
        assert "Day 1: 2    Day 39: 6" in first
        await pilot.press("end")  # the intake's answers lie below the first screenful
        await wait_for(pilot, lambda: "Day 1: 8    Day 39: 4" in shown_text(app))
        last = shown_text(app)
        assert "how drained do you feel" in last
        assert "[bold]worn[/bold] ␛[31mthin" in last  # the user's words, literally
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))


async def test_before_day_39_today_does_not_offer_it(tmp_path: Path) -> None:
    app = answered(tmp_path / "data", today=38)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert not offered_on_today(app)
        assert "Then and now" not in screen_text(app)


async def test_the_journal_opens_it_with_ctrl_b_and_escape_goes_back(tmp_path: Path) -> None:
    app = answered(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press("ctrl+b")  # while the search box has the focus, too
        await wait_for(pilot, lambda: "Day 1: 2    Day 39: 6" in shown_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))


async def test_the_palette_opens_it(tmp_path: Path) -> None:
    app = answered(tmp_path / "data", today=20)  # any day: the palette always has it
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Then and now")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "It comes back on day 39." in shown_text(app))
        assert "Day 1: 2" in shown_text(app) and "Day 39" not in shown_text(app)


@pytest.fixture(autouse=True)
def still(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def test_then_and_now_snapshot(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def open_it(pilot: Pilot[None]) -> None:
        pilot.app.action_then_and_now()  # type: ignore[attr-defined]
        await held_still(pilot)

    app = answered(tmp_path / "data")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


async def test_after_the_last_day_today_still_offers_it(tmp_path: Path) -> None:
    app = answered(tmp_path / "data", today=45)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert "You have reached the end of the 42 days." in screen_text(app)
        assert offered_on_today(app)
        await pilot.press("enter")  # the only entry: highlighted
        await wait_for(pilot, lambda: "Day 1: 8    Day 39: 4" in shown_text(app))
        # The last week is the plan's (days 36-42, day 39's check-in in it), not days 39-45.
        assert "about 3 of 10 in week 1, about 5 in the" in shown_text(app)


async def test_help_on_the_journal_names_ctrl_b(tmp_path: Path) -> None:
    from program.tui.screens.help import HelpScreen

    app = answered(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_for(pilot, lambda: "Then and now" in screen_text(app))
