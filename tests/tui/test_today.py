"""Today: completing a day at 80x24, pausing and resuming, setting an exercise aside."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from program.plan import Status
from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.set_aside import SetAsideScreen
from program.tui.screens.today import TodayScreen
from state import StoreBusy
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for
from tests.tui.steps import finish_exercise


def started(data: Path, program: Path = SMALL) -> ReplenishApp:
    service = enrolled(data, program, now=FIXED_NOW)
    service.close()
    return make_app(data, program)


def highlight(app: ReplenishApp, option_id: str) -> None:
    options = app.screen.query_one("#exercises", OptionList)
    options.highlighted = next(
        index for index, option in enumerate(options.options) if option.id == option_id
    )


async def test_a_whole_day_at_80x24_with_every_step_kind(tmp_path: Path) -> None:
    app = started(tmp_path / "data")
    kinds: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        for ident in ("check-in@1", "intake@1", "rest@1"):
            highlight(app, ident)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            kinds |= await finish_exercise(pilot, app)
            closing = str(app.screen.query_one("#closing").render())
            assert closing in app.service.program.closings
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert kinds == {"read", "reflect", "scale", "checklist", "choice", "timer", "plan"}
        text = screen_text(app)
        assert "Today is done" in text
        assert text.count("✓ done") == 3
        today = app.service.today()
        assert today is not None and today.today is not None and today.today.done
        answers = app.service.answers("rest", 1)
        assert answers["timer-1"].value is True
        plan = answers["when"].value
        assert isinstance(plan, dict)
        assert (plan["what"], plan["when"], plan["remind"]) == ("a walk", "20:30", True)
        reminders = app.service.store.one_offs()
        assert [(r.fire_at.hour, r.fire_at.minute, r.text) for r in reminders] == [
            (20, 30, "You planned: a walk")
        ]
        assert app.service.answers("intake", 1)["safe"].value == "Yes"
        assert app.service.answers("intake", 1)["signs"].value == ["Tired"]
    app.service.close()


async def test_pause_and_resume_from_today(tmp_path: Path) -> None:
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#paused").display
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query_one("#paused").display)
        today = app.service.today()
        assert today is not None and today.status is Status.PAUSED
        assert "Your plan is paused" in screen_text(app)
        await pilot.click("#resume-plan")
        await wait_for(pilot, lambda: not app.screen.query_one("#paused").display)
        today = app.service.today()
        assert today is not None and today.status is Status.ACTIVE
    app.service.close()


async def test_a_busy_store_is_a_message_not_a_crash(tmp_path: Path) -> None:
    app = started(tmp_path / "data")

    def busy(on: object = None) -> None:
        raise StoreBusy(app.service.store.path)

    app.service.store.pause = busy  # type: ignore[assignment,method-assign]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("p")
        await wait_for(
            pilot, lambda: any("Could not pause" in n.message for n in app._notifications)
        )
        assert app.is_running and isinstance(app.screen, TodayScreen)
        assert not app.screen.query_one("#paused").display
    app.service.close()


async def test_pause_and_resume_from_the_command_palette(tmp_path: Path) -> None:
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:

        async def palette(command: str) -> None:
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: app.screen.query("CommandInput").first() is not None)
            await pilot.press(*command)
            await pilot.pause(0.3)
            await pilot.press("enter")

        await palette("Pause the plan")
        await wait_for(pilot, lambda: app.service.schedule().paused)  # type: ignore[union-attr]
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#paused").display)
        await palette("Resume the plan")
        await wait_for(pilot, lambda: not app.service.schedule().paused)  # type: ignore[union-attr]
        await wait_for(pilot, lambda: not app.screen.query_one("#paused").display)
    app.service.close()


async def test_set_aside_with_a_private_reason(tmp_path: Path) -> None:
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        highlight(app, "rest@1")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SetAsideScreen))
        assert app.screen.query_one("#reason", Input).has_focus
        await pilot.press(*"too tired [today]", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        outcomes = app.service.store.outcomes()
        assert [(o.exercise_id, o.kind, o.reason) for o in outcomes] == [
            ("rest", "skipped", "too tired [today]")
        ]
        assert "– set aside" in screen_text(app)
        # Escape keeps it: nothing more is stored.
        highlight(app, "check-in@1")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SetAsideScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert len(app.service.store.outcomes()) == 1
    app.service.close()
