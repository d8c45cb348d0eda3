"""The runner shows the shorter words of a repeat, and the partner's name as characters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from program.tui.screens.runner import ExerciseScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import make_app, screen_text, wait_for

START = date(2027, 1, 4)


def at(day: int) -> datetime:
    moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC)
    return moment.replace(hour=12)


async def test_mindful_minutes_met_again_opens_with_its_short_words(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(8))
    service.complete("mindful-minutes", 5)
    service.set_position("mindful-minutes", 8, 0)
    service.close()
    app = make_app(data, BUNDLED, lambda: at(8))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await wait_for(pilot, lambda: "Three minutes, again" in screen_text(app))
        text = screen_text(app)
        assert "Mindfulness means" not in text and "Step 1 of 3" in text
    app.service.close()


async def test_the_partner_name_is_drawn_as_typed_inside_the_programs_words(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(2))
    name = "Sam\x1b[2J *Al* [b]x[/b]"
    service.save_settings(replace(service.settings(), partner_name=name))
    service.set_position("tell-your-partner", 2, 0)
    service.close()
    app = make_app(data, BUNDLED, lambda: at(2))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Letting them in" in screen_text(app))
        text = screen_text(app)
        assert "You do not need Sam␛[2J *Al* [b]x[/b] to join" in " ".join(text.split())
        assert "\x1b" not in text
    app.service.close()
