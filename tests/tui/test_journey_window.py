"""The Journey of a long plan: twelve weeks on show around today, the next brought in as
the cursor moves past an edge, and only the days on show read from the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from program.content import load_program
from program.service import Replenish
from program.tui.screens.journey import WINDOW_WEEKS, JourneyScreen
from state import Store
from tests.tui.conftest import Host, drawn_text

NOW = datetime(2027, 6, 2, 12, tzinfo=UTC)
DAYS = 700
TODAY = 400
"""Program day at NOW: the first day of week 58."""


def long_program(folder: Path) -> Path:
    folder.mkdir()
    (folder / "program.toml").write_text(
        f'id = "long"\ntitle = "A long plan"\ndays = {DAYS}\n', encoding="utf-8"
    )
    (folder / "daily.toml").write_text(
        'id = "daily"\ntitle = "Every day"\nsummary = "One line a day."\n\n'
        '[[exercise]]\nid = "line"\ntitle = "A line"\ndaily = true\nminutes = 1\n\n'
        '  [[exercise.step]]\n  kind = "reflect"\n  id = "words"\n  prompt = "One line?"\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Replenish]:
    opened = Replenish(
        load_program(long_program(tmp_path / "program")),
        Store.open(tmp_path / "data"),
        now=lambda: NOW,
    )
    start = NOW.date() - timedelta(days=TODAY - 1)
    opened.store.enrol("long", start, 4, NOW)
    for day in range(1, TODAY):
        opened.store.complete("line", day, NOW)
    yield opened
    opened.close()


def week_labels(grid: DataTable[object]) -> list[str]:
    return [str(grid.rows[key].label) for key in grid.rows]


async def test_a_long_plan_shows_twelve_weeks_around_today_and_reads_only_them(
    service: Replenish,
) -> None:
    asked: list[tuple[int, int | None]] = []
    journey = service.journey

    def counted(first: int = 1, last: int | None = None) -> object:
        asked.append((first, last))
        return journey(first, last)

    service.journey = counted  # type: ignore[method-assign]
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JourneyScreen)
        await pilot.pause()
        grid = screen.query_one("#journey-grid", DataTable)
        assert grid.row_count == WINDOW_WEEKS
        today_week = (TODAY - 1) // 7 + 1
        assert week_labels(grid)[-3:] == [f"Week {w}" for w in range(today_week, today_week + 3)]
        assert grid.cursor_coordinate == Coordinate(WINDOW_WEEKS - 3, (TODAY - 1) % 7)
        assert len(screen.states) == WINDOW_WEEKS * 7
        assert all(last is not None and last - first < WINDOW_WEEKS * 7 for first, last in asked)
        words = screen.query_one("#journey-day-words", Static)
        assert f"Day {TODAY}," in drawn_text(words)
        where = drawn_text(screen.query_one("#journey-where", Static))
        assert f"{TODAY - 1} days done so far" in where


async def test_moving_past_an_edge_brings_the_next_week_in(service: Replenish) -> None:
    app = Host(lambda: JourneyScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JourneyScreen)
        await pilot.pause()
        grid = screen.query_one("#journey-grid", DataTable)
        words = screen.query_one("#journey-day-words", Static)
        first = screen.first_week
        column = grid.cursor_coordinate.column
        await pilot.press(*["down"] * 3)  # two rows to the bottom, then one past it
        await pilot.pause()
        assert screen.first_week == first + 1
        assert grid.cursor_coordinate == Coordinate(WINDOW_WEEKS - 1, column)
        assert f"Day {TODAY + 21}," in drawn_text(words)
        await pilot.press(*["up"] * WINDOW_WEEKS)  # to the top row and one past it
        await pilot.pause()
        assert screen.first_week == first
        assert grid.cursor_coordinate == Coordinate(0, column)
        assert f"Day {TODAY + 21 - 7 * WINDOW_WEEKS}," in drawn_text(words)
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.first_week == first - WINDOW_WEEKS
        assert f"Day {TODAY + 21 - 14 * WINDOW_WEEKS}," in drawn_text(words)
        assert "✓ done" in drawn_text(words)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert screen.first_week == first + 2 * WINDOW_WEEKS
        assert "ahead" in drawn_text(words)
        assert len(screen.states) <= WINDOW_WEEKS * 7


async def test_the_first_and_last_weeks_stop_the_cursor(tmp_path: Path) -> None:
    service = Replenish(
        load_program(long_program(tmp_path / "program")),
        Store.open(tmp_path / "data"),
        now=lambda: NOW,
    )
    service.store.enrol("long", NOW.date(), 4, NOW)  # day 1
    app = Host(lambda: JourneyScreen(service))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, JourneyScreen)
            await pilot.pause()
            grid = screen.query_one("#journey-grid", DataTable)
            assert screen.first_week == 1 and grid.cursor_coordinate == Coordinate(0, 0)
            await pilot.press("up", "pageup")
            await pilot.pause()
            assert screen.first_week == 1 and grid.cursor_coordinate == Coordinate(0, 0)
            for _ in range(DAYS // 7 // WINDOW_WEEKS + 2):
                await pilot.press("pagedown")
            await pilot.press("down", "down")
            await pilot.pause()
            last_week = (DAYS - 1) // 7 + 1
            assert week_labels(grid)[-1] == f"Week {last_week}"
            assert screen.first_week == last_week - WINDOW_WEEKS + 1
            assert grid.cursor_coordinate.row == WINDOW_WEEKS - 1
    finally:
        service.close()
