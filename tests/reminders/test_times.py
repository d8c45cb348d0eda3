"""Computed fire times across DST changes: one reminder a day, none missing, none doubled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from program.reminders.times import dst_notes, next_fire, plan_day_fires, wall_time
from program.settings import Reminders


class Change(NamedTuple):
    """A zone's two DST nights of 2026 and the wall-clock spans they skip and repeat."""

    name: str
    spring: date
    gap: tuple[time, time]
    fall: date
    repeated: tuple[time, time]


CHANGES = [
    # New York: 02:00 -> 03:00 on 8 March; 02:00 -> 01:00 on 1 November.
    Change(
        "America/New_York",
        date(2026, 3, 8),
        (time(2), time(3)),
        date(2026, 11, 1),
        (time(1), time(2)),
    ),
    # London: 01:00 -> 02:00 on 29 March; 02:00 -> 01:00 on 25 October.
    Change(
        "Europe/London",
        date(2026, 3, 29),
        (time(1), time(2)),
        date(2026, 10, 25),
        (time(1), time(2)),
    ),
    # Lord Howe, a 30-minute shift: 02:00 -> 02:30 on 4 October; 02:00 -> 01:30 on 5 April.
    Change(
        "Australia/Lord_Howe",
        date(2026, 10, 4),
        (time(2), time(2, 30)),
        date(2026, 4, 5),
        (time(1, 30), time(2)),
    ),
    # Chatham: 02:45 -> 03:45 on 27 September; 03:45 -> 02:45 on 5 April.
    Change(
        "Pacific/Chatham",
        date(2026, 9, 27),
        (time(2, 45), time(3, 45)),
        date(2026, 4, 5),
        (time(2, 45), time(3, 45)),
    ),
]


def _middle(start: time, end: time) -> time:
    base = datetime.combine(date(2000, 1, 1), start)
    span = datetime.combine(date(2000, 1, 1), end) - base
    return (base + span / 2).time()


def _fires_over_week(reminders: Reminders, zone: ZoneInfo, night: date) -> list[datetime]:
    """Walk next_fire from three days before the night to four days after it."""
    moment = datetime.combine(night - timedelta(days=3), time(0, 0)).replace(tzinfo=zone)
    end = datetime.combine(night + timedelta(days=4), time(0, 0)).replace(tzinfo=zone)
    fires: list[datetime] = []
    while True:
        upcoming = next_fire(reminders, moment)
        assert upcoming is not None
        if upcoming >= end:
            return fires
        fires.append(upcoming)
        moment = upcoming


def _assert_one_a_day(fires: list[datetime], zone: ZoneInfo, night: date, clock: time) -> None:
    days = [fire.astimezone(zone).date() for fire in fires]
    expected = [night + timedelta(days=offset) for offset in range(-3, 4)]
    assert days == expected  # one per calendar day: none missing, none doubled
    for fire in fires:
        local = fire.astimezone(zone)
        if local.date() != night:
            assert local.time() == clock  # every other night: exactly the time set


@pytest.mark.parametrize("change", CHANGES, ids=[change.name for change in CHANGES])
def test_a_time_inside_the_skipped_span_moves_forward_by_the_gap(
    change: Change,
) -> None:
    name, spring, (gap_from, gap_to) = change.name, change.spring, change.gap
    zone = ZoneInfo(name)
    clock = _middle(gap_from, gap_to)
    # The span really is skipped that night (the test data is right).
    naive = datetime.combine(spring, clock)
    assert (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )
    reminders = Reminders(on=True, times=(clock,), timezone=name)
    fires = _fires_over_week(reminders, zone, spring)
    _assert_one_a_day(fires, zone, spring, clock)
    on_the_night = next(
        fire.astimezone(zone) for fire in fires if fire.astimezone(zone).date() == spring
    )
    gap = datetime.combine(spring, gap_to) - datetime.combine(spring, gap_from)
    assert on_the_night.replace(tzinfo=None) == naive + gap  # the documented wall time
    assert on_the_night == wall_time(spring, clock, zone)


@pytest.mark.parametrize("change", CHANGES, ids=[change.name for change in CHANGES])
def test_a_time_inside_the_repeated_span_comes_once_at_its_first_occurrence(
    change: Change,
) -> None:
    name, fall, (dup_from, dup_to) = change.name, change.fall, change.repeated
    zone = ZoneInfo(name)
    clock = _middle(dup_from, dup_to)
    naive = datetime.combine(fall, clock)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    assert first.utcoffset() != second.utcoffset()  # it really happens twice
    reminders = Reminders(on=True, times=(clock,), timezone=name)
    fires = _fires_over_week(reminders, zone, fall)
    _assert_one_a_day(fires, zone, fall, clock)
    on_the_night = [fire for fire in fires if fire.astimezone(zone).date() == fall]
    assert on_the_night == [first]
    assert on_the_night[0].astimezone(ZoneInfo("UTC")) == first.astimezone(ZoneInfo("UTC"))
    assert on_the_night[0].astimezone(ZoneInfo("UTC")) < second.astimezone(ZoneInfo("UTC"))


@pytest.mark.parametrize("change", CHANGES, ids=[change.name for change in CHANGES])
def test_an_ordinary_evening_time_is_untouched_by_either_change(
    change: Change,
) -> None:
    name, spring, fall = change.name, change.spring, change.fall
    zone = ZoneInfo(name)
    reminders = Reminders(on=True, times=(time(20, 30),), timezone=name)
    for night in (spring, fall):
        fires = _fires_over_week(reminders, zone, night)
        _assert_one_a_day(fires, zone, night, time(20, 30))
        assert all(fire.astimezone(zone).time() == time(20, 30) for fire in fires)


def test_two_times_that_meet_on_the_skipped_night_keep_their_own_keys() -> None:
    zone = ZoneInfo("America/New_York")
    reminders = Reminders(on=True, times=(time(2, 30), time(3, 30)), timezone="America/New_York")
    fires = plan_day_fires(reminders, date(2026, 3, 7), 4, zone)
    # Day starting 04:00 on the 7th ends 04:00 on the 8th: both times of the 8th belong to it.
    assert [moment.astimezone(zone).time() for _, moment in fires] == [time(3, 30), time(3, 30)]
    assert [clock for clock, _ in fires] == [time(2, 30), time(3, 30)]  # two keys, one instant


def test_dst_notes_name_the_night_and_what_happens() -> None:
    reminders = Reminders(on=True, times=(time(2, 30),), timezone="America/New_York")
    notes = dst_notes(reminders, date(2026, 1, 1), ZoneInfo("America/New_York"))
    assert notes == ["On Sunday 08 March 2026 the clocks skip 02:30: that reminder comes at 03:30."]
    repeated = Reminders(on=True, times=(time(1, 30),), timezone="Europe/London")
    notes = dst_notes(repeated, date(2026, 1, 1), ZoneInfo("Europe/London"))
    assert notes == [
        "On Sunday 29 March 2026 the clocks skip 01:30: that reminder comes at 02:30.",
        "On Sunday 25 October 2026 01:30 happens twice: that reminder comes once, the first time.",
    ]
    evening = Reminders(on=True, times=(time(20, 30),), timezone="Europe/London")
    assert dst_notes(evening, date(2026, 1, 1), ZoneInfo("Europe/London")) == []
