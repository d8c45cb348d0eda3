"""Switching screens does not parse the stylesheet again, beyond reading a screen's own
sheet the first time it is shown; the footer rebuilds nothing when its keys stay the same;
F3-F5's screens, made ahead in a quiet moment, are shown at once and fresh."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

import program.tui.app as app_module
from program.tui.screens.journal import JournalScreen
from program.tui.screens.journey import JourneyScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.screens.today import TodayScreen
from program.tui.widgets.footer import KeyFooter
from state import Store
from tests.tui.conftest import FIXED_NOW, make_app, make_service, screen_text, wait_for


def begun(data: Path) -> None:
    service = make_service(data)
    service.start()
    service.close()


async def test_each_screen_parses_the_stylesheet_at_most_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun(tmp_path / "data")
    parses: list[str] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        parses.append("parse")
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(tmp_path / "data")
    visits = (
        ("f3", JourneyScreen, 0),  # every screen's rules are its DEFAULT_CSS, parsed
        ("f4", JournalScreen, 0),  # when first needed (ThemeStylesheet): no full parse
        ("f5", SettingsScreen, 0),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.pause()
        for key, kind, first in visits:
            parses.clear()
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
            await pilot.pause()
            assert len(parses) == first, (kind.__name__, "first visit")
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        for _ in range(2):
            for key, kind, _first in visits:
                parses.clear()
                await pilot.press(key)
                await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
                await pilot.press("f2")
                await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
                await pilot.pause()
                assert parses == [], (kind.__name__, "a later visit")


async def test_next_and_back_leave_the_footer_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun(tmp_path / "data")
    rebuilds: list[int] = []
    recompose = KeyFooter.recompose

    async def counted(self: KeyFooter) -> None:
        rebuilds.append(1)
        await recompose(self)

    monkeypatch.setattr(KeyFooter, "recompose", counted)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        runner = app.screen
        assert isinstance(runner, ExerciseScreen)
        await pilot.press("f8")
        await wait_for(pilot, lambda: runner.index == 1)
        await pilot.pause()
        rebuilds.clear()
        for key, index in (("f7", 0), ("f8", 1), ("f7", 0), ("f8", 1)):
            await pilot.press(key)
            await wait_for(pilot, lambda index=index: runner.index == index)  # type: ignore[misc]
            await pilot.pause()
        footer = runner.query_one(KeyFooter)
        keys = {str(key.description) for key in footer.query("FooterKey")}
        assert {"Back", "Next", "Leave"} <= keys
        assert rebuilds == [], "the same keys each step: nothing rebuilt"


async def test_a_screen_shown_again_reads_again_only_after_a_change(tmp_path: Path) -> None:
    begun(tmp_path / "data")
    app = make_app(tmp_path / "data")
    reads: list[str] = []
    today = app.service.today

    def counted() -> object:
        reads.append("today")
        return today()

    app.service.today = counted  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        for key, kind in (("f3", JourneyScreen), ("f2", TodayScreen), ("f4", JournalScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
        await pilot.pause()
        reads.clear()
        for key, kind in (("f3", JourneyScreen), ("f2", TodayScreen), ("f4", JournalScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
            await pilot.pause()
        assert reads == [], "nothing changed: nothing read again"
        with Store.open(tmp_path / "data") as other:  # another process writes
            other.complete("check-in", 1, FIXED_NOW)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, JourneyScreen))
        await pilot.pause()
        assert reads, "a write elsewhere: the Journey reads again"
        journey = app.screen
        assert isinstance(journey, JourneyScreen)
        assert journey.states[1] in ("done", "today")
        reads.clear()
        app.service.save_answer("check-in", 1, "energy", 5)  # this process writes
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.pause()
        assert reads, "a write here: Today reads again"


def counted_holds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The screen on view at each of Textual's update holds (`App.delay_update`), as asked."""
    from textual.app import App

    holds: list[str] = []
    hold = App.delay_update

    def counted(self: App[None], delay: float = 0.05) -> None:
        holds.append(type(self.screen).__name__)
        hold(self, delay)

    monkeypatch.setattr(App, "delay_update", counted)
    return holds


async def test_a_return_to_a_screen_is_shown_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual holds updates for 50 ms on every switch of mode, to hide a screen being
    built; only a first visit builds one, so only a first visit is held."""
    begun(tmp_path / "data")
    holds = counted_holds(monkeypatch)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        for key, kind in (("f3", JourneyScreen), ("f4", JournalScreen), ("f5", SettingsScreen)):
            for visit in ("first", "again"):
                holds.clear()
                await pilot.press(key)
                await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
                assert holds == (["TodayScreen"] if visit == "first" else []), (key, visit)
                holds.clear()
                await pilot.press("f2")
                await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
                assert holds == [], (key, visit, "back to Today")


def all_made_ahead(app: app_module.ReplenishApp) -> bool:
    """Whether every screen made ahead is made and mounted."""
    return all(app.built(mode) for mode in app_module.AHEAD_MODES)


@pytest.mark.usefixtures("screens_made_ahead")
async def test_the_next_screens_are_made_while_the_user_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F3-F5's screens are made, unseen, after the first frame: their first visit is shown
    at once, as a return is, and shows what was written after they were made."""
    begun(tmp_path / "data")
    holds = counted_holds(monkeypatch)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: all_made_ahead(app))
        assert isinstance(app.screen, TodayScreen)  # made, not shown
        app.service.save_answer("check-in", 1, "words", "written after the journal was made")
        for key, kind in (("f3", JourneyScreen), ("f4", JournalScreen), ("f5", SettingsScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
            assert holds == [], key
            if kind is JournalScreen:
                await wait_for(pilot, lambda: "written after the journal" in screen_text(app))
    app.service.close()


@pytest.mark.usefixtures("screens_made_ahead")
async def test_no_screen_is_made_ahead_while_keys_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key that comes while a screen is being made waits for it: they are made only once
    the keys have stopped for a moment (`AHEAD_QUIET`, here a whole second, so a loaded
    machine's pause between two keys does not count as one)."""
    monkeypatch.setattr(app_module, "AHEAD_QUIET", 1.0)
    begun(tmp_path / "data")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        for _ in range(8):  # a key every tenth of a second, for longer than the warming takes
            await pilot.press("down")
            await pilot.pause(0.1)
            assert not any(app.opened(mode) for mode in app_module.AHEAD_MODES)
        await wait_for(pilot, lambda: all_made_ahead(app))
    app.service.close()


@pytest.mark.usefixtures("screens_made_ahead")
async def test_no_screen_is_made_ahead_while_the_welcome_is_up(tmp_path: Path) -> None:
    """Before the plan has begun, the Journey, Journal and Settings may not be opened: none
    is made behind the Welcome."""
    from program.tui.screens.welcome import WelcomeScreen

    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await wait_for(pilot, lambda: "program.tui.screens.runner" in sys.modules)
        await pilot.pause(0.5)
        assert not any(app.opened(mode) for mode in app_module.AHEAD_MODES)
    app.service.close()


@pytest.mark.usefixtures("screens_made_ahead")
@pytest.mark.parametrize("after", [0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.4])
async def test_quitting_while_a_screen_is_made_ahead_is_clean(tmp_path: Path, after: float) -> None:
    """The user may quit at any point of a screen being made ahead: the app closes as it
    would with that mode opened (an error in any widget would be raised by run_test)."""
    begun(tmp_path / "data")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.pause(after)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    app.service.close()
