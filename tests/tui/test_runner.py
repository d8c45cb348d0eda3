"""The exercise runner: literal text, answers kept across Back/Next, keys, plan reminders."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input, TextArea

from program.content.steps import words as words_of
from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from program.tui.widgets.base import DEBOUNCE, MAX_WAIT
from program.when import parse_when
from state import JSONValue, StoreWriteFailed
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for
from tests.tui.steps import runner

HOSTILE = "[bold]x[/] $HOME \x1b[31m"


async def open_exercise(data: Path, exercise_id: str, step: int = 0):  # type: ignore[no-untyped-def]
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.set_position(exercise_id, 1, step)
    service.close()
    return make_app(data, SMALL)


def reflection_with(data: Path, words: str) -> ReplenishApp:
    """An app that resumes on the check-in's reflection step, `words` already saved in it."""
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.save_answer("check-in", 1, "words", words)
    service.set_position("check-in", 1, 2)
    service.close()
    return make_app(data, SMALL)


async def test_hostile_text_is_shown_exactly_as_typed(tmp_path: Path) -> None:
    app = reflection_with(tmp_path / "data", HOSTILE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        area = app.screen.query_one(TextArea)
        shown = "[bold]x[/] $HOME ␛[31m"  # ESC drawn as its picture, never sent to the terminal
        assert area.text == shown
        line = "".join(segment.text for segment in area.render_line(0))
        assert shown in line and "\x1b" not in line
        assert shown in screen_text(app)
        # Pasting it fresh: shown the same way, stored exactly as pasted.
        await pilot.press("ctrl+a", "ctrl+k")
        app.screen.post_message(events.Paste(HOSTILE + " again"))  # as a terminal paste arrives
        await wait_for(pilot, lambda: area.text == shown + " again")
        await pilot.press("escape", "escape")  # out of the text box, then the exercise
        await wait_for(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
        assert app.service.answers("check-in", 1)["words"].value == HOSTILE + " again"
    app.service.close()


def terminal_sends(app: ReplenishApp, data: str) -> None:
    """`data` as the terminal sends it, through Textual's own input parser, to the app."""
    for message in XTermParser().feed(data):
        app.post_message(message)


def bracketed_paste(text: str) -> str:
    return f"\x1b[200~{text}\x1b[201~"


async def test_a_pasted_note_keeps_its_line_breaks(tmp_path: Path) -> None:
    """Terminals send a paste's newlines as CR (tmux, xterm) or CRLF: both are line
    breaks, as in a plain TextArea; other control characters still show as pictures."""
    app = await open_exercise(tmp_path / "data", "check-in", step=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        area = app.screen.query_one(TextArea)
        terminal_sends(
            app, bracketed_paste("The tank felt empty.\r\rSecond paragraph\r\nthird \x07")
        )
        await wait_for(pilot, lambda: "third" in area.text)
        assert area.text == "The tank felt empty.\n\nSecond paragraph\nthird ␇"
        assert area.document.line_count == 4
        await pilot.press("escape", "escape")  # out of the text box, then the exercise
        await wait_for(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
        stored = app.service.answers("check-in", 1)["words"].value
        assert stored == "The tank felt empty.\n\nSecond paragraph\nthird \x07"
    app.service.close()


async def test_a_paste_into_a_one_line_box_keeps_every_line(tmp_path: Path) -> None:
    """A one-line box cannot hold a line break: the pasted lines are joined by spaces,
    so no word is dropped and no ␍ is drawn."""
    app = await open_exercise(tmp_path / "data", "rest", step=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-what")))
        what = app.screen.query_one("#plan-what", Input)
        terminal_sends(app, bracketed_paste("a walk\r\rby the river\r\n"))
        await wait_for(pilot, lambda: "river" in what.value)
        assert what.value == "a walk by the river"
        await pilot.press("escape", "escape")  # out of the text box, then the exercise
        await wait_for(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
        stored = app.service.answers("rest", 1)["when"].value
        assert isinstance(stored, dict) and stored["what"] == "a walk by the river"
    app.service.close()


async def test_c1_controls_are_kept_but_never_reach_the_terminal(tmp_path: Path) -> None:
    """C1 controls (some terminals obey U+009B as CSI) have no picture: the reflection box
    keeps them in its text, and so in the store, but leaves them out of what it draws."""
    words = "calm \x9b2J\x9b31m still calm"
    app = reflection_with(tmp_path / "data", words)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        area = app.screen.query_one(TextArea)
        assert area.text == words
        line = "".join(segment.text for segment in area.render_line(0))
        assert "calm 2J31m still calm" in line and "\x9b" not in line
        area.focus()
        await pilot.press("end", "!")
        await pilot.press("escape", "escape")  # out of the text box, then the exercise
        await wait_for(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
        assert app.service.answers("check-in", 1)["words"].value == words + "!"
    app.service.close()


async def test_back_and_next_keep_every_answer(tmp_path: Path) -> None:
    app = await open_exercise(tmp_path / "data", "check-in")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        screen = runner(app)
        assert "Step 1 of 3" in screen_text(app)
        await pilot.press("right")  # from nothing: the middle
        await pilot.press("right", "right", "left")  # arrows move it
        assert app.service.answers("check-in", 1)["energy"].value == 6
        await pilot.press("end")
        assert app.service.answers("check-in", 1)["energy"].value == 10
        await pilot.press("2")
        assert app.service.answers("check-in", 1)["energy"].value == 2
        await pilot.press("f8", "home", "f8")
        await wait_for(pilot, lambda: screen.index == 2)
        assert "Step 3 of 3" in screen_text(app)
        await pilot.press(*"kept")
        await pilot.press("f7", "f7")
        await wait_for(pilot, lambda: screen.index == 0)
        assert "[2]" in str(screen.query_one("#scale").render())
        await pilot.press("f8", "f8")
        await wait_for(pilot, lambda: screen.index == 2)
        assert screen.query_one(TextArea).text == "kept"
        answers = app.service.answers("check-in", 1)
        assert {key: answer.value for key, answer in answers.items()} == {
            "energy": 2,
            "closeness": 0,
            "words": "kept",
        }
    app.service.close()


async def test_reflection_is_saved_after_a_pause_in_typing(tmp_path: Path) -> None:
    app = await open_exercise(tmp_path / "data", "check-in", step=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"still here")
        await wait_for(
            pilot,
            lambda: (
                "words" in app.service.answers("check-in", 1)
                and app.service.answers("check-in", 1)["words"].value == "still here"
            ),
        )
        assert isinstance(app.screen, ExerciseScreen)  # saved without leaving the step
    app.service.close()


@pytest.mark.parametrize(
    ("exercise_id", "step", "box", "step_id"),
    [("check-in", 2, "#reflect-text", "words"), ("rest", 1, "#plan-what", "when")],
)
async def test_steady_typing_is_saved_while_it_goes_on(
    tmp_path: Path, exercise_id: str, step: int, box: str, step_id: str
) -> None:
    """Every key used to restart the wait for a pause, so steady typing was never saved
    until it stopped; now it is written at least every MAX_WAIT, in every text step."""
    app = await open_exercise(tmp_path / "data", exercise_id, step=step)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(box)))
        loop = asyncio.get_running_loop()
        started = loop.time()
        while step_id not in app.service.answers(exercise_id, 1):
            assert loop.time() - started < 10, "nothing saved in 10 s of steady typing"
            await pilot.press("a")
            await pilot.pause(DEBOUNCE / 4)
        typed = words_of(app.service.answers(exercise_id, 1)[step_id].value).split("\n")[0]
        assert typed and set(typed) == {"a"}
        assert app.screen.focused is app.screen.query_one(box)  # still typing, never left it
    assert loop.time() - started < MAX_WAIT + 1.0
    app.service.close()


async def test_a_refused_save_keeps_the_words_and_retries(tmp_path: Path) -> None:
    app = await open_exercise(tmp_path / "data", "check-in", step=2)
    real_save = app.service.save_answer
    refusals: list[str] = []
    disk = {"full": True}  # until the test frees it: however the saves fall while typing

    def full_disk(exercise_id: str, day: int, step_id: str, value: JSONValue) -> None:
        if disk["full"]:
            refusals.append(step_id)
            raise StoreWriteFailed(app.service.store.path, "No space left on device")
        real_save(exercise_id, day, step_id, value)

    app.service.save_answer = full_disk  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"kept")
        await wait_for(pilot, lambda: "words" in refusals)
        assert "words" not in app.service.answers("check-in", 1)
        assert app.screen.query_one(TextArea).text == "kept"
        disk["full"] = False
        await pilot.press("f7")  # leaving the step writes what is on screen again
        await wait_for(pilot, lambda: "words" in app.service.answers("check-in", 1))
        assert app.service.answers("check-in", 1)["words"].value == "kept"
    app.service.close()


async def test_plan_step_moves_and_withdraws_its_reminder(tmp_path: Path) -> None:
    app = await open_exercise(tmp_path / "data", "rest", step=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-what")))
        await pilot.press(*"a walk", "tab", *"25:00", "tab", "space")
        await wait_for(pilot, lambda: "is not a time of day" in screen_text(app))
        assert app.service.store.one_offs() == []
        await pilot.click("#plan-when")
        app.screen.query_one("#plan-when", Input).value = ""
        await pilot.press(*"2026-03-03 07:15", "enter")
        await wait_for(pilot, lambda: len(app.service.store.one_offs()) == 1)
        assert app.service.store.one_offs()[0].fire_at == datetime(2026, 3, 3, 7, 15, tzinfo=UTC)
        assert "A reminder is set" in screen_text(app)
        await pilot.click("#plan-remind")
        await wait_for(pilot, lambda: app.service.store.one_offs() == [])
    app.service.close()


def test_when_reads_a_time_or_a_day_and_time() -> None:
    assert parse_when("20:30", FIXED_NOW) == datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    assert parse_when("08:00", FIXED_NOW) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC) + timedelta(
        days=1
    )
    assert parse_when(" 2026-03-04 09:05 ", FIXED_NOW) == datetime(2026, 3, 4, 9, 5, tzinfo=UTC)
    for bad, words in [
        ("soon", "not a time"),
        ("2026-13-01 09:00", "not a date"),
        ("2026-03-01 09:00", "already passed"),
        ("tomorrow at 9", "not a time"),
    ]:
        with pytest.raises(ValueError, match=words):
            parse_when(bad, FIXED_NOW)


async def test_the_when_box_shows_an_example_day_that_has_not_passed(tmp_path: Path) -> None:
    """Issue 14, item 8: the example date was a fixed day, long past for most users."""
    data = tmp_path / "data"
    later = FIXED_NOW + timedelta(days=300)  # long after the old fixed example day
    service = enrolled(data, SMALL, now=later)
    service.set_position("rest", 1, 1)
    service.close()
    app = make_app(data, SMALL, now=lambda: later)
    now = later
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-when")))
        hint = str(app.screen.query_one("#plan-when", Input).placeholder)
        example = hint.removeprefix("When? 20:30, or ")
        assert parse_when(example, now) > now, hint
        assert example == f"{(now.date() + timedelta(days=7)).isoformat()} 09:00"
    app.service.close()
