"""`replenish remind set/show/off/install/ics`, run as the user runs them."""

from __future__ import annotations

import stat
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from program.settings import Settings
from state import Store
from tests.conftest import SMALL, Cli, heavy_modules_after

SMALL_ARGS = ("--program", str(SMALL))
NOW = "2026-12-28T09:00:00+00:00"  # a Monday; the small program has 14 days


def _settings(cli: Cli) -> Settings:
    with Store.open(cli.home) as store:
        return Settings.from_values(store.settings())


def test_set_show_off(cli: Cli) -> None:
    cli.now = NOW
    cli.tz = "Europe/London"
    assert "Reminders are off" in cli("remind", "show", *SMALL_ARGS).out
    result = cli("remind", "set", "20:30", "08:00:30", "--days", "mon,wed", *SMALL_ARGS)
    assert result.code == 0, result.err
    assert "Reminders: 08:00:30, 20:30, Mon, Wed." in result.out
    assert "Next reminder: Monday 28 December at 20:30 (GMT)." in result.out
    reminders = _settings(cli).reminders
    assert reminders.on and reminders.timezone == "Europe/London"
    assert reminders.days == frozenset({0, 2})
    show = cli("remind", "show", *SMALL_ARGS)
    assert show.code == 0, show.err
    assert "Reminders: 08:00:30, 20:30, Mon, Wed (Europe/London)." in show.out
    assert "Next reminder: Monday 28 December at 20:30 (GMT)." in show.out
    assert "a 02:30 reminder comes at 03:30" in show.out
    assert "not begun" in show.out
    off = cli("remind", "off", *SMALL_ARGS)
    assert off.code == 0 and "Reminders are off" in off.out
    assert not _settings(cli).reminders.on
    assert _settings(cli).reminders.times  # kept for next time
    assert "Reminders are off" in cli("remind", "show", *SMALL_ARGS).out


def test_show_names_the_night_a_time_is_skipped(cli: Cli) -> None:
    cli.now = "2026-03-01T12:00:00-05:00"
    cli.tz = "America/New_York"
    assert cli("remind", "set", "02:30", *SMALL_ARGS).code == 0
    show = cli("remind", "show", *SMALL_ARGS).out
    assert "On Sunday 08 March 2026 the clocks skip 02:30: that reminder comes at 03:30." in show


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["remind", "set", "8pm"], "'8pm' is not a time"),
        (["remind", "set", "24:00"], "not a time of day"),
        (["remind", "set", "20:00", "--days", "funday"], "not a list of days"),
    ],
)
def test_set_refuses_what_it_cannot_read(cli: Cli, argv: list[str], message: str) -> None:
    result = cli(*argv, *SMALL_ARGS)
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err


def test_install_print_and_install_into_xdg_config(cli: Cli, tmp_path: Path) -> None:
    shown = cli("remind", "install", "--print", "--data-dir", str(tmp_path / "d"))
    assert shown.code == 0, shown.err
    assert "Restart=on-failure" in shown.out
    exec_line = next(line for line in shown.out.splitlines() if line.startswith("ExecStart="))
    # Run as `python -m program`, the unit starts the same interpreter the same way.
    assert (
        exec_line == f"ExecStart={sys.executable} -m program remind run --data-dir {tmp_path / 'd'}"
    )
    config = tmp_path / "config"
    done = cli("remind", "install", XDG_CONFIG_HOME=str(config))
    assert done.code == 0, done.err
    unit = config / "systemd" / "user" / "replenish-remind.service"
    assert f"Wrote {unit}." in done.out
    assert "systemctl --user enable --now replenish-remind.service" in done.out
    text = unit.read_text()
    assert "[Service]" in text and "Restart=on-failure" in text
    assert f" remind run --data-dir {cli.home}\n" in text  # REPLENISH_HOME made explicit
    assert "WantedBy=default.target" in text
    # The journal may be read by others: the service's stdout goes nowhere, its log stays.
    assert "StandardOutput=null\n" in text and "StandardError=journal\n" in text


def test_ics_holds_the_remaining_days_with_alarms(cli: Cli, tmp_path: Path) -> None:
    cli.now = NOW
    cli.tz = "Europe/London"
    target = tmp_path / "plan.ics"
    refused = cli("remind", "ics", str(target), *SMALL_ARGS)
    assert refused.code == 1 and "reminders are off" in refused.err
    assert cli("remind", "set", "20:30", *SMALL_ARGS).code == 0
    refused = cli("remind", "ics", str(target), *SMALL_ARGS)
    assert refused.code == 1 and "not begun" in refused.err and not target.exists()
    assert cli("start", "--on", "2026-12-24", *SMALL_ARGS).code == 0  # today is day 5 of 14
    result = cli("remind", "ics", str(target), *SMALL_ARGS)
    assert result.code == 0, result.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    calendar = Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 10  # days 5..14
    assert f"Wrote {len(events)} reminder events" in result.out
    starts = [event.decoded("dtstart") for event in events]
    assert [start.date() for start in starts] == [
        date(2026, 12, 28) + timedelta(days=offset) for offset in range(10)
    ]
    assert all(start.hour == 20 and start.minute == 30 for start in starts)
    assert all(event["dtstart"].params["TZID"] == "Europe/London" for event in events)
    assert str(events[0]["summary"]) == "Replenish"  # neutral unless detail was asked for
    assert str(events[0]["description"]).startswith("A few quiet minutes")
    assert all(str(event["class"]) == "PRIVATE" for event in events)
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger") == timedelta(0)
    assert len({str(event["uid"]) for event in events}) == len(events)
    again = cli("remind", "ics", str(target), *SMALL_ARGS)
    assert again.code == 0
    uids = [str(event["uid"]) for event in Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert uids == [str(event["uid"]) for event in events]  # stable: a re-import updates


def test_ics_refuses_once_the_plan_has_ended(cli: Cli, tmp_path: Path) -> None:
    cli.now = NOW
    assert cli("start", "--on", "2026-11-01", *SMALL_ARGS).code == 0
    assert cli("remind", "set", "20:30", *SMALL_ARGS).code == 0
    result = cli("remind", "ics", str(tmp_path / "x.ics"), *SMALL_ARGS)
    assert result.code == 1 and "ended" in result.err


REMIND_COMMANDS = [
    ["remind", "set", "20:30"],
    ["remind", "show"],
    ["remind", "off"],
    ["remind", "install", "--print"],
]


@pytest.mark.parametrize("argv", REMIND_COMMANDS, ids=" ".join)
def test_remind_commands_never_import_textual_or_apscheduler(
    argv: list[str], private_home: Path
) -> None:
    assert heavy_modules_after(argv, private_home) == []
