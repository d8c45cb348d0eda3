"""Help: one key from every screen, the keys generated from the bindings, support first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from program.tui.screens.help import DANGER, HelpScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.today import TodayScreen
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for


async def test_f1_opens_help_even_while_typing_and_question_mark_types(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.set_position("check-in", 1, 2)
    service.close()
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"why?")
        assert app.screen.query_one(TextArea).text == "why?"  # `?` is typing here
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert DANGER in screen_text(app)  # on screen, at the top
        keys = str(app.screen.query_one("#help-keys").render()).splitlines()
        for key, words in [("f7", "Back"), ("f8", "Next"), ("f1", "Help"), ("^q", "Quit")]:
            assert any(line.split() == [*key.split(), words] for line in keys), (
                key,
                "|".join(keys),
            )
        assert any("the first Esc leaves the box" in line for line in keys), keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press("escape", "escape")  # out of the text box, then out of the exercise
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = str(app.screen.query_one("#help-keys").render()).splitlines()
        assert any(line.split() == ["s", "Set", "aside"] for line in keys), keys
        assert any(line.split() == ["f1,", "?", "Help"] for line in keys), keys  # no text box
        assert not any("Back" in line for line in keys)  # Today's keys, not the runner's
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.query_one("#support").source == app.service.program.support  # type: ignore[attr-defined]
        await pilot.press("f1")  # the same key closes it
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    app.service.close()
