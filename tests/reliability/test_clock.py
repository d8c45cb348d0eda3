"""Clock trouble: a clock jumping back, the time zone changing, a start in the future."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from program import plan
from program.service import Replenish
from tests.conftest import SMALL, Cli, open_service

SMALL_ARGS = ("--program", str(SMALL))
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_the_clock_jumping_backwards_between_saves(
    enrolled_service: Callable[..., Replenish],
) -> None:
    service = enrolled_service(start=START.date(), now=START + timedelta(days=4), backup=True)
    service.save_answer("check-in", 5, "words", "written on day five")
    service.complete("rest", 5)
    service.now = lambda: START + timedelta(days=2)  # the clock was put back two days
    service.save_answer("check-in", 3, "words", "written after the jump")
    service.save_answer("check-in", 5, "words", "day five, edited after the jump")
    today = service.today()
    assert today is not None and today.day == 3 and today.status is plan.Status.ACTIVE
    journey = dict(service.journey())
    assert len(journey) == 14 and journey[3] == "today"
    answers = {(a.day, a.value) for a in service.store.answers()}
    assert answers == {(3, "written after the jump"), (5, "day five, edited after the jump")}
    service.now = lambda: START + timedelta(days=4)  # and forward again
    today = service.today()
    assert today is not None and today.day == 5
    assert [o.day for o in service.store.outcomes()] == [5]


def _day(status: str) -> int:
    found = re.search(r"day (\d+) of 14", status)
    assert found, status
    return int(found.group(1))


def test_the_time_zone_changing_between_sessions(cli: Cli) -> None:
    """The program day follows the local date wherever the user is; no crash, no gap."""
    cli.now = "2026-11-05T10:30:00+00:00"
    cli.tz = "Pacific/Auckland"
    assert cli("start", "--on", "2026-11-01", *SMALL_ARGS).code == 0
    days = []
    for zone in ("Pacific/Auckland", "America/Los_Angeles", "UTC", "Asia/Kolkata"):
        cli.tz = zone
        cli.now = "2026-11-05T10:30:00"  # naive: read as local time in each zone
        status = cli("status", *SMALL_ARGS)
        assert status.code == 0, status.err
        days.append(_day(status.out))
        assert cli("today", *SMALL_ARGS).code == 0
    assert days == [5, 5, 5, 5]  # local wall-clock 10:30 on 5 November everywhere
    # One instant, 2026-11-05 20:30 UTC, on each side of the date line (REPLENISH_NOW
    # with an offset keeps that offset, so each zone gets its own local reading).
    cli.tz, cli.now = "Pacific/Kiritimati", "2026-11-06T10:30:00"  # UTC+14
    ahead = _day(cli("status", *SMALL_ARGS).out)
    cli.tz, cli.now = "Pacific/Pago_Pago", "2026-11-05T09:30:00"  # UTC-11
    behind = _day(cli("status", *SMALL_ARGS).out)
    assert (behind, ahead) == (5, 6)
    cli.tz, cli.now = "Pacific/Kiritimati", "2026-11-06T10:30:00"  # and back: no day lost
    assert _day(cli("status", *SMALL_ARGS).out) == 6


def test_answers_saved_in_different_zones_stay_one_per_day(
    enrolled_service: Callable[..., Replenish],
) -> None:
    service = enrolled_service(start=START.date(), now=START, backup=True)
    zones = [timezone(timedelta(hours=h)) for h in (13, -8, 0, 5, -3)]
    for hour, zone in enumerate(zones):
        moment = (START + timedelta(days=2, hours=hour)).astimezone(zone)
        service.now = lambda moment=moment: moment
        today = service.today()
        assert today is not None
        service.save_answer("check-in", today.day, "words", f"saved in {zone}")
    answers = service.store.answers()
    assert len({(a.day, a.step_id) for a in answers}) == len(answers)  # never duplicated
    assert {a.day for a in answers} <= {2, 3, 4}
    assert all(a.saved_at.utcoffset() is not None for a in answers)


def test_a_start_date_in_the_future(cli: Cli, private_home: Path) -> None:
    cli.now = "2026-11-01T09:00:00+00:00"
    assert cli("start", "--on", "2026-12-24", *SMALL_ARGS).code == 0
    for args in (("today",), ("status",), ("nudge",), ("export",)):
        result = cli(*args, *SMALL_ARGS)
        assert result.code == 0, (args, result.err)
    assert "begins on Thursday 24 December 2026" in cli("status", *SMALL_ARGS).out
    assert cli("nudge", *SMALL_ARGS).out == ""
    service = open_service(private_home, now=lambda: START, backup=True)
    today = service.today()
    assert today is not None and today.status is plan.Status.NOT_STARTED
    assert today.days_done == 0 and today.catch_up == ()
    assert {state for _, state in service.journey()} == {"ahead"}
    assert service.day(1).day == 1
    service.close()
