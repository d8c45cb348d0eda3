"""`status` and `remind show` name a next reminder only when one will come.

They named the next reminder time by the settings alone: one for today after today
was done, and one while the plan was paused or over, though none is ever sent then.
Run in-process through `program.cli.main`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from program.cli import main
from program.content import load_program
from program.service import Replenish
from state import Store
from tests.conftest import SMALL

NOW = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # a Monday, day 1 of the small program


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("REPLENISH_HOME", str(folder))
    monkeypatch.setenv("TZ", "UTC")
    service = Replenish(load_program(SMALL), Store.open(folder), now=lambda: NOW)
    service.start(on=date(2026, 12, 28))
    settings = service.settings()
    service.save_settings(settings.with_reminders(on=True, times=(time(20, 30),), timezone="UTC"))
    service.close()
    return folder


def said(
    command: list[str],
    now: datetime,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    monkeypatch.setenv("REPLENISH_NOW", now.isoformat())
    assert main([*command, "--program", str(SMALL)]) == 0
    return capsys.readouterr().out


def change(home: Path, *steps: str) -> None:
    service = Replenish(load_program(SMALL), Store.open(home), now=lambda: NOW)
    for step in steps:
        if step == "done":
            for exercise in ("check-in", "rest"):
                service.complete(exercise, 1)
        elif step == "pause":
            service.pause()
    service.close()


COMMANDS = (["status"], ["remind", "show"])


@pytest.mark.parametrize("command", COMMANDS)
def test_a_day_with_work_names_todays_reminder(
    home: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = said(command, NOW, capsys, monkeypatch)
    assert "Next reminder: Monday 28 December at 20:30 (UTC)." in out


@pytest.mark.parametrize("command", COMMANDS)
def test_a_done_day_names_tomorrows_and_says_why(
    home: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    change(home, "done")
    out = said(command, NOW, capsys, monkeypatch)
    assert "Monday 28 December at 20:30" not in out
    assert "Next reminder: Tuesday 29 December at 20:30 (UTC)." in out
    assert "Today is done, so today's reminders stay quiet." in out


@pytest.mark.parametrize("command", COMMANDS)
def test_a_paused_plan_names_none_and_says_why(
    home: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    change(home, "pause")
    out = said(command, NOW, capsys, monkeypatch)
    assert "Next reminder" not in out
    assert "Your plan is paused, so no reminders are sent until you resume." in out


@pytest.mark.parametrize("command", COMMANDS)
def test_an_ended_plan_names_none_and_says_why(
    home: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = said(command, datetime(2027, 1, 20, 9, 0, tzinfo=UTC), capsys, monkeypatch)
    assert "Next reminder" not in out
    assert "Your plan has ended, so no more reminders are sent." in out
