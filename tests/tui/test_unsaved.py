"""Words the store refuses (a full disk) never leave the screen unasked.

Every way out of a step (Escape, Back, Next, F2-F5, the palette, quitting) says so
and offers: try again, write the words to a file the user names, or leave without
them after a second, different button. The full disk is the store's real refusal,
`StoreWriteFailed`, raised where the service writes an answer.
"""

from __future__ import annotations

import stat
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.today import TodayScreen
from program.tui.screens.unsaved import UnsavedScreen
from program.tui.widgets.base import DEBOUNCE
from state import JSONValue, StoreWriteFailed
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, screen_text, wait_for

WORDS = "we laughed at dinner, first time in weeks"


class Disk:
    """The service's writes of a step (answers, a plan's reminder), failing as a full disk
    does while `full` is set."""

    def __init__(self, app: ReplenishApp) -> None:
        self.full = True
        self.refused = 0
        real = app.service.save_answer

        def save_answer(exercise_id: str, day: int, step_id: str, value: JSONValue) -> None:
            self._refuse_if_full()
            real(exercise_id, day, step_id, value)

        app.service.save_answer = save_answer  # type: ignore[method-assign]
        real_add, real_retire = app.service.add_one_off_reminder, app.service.retire_one_off

        def add_one_off_reminder(fire_at: datetime, text: str) -> int:
            self._refuse_if_full()
            return real_add(fire_at, text)

        def retire_one_off(reminder_id: int) -> None:
            self._refuse_if_full()
            real_retire(reminder_id)

        app.service.add_one_off_reminder = add_one_off_reminder  # type: ignore[method-assign]
        app.service.retire_one_off = retire_one_off  # type: ignore[method-assign]
        self.path = app.service.store.path

    def _refuse_if_full(self) -> None:
        if self.full:
            self.refused += 1
            raise StoreWriteFailed(self.path, "database or disk is full")


def on_the_reflection(data: Path) -> ReplenishApp:
    """An app that opens on the check-in's reflection (its last step, after two scales)."""
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.set_position("check-in", 1, 2)
    service.close()
    return make_app(data, SMALL)


async def typed_and_refused(pilot: Pilot[None], app: ReplenishApp, disk: Disk) -> None:
    await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
    await pilot.press(*WORDS)
    await wait_for(pilot, lambda: disk.refused > 0)


def words_on_screen(app: ReplenishApp) -> str:
    runners = [s for s in app.screen_stack if isinstance(s, ExerciseScreen)]
    assert runners, "the exercise is gone, and the words with it"
    return runners[0].query_one(TextArea).text


async def palette(pilot: Pilot[None], app: ReplenishApp, command: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")


def pressing(*keys: str) -> Callable[[Pilot[None], ReplenishApp], Awaitable[None]]:
    async def way_out(pilot: Pilot[None], app: ReplenishApp) -> None:
        await pilot.press(*keys)

    return way_out


def from_palette(command: str) -> Callable[[Pilot[None], ReplenishApp], Awaitable[None]]:
    async def way_out(pilot: Pilot[None], app: ReplenishApp) -> None:
        await palette(pilot, app, command)

    return way_out


WAYS_OUT = {
    "escape": pressing("escape", "escape"),  # out of the text box, then the exercise
    "back (F7)": pressing("f7"),
    "finish (F8)": pressing("f8"),
    "F2": pressing("f2"),
    "F3": pressing("f3"),
    "F4": pressing("f4"),
    "F5": pressing("f5"),
    "ctrl+q": pressing("ctrl+q"),
    "palette Quit": from_palette("Quit"),
    "palette Journal": from_palette("Journal"),
    "palette Resume where I stopped": from_palette("Resume where I stopped"),
}


async def test_every_way_out_asks_while_words_are_unsaved(tmp_path: Path) -> None:
    """One session, every way out in turn, each answered with Stay (Escape)."""
    app = on_the_reflection(tmp_path / "data")
    disk = Disk(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed_and_refused(pilot, app, disk)
        for name, way_out in WAYS_OUT.items():
            await way_out(pilot, app)
            try:
                await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
            except AssertionError:
                raise AssertionError(f"{name} left without asking") from None
            assert app.is_running, name
            assert words_on_screen(app) == WORDS, name
            shown = screen_text(app)
            assert "Your words are not saved yet" in shown, name
            assert "database or disk is full" in shown, name
            for offer in ("Try again", "Write to file", "Leave without saving", "Stay"):
                assert offer in shown, (name, offer)
            await pilot.press("escape")  # Stay
            await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.query_one(TextArea).text == WORDS, name
            assert app.is_running, name
    app.service.close()


async def test_try_again_keeps_asking_until_it_saves_then_goes_on(tmp_path: Path) -> None:
    app = on_the_reflection(tmp_path / "data")
    disk = Disk(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed_and_refused(pilot, app, disk)
        await pilot.press("escape", "escape")  # out of the text box, then the exercise
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        refused = disk.refused
        assert app.screen.focused is not None and app.screen.focused.id == "retry"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Still not saved" in screen_text(app))
        assert disk.refused > refused and isinstance(app.screen, UnsavedScreen)
        disk.full = False  # some room again
        retry = app.screen.query_one("#retry")
        await wait_for(pilot, lambda: not retry.has_class("-active"))  # a button takes a
        await pilot.press("enter")  # press again once its 0.2 s "pressed" look is over
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))  # the Escape, done
        assert app.service.answers("check-in", 1)["words"].value == WORDS
    app.service.close()


@pytest.mark.parametrize("way_out", ["escape", "ctrl+q"])
async def test_the_words_can_go_to_a_file_the_user_names(tmp_path: Path, way_out: str) -> None:
    app = on_the_reflection(tmp_path / "data")
    disk = Disk(app)
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    taken = elsewhere / "taken.txt"
    taken.write_text("not to be replaced\n", encoding="utf-8")
    target = elsewhere / "my words.txt"
    async with app.run_test(size=(80, 24)) as pilot:
        await typed_and_refused(pilot, app, disk)
        if way_out == "escape":
            await pilot.press("escape")  # out of the text box first
        await pilot.press(way_out)
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        path_box = app.screen.query_one("#unsaved-path", Input)
        assert path_box.value.startswith("~/replenish-unsaved-")  # a suggestion to edit
        # An existing file is never replaced.
        await pilot.click("#unsaved-path")
        path_box.value = str(taken)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "already exists" in screen_text(app))
        assert taken.read_text(encoding="utf-8") == "not to be replaced\n"
        path_box.value = str(target)
        await pilot.click("#write")
        if way_out == "ctrl+q":
            await wait_for(pilot, lambda: not app.is_running)
        else:
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    app.service.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert WORDS in text and "A few words, if you like." in text
    assert sorted(p.name for p in elsewhere.iterdir()) == ["my words.txt", "taken.txt"]


@pytest.mark.parametrize("way_out", ["f7", "ctrl+q"])
async def test_leaving_without_the_words_takes_a_second_different_button(
    tmp_path: Path, way_out: str
) -> None:
    app = on_the_reflection(tmp_path / "data")
    disk = Disk(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await typed_and_refused(pilot, app, disk)
        await pilot.press(way_out)
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.click("#leave")
        await wait_for(pilot, lambda: "will be lost" in screen_text(app))
        assert isinstance(app.screen, UnsavedScreen) and app.is_running
        assert app.screen.focused is not None and app.screen.focused.id == "stay"
        await pilot.press("enter")  # a second Enter is Stay, never the yes
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press(way_out)
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.click("#leave")
        await wait_for(pilot, lambda: "will be lost" in screen_text(app))
        await pilot.click("#leave-sure")
        if way_out == "ctrl+q":
            await wait_for(pilot, lambda: not app.is_running)
        else:
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, ExerciseScreen) and app.screen.index == 1,
            )
    assert app.return_code in (0, None)
    assert "words" not in app.service.answers("check-in", 1)
    app.service.close()


async def test_a_plan_whose_reminder_was_refused_is_asked_about_and_set_later(
    tmp_path: Path,
) -> None:
    """Setting the plan's reminder on a full disk crashed the app (the refusal was not
    caught); now the plan is kept on screen, unsaved, and set once the disk has room."""
    service = enrolled(tmp_path / "data", SMALL, now=FIXED_NOW)
    service.set_position("rest", 1, 1)
    service.close()
    app = make_app(tmp_path / "data", SMALL)
    disk = Disk(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-what")))
        await pilot.press(*"a walk", "tab", *"20:30", "tab", "space")
        await wait_for(pilot, lambda: disk.refused > 0)
        await pilot.pause(DEBOUNCE)
        assert app.is_running and isinstance(app.screen, ExerciseScreen)
        assert app.service.store.one_offs() == []
        await pilot.press("escape")  # on the Remind box, not in a text box: one is enough
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        disk.full = False
        await pilot.press("enter")  # Try again
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        (reminder,) = app.service.store.one_offs()
        plan = app.service.answers("rest", 1)["when"].value
        assert isinstance(plan, dict)
        assert (plan["what"], plan["remind"], plan["reminder"]) == ("a walk", True, reminder.id)
    app.service.close()


async def test_with_room_on_the_disk_nothing_is_asked(tmp_path: Path) -> None:
    app = on_the_reflection(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*WORDS, "escape", "escape")  # out of the box, then the exercise
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert app.service.answers("check-in", 1)["words"].value == WORDS
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    app.service.close()
