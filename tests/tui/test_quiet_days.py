"""The first day back after quiet days, on Today at 80x24: one gentle practice first, the
safety check kept beside it, everything else one entry away."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import OptionList

from program.text import WELCOME_BACK
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.today import SHOW_ALL, TodayScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import make_app, screen_text, wait_for

START = date(2026, 1, 5)


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=10
    )


def listed(app: object) -> list[str]:
    options = app.screen.query_one("#exercises", OptionList)  # type: ignore[attr-defined]
    return [str(option.prompt) for option in options.options]


async def test_the_day_back_offers_one_practice_and_the_rest_is_one_step_away(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(1))
    service.save_answer("safety-check", 1, "hurt", "Never")  # begun, not finished: it stays
    service.close()
    app = make_app(data, BUNDLED, now=lambda: at(6))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert WELCOME_BACK in screen_text(app)
        entries = listed(app)
        assert "Coming back, gently · 3 min" in entries[0]
        assert "A minute for you · 2 min" in entries[1]  # the safety check is never put away
        assert "Show everything that is open" in entries[-1]
        assert not any("Move to settle" in entry for entry in entries)  # day 6's practice
        options = app.screen.query_one("#exercises", OptionList)
        options.highlighted = len(options.options) - 1
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == SHOW_ALL
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("Move to settle" in entry for entry in listed(app)))
        assert WELCOME_BACK not in screen_text(app)
        assert any("Coming back" in entry for entry in listed(app)) is False

    app = make_app(data, BUNDLED, now=lambda: at(6))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        app.screen.query_one("#exercises", OptionList).highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert "Welcome back" in screen_text(app)
