"""A new user from the Welcome to the end of day 1; quitting and coming back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TextArea

from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.today import TodayScreen
from program.tui.screens.welcome import WelcomeScreen
from tests.conftest import enrolled
from tests.tui.conftest import BUNDLED, FIXED_NOW, make_app, wait_for
from tests.tui.steps import finish_exercise, runner


async def test_new_user_walks_from_welcome_to_the_end_of_day_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data, BUNDLED)
    kinds: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")  # Continue
        await pilot.click("#partner-name")
        await pilot.press(*"Sam")
        await pilot.click("#begin-intake")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert runner(app).exercise.id == "taking-stock"
        kinds |= await finish_exercise(pilot, app)
        assert "Back to Today" in str(app.screen.query_one("#to-today").render())
        await pilot.press("enter")  # Back to Today
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        # Every other exercise of day 1, opened from Today with Enter.
        while True:
            today = app.service.today()
            assert today is not None and today.today is not None
            waiting = [due for due in today.today.exercises if not due.settled]
            if not waiting:
                break
            options = app.screen.query_one("#exercises", OptionList)
            options.highlighted = next(
                index
                for index, option in enumerate(options.options)
                if option.id == f"{waiting[0].exercise.id}@1"
            )
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            kinds |= await finish_exercise(pilot, app)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert {"read", "scale", "reflect", "choice", "checklist"} <= kinds
        assert "Today is done" in str(app.screen.query_one("#summary").render())
    app.service.close()

    again = make_app(data, BUNDLED)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, TodayScreen)
        summary = str(again.screen.query_one("#summary").render())
        assert "Today is done" in summary
        labels = [str(option.prompt) for option in again.screen.query_one(OptionList).options]
        assert labels and all("✓ done" in label for label in labels)
        assert again.service.settings().partner_name == "Sam"
    again.service.close()


async def test_quitting_mid_typing_resumes_at_the_same_step_with_the_words(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, now=FIXED_NOW)
    service.close()
    app = make_app(data, BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one("#exercises", OptionList)
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == "check-in@1"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press("3", "f8", "4", "f8")
        await wait_for(pilot, lambda: runner(app).index == 2)
        await pilot.press(*"half a thought")
        # leave at once: no pause for the debounce timer
    app.service.close()

    again = make_app(data, BUNDLED)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ExerciseScreen))
        screen = runner(again)
        assert (screen.exercise.id, screen.day, screen.index) == ("check-in", 1, 2)
        await wait_for(pilot, lambda: bool(screen.query(TextArea)))
        assert screen.query_one(TextArea).text == "half a thought"
        await pilot.press("f7")
        await wait_for(pilot, lambda: screen.index == 1)
        assert "[4]" in str(screen.query_one("#scale").render())
    again.service.close()
