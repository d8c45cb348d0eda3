"""Plain-text renderings: an exercise is named one way ("title, N min") everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from program import plan, text
from program.content import load_program
from program.reminders import ics
from program.service import Replenish
from program.settings import Reminders
from state import Store
from tests.conftest import SMALL

PROGRAM = load_program(SMALL)
START = date(2026, 12, 24)
NOW = datetime(2026, 12, 28, 12, 0, tzinfo=UTC)  # day 5 of 14


def test_an_exercise_is_named_with_its_minutes() -> None:
    exercise = next(iter(PROGRAM.exercises))
    assert text.titled(exercise) == f"{exercise.title}, {exercise.minutes} min"


def test_every_plain_text_names_exercises_through_one_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text, "titled", lambda exercise: f"<{exercise.id}>")
    today = plan.today(PROGRAM, plan.Schedule(START), plan.Progress(), NOW)
    assert today.today is not None and today.catch_up
    rendered = [
        "\n".join(text.today_lines(PROGRAM, today)),
        "\n".join(text.preview_lines(PROGRAM, plan.day_plan(PROGRAM, 1, plan.Progress(), 1))),
        text.waiting_summary(today.today),
    ]
    service = Replenish(PROGRAM, Store.open(tmp_path / "data"), now=lambda: NOW)
    service.start(on=START)
    settings = service.settings()
    reminders = Reminders(on=True, times=(time(20, 30),))
    service.save_settings(settings.with_reminders(on=reminders.on, times=reminders.times))
    rendered.append(ics.calendar_text(service)[0])
    service.close()
    for shown in rendered:
        assert "<" in shown and " min" not in shown.replace(" minutes", ""), shown
