"""Switching screens does not parse the stylesheet again, beyond reading a screen's own
sheet the first time it is shown; the footer rebuilds nothing when its keys stay the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from program.tui.screens.journal import JournalScreen
from program.tui.screens.journey import JourneyScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.screens.today import TodayScreen
from program.tui.widgets.footer import KeyFooter
from state import Store
from tests.tui.conftest import FIXED_NOW, make_app, make_service, wait_for


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


async def test_a_return_to_a_screen_is_shown_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual holds updates for 50 ms on every switch of mode, to hide a screen being
    built; only a first visit builds one, so only a first visit is held."""
    from textual.app import App

    begun(tmp_path / "data")
    holds: list[str] = []
    hold = App.delay_update

    def counted(self: App[None], delay: float = 0.05) -> None:
        holds.append(type(self.screen).__name__)
        hold(self, delay)

    monkeypatch.setattr(App, "delay_update", counted)
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
