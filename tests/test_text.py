"""Plain-text renderings: an exercise is named one way ("title, N min") everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from msgspec.structs import replace

from program import plan, text
from program.content import ChoiceStep, load_program
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
    settings = replace(settings, detail_outside=True)  # the calendar names exercises only then
    service.save_settings(settings.with_reminders(on=reminders.on, times=reminders.times))
    rendered.append(ics.calendar_text(service)[0])
    service.close()
    for shown in rendered:
        assert "<" in shown and " min" not in shown.replace(" minutes", ""), shown


def test_markdown_reads_as_plain_lines() -> None:
    """Headings and list items on lines of their own, a paragraph on one line, no marks."""
    markdown = (
        "# Before we begin\n"
        "**Your safety comes first.** Read *slowly*,\n"
        "at your own pace.\n\n"
        "- one\n"
        "* two, __bold__\n"
        "  and its second line\n"
        "1. first\n\n"
        "> a quote\n\n"
        "See [the BACP directory](https://www.bacp.co.uk) or <https://relate.org.uk>.\n\n"
        "Setext\n======\n"
        "```\n**kept as it is**\n```\n"
    )
    assert text.plain_markdown(markdown).split("\n") == [
        "Before we begin",
        "",
        "Your safety comes first. Read slowly, at your own pace.",
        "",
        "- one",
        "- two, bold and its second line",
        "1. first",
        "",
        "a quote",
        "",
        "See the BACP directory (https://www.bacp.co.uk) or https://relate.org.uk.",
        "",
        "Setext",
        "",
        "**kept as it is**",
    ]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("2 * 3 * 4 is 24", "2 * 3 * 4 is 24"),  # a star between spaces is not emphasis
        ("snake_case_names stay", "snake_case_names stay"),
        (r"\*not emphasis\* and \_this\_", "*not emphasis* and _this_"),
        ("`**code**` keeps its stars", "**code** keeps its stars"),
        ("***both*** and ~~struck~~", "both and struck"),
        ("a line  \nbroken hard", "a line\nbroken hard"),
        ("\n\n  Indented text\n\n\n", "Indented text"),
        ("\x1b[31m**red**", "\x1b[31mred"),  # control characters are left to `printable`
    ],
)
def test_markdown_marks_that_are_not_emphasis_stay(markdown: str, plain: str) -> None:
    assert text.plain_markdown(markdown) == plain


def test_today_prints_a_notice_as_plain_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled safety notice read `**Your safety comes first.**` with its stars."""
    from program.cli import main
    from tests.conftest import BUNDLED

    service = Replenish(load_program(BUNDLED), Store.open(tmp_path / "data"), now=lambda: NOW)
    service.start(on=NOW.date())
    step = next(
        (exercise, step)
        for exercise in service.program.exercises
        for step in exercise.steps
        if "safety-concern" in step.raises
    )
    exercise, asking = step
    assert isinstance(asking, ChoiceStep) and not asking.multiple
    service.save_answer(exercise.id, 1, asking.id, sorted(asking.flags["safety-concern"])[0])
    assert "safety-concern" in service.flags()
    service.close()
    monkeypatch.setenv("REPLENISH_NOW", NOW.isoformat())
    assert main(["--data-dir", str(tmp_path / "data"), "today"]) == 0
    shown = capsys.readouterr().out
    # The notice is one calm line now, repeating nothing of what was disclosed; Help's
    # support text (Markdown with stars) is where the danger line lives.
    assert "Support just for you is in Help (F1)." in shown
    assert "**" not in shown and "danger" not in shown
