"""The timer step: a bar that draws, words that fit at 80 columns, a redraw once a second,
and a clock the tests can move (they never wait for the timer's real seconds)."""

from __future__ import annotations

from pathlib import Path

from program.tui.widgets.timer import TimerView, clock_words, until_next_second
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for
from tests.tui.steps import runner


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_countdown_changes_on_its_seconds() -> None:
    assert [clock_words(left) for left in (300, 299.5, 61, 60, 0.4, 0)] == [
        "5:00",
        "5:00",
        "1:01",
        "1:00",
        "0:01",
        "0:00",
    ]
    assert until_next_second(3.0) == 1.0
    assert abs(until_next_second(2.25) - 0.25) < 1e-9


async def test_the_timer_draws_its_bar_fits_and_redraws_once_a_second(tmp_path: Path) -> None:
    """It redrew every 0.2 s (noise to a screen reader), its bar never drew (no room for it
    under its padding) and at 80 columns "Time is up" wrapped onto the button's border."""
    service = enrolled(tmp_path / "data", SMALL, now=FIXED_NOW)
    service.set_position("rest", 1, 0)
    service.close()
    app = make_app(tmp_path / "data", SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(runner(app).view, TimerView))
        view = runner(app).view
        assert isinstance(view, TimerView)
        clock = FakeClock()
        view.clock = clock
        shown: list[int] = []
        real_show = view._show

        def counted() -> None:
            shown.append(1)
            real_show()

        view._show = counted  # type: ignore[method-assign]
        assert "━" * 40 in screen_text(app), "the bar is drawn"
        assert "0:03, not started yet" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "▶ 0:03 left" in screen_text(app))
        await pilot.pause(1.2)  # the clock stood still: one tick at most, a second on
        assert 1 <= len(shown) <= 2, f"{len(shown)} redraws in 1.2 s"
        clock.now += 1.0
        await wait_for(pilot, lambda: "▶ 0:02 left" in screen_text(app))
        clock.now += 2.0
        await wait_for(pilot, lambda: view.finished)
        lines = screen_text(app).splitlines()
        assert any(line.strip() == "✓ Time is up. Well done." for line in lines), lines
        assert app.service.answers("rest", 1)["timer-1"].value is True
    app.service.close()
