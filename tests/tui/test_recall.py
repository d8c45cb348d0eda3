"""The runner shows a follow-up's recalled answer above its step, literally."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from program.tui.screens.runner import ExerciseScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import make_app, screen_text, wait_for

START = date(2027, 1, 4)
DAY_7 = datetime.combine(START + timedelta(days=6), datetime.min.time(), UTC).replace(hour=12)


async def test_the_rest_follow_up_shows_the_plan_made_on_day_5(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=DAY_7)
    service.save_answer(
        "rest-block", 5, "rest-when", {"what": "[b]Nap[/b] \x1b[31m", "when": "Sat 2pm"}
    )
    service.set_position("rest-look-back", 7, 0)
    service.close()
    app = make_app(data, BUNDLED, lambda: DAY_7)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#recalled")))
        assert isinstance(app.screen, ExerciseScreen)
        shown = str(app.screen.query_one("#recalled", Static).render())
        assert shown == "You planned this rest block:\n[b]Nap[/b] ␛[31m\nWhen: Sat 2pm"
        assert "[b]Nap[/b] ␛[31m" in screen_text(app)
        await pilot.press("f8")  # the next step recalls nothing
        await wait_for(pilot, lambda: not app.screen.query("#recalled"))
    app.service.close()
