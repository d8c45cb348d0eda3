"""Start-up work kept off the first frame: one footer rebuild per burst, the journal read once,
the collector resumed, the app opening straight on Today."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input

from program import journal
from program.tui import run
from program.tui.screens.journal import JournalScreen
from program.tui.screens.today import TodayScreen
from program.tui.widgets.footer import KeyFooter
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, wait_for


class CountingFooter(KeyFooter):
    rebuilds = 0

    async def recompose(self) -> None:
        type(self).rebuilds += 1
        await super().recompose()


class KeyedButton(Button):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f8", "app.bell", "Button key")]


class FooterHost(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f6", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield Input(id="words")
        yield KeyedButton("Go", id="go")
        yield CountingFooter()


def footer_keys(app: App[None]) -> set[str]:
    return {str(key.description) for key in app.query("FooterKey")}


async def test_the_footer_rebuilds_once_for_a_burst_and_only_for_new_keys() -> None:
    app = FooterHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Ring" in footer_keys(app)
        CountingFooter.rebuilds = 0
        for _ in range(6):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert CountingFooter.rebuilds == 0, "the same keys as on show: nothing is rebuilt"
        assert "Button key" not in footer_keys(app)
        app.query_one("#go").focus()  # the focus moves: the footer follows, once
        for _ in range(5):
            app.screen.refresh_bindings()
        await wait_for(pilot, lambda: "Button key" in footer_keys(app))
        await pilot.pause()
        assert CountingFooter.rebuilds == 1
        assert "Ring" in footer_keys(app)
        app.query_one("#words").focus()
        await wait_for(pilot, lambda: "Button key" not in footer_keys(app))


def started(data: Path) -> None:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.close()


async def test_the_app_opens_on_today_without_a_blank_screen_first(tmp_path: Path) -> None:
    started(tmp_path / "data")
    app = make_app(tmp_path / "data", SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_mode == "today"
        assert [type(screen) for screen in app.screen_stack] == [TodayScreen]
        assert not app.screen.query_one("#paused").display
        assert not app.screen.query("#resume-plan")  # built only when the plan is paused
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert app.current_mode == "today"


async def test_the_journal_reads_its_first_page_once_and_again_after_a_visit_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started(tmp_path / "data")
    app = make_app(tmp_path / "data", SMALL)
    app.service.save_answer("check-in", 1, "words", "first words")
    reads: list[str] = []
    real = journal.reflections

    def counted(*args: object, **kwargs: object) -> list[journal.JournalEntry]:
        reads.append("page")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "reflections", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await wait_for(pilot, lambda: screen.extras_loaded)
        await pilot.pause()
        assert reads == ["page"]
        app.service.save_answer("check-in", 2, "words", "written while away")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("f4")
        await wait_for(pilot, lambda: len(reads) == 2)
        assert app.screen is screen and screen.loaded == 2


def test_run_resumes_the_collector_even_when_the_program_cannot_be_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gc.isenabled()
    assert run(tmp_path / "no-such-program", tmp_path / "data") == 1
    assert gc.isenabled()
    assert "program folder has problems" in capsys.readouterr().err


async def test_the_next_screens_load_while_the_user_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the first frame, the module behind Enter is imported, so its first visit does
    not pay for it (F3-F5's screens are made ahead: tests/tui/test_screen_switch.py)."""
    import importlib

    import program.tui.app as app_module

    imported: list[str] = []

    def counted(name: str) -> object:
        imported.append(name)
        return importlib.import_module(name)

    monkeypatch.setattr(app_module, "import_module", counted)
    monkeypatch.setattr(app_module, "WARM_AFTER", 0.05)
    enrolled(tmp_path / "data", SMALL, now=FIXED_NOW).close()
    app = make_app(tmp_path / "data", SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(imported) == len(app_module.WARM_MODULES))
        assert isinstance(app.screen, TodayScreen)  # loaded, not opened
    assert imported == list(app_module.WARM_MODULES)
    app.service.close()
