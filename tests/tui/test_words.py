"""Words and pictures that say what is true: the check-in chart on the scale's own range,
its numbers said plainly, and a theme chosen anywhere kept under a name people read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Select

from program.tui.app import ReplenishApp
from program.tui.screens.journal import JournalScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.widgets.journal_chart import ScaleSparkline
from tests.conftest import enrolled
from tests.tui.conftest import (
    FIXED_NOW,
    SMALL,
    drawn_text,
    make_app,
    make_service,
    screen_text,
    wait_for,
)


def with_energy(data: Path, values: list[int]) -> ReplenishApp:
    service = make_service(data, SMALL)
    service.start(on=FIXED_NOW.date() - timedelta(days=len(values) - 1))
    for day, value in enumerate(values, start=1):
        service.save_answer("check-in", day, "energy", value)
    service.close()
    return make_app(data, SMALL)


async def chart_of(app: ReplenishApp, pilot: object) -> tuple[ScaleSparkline, str]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
    await pilot.press("ctrl+t")
    screen = app.screen
    assert isinstance(screen, JournalScreen)
    await wait_for(pilot, lambda: screen.chart_loaded)
    await pilot.pause()
    chart = screen.query(ScaleSparkline).first()
    words = drawn_text(screen.query(".scale-words").first())
    return chart, " ".join(words.split())


async def test_one_day_of_3_draws_a_third_of_a_bar_not_a_full_one(tmp_path: Path) -> None:
    """The chart scaled from the lowest to the highest score: one day of 3 drew a bar of
    full height across the whole width, and the words said it 'went always 3'."""
    app = with_energy(tmp_path / "data", [3])
    async with app.run_test(size=(80, 24)) as pilot:
        chart, words = await chart_of(app, pilot)
        rows = drawn_text(chart).splitlines()
        assert len(rows) == 3
        assert rows[0].strip() == rows[1].strip() == "", rows  # 3 of 10: the bottom row only
        assert rows[2].strip() == "▇▇▇", rows  # one day, one bar
        assert words.startswith("Latest 3 (day 1), on a scale of 0 to 10.")
        assert "One day answered so far." in words and "went" not in words
    app.service.close()


async def test_the_words_say_the_latest_and_the_range_plainly(tmp_path: Path) -> None:
    """'Over 4 days it went from 2 to 8' read as a change from 2 to 8; it was a range."""
    app = with_energy(tmp_path / "data", [2, 8, 5, 4])
    async with app.run_test(size=(80, 24)) as pilot:
        chart, words = await chart_of(app, pilot)
        assert "Latest 4 (day 4), on a scale of 0 to 10." in words
        assert "Across the 4 days you answered, the scores ranged from 2 to 8" in words
        assert "(lowest to highest)" in words and "went" not in words
        top = drawn_text(chart).splitlines()[0]
        assert "▃" in top and "█" not in top, "8 of 10 is not a full bar; nothing reaches it"
    app.service.close()


async def test_a_theme_chosen_in_the_palette_is_kept_and_named_for_people(
    tmp_path: Path,
) -> None:
    """The palette's Theme list showed `tokyo-night` and its choice was lost on restart."""
    data = tmp_path / "data"
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.close()
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query(CommandList)))
        await pilot.press(*"Tokyo")
        options = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: options.option_count > 0)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Tokyo Night" in entry for entry in shown), shown
        assert not any("tokyo-night" in entry for entry in shown), shown
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "tokyo-night")
        assert app.service.settings().theme == "tokyo-night"
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        assert app.screen.query_one("#theme", Select).value == "tokyo-night"
        await pilot.press("5")  # to the Look section
        await wait_for(pilot, lambda: "Tokyo Night" in screen_text(app))
    app.service.close()
    again = make_app(data, SMALL)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "tokyo-night"
    again.service.close()
