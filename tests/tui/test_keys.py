"""By keyboard alone, without friction: each case below failed on the code before it."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, TextArea

from program.tui.app import ReplenishApp
from program.tui.screens.journal import JournalScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.settings import SECTIONS, SettingsScreen
from program.tui.screens.today import TodayScreen
from state import JSONValue
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for
from tests.tui.steps import runner
from tests.tui.test_styles import every_screen, started


def at_step(
    data: Path, exercise_id: str, step: int, answers: dict[str, JSONValue] | None = None
) -> ReplenishApp:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    for step_id, value in (answers or {}).items():
        service.save_answer(exercise_id, 1, step_id, value)
    service.set_position(exercise_id, 1, step)
    service.close()
    return make_app(data, SMALL)


async def test_enter_moves_on_from_a_scale_a_choice_and_a_checklist(tmp_path: Path) -> None:
    """Enter did nothing on a scale, and on a choice or checklist it ticked and stayed.
    Now it moves on; on a one-option choice it takes the highlighted option first."""
    app = at_step(tmp_path / "data", "check-in", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#scale")))
        screen = runner(app)
        await pilot.press("7", "enter")
        await wait_for(pilot, lambda: screen.index == 1)
        assert app.service.answers("check-in", 1)["energy"].value == 7
        app.open_exercise("intake", 1, 1)  # the choice: Do you feel safe?
        await wait_for(pilot, lambda: bool(app.screen.query("#choice")))
        screen = runner(app)
        await pilot.press("enter")  # the first option is highlighted: Yes
        await wait_for(pilot, lambda: screen.index == 2)
        assert app.service.answers("intake", 1)["safe"].value == "Yes"
        await wait_for(pilot, lambda: bool(app.screen.query("#checklist")))
        await pilot.press("down", "space", "enter")  # Tense ticked, then on: the end
        await wait_for(pilot, lambda: screen.finished)
        assert app.service.answers("intake", 1)["signs"].value == ["Tense"]
    app.service.close()


def drawn(app: ReplenishApp) -> str:
    """The screen as it is drawn, styles included (a focus shown by colour counts here)."""
    console = Console(width=80, record=True, file=io.StringIO(), color_system="truecolor")
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=True)


async def test_every_tab_stop_shows_its_focus(tmp_path: Path) -> None:
    """Scroll containers took a Tab stop on Today, in the runner, on Journey, Settings
    and the Welcome, and showed nothing when they had it."""
    app = started(tmp_path / "data")
    unseen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        async for where, screen in every_screen(pilot, app):
            for widget in list(screen.focus_chain):
                widget.focus()
                await pilot.pause()
                focused = drawn(app)
                screen.set_focus(None)
                await pilot.pause()
                if drawn(app) == focused:
                    unseen.append(f"{where.name}: {type(widget).__name__}#{widget.id}")
    app.service.close()
    assert not unseen, unseen


async def test_escape_in_a_text_box_leaves_the_box_first(tmp_path: Path) -> None:
    """A reflex Esc in a reflection left the whole exercise; now the first leaves the
    box (the words are saved), the second the exercise, as Help says."""
    app = at_step(tmp_path / "data", "check-in", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"half a thought", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.focused is app.screen.query_one("#next")
        await wait_for(
            pilot, lambda: "words" in app.service.answers("check-in", 1)
        )  # leaving the box saved it
        assert app.service.answers("check-in", 1)["words"].value == "half a thought"
        await pilot.press("f1")
        await wait_for(pilot, lambda: "the first Esc leaves the box" in screen_text(app))
        await pilot.press("escape", "escape")  # Help closed; then out of the exercise
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    app.service.close()


async def test_opening_an_exercise_again_resumes_the_step_left(tmp_path: Path) -> None:
    app = at_step(tmp_path / "data", "check-in", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#scale")))
        await pilot.press("4", "f8", "escape")  # on step 2 now; back to Today
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("enter")  # the check-in, highlighted
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await wait_for(pilot, lambda: "Step 2 of 3" in screen_text(app))
        assert runner(app).index == 1
    app.service.close()


async def test_back_into_a_reflection_the_cursor_is_at_the_end(tmp_path: Path) -> None:
    """The cursor was put before the saved text, so new typing landed in front of it."""
    app = at_step(tmp_path / "data", "check-in", 2, {"words": "kept"})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press("f7", "f8")
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*" and more")
        assert app.screen.query_one(TextArea).text == "kept and more"
    app.service.close()


async def test_the_scale_takes_ten_and_says_how(tmp_path: Path) -> None:
    app = at_step(tmp_path / "data", "check-in", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#scale")))
        assert "1 then 0 for 10" in screen_text(app)
        await pilot.press("1", "0")
        await wait_for(pilot, lambda: "You chose 10 of 10" in screen_text(app))
        assert app.service.answers("check-in", 1)["energy"].value == 10
        await pilot.press("3")  # a new number: a digit alone again when it cannot join
        await wait_for(pilot, lambda: "You chose 3 of 10" in screen_text(app))
    app.service.close()


async def test_the_journal_opens_on_its_search_and_ctrl_t_works_from_it(tmp_path: Path) -> None:
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#journal-search", Input)
        await pilot.press(*"calm", "ctrl+t")
        tabs = app.screen.query_one("#journal-tabs")
        await wait_for(pilot, lambda: tabs.active == "checkin")  # type: ignore[attr-defined]
        await pilot.pause(0.3)
        assert tabs.active == "checkin"  # type: ignore[attr-defined]
    app.service.close()


async def test_every_settings_section_is_one_key_away(tmp_path: Path) -> None:
    """The theme was 13 Tab presses into Settings; each section is one number key now
    (outside a text box, where the digit is typed), and the headings show the numbers."""
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        for number, (title, target) in reversed(list(enumerate(SECTIONS, start=1))):
            if isinstance(app.screen.focused, Input):
                await pilot.press("tab")  # a digit in a text box is typing
            await pilot.press(str(number))
            await wait_for(pilot, lambda: app.screen.focused is not None)
            focused = app.screen.focused
            assert focused is not None and focused.id == target, (title, focused)
            assert f"{number} · {title}" in screen_text(app), title  # scrolled into view
    app.service.close()


async def test_ctrl_c_copies_in_a_text_box_else_says_how_to_quit(tmp_path: Path) -> None:
    """Quit is in every screen's footer now (it was only in Help and the palette); ctrl+c
    copies a selection in a text box and elsewhere says that ctrl+q quits."""
    app = at_step(tmp_path / "data", "check-in", 2, {"words": "copy me"})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        assert "^q Quit" in screen_text(app).splitlines()[-1]
        area = app.screen.query_one(TextArea)
        area.select_all()
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: app.clipboard == "copy me")
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: any("ctrl+q" in n.message for n in app._notifications))
        for key in ("f2", "f3", "f4", "f5"):
            await pilot.press(key)
            await pilot.pause(0.2)
            assert "^q Quit" in screen_text(app).splitlines()[-1], key
    app.service.close()
