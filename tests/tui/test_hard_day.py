"""The hard-day practice opens from any screen (ctrl+g, even while typing) and the palette;
a low check-in shows the short form of the day's exercises."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from textual.widgets import TextArea

from program.tui.screens.runner import ExerciseScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import make_app, screen_text, wait_for

START = date(2027, 1, 4)
DAY_4 = datetime.combine(START + timedelta(days=3), time(12), tzinfo=UTC)


def begun(data: Path) -> None:
    service = enrolled(data, BUNDLED, start=START, now=DAY_4)
    service.save_answer("safety-check", 1, "put-down", "Never")
    service.close()


async def test_ctrl_g_opens_the_steady_minute_while_typing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    begun(data)
    app = make_app(data, BUNDLED, lambda: DAY_4)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_exercise("check-in", 4, 2)  # the check-in's words: a text box
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press("h", "i", "ctrl+g")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ExerciseScreen)
            and app.screen.exercise.id == "steady-now",
        )
        assert "A steady minute" in screen_text(app)
        assert app.service.answers("check-in", 4)["words"].value == "hi"  # nothing lost
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Hard day" in commands
    app.service.close()


async def test_a_low_check_in_shows_the_short_body_scan(tmp_path: Path) -> None:
    data = tmp_path / "data"
    begun(data)
    app = make_app(data, BUNDLED, lambda: DAY_4)
    async with app.run_test(size=(80, 24)) as pilot:
        app.service.save_answer("check-in", 4, "energy", 1)
        app.open_exercise("body-scan", 4)
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.minutes == 2
        await wait_for(pilot, lambda: "Notice your feet" in screen_text(app))
        assert "Step 1 of 2" in screen_text(app)
    app.service.close()
