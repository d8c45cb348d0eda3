"""Quiet days: after `plan.QUIET_DAYS` days with nothing done, begun or set aside, the first
day back offers the program's `welcome_back` practice first; the rest stays a step away."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program import plan
from program.cli import main
from program.content import load_program
from program.text import WELCOME_BACK
from tests.conftest import BUNDLED, Cli, enrolled, open_service

START = date(2027, 1, 4)
PROGRAM = load_program(BUNDLED)


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=12
    )


def test_the_rule_counts_the_three_days_before_and_today() -> None:
    nothing = plan.Progress()
    assert plan.QUIET_DAYS == 3
    assert not plan.quiet_before(nothing, 3)  # the first days have no quiet days behind them
    assert plan.quiet_before(nothing, 4)
    begun_day_2 = plan.Progress(started=frozenset({("check-in", 2)}))
    assert not plan.quiet_before(begun_day_2, 5)
    assert plan.quiet_before(begun_day_2, 6)
    assert not plan.quiet_before(plan.Progress(skipped=frozenset({("movement", 5)})), 6)
    assert not plan.quiet_before(plan.Progress(done=frozenset({("check-in", 6)})), 6)


def test_the_first_day_back_offers_one_gentle_practice(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(2))
    try:
        service.save_answer("check-in", 2, "energy", 4)
        service.complete("check-in", 2)
        service.now = lambda: at(6)
        today = service.today()
        assert today is not None and today.welcome_back is not None
        assert today.welcome_back.exercise.id == PROGRAM.welcome_back == "coming-back"
        assert today.welcome_back.day == 6
        assert today.today is not None and today.today.exercises  # the rest is still there
        service.save_answer("check-in", 6, "energy", 5)  # anything touched today ends it
        today = service.today()
        assert today is not None and today.welcome_back is None
        service.now = lambda: at(5)  # day 2 is inside the three days before day 5
        today = service.today()
        assert today is not None and today.welcome_back is None
    finally:
        service.close()


def test_a_paused_plan_offers_no_welcome_back(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(6))
    try:
        service.pause()
        today = service.today()
        assert today is not None and today.welcome_back is None
    finally:
        service.close()


def test_the_welcome_back_practice_is_short_done_alone_and_due_on_no_day() -> None:
    exercise = PROGRAM.exercise(PROGRAM.welcome_back)
    assert exercise is not None
    assert exercise.anytime and not exercise.days and exercise.minutes <= 5 and not exercise.joint
    assert exercise.id not in {due.id for day in range(1, 43) for due in PROGRAM.exercises_on(day)}


def test_today_leads_with_it_and_lists_the_rest_below(tmp_path: Path, cli: Cli) -> None:
    data = tmp_path / "data"
    enrolled(data, BUNDLED, start=START, now=at(1)).close()
    shown = cli("--data-dir", str(data), "today", REPLENISH_NOW=at(8).isoformat())
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    first = lines.index(WELCOME_BACK)
    assert lines[first + 1] == "  - Coming back, gently, 3 min"
    assert lines[first + 3].startswith("The rest of today, whenever you like")


def test_a_back_dated_start_has_no_quiet_days_behind_it(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(30))  # begun on day 30
    try:
        today = service.today()
        assert today is not None and today.day == 30 and today.welcome_back is None
        service.now = lambda: at(34)  # days 31-33 in the plan, and nothing done
        today = service.today()
        assert today is not None and today.welcome_back is not None
    finally:
        service.close()


def _do(
    data: Path,
    lines: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    """`replenish do` on day 8 (a first day back) with `lines` on a pipe that then closes."""
    read, write = os.pipe()
    os.write(write, ("\n".join(lines) + "\n").encode())
    os.close(write)
    monkeypatch.setenv("REPLENISH_NOW", at(8).isoformat())
    with os.fdopen(read, "r") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        assert main(["--data-dir", str(data), "do"]) == 0
    return capsys.readouterr().out


def test_do_walks_the_gentle_practice_first_and_the_rest_only_if_wanted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    enrolled(data, BUNDLED, start=START, now=at(1)).close()
    practice = ["", "next", "1"]  # its words, its minute (gone on without), how it went
    out = _do(data, [*practice, ""], monkeypatch, capsys)
    assert "Coming back, gently" in out
    assert "The rest of today is here whenever you like." in out
    with open_service(data, BUNDLED, at(8)) as service:
        done = {(o.exercise_id, o.day) for o in service.store.outcomes() if o.kind == "done"}
    assert done == {("coming-back", 8)}  # and nothing else was begun
    out = _do(data, ["quit"], monkeypatch, capsys)  # the practice is done: the day goes on
    assert "The rest of today is here" not in out
    assert "Step 1 of" in out
