"""After the last day: the follow-on (`after_end = "weekly"`), every seventh day past the
end, on every surface; the days between say calmly when it comes next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from program import plan
from program.content import load_program
from program.reminders.desk import ReminderDesk
from program.service import Replenish
from tests.conftest import BUNDLED, SMALL, Cli, enrolled, open_service

START = date(2027, 1, 4)  # a Monday: day 42 is Sunday 14 February, day 49 Sunday 21 February
PROGRAM = load_program(BUNDLED)
SMALL_PROGRAM = load_program(SMALL)


def at(day: int, hour: int = 12) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC).replace(
        hour=hour
    )


def test_the_rule_is_every_seventh_day_after_the_last() -> None:
    follow = [day for day in range(1, 80) if plan.follow_on_day(PROGRAM, day)]
    assert follow == [49, 56, 63, 70, 77]
    assert plan.follow_on_day(PROGRAM, 42 + 7 * 5000)  # arithmetic: years on, the same
    assert not plan.follow_on_day(PROGRAM, 42 + 7 * 5000 + 3)
    assert [plan.next_follow_on(PROGRAM, day) for day in (1, 42, 43, 48, 49, 50)] == [
        49,
        49,
        49,
        49,
        56,
        56,
    ]
    assert not any(plan.follow_on_day(SMALL_PROGRAM, day) for day in range(1, 60))
    assert plan.next_follow_on(SMALL_PROGRAM, 20) is None


def test_the_weekly_check_in_is_due_only_past_the_end() -> None:
    weekly = PROGRAM.exercise("weekly-check-in")
    assert weekly is not None and weekly.after_end == "weekly" and weekly.days == ()
    assert all(
        "weekly-check-in" not in {e.id for e in plan.exercises_due(PROGRAM, day, frozenset())}
        for day in range(1, 49)
    )
    assert [e.id for e in plan.exercises_due(PROGRAM, 49, frozenset())] == ["weekly-check-in"]
    assert plan.exercises_due(PROGRAM, 50, frozenset()) == ()


def test_today_on_a_follow_on_day_holds_it_and_the_plan_stays_finished() -> None:
    done = frozenset((exercise.id, 2) for exercise in PROGRAM.exercises_on(2))
    today = plan.today(PROGRAM, plan.Schedule(START), plan.Progress(done=done), at(49))
    assert today.status is plan.Status.FINISHED and today.follow_on and today.has_work_today
    assert today.today is not None and today.today.day == 49
    assert [due.exercise.id for due in today.today.exercises] == ["weekly-check-in"]
    assert today.day == 42 and today.next_follow_on == date(2027, 2, 28)
    assert today.days_done == 1  # the follow-on is no plan day: days done count the 42
    finished = plan.Progress(done=done | {("weekly-check-in", 49)})
    later = plan.today(PROGRAM, plan.Schedule(START), finished, at(49))
    assert later.today is not None and later.today.done and not later.has_work_today
    between = plan.today(PROGRAM, plan.Schedule(START), plan.Progress(), at(52))
    assert between.today is None and not between.follow_on and not between.has_work_today
    assert between.next_follow_on == date(2027, 2, 28)
    last = plan.today(PROGRAM, plan.Schedule(START), plan.Progress(), at(42))
    assert last.status is plan.Status.ACTIVE and last.next_follow_on is None


def test_a_program_without_a_follow_on_ends_as_before() -> None:
    start = date(2027, 1, 4)
    moment = datetime.combine(start + timedelta(days=20), datetime.min.time(), UTC)
    today = plan.today(SMALL_PROGRAM, plan.Schedule(start), plan.Progress(), moment)
    assert today.status is plan.Status.FINISHED
    assert today.today is None and today.next_follow_on is None and not today.follow_on


@pytest.fixture
def ended(tmp_path: Path) -> Path:
    """A plan begun on START, with the first signs and the practices to keep written on
    day 41, and a reminder at 20:00."""
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(41))
    try:
        service.save_answer("keep-going", 41, "keep-rest", "The body scan")
        service.save_answer("keep-going", 41, "keep-connection", "A shared laugh")
        service.save_answer("keep-going", 41, "early-signs", "snapping at the kettle")
        service.complete("keep-going", 41)
    finally:
        service.close()
    return data


def run(cli: Cli, data: Path, when: datetime, *args: str, input: str | None = None) -> str:
    result = cli("--data-dir", str(data), *args, input=input, REPLENISH_NOW=when.isoformat())
    assert result.code == 0, result.err
    assert "Traceback" not in result.out + result.err
    return result.out


def test_today_between_check_ins_says_when_the_next_one_is(ended: Path, cli: Cli) -> None:
    shown = run(cli, ended, at(46), "today")
    assert "You have reached the end of the 42 days." in shown
    assert "Your next weekly check-in is on Sunday 21 February." in shown
    assert "Weekly check-in" not in shown.replace("next weekly check-in", "")


def test_today_on_a_follow_on_day_lists_the_check_in_and_its_recalls(
    ended: Path, cli: Cli
) -> None:
    shown = run(cli, ended, at(49), "today")
    assert "The 42 days are complete." in shown
    assert "This week's check-in, about 4 minutes:" in shown
    assert "  - Weekly check-in, 4 min" in shown
    assert "snapping at the kettle" in shown and "The body scan" in shown
    assert "A shared laugh" in shown
    assert "Your next weekly check-in" not in shown  # today's is still waiting


def test_do_walks_the_check_in_and_then_today_names_the_next(ended: Path, cli: Cli) -> None:
    # intro, energy, closeness, the first signs, signs seen (2), rest kept, moment kept, a line
    said = run(cli, ended, at(49, 19), "do", input="\n6\n5\n\n2\n\n\nan early night\n\n")
    assert "Weekly check-in, 4 min · Day 49" in said
    assert "Your own first signs of running low, from week 6:" in said
    assert "snapping at the kettle" in said
    assert "Done: Weekly check-in." in said
    service = open_service(ended, BUNDLED, at(49, 19))
    try:
        answers = service.answers("weekly-check-in", 49)
        assert {key: answer.value for key, answer in answers.items()} == {
            "energy": 6,
            "closeness": 5,
            "signs-seen": "One or two",
            "this-week": "an early night",
        }
        assert service.state_of("weekly-check-in", 49) == "done"
    finally:
        service.close()
    shown = run(cli, ended, at(49, 20), "today")
    assert "This week's check-in is done." in shown
    assert "Your next weekly check-in is on Sunday 28 February." in shown
    assert "Nothing is waiting" not in run(cli, ended, at(52), "do")
    assert "Your next weekly check-in is on Sunday 28 February." in run(cli, ended, at(52), "do")


def test_status_says_the_plan_is_complete_and_when_the_check_in_comes(
    ended: Path, cli: Cli
) -> None:
    run(cli, ended, at(41), "remind", "set", "20:00")
    between = run(cli, ended, at(46), "status")
    assert "day 42 of 42 (the plan is complete)." in between
    assert "Your next weekly check-in is on Sunday 21 February." in between
    assert "Next reminder: Sunday 21 February at 20:00" in between
    assert "reminders now come only on the days of the weekly check-in" in between
    on_the_day = run(cli, ended, at(49), "status")
    assert "Today holds this week's check-in." in on_the_day
    assert "Next reminder: Sunday 21 February at 20:00" in on_the_day


def test_the_nudge_speaks_on_a_follow_on_day_after_the_reminder_time(
    ended: Path, cli: Cli
) -> None:
    run(cli, ended, at(41), "remind", "set", "20:00")
    assert run(cli, ended, at(49, 19), "nudge") == ""
    line = run(cli, ended, at(49, 21), "nudge")
    assert "a few quiet minutes are waiting, about 4 min" in line
    assert "check-in" not in line.lower()  # discreet, as every day
    assert run(cli, ended, at(50, 21), "nudge") == ""
    assert run(cli, ended, at(46, 21), "nudge") == ""


def test_the_reminder_comes_on_a_follow_on_day_only(ended: Path, cli: Cli) -> None:
    run(cli, ended, at(41), "remind", "set", "20:00")
    for day, expected in ((46, 0), (49, 1), (50, 0)):
        service = open_service(ended, BUNDLED, at(day, 21))
        try:
            taken = ReminderDesk(service, "service").take_due()
            assert len(taken) == expected, day
            if taken:
                assert "a few quiet minutes are waiting" in taken[0].text.lower()
        finally:
            service.close()


def test_a_program_without_a_follow_on_still_just_ends(tmp_path: Path, cli: Cli) -> None:
    data = tmp_path / "data"
    enrolled(data, SMALL, start=START, now=at(1)).close()
    args = ("--program", str(SMALL))
    assert "Your next weekly" not in run(cli, data, at(21), *args, "today")
    status = run(cli, data, at(21), *args, "status")
    assert "(the plan is complete)" in status and "weekly" not in status


def test_what_is_written_in_a_check_in_is_in_the_journal_and_the_export(
    ended: Path, cli: Cli, tmp_path: Path
) -> None:
    from program import journal

    service = open_service(ended, BUNDLED, at(56))
    try:
        service.save_answer("weekly-check-in", 56, "this-week", "a slow Sunday walk")
        service.complete("weekly-check-in", 56)
        (entry,) = [e for e in journal.reflections(service) if e.day == 56]
        assert entry.text == "a slow Sunday walk" and entry.date == date(2027, 2, 28)
        assert entry.exercise_title == "Weekly check-in"
    finally:
        service.close()
    markdown = run(cli, ended, at(57), "export", "--format", "md")
    assert "## Day 56" in markdown and "### Weekly check-in (done)" in markdown
    assert "a slow Sunday walk" in markdown
    copy = tmp_path / "copy.json"
    run(cli, ended, at(57), "export", "--format", "json", "-o", str(copy))
    fresh = tmp_path / "fresh"
    run(cli, fresh, at(57), "import", str(copy))
    again = open_service(fresh, BUNDLED, at(57))
    try:
        assert again.answers("weekly-check-in", 56)["this-week"].value == "a slow Sunday walk"
        assert again.state_of("weekly-check-in", 56) == "done"
    finally:
        again.close()


@pytest.mark.parametrize("weeks", [(4, 200)], ids=["4 weeks vs 200"])
def test_a_follow_on_day_costs_the_same_years_on(tmp_path: Path, weeks: tuple[int, int]) -> None:
    """Counted, not timed (tests/test_flat_in_history.py): today, its text, the nudge and
    the reminders due on a follow-on day, 4 weeks and 200 weeks past the end, each with a
    check-in done every week before it."""
    from program import text
    from program.reminders.times import nudge_line
    from tests.test_flat_in_history import SLACK, work

    counted = []
    for past in weeks:
        day = PROGRAM.days + 7 * past
        now = datetime(2027, 1, 4, 21, tzinfo=UTC)
        service = enrolled(tmp_path / f"data-{past}", BUNDLED, start=now.date(), now=now)
        service.start(on=now.date() - timedelta(days=day - 1))
        for week in range(1, past):
            service.save_answer("weekly-check-in", PROGRAM.days + 7 * week, "energy", 5)
            service.complete("weekly-check-in", PROGRAM.days + 7 * week)
        settings = service.settings()
        service.save_settings(settings.with_reminders(on=True, times=(datetime.min.time(),)))

        def everyday(service: Replenish = service) -> object:
            today = service.today()
            assert today is not None and today.follow_on
            return (
                text.today_lines(service.program, today, service.recalls_today(today)),
                nudge_line(service, today),
                ReminderDesk(service, "app").take_due(),
            )

        everyday()  # warm: caches, and the tally judged once
        counted.append(work(service, everyday))
        service.close()
    small, large = counted
    assert large.calls <= small.calls * SLACK + 20, (small, large)
    assert large.steps <= small.steps * SLACK + 50, (small, large)
