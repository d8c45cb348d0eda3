"""Every everyday path does the same work with years of daily answers as with one week.

No timing (it would flake): the work is counted. Python function calls (a profile hook)
and SQLite virtual-machine steps (a progress handler) are both deterministic for given
data, so a path whose cost grows with history shows it as a count that grows, here,
on any machine. The same generated program (two daily exercises, twenty years long)
with four months of answers and with six years of them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from program import journal, plan
from program.content import load_program
from program.reminders.desk import ReminderDesk, daily_key
from program.service import Replenish
from state import Store
from tests.bench.bench_programs import history_export, write_history_program

NOW = datetime(2027, 6, 2, 20, tzinfo=UTC)
SIZES = (120, 2190)
"""Four months (the journal's page, the chart's twelve weeks and the Journey's grid all
full) and six years: the counts must not tell them apart."""
SLACK = 1.2
"""Room for a bisection's few more steps (the date of a journal entry's day): a cost that
grows with the logarithm of the days, where a walk over them grows with the days."""


@dataclass(frozen=True)
class Work:
    calls: int
    steps: int


def work(service: Replenish, action: Callable[[], object]) -> Work:
    """Python calls and SQLite steps that `action` takes."""
    calls = 0
    steps = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn = service.store._live()
    conn.set_progress_handler(step, 1)
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
        conn.set_progress_handler(None, 1)
    return Work(calls, steps)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Replenish]]:
    folder = tmp_path_factory.mktemp("history")
    program = load_program(write_history_program(folder / "program"))
    opened: dict[int, Replenish] = {}
    for days in SIZES:
        service = Replenish(program, Store.open(folder / f"home-{days}"), now=lambda: NOW)
        service.store.import_data(history_export(days, plan.plan_date(NOW)))
        settings = service.settings()
        service.save_settings(settings.with_reminders(on=True, times=(time(4, 0),)))
        service.set_position("check-in", days, 1)
        service.today()  # the first reading after an import judges every day, once
        opened[days] = service
    yield opened
    for service in opened.values():
        service.close()


def window(service: Replenish) -> tuple[int, int]:
    today = service.today()
    assert today is not None
    first = (today.week - 10) * 7 + 1
    return first, first + 83


ACTIONS: dict[str, Callable[[Replenish], object]] = {
    "today": lambda s: s.today(),
    "a day": lambda s: s.day(s.today().day - 1),  # type: ignore[union-attr]
    "the Journey's weeks": lambda s: s.journey(*window(s)),
    "a day's record": lambda s: journal.day_record(s, s.today().day - 1),  # type: ignore[union-attr]
    "state of one exercise": lambda s: s.state_of("check-in", s.today().day),  # type: ignore[union-attr]
    "where to resume": lambda s: s.resume_point(),
    "the journal's first page": journal.reflections,
    "the check-in chart": journal.checkin_series,
    "the reminders due": lambda s: ReminderDesk(s, "app").take_due(),
    "the flags": lambda s: s.flags(),
    "what a sync may share": lambda s: s.partner().ready_to_share(),
    "a step's answers": lambda s: s.answers("check-in", s.today().day),  # type: ignore[union-attr]
    "an answer saved": lambda s: s.save_answer("check-in", s.today().day, "energy", 3),  # type: ignore[union-attr]
    "an exercise done, and the tally after it": lambda s: (
        s.complete("evening", s.today().day),  # type: ignore[union-attr]
        s.reopen("evening", s.today().day),  # type: ignore[union-attr]
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_work_is_the_same_after_years(services: dict[int, Replenish], name: str) -> None:
    action = ACTIONS[name]
    week, years = (services[days] for days in SIZES)
    for service in (week, years):
        action(service)  # warm: caches, and anything judged once
    small, large = work(week, lambda: action(week)), work(years, lambda: action(years))
    assert large.calls <= small.calls * SLACK + 20, (name, small, large)
    assert large.steps <= small.steps * SLACK + 50, (name, small, large)


def test_the_counts_see_a_cost_that_grows(services: dict[int, Replenish]) -> None:
    """The measure itself: a walk over every day (the recount) is told apart at once."""
    week, years = (services[days] for days in SIZES)

    def recount(service: Replenish) -> int:
        schedule = service.schedule()
        assert schedule is not None
        now = plan.day_now(service.program, schedule, service.now())
        return plan.days_done(service.program, service.progress(), now)

    small, large = work(week, lambda: recount(week)), work(years, lambda: recount(years))
    assert large.calls > small.calls * 10 and large.steps > small.steps * 10


def test_the_reminders_of_a_day_are_there_to_find(services: dict[int, Replenish]) -> None:
    """The desk asks for today's keys only, and still finds today's claim among years of them."""
    service = services[SIZES[-1]]
    today = service.today()
    assert today is not None and today.has_work_today
    key = daily_key(today.plan_date, time(4, 0))
    desk = ReminderDesk(service, "app")
    desk.take_due()  # taken now, or already by the test above
    assert service.delivered_keys([key]) == {key}
    assert desk.take_due() == [], "claimed: never taken twice"
    older = [daily_key(today.plan_date - timedelta(days=n), time(4, 0)) for n in (1, 2)]
    assert service.delivered_keys([key, *older]) == {key}
