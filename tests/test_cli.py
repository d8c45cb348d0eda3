"""The plain commands, run as a user runs them: a subprocess with its own data folder."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from state import Store
from tests.conftest import ROOT, SMALL, Cli, heavy_modules_after

SMALL_ARGS = ("--program", str(SMALL))


def test_today_before_start_previews_day_one_and_says_how_to_begin(cli: Cli) -> None:
    result = cli("today", *SMALL_ARGS)
    assert result.code == 0, result.err
    assert "not started yet" in result.out
    assert "Daily check-in, 1 min" in result.out
    assert "Where you are, 5 min (optional)" in result.out
    assert "replenish start" in result.out
    assert not cli.home.exists() or not any(row for row in Store.open(cli.home).answers())


def test_start_then_today_prints_day_one(cli: Cli) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    started = cli("start", *SMALL_ARGS)
    assert started.code == 0, started.err
    assert "Monday 28 December 2026" in started.out
    today = cli("today", *SMALL_ARGS)
    assert today.code == 0, today.err
    assert "Week 1 of 2 · Day 1 of 14 · Basics" in today.out
    assert "Today, about 11 minutes:" in today.out
    assert "  - A short rest, 5 min" in today.out
    again = cli("start", *SMALL_ARGS)
    assert again.code == 1
    assert "already begun" in again.err


def test_start_on_a_later_date_and_a_bad_date(cli: Cli) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    bad = cli("start", "--on", "28/12/2026", *SMALL_ARGS)
    assert bad.code == 1 and "expected YYYY-MM-DD" in bad.err
    assert cli("start", "--on", "2027-01-04", *SMALL_ARGS).code == 0
    today = cli("today", *SMALL_ARGS)
    assert "begins on Monday 04 January 2027" in today.out
    status = cli("status", *SMALL_ARGS)
    assert "begins on Monday 04 January 2027" in status.out


def test_status_counts_days_done(cli: Cli) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    cli("start", *SMALL_ARGS)
    with Store.open(cli.home) as store:
        moment = datetime.fromisoformat(cli.now)
        for exercise in ("check-in", "rest"):
            store.complete(exercise, 1, moment)
    cli.now = "2026-12-30T09:00:00+00:00"
    status = cli("status", *SMALL_ARGS)
    assert status.code == 0, status.err
    assert "Week 1 of 2, day 3 of 14." in status.out
    assert "Days done: 1." in status.out
    assert "Reminders: off." in status.out


def test_nudge_is_silent_until_the_reminder_time_then_one_line(cli: Cli) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    cli("start", *SMALL_ARGS)
    assert cli("nudge", *SMALL_ARGS).out == ""  # no reminder set
    with Store.open(cli.home) as store:
        store.set_setting("reminder.on", True)
        store.set_setting("reminder.times", ["20:00"])
        store.set_setting("reminder.timezone", "UTC")
    cli.now = "2026-12-28T19:59:00+00:00"
    assert cli("nudge", *SMALL_ARGS).out == ""
    cli.now = "2026-12-28T20:01:00+00:00"
    line = cli("nudge", *SMALL_ARGS).out
    assert line.count("\n") == 1
    assert "a few quiet minutes are waiting, about 6 min" in line  # neutral by default
    with Store.open(cli.home) as store:
        store.set_setting("outside.detail", True)  # asked for detail in Settings
    line = cli("nudge", *SMALL_ARGS).out
    assert "Day 1: Daily check-in, 1 min; A short rest, 5 min" in line
    with Store.open(cli.home) as store:
        moment = datetime.fromisoformat(cli.now)
        store.complete("check-in", 1, moment)
        store.complete("rest", 1, moment)
    assert cli("nudge", *SMALL_ARGS).out == ""


def test_nudge_before_anything_exists_is_silent_and_creates_nothing_private(cli: Cli) -> None:
    result = cli("nudge")
    assert (result.code, result.out) == (0, "")


def test_export_and_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    cli("start", *SMALL_ARGS)
    hostile = "[bold]not bold[/] $HOME \x1b[31mred\x1b[0m \u202ertl\u202c zero\u200bwidth"
    with Store.open(cli.home) as store:
        moment = datetime.fromisoformat(cli.now)
        store.save_answer("check-in", 1, "words", hostile, moment)
        store.save_answer("check-in", 1, "energy", 4, moment)
        store.save_answer("gone-exercise", 1, "old", "kept even though it left the program", moment)
        store.skip("rest", 1, "too tired, and that is fine", moment)
    exported = tmp_path / "out.json"
    result = cli("export", "--format", "json", "-o", str(exported), *SMALL_ARGS)
    assert result.code == 0, result.err
    assert "private" in result.out
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert {answer["value"] for answer in data["answers"]} >= {hostile, 4}

    markdown = cli("export", *SMALL_ARGS).out
    assert hostile in markdown
    assert "gone-exercise (no longer in the program)" in markdown
    assert "Set aside because: too tired, and that is fine" in markdown

    other = Cli(tmp_path / "other-home")
    imported = other("import", str(exported), *SMALL_ARGS)
    assert imported.code == 0, imported.err
    assert "Imported 3 answers, 1 outcome and your plan." in imported.out
    again = tmp_path / "again.json"
    other("export", "--format", "json", "-o", str(again), *SMALL_ARGS)
    first, second = data, json.loads(again.read_text(encoding="utf-8"))
    first.pop("exported_at")
    second.pop("exported_at")
    assert first == second


def test_import_refuses_bad_files_and_existing_data_changing_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    cli("start", *SMALL_ARGS)
    with Store.open(cli.home) as store:
        store.save_answer("check-in", 1, "words", "mine", datetime.fromisoformat(cli.now))
        before = store.export_data()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "replenish-export", ', encoding="utf-8")
    result = cli("import", str(broken), *SMALL_ARGS)
    assert result.code == 1
    assert "not valid JSON (line 1" in result.err and "nothing was changed" in result.err.lower()
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    assert cli("import", str(wrong), "--replace", *SMALL_ARGS).code == 1
    exported = tmp_path / "mine.json"
    cli("export", "--format", "json", "-o", str(exported), *SMALL_ARGS)
    again = cli("import", str(exported), *SMALL_ARGS)  # without --replace: adds only what is new
    assert again.code == 0 and "Nothing new to import" in again.out, again.err
    with Store.open(cli.home) as store:
        after = store.export_data()
    before.pop("exported_at")
    after.pop("exported_at")
    assert before == after


def test_data_folder_is_private(cli: Cli) -> None:
    cli.now = "2026-12-28T09:00:00+00:00"
    assert cli("start", *SMALL_ARGS).code == 0
    assert stat.S_IMODE(cli.home.stat().st_mode) == 0o700
    files = [path for path in cli.home.rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_data_dir_option_overrides_the_environment(cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    cli.now = "2026-12-28T09:00:00+00:00"
    assert cli("start", "--data-dir", str(elsewhere), *SMALL_ARGS).code == 0
    assert (elsewhere / "replenish.db").exists()
    assert not (cli.home / "replenish.db").exists()


def test_damaged_database_is_reported_and_kept(cli: Cli) -> None:
    cli.home.mkdir(mode=0o700)
    database = cli.home / "replenish.db"
    database.write_bytes(b"this is not a database at all" * 100)
    before = database.read_bytes()
    result = cli("today", *SMALL_ARGS)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "replenish.db" in result.err
    assert database.read_bytes() == before


PLAIN_COMMANDS = [
    ["today"],
    ["status"],
    ["nudge"],
    ["validate"],
    ["export"],
    ["export", "--format", "json"],
    ["start"],
    ["do"],
]


@pytest.mark.parametrize("argv", PLAIN_COMMANDS, ids=" ".join)
def test_plain_commands_never_import_textual_or_apscheduler(
    argv: list[str], private_home: Path
) -> None:
    assert heavy_modules_after(argv, private_home) == []


def test_validate_never_loads_the_store(private_home: Path) -> None:
    """`state` loads its names on first use: validate asks only where the data folder is,
    and the records, the schema and the store (sqlite3 too) cost it about 25 ms more."""
    code = (
        "import sys, io, contextlib\n"
        "from program.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['validate', {str(SMALL)!r}])\n"
        "print(sorted(m for m in ('state.store', 'state.records', 'sqlite3') if m in sys.modules))"
    )
    env = dict(os.environ, REPLENISH_HOME=str(private_home), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_shared_options_work_before_or_after_the_command(cli: Cli, tmp_path: Path) -> None:
    before = cli("--program", str(SMALL), "--data-dir", str(tmp_path / "d"), "today")
    after = cli("today", "--program", str(SMALL), "--data-dir", str(tmp_path / "d"))
    assert before.code == after.code == 0, before.err + after.err
    assert "Where you are, 5 min (optional)" in before.out
    assert before.out == after.out


def test_abbreviated_options_are_refused_not_guessed(cli: Cli) -> None:
    result = cli("--data", "nudge")
    assert result.code == 2
    assert "unrecognized arguments" in result.err or "invalid choice" in result.err
    assert not (Path.cwd() / "nudge").exists()


def test_a_folder_the_system_refuses_is_a_message_not_a_traceback(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "not-a-file" / "deeper"
    (tmp_path / "not-a-file").write_text("a file where a folder would be", encoding="utf-8")
    result = cli("--data-dir", "/proc/replenish-cannot-be-here", "status", *SMALL_ARGS)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "replenish: could not use /proc/replenish-cannot-be-here:" in result.err
    assert cli("start", *SMALL_ARGS).code == 0
    for target, words in (
        (tmp_path / "nowhere" / "out.md", "There is no folder"),
        (tmp_path, "is a folder; add a file name"),
        (missing / "out.md", "There is no folder"),
    ):
        done = cli("export", "--output", str(target), *SMALL_ARGS)
        assert done.code == 1, done.out
        assert words in done.err and "Nothing was written" in done.err
        assert "Traceback" not in done.err


def test_the_readme_names_every_command() -> None:
    import argparse

    from program.cli import build_parser
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    names = list(commands.choices)
    assert "do" in names
    assert [name for name in names if f"`replenish {name}" not in readme] == []
    assert "## Screen readers and plain terminals" in readme


def test_in_process_the_command_line_says_what_a_real_process_says(tmp_path: Path) -> None:
    """The `cli` fixture runs `main(argv)` in this process: its status, stdout and stderr
    are a real process's, byte for byte, on success, refusal, a usage error and damage."""
    now = "2026-12-28T09:00:00+00:00"
    mine, real = Cli(tmp_path / "mine", now), Cli(tmp_path / "real", now, process=True)

    def same(*line: str) -> int:
        here, there = mine(*line), real(*line)
        assert here.code == there.code, (line, here, there)
        for ours, theirs in ((here.out_bytes, there.out_bytes), (here.err_bytes, there.err_bytes)):
            assert ours == theirs.replace(bytes(real.home), bytes(mine.home)), line
        return here.code

    codes = {
        same("today", *SMALL_ARGS),
        same("start", *SMALL_ARGS),
        same("start", *SMALL_ARGS),  # refused: already begun
        same("status", *SMALL_ARGS),
        same("--data", "nudge"),  # argparse's usage error
        same("remind", "show", *SMALL_ARGS),
        same("validate", str(SMALL)),
    }
    assert codes == {0, 1, 2}
    for each in (mine, real):
        (each.home / "replenish.db").write_bytes(b"not a database" * 300)
    assert same("status", *SMALL_ARGS) == 1


def test_ctrl_c_while_a_class_is_built_is_a_quiet_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C landing inside a descriptor's __set_name__ (as in `ipaddress`, imported on the
    way to the store) reaches us as a RuntimeError caused by KeyboardInterrupt: seen once in
    the interrupted-restore test, a traceback where 130 and silence belong."""
    from program import cli

    class Interrupted:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt

    def parse_args(words: list[str]) -> None:
        type("Built", (), {"field": Interrupted()})

    monkeypatch.setattr(cli, "parse_args", parse_args)
    assert cli.main(["status"]) == 130
    assert capsys.readouterr().err == ""

    def broken(words: list[str]) -> None:
        raise RuntimeError("a real fault")

    monkeypatch.setattr(cli, "parse_args", broken)
    with pytest.raises(RuntimeError, match="a real fault"):
        cli.main(["status"])
