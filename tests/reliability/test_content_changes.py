"""The program changes under saved progress: answers are kept, the plan carries on sensibly."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from program import export, plan
from program.content import validate
from tests.conftest import BUNDLED, SMALL, Cli, enrolled, open_service

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
DAY_TEN = START + timedelta(days=9)


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _live_a_while(program: Path, home: Path) -> int:
    """Ten days of use on `program`: answers, outcomes and a resume point. Returns answers."""
    service = enrolled(home, program, now=_at(START), backup=True)
    count = 0
    for day in range(1, 11):
        service.now = _at(START + timedelta(days=day - 1))
        service.save_answer("check-in", day, "words", f"day {day} words")
        count += 1
        if day <= 7:
            service.save_answer("rest", day, "when", f"rest again on day {day + 1}")
            service.complete("rest", day)
            count += 1
    service.save_answer("sit-together", 8, "how", ["Calm"])
    service.complete("sit-together", 8)
    service.save_answer("sit-together", 10, "how", ["Awkward"])
    service.set_position("sit-together", 10, 1)
    service.close()
    return count + 2


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rename_exercise(folder: Path) -> None:
    _replace(folder / "together.toml", 'id = "sit-together"', 'id = "sitting-side-by-side"')


def _remove_exercise(folder: Path) -> None:
    text = (folder / "basics.toml").read_text(encoding="utf-8")
    start = text.index('[[exercise]]\nid = "rest"')
    (folder / "basics.toml").write_text(text[:start], encoding="utf-8")


def _add_module(folder: Path) -> None:
    (folder / "extra.toml").write_text(
        'id = "extra"\ntitle = "Extra"\nsummary = "Added later."\nweeks = [2]\n\n'
        '[[exercise]]\nid = "new-one"\ntitle = "Something new"\ndays = [10, 11]\nminutes = 2\n\n'
        '  [[exercise.step]]\n  kind = "reflect"\n  id = "thoughts"\n  prompt = "Anything?"\n',
        encoding="utf-8",
    )
    _replace(folder / "together.toml", "weeks = [2]", "weeks = [2]")


def _shorten(folder: Path) -> None:
    """Fourteen days down to seven, while the user is on day ten."""
    _replace(folder / "program.toml", "days = 14", "days = 7")
    (folder / "together.toml").unlink()
    _replace(folder / "basics.toml", "days = [1, 13]", "days = [1]")


CHANGES: dict[str, Callable[[Path], None]] = {
    "renamed": _rename_exercise,
    "removed": _remove_exercise,
    "module added": _add_module,
    "shortened": _shorten,
}


@pytest.fixture
def program_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    return folder


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_plan_survives_a_changed_program(
    change: str, program_copy: Path, private_home: Path, cli: Cli
) -> None:
    saved = _live_a_while(program_copy, private_home)
    # The plain commands have cached the program: the change must still be seen.
    cli.now = DAY_TEN.isoformat()
    assert cli("today", "--program", str(program_copy)).code == 0
    CHANGES[change](program_copy)
    assert validate(program_copy) == [], validate(program_copy)

    service = open_service(private_home, program_copy, now=_at(DAY_TEN), backup=True)
    try:
        today = service.today()
        assert today is not None
        if change == "shortened":
            assert today.status is plan.Status.FINISHED
            assert today.day == 7 and today.today is None
            assert today.days_done == 7
        else:
            assert today.status is plan.Status.ACTIVE and today.day == 10
            assert today.today is not None
        titles = {due.exercise.id for due in today.today.exercises} if today.today else set()
        if change == "renamed":
            assert "sitting-side-by-side" in titles and "sit-together" not in titles
            assert service.resume_point() is None  # its exercise is gone: start fresh
        elif change == "module added":
            assert "new-one" in titles
            resume = service.resume_point()
            assert resume is not None and resume.exercise.id == "sit-together"
        journey = service.journey()
        assert len(journey) == service.program.days
        for day in range(1, service.program.days + 1):
            service.day(day)
        data = json.loads(export.as_json(service))
        assert len(data["answers"]) == saved  # every answer kept, known or not
        markdown = export.as_markdown(service)
        assert "day 10 words" in markdown and "rest again on day 8" in markdown
        if change == "removed":
            assert "rest (no longer in the program)" in markdown
        if change == "renamed":
            assert "sit-together (no longer in the program)" in markdown
    finally:
        service.close()

    for args in (("today",), ("status",), ("export",), ("export", "--format", "json")):
        result = cli(*args, "--program", str(program_copy))
        assert result.code == 0, (args, result.err)
        assert result.err == ""
    status = cli("status", "--program", str(program_copy)).out
    if change == "shortened":
        assert "Week 1 of 1, day 7 of 7 (the plan is complete)." in status
    else:
        assert "Week 2 of 2, day 10 of 14." in status
    exported = cli("export", "--format", "json", "--program", str(program_copy)).out
    assert len(json.loads(exported)["answers"]) == saved


def test_the_bundled_program_losing_a_module_keeps_every_answer(
    tmp_path: Path, private_home: Path, cli: Cli
) -> None:
    """The real six weeks with its support module removed, while the user is in week 6."""
    folder = tmp_path / "modules"
    shutil.copytree(BUNDLED, folder)
    service = enrolled(private_home, folder, now=_at(START), backup=True)
    support = [e for e in service.program.exercises if e.module_id == "support"]
    assert support
    for day, exercise in enumerate(support, start=29):
        step = next(s for s in exercise.steps if getattr(s, "id", None))
        service.store.save_answer(exercise.id, day, step.id, f"support answer {day}", START)
    service.close()
    (folder / "support.toml").unlink()
    assert validate(folder) == []
    cli.now = (START + timedelta(days=37)).isoformat()
    for args in (("today",), ("status",), ("export",)):
        result = cli(*args, "--program", str(folder))
        assert result.code == 0, (args, result.err)
    assert "Week 6 of 6, day 38 of 42." in cli("status", "--program", str(folder)).out
    markdown = cli("export", "--program", str(folder)).out
    for day, exercise in enumerate(support, start=29):
        assert f"{exercise.id} (no longer in the program)" in markdown
        assert f"support answer {day}" in markdown
