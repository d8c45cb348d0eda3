"""The plan engine: program days, pauses, catch-up, the day-start hour, DST and the last day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from program import plan
from program.content import Program, load_program
from tests.conftest import SMALL

PROGRAM: Program = load_program(SMALL)
START = date(2026, 12, 28)  # crosses a month and a year end within the program


def at(day: date, hour: int = 12, minute: int = 0, tz: str = "UTC") -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


def schedule(
    *pauses: tuple[date, date | None], hour: int = 4, start: date = START
) -> plan.Schedule:
    return plan.Schedule(start, hour, tuple(plan.PauseSpan(p, r) for p, r in pauses))


def done_days(*days: int, flags: frozenset[str] = frozenset()) -> plan.Progress:
    done = {(exercise.id, day) for day in days for exercise in PROGRAM.exercises_on(day, flags)}
    return plan.Progress(done=frozenset(done), flags=flags)


def test_day_one_on_the_start_date_and_across_month_and_year_ends() -> None:
    result = plan.today(PROGRAM, schedule(), plan.Progress(), at(START))
    assert (result.status, result.day, result.week) == (plan.Status.ACTIVE, 1, 1)
    assert plan.today(PROGRAM, schedule(), plan.Progress(), at(date(2027, 1, 1))).day == 5
    jan_3 = plan.today(PROGRAM, schedule(), plan.Progress(), at(date(2027, 1, 3)))
    assert (jan_3.day, jan_3.week) == (7, 1)
    assert plan.today(PROGRAM, schedule(), plan.Progress(), at(date(2027, 1, 4))).week == 2


def test_day_one_shows_its_exercises_in_program_order() -> None:
    result = plan.today(PROGRAM, schedule(), plan.Progress(), at(START))
    assert result.today is not None
    assert [due.exercise.id for due in result.today.exercises] == ["check-in", "intake", "rest"]
    assert result.today.module is not None and result.today.module.id == "basics"
    assert result.today.minutes == 11


def test_before_the_start_nothing_is_due() -> None:
    result = plan.today(PROGRAM, schedule(), plan.Progress(), at(START - timedelta(days=3)))
    assert result.status is plan.Status.NOT_STARTED
    assert result.today is None and result.catch_up == ()
    assert result.starts_on == START


def test_day_start_hour_keeps_late_evening_on_the_same_day() -> None:
    late = at(START + timedelta(days=1), hour=1, minute=30)  # 01:30 the next calendar day
    assert plan.today(PROGRAM, schedule(hour=4), plan.Progress(), late).day == 1
    assert plan.today(PROGRAM, schedule(hour=0), plan.Progress(), late).day == 2
    at_four = at(START + timedelta(days=1), hour=4)
    assert plan.today(PROGRAM, schedule(hour=4), plan.Progress(), at_four).day == 2


def test_paused_days_do_not_count() -> None:
    pause_on = START + timedelta(days=4)  # day 5
    while_paused = schedule((pause_on, None))
    for later in range(4, 12):
        result = plan.today(
            PROGRAM, while_paused, plan.Progress(), at(START + timedelta(days=later))
        )
        assert result.day == 5
        assert result.status is plan.Status.PAUSED
    resumed = schedule((pause_on, pause_on + timedelta(days=7)))
    after = plan.today(PROGRAM, resumed, plan.Progress(), at(pause_on + timedelta(days=7)))
    assert (after.day, after.status) == (6, plan.Status.ACTIVE)
    same_day = schedule((pause_on, pause_on))
    assert plan.today(PROGRAM, same_day, plan.Progress(), at(pause_on + timedelta(days=1))).day == 6


def test_overlapping_pauses_count_once() -> None:
    first = (START + timedelta(days=2), START + timedelta(days=6))
    second = (START + timedelta(days=4), START + timedelta(days=8))
    once = schedule((START + timedelta(days=2), START + timedelta(days=8)))
    both = schedule(first, second)
    moment = at(START + timedelta(days=10))
    assert (
        plan.today(PROGRAM, both, plan.Progress(), moment).day
        == plan.today(PROGRAM, once, plan.Progress(), moment).day
    )


def test_catch_up_offers_at_most_a_few_recent_days_newest_first() -> None:
    result = plan.today(PROGRAM, schedule(), done_days(1), at(START + timedelta(days=9)))  # day 10
    assert [day.day for day in result.catch_up] == [9, 8, 7]
    assert len(result.catch_up) == plan.CATCH_UP_DAYS
    for day in result.catch_up:
        assert "check-in" not in {due.exercise.id for due in day.exercises}


def test_done_and_skipped_days_leave_catch_up_and_count_as_done() -> None:
    progress = plan.Progress(
        done=done_days(1, 2).done | {("sit-together", 9)},
        skipped=frozenset({("sit-together", 8)}),
    )
    result = plan.today(PROGRAM, schedule(), progress, at(START + timedelta(days=9)))
    assert [day.day for day in result.catch_up] == [7]
    assert result.days_done == 4  # days 1, 2, 8 (set aside) and 9


def test_optional_exercises_do_not_hold_a_day_open() -> None:
    progress = plan.Progress(done=frozenset({("check-in", 1), ("rest", 1)}))
    day_one = plan.day_plan(PROGRAM, 1, progress, 1)
    assert day_one.done
    assert plan.today(PROGRAM, schedule(), progress, at(START)).has_work_today is False


def test_in_progress_state_is_reported() -> None:
    progress = plan.Progress(started=frozenset({("rest", 1)}))
    day_one = plan.day_plan(PROGRAM, 1, progress, 1)
    assert {due.exercise.id: due.state for due in day_one.exercises}["rest"] == "in progress"


def test_flags_route_to_the_individual_track() -> None:
    flagged = frozenset({"needs-support"})
    result = plan.today(
        PROGRAM, schedule(), plan.Progress(flags=flagged), at(START + timedelta(days=8))
    )
    assert result.today is not None
    ids = [due.exercise.id for due in result.today.exercises]
    assert "sit-together" not in ids and "alone-time" in ids
    assert [notice.text for notice in result.notices] == [
        "Support outside the relationship comes first."
    ]
    alone = PROGRAM.exercise("alone-time")
    assert alone is not None
    assert [step.id for step in alone.steps_for(flagged)] == ["need"]


def test_last_day_and_the_end_of_the_program() -> None:
    last = plan.today(PROGRAM, schedule(), plan.Progress(), at(START + timedelta(days=13)))
    assert (last.day, last.status) == (14, plan.Status.ACTIVE)
    after = plan.today(PROGRAM, schedule(), done_days(12), at(START + timedelta(days=14)))
    assert after.status is plan.Status.FINISHED
    assert after.today is None
    assert after.day == 14
    assert [day.day for day in after.catch_up] == [14, 13]  # the last days can still be finished
    assert not after.has_work_today


@pytest.mark.parametrize(
    ("tz", "spring", "autumn"),
    [
        ("America/New_York", date(2027, 3, 14), date(2027, 11, 7)),
        ("Europe/London", date(2027, 3, 28), date(2027, 10, 31)),
        ("Australia/Lord_Howe", date(2027, 4, 4), date(2027, 10, 3)),
    ],
)
def test_dst_changes_move_the_day_on_exactly_once(tz: str, spring: date, autumn: date) -> None:
    for change in (spring, autumn):
        start = change - timedelta(days=3)
        sched = schedule(start=start)
        moments = [
            datetime(change.year, change.month, change.day, 0, 0, tzinfo=ZoneInfo(tz))
            + timedelta(minutes=30 * step)
            for step in range(-48, 96)
        ]
        days = [plan.today(PROGRAM, sched, plan.Progress(), moment).day for moment in moments]
        assert days == sorted(days)
        assert set(days) == {2, 3, 4, 5}


def test_journey_names_every_day() -> None:
    progress = plan.Progress(done=done_days(1).done, skipped=frozenset({("rest", 2)}))
    states = dict(plan.journey(PROGRAM, schedule(), progress, at(START + timedelta(days=3))))
    assert states[1] == "done"
    assert states[2] == "skipped"
    assert states[3] == "open"
    assert states[4] == "today"
    assert states[5] == "ahead"
    paused = schedule((START + timedelta(days=3), None))
    assert (
        dict(plan.journey(PROGRAM, paused, progress, at(START + timedelta(days=6))))[4] == "paused"
    )


def test_date_of_day_projects_forward_and_back() -> None:
    sched = schedule((START + timedelta(days=2), START + timedelta(days=4)))
    today = START + timedelta(days=6)  # day 6 (one day held by the pause)
    assert plan.program_day(sched, today) == 6
    assert plan.date_of_day(sched, 8, today) == today + timedelta(days=2)
    assert plan.date_of_day(sched, 1, today) == START
    assert plan.date_of_day(schedule((START, None)), 5, today) is None


def test_a_day_a_pause_stretched_dates_from_when_it_began() -> None:
    """One rule for the date of a day (the Journey, the Journal and the calendar file share it)."""
    sched = schedule((START + timedelta(days=2), START + timedelta(days=4)))
    today = START + timedelta(days=6)
    assert [plan.program_day(sched, START + timedelta(days=n)) for n in range(5)] == [1, 2, 3, 3, 4]
    assert plan.date_of_day(sched, 3, today) == START + timedelta(days=2), "paused on it"
    assert plan.date_of_day(sched, 4, today) == START + timedelta(days=4)
    assert plan.date_of_day(sched, 0, today) is None
    assert plan.date_of_day(sched, 6, today) == today


# ----- properties ---------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def schedules(draw: st.DrawFn) -> plan.Schedule:
    start = draw(dates)
    pauses: list[plan.PauseSpan] = []
    cursor = start
    for _ in range(draw(st.integers(0, 3))):
        began = cursor + timedelta(days=draw(st.integers(0, 30)))
        length = draw(st.integers(0, 20))
        ongoing = draw(st.booleans())
        pauses.append(plan.PauseSpan(began, None if ongoing else began + timedelta(days=length)))
        if ongoing:
            break
        cursor = began + timedelta(days=length)
    return plan.Schedule(start, draw(st.integers(0, 12)), tuple(pauses))


@settings(max_examples=300, deadline=None)
@given(
    sched=schedules(),
    first=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2036, 1, 1)),
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)),
)
def test_program_day_never_goes_backwards(
    sched: plan.Schedule, first: datetime, gap: timedelta
) -> None:
    earlier = plan.program_day(sched, plan.plan_date(first, sched.day_start_hour))
    later = plan.program_day(sched, plan.plan_date(first + gap, sched.day_start_hour))
    assert later >= earlier
    assert later - earlier <= gap.days + 1


@settings(max_examples=200, deadline=None)
@given(sched=schedules(), offset=st.integers(0, 200))
def test_without_pauses_each_date_is_one_day(sched: plan.Schedule, offset: int) -> None:
    plain = plan.Schedule(sched.start, sched.day_start_hour)
    on = sched.start + timedelta(days=offset)
    assert plan.program_day(plain, on) == offset + 1
    assert plan.program_day(sched, on) <= offset + 1


@settings(max_examples=200, deadline=None)
@given(
    sched=schedules(),
    offset=st.integers(-5, 60),
    done=st.sets(st.integers(1, 14), max_size=14),
)
def test_today_is_well_formed(sched: plan.Schedule, offset: int, done: set[int]) -> None:
    moment = datetime.combine(sched.start + timedelta(days=offset), datetime.min.time()).replace(
        hour=12, tzinfo=ZoneInfo("UTC")
    )
    result = plan.today(PROGRAM, sched, done_days(*done), moment)
    assert 1 <= result.day <= PROGRAM.days
    assert len(result.catch_up) <= plan.CATCH_UP_DAYS
    assert all(
        day.day < result.day or result.status is plan.Status.FINISHED for day in result.catch_up
    )
    assert 0 <= result.days_done <= PROGRAM.days
    if result.status is plan.Status.ACTIVE:
        assert result.today is not None and result.today.day == result.day


@settings(max_examples=200, deadline=None)
@given(sched=schedules(), offset=st.integers(0, 120), day=st.integers(1, 130))
def test_the_date_of_a_past_day_is_the_first_date_it_was_that_day(
    sched: plan.Schedule, offset: int, day: int
) -> None:
    today = sched.start + timedelta(days=offset)
    found = plan.date_of_day(sched, day, today)
    if day > plan.program_day(sched, today):
        assert (found is None) == sched.paused
        return
    assert found is not None and sched.start <= found <= today
    assert plan.program_day(sched, found) == day
    assert found == sched.start or plan.program_day(sched, found - timedelta(days=1)) < day
