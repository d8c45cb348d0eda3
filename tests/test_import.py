"""`replenish import`: never overwrites without --replace, keeps a copy when it replaces,
reads only what an export can be, and refuses any value the app itself would never write."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from program.settings import Settings
from state import Store
from tests.conftest import SMALL, run_main

SMALL_ARGS = ("--program", str(SMALL))
NOW = "2026-12-01T09:00:00+00:00"


def run(*argv: str) -> tuple[int, str, str]:
    """`replenish ARGV` in this process (`run_main`) on the test's data folder, at `NOW`."""
    env = {"REPLENISH_HOME": os.environ["REPLENISH_HOME"], "REPLENISH_NOW": NOW, "TZ": "UTC"}
    done = run_main([*argv, *SMALL_ARGS], env)
    return done.code, done.out, done.err


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLENISH_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")


def at(home: Path, *argv: str) -> tuple[int, str, str]:
    return run(*argv, "--data-dir", str(home))


def export_of(home: Path, target: Path) -> Path:
    code, _, err = at(home, "export", "--format", "json", "-o", str(target))
    assert code == 0, err
    return target


def digest(folder: Path) -> dict[str, bytes]:
    """Every file in the data folder, so a refused import is seen to change nothing."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def with_answers(home: Path, *answers: tuple[str, int, str, object]) -> None:
    with Store.open(home) as store:
        for exercise, day, step, value in answers:
            store.save_answer(exercise, day, step, value, datetime.fromisoformat(NOW))


def settings_in(home: Path) -> Settings:
    with Store.open(home) as store:
        return Settings.from_values(store.settings())


# ----- 7: without --replace nothing that exists changes ----------------------------------


def test_import_without_replace_never_overwrites_settings(tmp_path: Path) -> None:
    """The reminder times and the partner's name were overwritten, against the README."""
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    assert at(theirs, "remind", "set", "07:00")[0] == 0
    with Store.open(theirs) as store:
        store.set_setting("partner_name", "Sam")
    exported = export_of(theirs, tmp_path / "theirs.json")
    assert at(mine, "remind", "set", "21:15")[0] == 0
    with Store.open(mine) as store:
        store.set_setting("partner_name", "Alex")
    code, out, err = at(mine, "import", str(exported))
    assert code == 0, err
    kept = settings_in(mine)
    assert kept.reminders.times == (time(21, 15),)
    assert kept.partner_name == "Alex"
    assert "Kept as it was here" in out and "2 settings" in out and "--replace" in out


def test_import_without_replace_adds_only_what_is_missing(tmp_path: Path) -> None:
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    assert at(theirs, "start", "--on", "2026-11-20")[0] == 0
    with_answers(theirs, ("check-in", 1, "words", "their words"), ("check-in", 2, "words", "new"))
    with Store.open(theirs) as store:
        store.add_one_off(datetime.fromisoformat(NOW), "ring Relate", datetime.fromisoformat(NOW))
    exported = export_of(theirs, tmp_path / "theirs.json")
    assert at(mine, "start", "--on", "2026-11-28")[0] == 0
    with_answers(mine, ("check-in", 1, "words", "my own words"))
    with Store.open(mine) as store:
        store.add_one_off(datetime.fromisoformat(NOW), "call Sam", datetime.fromisoformat(NOW))
    code, out, err = at(mine, "import", str(exported))
    assert code == 0, err
    with Store.open(mine) as store:
        enrolment = store.enrolment()
        assert enrolment is not None and enrolment.start_date == date(2026, 11, 28)
        words = {(a.day, a.value) for a in store.answers()}
        assert words == {(1, "my own words"), (2, "new")}
        assert sorted(r.text for r in store.one_offs()) == ["call Sam", "ring Relate"]
    assert out.startswith("Imported 1 answer and 1 one-off reminder.")
    assert "Kept as it was here" in out and "1 answer and your plan" in out
    again = at(mine, "import", str(exported))
    assert again[0] == 0 and "Nothing new to import" in again[1]
    with Store.open(mine) as store:
        assert len(store.one_offs()) == 2  # not added twice


# ----- 6: --replace keeps a copy first, and refuses an export that holds nothing -------------


def test_import_replace_sets_the_current_file_aside_first_and_says_where(tmp_path: Path) -> None:
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    assert at(theirs, "start")[0] == 0
    with_answers(theirs, ("check-in", 1, "words", "from the export"))
    exported = export_of(theirs, tmp_path / "theirs.json")
    assert at(mine, "start")[0] == 0
    with_answers(mine, ("check-in", 1, "words", "precious words typed here"))
    code, out, err = at(mine, "import", "--replace", str(exported))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Set aside (kept, not deleted): ")
    kept = Path(lines[0].partition(": ")[2])
    assert kept.parent == mine and kept.name.startswith("replenish.db.set-aside-")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with contextlib.closing(sqlite3.connect(f"{kept.as_uri()}?mode=ro", uri=True)) as copy:
        values = [json.loads(row[0]) for row in copy.execute("SELECT value FROM answer")]
    assert values == ["precious words typed here"]
    with Store.open(mine) as store:
        assert [a.value for a in store.answers()] == ["from the export"]
    assert "Replaced everything with the export: 1 answer and your plan." in out


def test_import_replace_into_an_empty_folder_sets_nothing_aside(tmp_path: Path) -> None:
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    assert at(theirs, "start")[0] == 0
    exported = export_of(theirs, tmp_path / "theirs.json")
    code, out, err = at(mine, "import", "--replace", str(exported))
    assert code == 0, err
    assert "Set aside" not in out
    assert not list(mine.glob("*set-aside*"))


def test_import_replace_refuses_an_export_that_holds_nothing(tmp_path: Path) -> None:
    """It emptied the plan, the answers and the reminders, and kept no copy."""
    empty, mine = tmp_path / "empty", tmp_path / "mine"
    exported = export_of(empty, tmp_path / "empty.json")
    assert at(mine, "start")[0] == 0
    assert at(mine, "remind", "set", "20:30")[0] == 0
    with_answers(mine, ("check-in", 1, "words", "mine"))
    before = digest(mine)
    code, out, err = at(mine, "import", "--replace", str(exported))
    assert code == 1 and out == ""
    assert "holds no plan and no answers" in err and "nothing was changed" in err
    assert f"move the data folder {mine} somewhere safe" in err
    assert digest(mine) == before


# ----- 17: what import reads, and the values it lets in -------------------------------------


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


UNREADABLE = [
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "nests lists or objects far deeper", id="deep"),
    pytest.param(
        b'{"format": "replenish-export", "version": ' + b"9" * 5000 + b"}",
        "a number of 5000 digits",
        id="5000-digit number",
    ),
    pytest.param(b'{"answers": [1e999999]}', 'format: expected "replenish-export"', id="inf"),
    pytest.param(b"\xff\xfe{}", "not UTF-8 text", id="not utf-8"),
    pytest.param(b'{"format": ', "not valid JSON (line 1, column 12", id="cut short"),
]


@pytest.mark.parametrize(("content", "words"), UNREADABLE)
def test_a_file_that_cannot_be_an_export_is_a_message(
    tmp_path: Path, private_home: Path, content: bytes, words: str
) -> None:
    assert run("start")[0] == 0
    before = digest(private_home)
    code, out, err = run("import", str(_file(tmp_path, "bad.json", content)))
    assert code == 1 and out == ""
    assert words in err and "Traceback" not in err
    assert digest(private_home) == before


def test_a_huge_file_is_refused_unread(tmp_path: Path, private_home: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(40 << 20)  # sparse: claims 40 MB
    code, _, err = run("import", str(huge))
    assert code == 1 and "larger than 32 MB" in err


Change = Callable[[dict[str, Any]], None]


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _set(*path: str | int, value: object) -> Change:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _answer(value: object) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["answers"].append(
            {
                "exercise_id": "check-in",
                "day": 3,
                "step_id": "words",
                "value": value,
                "saved_at": NOW,
            }
        )

    return change


VALUES_THAT_CRASH_LATER = [
    pytest.param(
        _set("enrolment", "pauses", 0, value={"started_on": "9999-12-31", "resumed_on": None}),
        "enrolment.pauses[0].started_on: expected a date from 1900-01-01 to 2999-12-31",
        id="open pause 9999-12-31",
    ),
    pytest.param(
        _set("enrolment", "start_date", value="9999-12-31"),
        "enrolment.start_date: expected a date from",
        id="start 9999-12-31",
    ),
    pytest.param(
        _set("enrolment", "enrolled_at", value="9999-12-31T23:59:59-23:59"),
        "enrolment.enrolled_at: expected a date from",
        id="time at the end of time",
    ),
    pytest.param(
        _answer(_nested(900)),
        "answers[1].value[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: expected lists and "
        "objects nested at most 16 deep",
        id="answer nested 900 deep",
    ),
    pytest.param(
        _answer(2**63), "answers[1].value: expected a number that fits in 64 bits", id="big int"
    ),
    pytest.param(
        _set("settings", "reminder.timezone", value="Europe"),
        'settings["reminder.timezone"]: expected a time zone this system knows',
        id="zone Europe",
    ),
    pytest.param(
        _set("settings", "reminder.times", value=["8pm"]),
        'settings["reminder.times"]: expected a list of different times of day',
        id="time 8pm",
    ),
    pytest.param(
        _set("settings", "reminder.days", value=[True]),
        'settings["reminder.days"]: expected a list of different weekdays',
        id="day true",
    ),
    pytest.param(
        _set("settings", "reminder.on", value=1),
        'settings["reminder.on"]: expected true or false',
        id="on 1",
    ),
]


@pytest.mark.parametrize(("change", "words"), VALUES_THAT_CRASH_LATER)
def test_an_imported_value_the_app_would_never_write_is_refused(
    tmp_path: Path, change: Change, words: str
) -> None:
    """Accepted before: a pause dated 9999-12-31 then broke status, today and nudge; a zone
    `Europe` stopped every reminder; an answer nested 900 deep hung the Journal."""
    source, mine = tmp_path / "source", tmp_path / "mine"
    assert at(source, "start", "--on", "2026-11-25")[0] == 0
    assert at(source, "remind", "set", "20:30")[0] == 0
    with Store.open(source) as store:
        store.pause(date(2026, 11, 27))
    with_answers(source, ("check-in", 1, "words", "theirs"))
    data = json.loads(export_of(source, tmp_path / "good.json").read_text())
    change(data)
    bad = _file(tmp_path, "bad.json", json.dumps(data).encode())
    for replace in ((), ("--replace",)):
        code, out, err = at(mine, "import", *replace, str(bad))
        assert code == 1 and out == "", (out, err)
        assert words in err and "Traceback" not in err
    for command in (["status"], ["today"], ["nudge"], ["remind", "show"]):
        code, _, err = at(mine, *command)
        assert code == 0 and "Traceback" not in err, (command, err)


def test_the_value_rules_are_the_stores_own(tmp_path: Path) -> None:
    """One rule in one place: what import refuses, the app cannot write either."""
    with Store.open(tmp_path / "d") as store, pytest.raises(ValueError, match="16 deep"):
        store.save_answer("e", 1, "s", _nested(17), datetime.fromisoformat(NOW))  # type: ignore[arg-type]
    with Store.open(tmp_path / "d") as store, pytest.raises(ValueError, match="1900-01-01"):
        store.enrol("p", date(9999, 12, 31), 4, datetime.fromisoformat(NOW))


# ----- start --on: a first day years away is a slip ---------------------------------------


@pytest.mark.parametrize("on", ["9999-12-31", "2032-01-01", "2021-11-30", "0001-01-01"])
def test_start_on_a_date_years_away_is_refused(private_home: Path, on: str) -> None:
    """`start --on 9999-12-31` was accepted, and then `remind ics` and the Journey crashed."""
    code, out, err = run("start", "--on", on)
    assert code == 1 and out == ""
    assert "more than 5 years from today" in err and "between 2021-12-01 and 2031-12-01" in err
    with Store.open(private_home) as store:
        assert store.enrolment() is None


@pytest.mark.parametrize("on", ["2031-12-01", "2021-12-01", "2026-12-01"])
def test_start_within_five_years_is_fine(on: str) -> None:
    code, out, err = run("start", "--on", on)
    assert code == 0, err
    assert "Your plan begins on" in out
