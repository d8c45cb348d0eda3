"""The Journey screen: a symbol and a word for every day's state, and a past day's answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from program import journal
from program.service import Replenish
from program.tui.screens.journey import JourneyScreen
from program.tui.widgets.journey_day import DayScreen
from tests.conftest import enrolled
from tests.tui.conftest import Host, drawn_text, wait_for

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
START = date(2025, 3, 3)
NOW = datetime(2025, 3, 8, 12, 0, tzinfo=UTC)  # day 6 of the small program


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Replenish]:
    opened = enrolled(tmp_path / "data", SMALL, start=START, now=NOW)
    opened.complete("rest", 1)  # day 1: done
    opened.save_answer("rest", 1, "when", {"what": "[b]a nap[/b] $HOME", "when": "Sunday"})
    opened.save_answer("check-in", 1, "energy", 4)
    opened.save_answer("check-in", 1, "words", "slept \x1b[31m badly")
    opened.skip("rest", 2, "too tired")  # day 2: set aside
    opened.save_answer("rest", 3, "when", "later")  # day 3: started, still open
    yield opened
    opened.close()


def grid_cells(screen: JourneyScreen) -> list[list[str]]:
    grid = screen.query_one("#journey-grid", DataTable)
    return [[str(cell) for cell in grid.get_row_at(row)] for row in range(grid.row_count)]


async def test_grid_shows_a_symbol_for_every_state(service: Replenish) -> None:
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JourneyScreen)
        await pilot.pause()
        assert grid_cells(screen) == [
            ["✓ 1", "– 2", "○ 3", "○ 4", "○ 5", "▸ 6", "· 7"],
            ["· 8", "· 9", "· 10", "· 11", "· 12", "· 13", "· 14"],
        ]
        legend = drawn_text(screen.query_one("#journey-legend"))
        for words in ("✓ done", "▸ today", "○ open", "– set aside", "‖ paused", "· ahead"):
            assert words in legend
        assert "missed" not in legend
        grid = screen.query_one("#journey-grid", DataTable)
        assert grid.cursor_coordinate == Coordinate(0, 5), "the cursor starts on today"
        drawn = drawn_text(grid)
        assert "Week 1" in drawn and "✓ 1" in drawn and "▸ 6" in drawn
        words = screen.query_one("#journey-day-words", Static)
        assert "Day 6, Saturday 08 March: ▸ today" in drawn_text(words)
        await pilot.press("left", "left", "left", "left")
        assert "Day 2, Tuesday 04 March: – set aside" in drawn_text(words)


async def test_paused_day_shows_paused(service: Replenish) -> None:
    service.pause()
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JourneyScreen)
        await pilot.pause()
        assert grid_cells(screen)[0][5] == "‖ 6"


async def test_enter_on_a_past_day_shows_its_answers_literally(service: Replenish) -> None:
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("left", "left", "left", "left", "left", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        day = app.screen
        assert isinstance(day, DayScreen)
        assert day.record.day == 1
        texts = [str(static.render()) for static in day.query(Static)]
        assert "Day 1 · Monday 03 March 2025" in texts
        assert "[b]a nap[/b] $HOME\nWhen: Sunday" in texts
        assert "slept ␛[31m badly" in texts, "the past check-in is there, escape made visible"
        assert "4" in texts
        assert any("A short rest" in text and "✓ done" in text for text in texts)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))


async def test_a_second_click_on_a_day_opens_it_and_ahead_days_stay_closed(
    service: Replenish,
) -> None:
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JourneyScreen)
        await pilot.pause()
        grid = screen.query_one("#journey-grid", DataTable)
        region = grid.content_region
        label_width = len("Week 1") + 2
        widths = [column.get_render_width(grid) for column in grid.ordered_columns]
        x = label_width + widths[0] + widths[1] // 2  # the middle of day 2's cell
        offset = (x, 0)
        assert region.width > x
        await pilot.click(grid, offset=offset)
        assert grid.cursor_coordinate == Coordinate(0, 1)
        await pilot.click(grid, offset=offset)
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        assert isinstance(app.screen, DayScreen) and app.screen.record.day == 2
        texts = [str(static.render()) for static in app.screen.query(Static)]
        assert any("A short rest" in text and "set aside" in text for text in texts)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        screen.open_day(9)
        await pilot.pause()
        assert app.screen is screen, "a day ahead opens nothing"


def test_day_record_lists_unanswered_questions_too(service: Replenish) -> None:
    record = journal.day_record(service, 3)
    assert [(item.title, item.state) for item in record.exercises] == [
        ("A short rest", "in progress")
    ]
    assert record.exercises[0].answers == (
        journal.AnsweredStep("When will you rest again?", "later"),
    )
    assert record.date == date(2025, 3, 5)
