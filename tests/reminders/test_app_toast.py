"""The app shows a toast (and rings) for a reminder that falls while it is open."""

from __future__ import annotations

from pathlib import Path

from program.tui.app import ReplenishApp
from tests.reminders.helpers import (
    begin,
    key_for,
    moment_ahead,
    open_small,
    set_times,
    wait_until_async,
)

EXPECTED = "A few quiet minutes are waiting, about 6 min. Whenever you are ready."


async def test_a_reminder_falling_while_the_app_is_open_shows_a_toast(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    fire = moment_ahead(service, 2)
    set_times(service, fire.time())
    app = ReplenishApp(service)
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        messages = lambda: [note.message for note in app._notifications]  # noqa: E731
        await wait_until_async(lambda: EXPECTED in messages())
        toast = next(note for note in app._notifications if note.message == EXPECTED)
        assert toast.title == "Replenish" and toast.markup is False
        await pilot.pause()
    assert key_for(service, fire) in service.delivered_keys()
    assert messages().count(EXPECTED) == 1
