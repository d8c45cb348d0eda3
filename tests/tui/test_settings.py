"""The Settings screen: every change is saved as typed settings the moment it is made."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from msgspec.structs import replace
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, Switch

from program.service import Replenish
from program.tui.app import ReplenishApp
from program.tui.messages import PlanChanged, SettingsChanged
from program.tui.screens.settings import SettingsScreen, parse_times
from program.tui.widgets.settings_export import default_export_path, suffix_for
from tests.conftest import enrolled
from tests.tui import conftest as tui
from tests.tui.conftest import drawn_text, wait_for

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
START = date(2025, 3, 3)
NOW = datetime(2025, 3, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Replenish]:
    opened = enrolled(tmp_path / "data", SMALL, start=START, now=NOW)
    yield opened
    opened.close()


class Host(tui.Host):
    """Shows the screen alone and records the messages it sends to the app."""

    def __init__(self, make: Callable[[], SettingsScreen]) -> None:
        super().__init__(make)
        self.received: list[type[Message]] = []

    def on_settings_changed(self, message: SettingsChanged) -> None:
        self.received.append(SettingsChanged)

    def on_plan_changed(self, message: PlanChanged) -> None:
        self.received.append(PlanChanged)


def shown_text(widget: Widget) -> str:
    """The words the widget draws, wrapped lines joined back with single spaces."""
    return " ".join(drawn_text(widget).split())


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus a box, replace what it holds with `text`, and press Enter."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.clear()
    if len(text) > 16:  # a long path: typing it key by key only makes the test slow
        box.insert_text_at_cursor(text)
        text = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


def test_parse_times() -> None:
    assert parse_times("20:30") == (time(20, 30),)
    assert parse_times(" 20:30, 08:00 ,20:30") == (time(8, 0), time(20, 30))
    assert parse_times("") == ()
    with pytest.raises(ValueError, match="25:00"):
        parse_times("08:00, 25:00")


def test_export_paths() -> None:
    assert default_export_path(date(2025, 3, 8)).name == "replenish-export-2025-03-08.md"
    assert suffix_for("/tmp/x.md", "json") == "/tmp/x.json"
    assert suffix_for("/tmp/x.txt", "json") == "/tmp/x.txt"


async def test_reminder_time_and_days_save_typed_settings(service: Replenish) -> None:
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#reminder-times", "20:30, 07:15")
        saved = service.settings().reminders
        assert saved.times == (time(7, 15), time(20, 30))
        assert not saved.on, "a time alone does not switch reminders on"
        app.screen.query_one("#reminders-on", Switch).value = True
        await wait_for(pilot, lambda: service.settings().reminders.on)
        app.screen.query_one("#day-sat", Checkbox).value = False
        app.screen.query_one("#day-sun", Checkbox).value = False
        await wait_for(pilot, lambda: service.settings().reminders.days == frozenset(range(5)))
        assert service.settings().reminders.times == (time(7, 15), time(20, 30))
        status = shown_text(app.screen.query_one("#settings-status"))
        assert "Saved: reminders at 07:15, 20:30, Mon, Tue, Wed, Thu, Fri" in status
        assert SettingsChanged in app.received


async def test_a_bad_time_says_why_and_saves_nothing(service: Replenish) -> None:
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#reminder-times", "21:00")
        before = service.settings()
        await type_into(pilot, "#reminder-times", "9pm")
        error = shown_text(app.screen.query_one("#reminder-times-error", Static))
        assert "'9pm' is not a time" in error  # on one line: nothing under it moves
        assert "not saved" in shown_text(app.screen.query_one("#settings-status"))
        assert service.settings() == before
        app.screen.query_one("#reminders-on", Switch).value = True  # still the bad time
        await pilot.pause()
        assert service.settings() == before
        await type_into(pilot, "#reminder-times", "")
        error = shown_text(app.screen.query_one("#reminder-times-error", Static))
        assert "Type a time" in error, "reminders on with no time is refused"
        assert service.settings() == before


class RecordingApp(ReplenishApp):
    """The real app (Settings' pause is the app's one toggle), recording what it is told."""

    def __init__(self, service: Replenish) -> None:
        super().__init__(service)
        self.received: list[type[Message]] = []

    def on_plan_changed(self, message: PlanChanged) -> None:
        self.received.append(PlanChanged)


async def test_pause_and_resume_change_the_schedule(service: Replenish) -> None:
    app = RecordingApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        state = app.screen.query_one("#plan-state", Static)
        assert "Running: week 1 of 2, day 6 of 14" in shown_text(state)
        button = app.screen.query_one("#pause-resume", Button)
        button.press()
        await wait_for(pilot, lambda: bool(service.schedule() and service.schedule().paused))  # type: ignore[union-attr]
        await pilot.pause()
        assert "Paused since Saturday 08 March" in shown_text(state)
        assert str(button.label) == "Resume the plan"
        assert PlanChanged in app.received
        button.press()
        await wait_for(pilot, lambda: not service.schedule().paused)  # type: ignore[union-attr]
        await pilot.pause()
        assert "Running" in shown_text(state)


async def test_theme_switches_and_persists(service: Replenish) -> None:
    app = RecordingApp(service)  # the app keeps the theme, however it is chosen
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        app.screen.query_one("#theme", Select).value = "textual-light"
        await wait_for(pilot, lambda: app.theme == "textual-light")
        assert service.settings().theme == "textual-light"
        app.screen.query_one("#theme", Select).value = "textual-dark"
        await wait_for(pilot, lambda: service.settings().theme == "textual-dark")
        assert app.theme == "textual-dark"


async def test_partner_name_and_day_start_are_saved(service: Replenish) -> None:
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#partner-name", "[b]Sam[/b] $USER")
        assert service.settings().partner_name == "[b]Sam[/b] $USER"
        status = shown_text(app.screen.query_one("#settings-status"))
        assert "[b]Sam[/b] $USER" in status
        app.screen.query_one("#day-start", Select).value = 2
        await wait_for(pilot, lambda: service.enrolment().day_start_hour == 2)  # type: ignore[union-attr]


async def test_a_stored_name_with_escape_sequences_is_drawn_not_obeyed(
    service: Replenish,
) -> None:
    """A name pasted in the Welcome (or imported) keeps its control characters: the box
    shows ESC as its picture and leaves C1 controls out of what reaches the terminal."""
    name = "Sam \x1b[31mred \x9b2J end"
    service.save_settings(replace(service.settings(), partner_name=name))
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#partner-name", Input)
        drawn = "".join(segment.text for segment in box.render_line(0))
        assert "Sam \u241b[31mred 2J end" in drawn
        assert "\x1b" not in drawn and "\x9b" not in drawn
        box.focus()
        await pilot.press("tab")  # leaving the box saves it: nothing was changed
        assert service.settings().partner_name == name
        await type_into(pilot, "#partner-name", box.value + "!")
        assert service.settings().partner_name == name + "!"


async def test_export_writes_a_private_file_with_the_answers(
    service: Replenish, tmp_path: Path
) -> None:
    service.save_answer("check-in", 1, "words", "only for me")
    target = tmp_path / "out" / "mine.md"
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one("#export-path", Input).value
        assert shown.endswith("replenish-export-2025-03-08.md")
        await type_into(pilot, "#export-path", str(target))
        result = app.screen.query_one("#export-result", Static)
        assert "There is no folder" in shown_text(result)
        assert not target.exists()
        target.parent.mkdir()
        await type_into(pilot, "#export-path", str(target))
        assert target.exists()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "only for me" in target.read_text(encoding="utf-8")
        assert "private words" in shown_text(result)
        await pilot.click("#export-json")
        await pilot.pause()
        json_path = app.screen.query_one("#export-path", Input).value
        assert json_path == str(target.with_suffix(".json"))
        app.screen.query_one("#export", Button).press()
        await wait_for(pilot, lambda: Path(json_path).exists())
        data = json.loads(Path(json_path).read_text(encoding="utf-8"))
        assert [answer["value"] for answer in data["answers"]] == ["only for me"]
        assert stat.S_IMODE(Path(json_path).stat().st_mode) == 0o600
        app.screen.query_one("#export", Button).press()  # the file exists now: ask first
        await pilot.pause()
        assert "Press Export again to replace it" in shown_text(result)


async def test_where_the_data_lives_is_shown(service: Replenish) -> None:
    app = Host(lambda: SettingsScreen(service))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one("#data-path", Static)
        assert str(service.store.path) in str(widget.render())
