"""The zone kept with reminder times: any zone the system accepts in `TZ`, never UTC instead."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from program.reminders.times import next_fire, zone_of
from program.settings import Reminders, Settings
from program.zone import local_zone_name, zone_named
from state import Store
from tests.conftest import SMALL, Cli

SMALL_ARGS = ("--program", str(SMALL))
WINTER = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
CET_RULE = "CET-1CEST,M3.5.0,M10.5.0/3"


def test_tz_est5edt_is_kept_so_reminders_fire_at_local_time(cli: Cli) -> None:
    """Stored as UTC before, a 20:00 reminder fired at 15:00 New York time: five hours off."""
    cli.tz = "EST5EDT"
    cli.now = WINTER.isoformat()
    result = cli("remind", "set", "20:00", *SMALL_ARGS)
    assert result.code == 0, result.err
    with Store.open(cli.home) as store:
        reminders = Settings.from_values(store.settings()).reminders
    assert reminders.timezone == "EST5EDT"
    assert next_fire(reminders, WINTER) == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert next_fire(reminders, SUMMER) == datetime(2026, 7, 2, 0, 0, tzinfo=UTC)  # EDT


@pytest.mark.parametrize(
    ("tz", "kept"),
    [
        ("EST5EDT", "EST5EDT"),
        ("Europe/Paris", "Europe/Paris"),
        (":America/New_York", "America/New_York"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        (CET_RULE, CET_RULE),
        ("<+03>-3", "<+03>-3"),
        ("UTC", "UTC"),
    ],
)
def test_any_zone_the_system_accepts_is_kept(
    monkeypatch: pytest.MonkeyPatch, tz: str, kept: str
) -> None:
    monkeypatch.setenv("TZ", tz)
    assert local_zone_name() == kept
    assert zone_named(kept) is not None


def test_a_tz_the_system_would_not_read_falls_back_to_the_system_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "garbage")
    chosen = local_zone_name()
    assert chosen != "garbage"
    assert chosen == "" or zone_named(chosen) is not None


def test_a_posix_rule_follows_its_daylight_time() -> None:
    zone = zone_named(CET_RULE)
    assert zone is not None
    assert WINTER.astimezone(zone).utcoffset() == timedelta(hours=1)
    assert SUMMER.astimezone(zone).utcoffset() == timedelta(hours=2)
    reminders = Reminders(on=True, times=(time(20, 0),), timezone=CET_RULE)
    assert next_fire(reminders, SUMMER) == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Europe", "garbage", "", "../../etc/passwd", "EST5EDT\n"])
def test_names_the_system_refuses_are_no_zone_and_stop_nothing(name: str) -> None:
    """A stored `Europe` (a folder of the tz database) stopped every reminder with OSError."""
    assert zone_named(name) is None
    reminders = Reminders(on=True, times=(time(20, 0),), timezone=name)
    assert zone_of(reminders, WINTER) is WINTER.tzinfo
    assert next_fire(reminders, WINTER) == datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def test_a_calendar_for_a_posix_rule_gives_each_moment_in_utc(cli: Cli, tmp_path: Path) -> None:
    """A TZID no VTIMEZONE defines would leave the phone to guess; UTC cannot be misread."""
    cli.tz = CET_RULE
    cli.now = SUMMER.isoformat()
    assert cli("remind", "set", "20:00", *SMALL_ARGS).code == 0
    assert cli("start", *SMALL_ARGS).code == 0
    target = tmp_path / "plan.ics"
    result = cli("remind", "ics", str(target), *SMALL_ARGS)
    assert result.code == 0, result.err
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert events
    first = events[0].decoded("dtstart")
    assert first == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
    assert "TZID" not in events[0]["dtstart"].params
