"""The nudge digest: the fast path says exactly what the full path says, or steps aside.

It answers `nudge` and `today`; most tests run for both commands.

Each comparison runs the command at the same instants: the full path with its
clock pinned by REPLENISH_NOW (which never reads a digest), the fast path with
the test-only REPLENISH_DIGEST_NOW, after a full run at the first instant has
written the digest. The fast path runs in a fresh interpreter every time, so
that what it imports is seen; the full path (and the command as a shell runs
it) in this process, through `program.cli.main`.
"""

from __future__ import annotations

import ast
import os
import select
import shutil
import stat
import subprocess
import sys
import time as wall
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from program import nudge_digest, plan
from program.paths import bundled_program_dir
from program.service import Replenish
from state import DB_NAME, default_data_dir
from state.backup import has_backup_on
from tests.conftest import ROOT, SMALL, Result, command_env, enrolled, open_service, run_main

BERLIN = "Europe/Berlin"
NOT_ON_THE_FAST_PATH = (
    "textual",
    "apscheduler",
    "sqlite3",
    "dataclasses",
    "msgspec",
    "argparse",
    "pathlib",
    "json",
    "typing",
)
FAST = f"""
import io, os, sys
from program.nudge_digest import fast_answer
for request in sys.stdin:  # (argv, environment), as a Python literal
    argv, env = eval(request, {{"__builtins__": {{}}}})
    os.environ.clear()
    os.environ.update(env)
    out, sys.stdout = sys.stdout, io.StringIO()
    try:
        answered = fast_answer(argv)
    finally:
        out, sys.stdout = sys.stdout, out
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {NOT_ON_THE_FAST_PATH!r})
    print(repr((answered, out.getvalue(), loaded)), flush=True)
"""
"""A shell's `replenish nudge` up to the digest's answer, asked again and again: the
modules it has loaded are every module any of its answers needed."""


class FastPath:
    """One interpreter that has imported the digest reader and nothing else of ours, and
    runs `fast_answer` for each line it is sent; a new interpreter for each would cost a
    tenth of a second every time and show nothing more."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def ask(self, argv: list[str], env: dict[str, str]) -> tuple[bool, str, list[str]]:
        """(whether it answered, what it printed, heavy modules it has imported)."""
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-c", FAST],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=command_env({}),
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(repr((argv, env)) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        assert ready, "the fast path did not answer within 60 s"
        line = self.process.stdout.readline()
        assert line, f"the fast path ended with status {self.process.wait()}"
        answered, out, modules = ast.literal_eval(line)
        return answered, out.replace("\r\n", "\n").replace("\r", "\n"), modules

    def close(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            assert self.process.wait(timeout=60) == 0
            self.process = None


@pytest.fixture(scope="module", autouse=True)
def _fast_path() -> Iterator[None]:
    """The module's one fast-path interpreter (`Nudge.fast`), ended with the module."""
    yield
    Nudge.fast_path.close()


def epoch(text: str, zone: str = BERLIN) -> int:
    """Local date-time text in `zone` as epoch seconds."""
    return int(datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp())


class Nudge:
    """`replenish nudge` (or `today`) for one data folder and program."""

    fast_path = FastPath()

    def __init__(
        self, home: Path, program: Path = SMALL, tz: str = BERLIN, command: str = "nudge"
    ) -> None:
        self.home = home
        self.program = program
        self.tz = tz
        self.command = command
        self.hour = 4
        """The hour the plan day begins (as `begin` was given it)."""

    def _env(self, **extra: str) -> dict[str, str | None]:
        return {"REPLENISH_HOME": str(self.home), "TZ": self.tz, **extra}

    def run(self, **env: str) -> Result:
        """The command as typed (`main(argv)` in this process) with these variables."""
        return run_main([self.command, "--program", str(self.program)], self._env(**env))

    def full(self, at: int) -> str:
        """The full path's answer at `at` (its clock pinned, so no digest is used)."""
        moment = datetime.fromtimestamp(at, ZoneInfo(self.tz)).isoformat()
        done = self.run(REPLENISH_NOW=moment)
        assert done.code == 0, done.err
        return done.out

    def shell(self, at: int, **env: str) -> str:
        """`replenish nudge` at `at` as a shell runs it: the digest if it answers, else in full."""
        done = self.run(REPLENISH_DIGEST_NOW=str(at), **env)
        assert done.code == 0, done.err
        return done.out

    def write(self, at: int, *, expect: bool = True) -> str:
        """Run the command at `at` with no digest, so the full path leaves one; its answer."""
        self.digest.unlink(missing_ok=True)
        if not (self.home / DB_NAME).exists():
            self.full(at)  # the run that creates the store cannot vouch for it
        settle(self.home)
        out = self.shell(at)
        assert self.digest.is_file() or not expect, "the full path left no digest"
        return out

    @property
    def digest(self) -> Path:
        return self.home / nudge_digest.DIGEST_NAME

    def fast(self, at: int, **env: str) -> tuple[bool, str, list[str]]:
        """(whether the fast path answered, what it printed, heavy modules it imported)."""
        argv = [self.command, "--program", str(self.program)]
        return self.fast_path.ask(argv, command_env(self._env(REPLENISH_DIGEST_NOW=str(at), **env)))

    def day(self, at: int) -> tuple[date, ...]:
        """What a digest written at `at` is bound to: its plan day, and for `today` also
        its calendar day (the daily backup's)."""
        moment = datetime.fromtimestamp(at, ZoneInfo(self.tz))
        plan_date = (moment.replace(tzinfo=None) - timedelta(hours=self.hour)).date()
        return (plan_date, moment.date()) if self.command == "today" else (plan_date,)

    def agree(self, instants: list[int], *, offset_changes: bool = False) -> list[str]:
        """At each instant the fast path answers as the full path does.

        A digest holds from the run that wrote it until the next plan day (for `today`,
        until the end of its calendar day, whose backup the full path takes): the first
        instant of each such day finds none and runs in full, which writes the next; any
        other instant must be answered. With `offset_changes` (reminders without a zone
        of their own on a DST night) no digest spans the change: instants before it on
        that plan day may run in full too.
        """
        said = []
        written: tuple[date, ...] | None = None
        for at in instants:
            answered, out, modules = self.fast(at) if written is not None else (False, "", [])
            if not answered:
                assert written != self.day(at) or offset_changes, f"no answer at {at}"
                self.write(at, expect=not offset_changes)
                written = self.day(at)
                answered, out, modules = self.fast(at)
            if not answered:
                assert offset_changes and self.offset_changes_after(at), f"no answer at {at}"
                out = self.shell(at)
            assert modules == []
            assert out == self.full(at), f"the paths disagree at {at}"
            said.append(out)
        return said

    def offset_changes_after(self, at: int) -> bool:
        """Whether the zone's UTC offset changes between `at` and the next plan day."""
        zone = ZoneInfo(self.tz)
        moment = datetime.fromtimestamp(at, zone)
        plan_date = (moment.replace(tzinfo=None) - timedelta(hours=self.hour)).date()
        edge = datetime.combine(plan_date + timedelta(days=1), time(self.hour), zone)
        return moment.utcoffset() != (edge - timedelta(seconds=1)).utcoffset()


def day_of(at: int, zone: str) -> date:
    """The calendar day of `at` in `zone`."""
    return datetime.fromtimestamp(at, ZoneInfo(zone)).date()


def settle(home: Path) -> None:
    """Date the store's files a minute back: a file written within the last second is not
    trusted by the writer, since a second write in the same timestamp tick would go unseen."""
    past = wall.time() - 60
    for name in (DB_NAME, DB_NAME + "-wal"):
        path = home / name
        if path.exists():
            os.utime(path, (past, past))


@pytest.fixture(params=["nudge", "today"])
def nudge(private_home: Path, request: pytest.FixtureRequest) -> Nudge:
    """The command under test, for each command the digest answers."""
    command = request.param
    assert isinstance(command, str)
    return Nudge(private_home, command=command)


def service_at(home: Path, at: int, program: Path = SMALL) -> Replenish:
    """The service on `home` with its clock at `at` (Berlin time), for setting the scene."""
    return open_service(home, program, datetime.fromtimestamp(at, ZoneInfo(BERLIN)))


def begin(
    home: Path,
    on: date,
    times: tuple[time, ...] = (time(20, 0),),
    zone: str = BERLIN,
    program: Path = SMALL,
    hour: int = 4,
) -> None:
    """Start the plan on `on` (days begin at `hour`) with reminders at `times` in `zone`."""
    moment = datetime.fromtimestamp(epoch(f"{on.isoformat()}T12:00"), ZoneInfo(BERLIN))
    with enrolled(home, program, start=on, now=moment, hour=hour) as service:
        settings = service.settings().with_reminders(on=True, times=times, timezone=zone)
        service.save_settings(settings)


def day_shown(out: str) -> int:
    """The plan day a `today` text names ("Day 3 of 14" gives 3)."""
    marker = out.index("Day ")
    return int(out[marker + 4 :].split(" ", 1)[0])


def shown(said: list[str]) -> tuple[bool, bool]:
    """(some instant was silent, some instant had the line): a comparison that means something."""
    return "" in said, any(out.startswith("Replenish · a few quiet minutes") for out in said)


# ----- the fast path says what the full path says ------------------------------------


def test_before_and_after_the_reminder_and_across_days(nudge: Nudge) -> None:
    begin(nudge.home, date(2027, 1, 4))
    said = nudge.agree(
        [
            epoch("2027-01-05T10:00"),
            epoch("2027-01-05T19:59:59"),
            epoch("2027-01-05T20:00"),
            epoch("2027-01-06T03:59:59"),
            epoch("2027-01-06T04:00"),
            epoch("2027-01-06T20:30"),
            epoch("2027-01-12T21:00"),
        ]
    )
    if nudge.command == "nudge":
        assert said[1] == "" and said[2].startswith("Replenish · a few quiet minutes")
        assert said[4] == "" and said[5].startswith("Replenish · a few quiet minutes")
    else:
        assert [day_shown(out) for out in said] == [2, 2, 2, 2, 3, 3, 9]
        assert "earlier days are still open" in said[6]  # mid-plan, with catch-up days


def test_a_day_done_is_silent_and_the_next_day_speaks_again(nudge: Nudge) -> None:
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    with service_at(nudge.home, at) as service:
        today = service.today()
        assert today is not None and today.today is not None
        for due in today.today.required:
            service.complete(due.exercise.id, due.day)
    said = nudge.agree([at, epoch("2027-01-05T23:00"), epoch("2027-01-06T20:30")])
    if nudge.command == "nudge":
        assert said[:2] == ["", ""]
        assert said[2].startswith("Replenish · a few quiet minutes")
    else:
        assert "Today is done." in said[1] and day_shown(said[2]) == 3


@pytest.mark.parametrize("scene", ["paused", "plan ended", "future start"])
def test_paused_ended_and_not_yet_begun(nudge: Nudge, scene: str) -> None:
    if scene == "paused":
        begin(nudge.home, date(2027, 1, 4))
        with service_at(nudge.home, epoch("2027-01-06T12:00")) as service:
            service.pause()
        instants = ["2027-01-06T21:00", "2027-01-09T21:00", "2027-01-15T21:00"]
    elif scene == "plan ended":
        begin(nudge.home, date(2026, 12, 1))
        instants = ["2027-01-05T21:00", "2027-01-12T21:00"]
    else:
        begin(nudge.home, date(2027, 1, 10))
        instants = ["2027-01-05T21:00", "2027-01-10T03:00", "2027-01-10T19:00", "2027-01-10T20:01"]
    said = nudge.agree([epoch(text) for text in instants])
    if nudge.command == "today":
        expected = {
            "paused": "Your plan is paused.",
            "plan ended": "You have reached the end of the 14 days.",
            "future start": "Your plan begins on Sunday 10 January 2027.",
        }[scene]
        assert all(expected in out for out in said[:2])
        assert scene != "future start" or day_shown(said[2]) == 1
    elif scene == "future start":
        assert said[:3] == ["", "", ""] and said[3].startswith("Replenish · a few quiet minutes")
    else:
        assert set(said) == {""}


def test_before_the_plan_has_begun(nudge: Nudge) -> None:
    """`today` shows the preview of day 1 from the digest too; `nudge` stays silent."""
    said = nudge.agree([epoch("2027-01-05T21:00"), epoch("2027-01-06T05:00")])
    if nudge.command == "today":
        assert all("You have not started yet." in out for out in said)
    else:
        assert said == ["", ""]


@pytest.mark.parametrize("hour", [0, 6])
def test_a_day_that_begins_at_another_hour(nudge: Nudge, hour: int) -> None:
    begin(nudge.home, date(2027, 1, 4), hour=hour)
    nudge.hour = hour
    said = nudge.agree(
        [
            epoch("2027-01-05T21:00"),
            epoch(f"2027-01-06T{hour:02}:00") - 1,
            epoch(f"2027-01-06T{hour:02}:00"),
            epoch("2027-01-06T21:00"),
        ]
    )
    if nudge.command == "today":
        assert [day_shown(out) for out in said] == [2, 2, 3, 3]
    else:
        assert all(said[index].startswith("Replenish · a few quiet minutes") for index in (0, 3))


@pytest.mark.parametrize("zone", [BERLIN, ""], ids=["zone kept", "zone of now"])
@pytest.mark.parametrize("night", [date(2027, 3, 27), date(2026, 10, 24)], ids=["spring", "autumn"])
def test_a_dst_night(nudge: Nudge, night: date, zone: str) -> None:
    """A 02:30 reminder belongs to the evening before (days begin at 04:00), on the nights
    02:30 is skipped (it comes at 03:30) and doubled (it comes once)."""
    begin(nudge.home, night - timedelta(days=5), times=(time(2, 30),), zone=zone)
    evening = epoch(f"{night.isoformat()}T20:00")
    instants = [evening + minutes * 60 for minutes in range(0, 11 * 60, 45)]
    said = nudge.agree(instants, offset_changes=not zone)
    if nudge.command == "today":
        assert {day_shown(out) for out in said} == {6, 7}
    else:
        assert shown(said) == (True, True)


def test_one_span_until_the_next_plan_day_begins(private_home: Path) -> None:
    """The writer leaves one span, from its run to the first moment of the next plan day
    (04:00 by default), computed directly: no days ahead, no probes."""
    nudge = Nudge(private_home)
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    lines = nudge.digest.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 5 and lines[-2:] == ["end", ""]
    start, until = (int(field) for field in lines[2].split("\t")[:2])
    assert (start, until) == (at, epoch("2027-01-06T04:00"))
    assert nudge.fast(until - 1)[0] and not nudge.fast(until)[0]


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process on Berlin time, as the writer reads local time from the system."""
    monkeypatch.setenv("TZ", BERLIN)
    wall.tzset()
    yield
    monkeypatch.undo()
    wall.tzset()


@pytest.mark.parametrize("zone", [BERLIN, ""], ids=["zone kept", "zone of now"])
@pytest.mark.parametrize(
    ("at", "hour", "until", "crosses"),
    [
        ("2027-03-27T20:00", 4, "2027-03-28T04:00", True),  # spring: the night is an hour short
        ("2026-10-24T20:00", 4, "2026-10-25T04:00", True),  # autumn: an hour long
        ("2027-03-27T20:00", 2, "2027-03-28T03:00", False),  # 02:00 does not exist: the jump
        ("2027-03-28T05:00", 4, "2027-03-29T04:00", False),  # the day after
    ],
)
def test_the_span_ends_where_the_plan_engine_says_across_dst(
    berlin: None, private_home: Path, at: str, hour: int, until: str, crosses: bool, zone: str
) -> None:
    """Computed directly, the edge is the first moment `plan.plan_date` gives the next day;
    reminders without a zone fall in the offset of now, so no span crosses a change."""
    from program.reminders.digest import span

    moment = epoch(at)
    begin(private_home, date(2027, 3, 20), times=(time(2, 30),), zone=zone, hour=hour)
    with service_at(private_home, moment) as service:
        found = span(service, service.now(), service.today(), None)
    if crosses and not zone:
        assert found is None
        return
    assert found is not None
    edge = epoch(until)
    assert found[:2] == (moment, edge)
    assert plan.plan_date(datetime.fromtimestamp(edge - 1).astimezone(), hour) != plan.plan_date(
        datetime.fromtimestamp(edge).astimezone(), hour
    )


def test_an_edit_anywhere_in_the_code_retires_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole folders of code are stamped: the modules the old list of five files missed
    (settings, the service, the content model) count, the app's do not."""
    copies = []
    for package in ("program", "state"):
        copy = tmp_path / package
        shutil.copytree(ROOT / package, copy, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(str(copy))
    monkeypatch.setattr(nudge_digest, "_CODE_ROOTS", tuple(copies))
    folder = str(tmp_path / "home")
    before = nudge_digest.fingerprint(folder, "env", str(SMALL))[0]
    later = wall.time() + 5
    os.utime(tmp_path / "program" / "tui" / "app.py", (later, later))
    assert nudge_digest.fingerprint(folder, "env", str(SMALL))[0] == before
    for module in ("settings.py", "service.py", "content/model.py", "../state/store.py"):
        path = tmp_path / "program" / module
        os.utime(path, (later, later))
        after = nudge_digest.fingerprint(folder, "env", str(SMALL))[0]
        assert after != before, module
        before = after


# ----- what makes the digest stale -----------------------------------------------------


def _answer(home: Path, at: int) -> None:
    with service_at(home, at) as service:
        service.save_answer("check-in", 2, "energy", 3)


def _complete(home: Path, at: int) -> None:
    with service_at(home, at) as service:
        service.complete("rest", 2)


def _skip(home: Path, at: int) -> None:
    with service_at(home, at) as service:
        service.skip("rest", 2, "not today")


def _pause(home: Path, at: int) -> None:
    with service_at(home, at) as service:
        service.pause()


def _setting(home: Path, at: int) -> None:
    with service_at(home, at) as service:
        service.save_settings(service.settings().with_reminders(times=(time(22, 0),)))


@pytest.mark.parametrize(
    "change",
    [_answer, _complete, _skip, _pause, _setting],
    ids=["answer saved", "completed", "set aside", "paused", "setting"],
)
def test_any_store_write_retires_the_digest(nudge: Nudge, change: object) -> None:
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    assert nudge.fast(at)[0]
    assert callable(change)
    change(nudge.home, at)
    assert not nudge.fast(at)[0]
    assert nudge.shell(at) == nudge.full(at)


def test_a_touched_program_file_retires_the_digest(nudge: Nudge, tmp_path: Path) -> None:
    program = tmp_path / "program"
    shutil.copytree(SMALL, program)
    nudge.program = program
    begin(nudge.home, date(2027, 1, 4), program=program)
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    assert nudge.fast(at)[0]
    later = wall.time() + 5
    os.utime(program / "basics.toml", (later, later))
    assert not nudge.fast(at)[0]
    assert nudge.shell(at) == nudge.full(at)


def test_another_zone_retires_the_digest(nudge: Nudge) -> None:
    begin(nudge.home, date(2027, 1, 4), zone="")
    at = epoch("2027-01-05T20:30")
    nudge.write(at)
    assert nudge.fast(at)[0]
    nudge.tz = "America/New_York"
    assert not nudge.fast(at)[0]
    assert nudge.shell(at) == nudge.full(at)
    if nudge.command == "nudge":
        assert nudge.full(at) == ""  # 14:30 in New York: not yet


def test_a_pinned_clock_never_reads_the_digest(nudge: Nudge) -> None:
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    assert not nudge.fast(at, REPLENISH_NOW="2027-01-05T21:00:00+01:00")[0]


# ----- a damaged, missing or foreign digest falls back silently -------------------------


def _missing(digest: Path) -> None:
    digest.unlink()


def _garbage(digest: Path) -> None:
    digest.write_bytes(b"\x00\xff not a digest \xfe")


def _cut_short(digest: Path) -> None:
    digest.write_text(digest.read_text(encoding="utf-8").removesuffix("end\n"), encoding="utf-8")


def _bad_number(digest: Path) -> None:
    lines = digest.read_text(encoding="utf-8").split("\n")
    lines[2] = "soon\t" + lines[2].split("\t", 1)[1]
    digest.write_text("\n".join(lines), encoding="utf-8")


def _writable_by_others(digest: Path) -> None:
    digest.chmod(0o666)


DAMAGE = [_missing, _garbage, _cut_short, _bad_number, _writable_by_others]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda damage: damage.__name__.strip("_"))
def test_a_damaged_digest_falls_back_silently(nudge: Nudge, damage: object) -> None:
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    assert callable(damage)
    damage(nudge.digest)
    assert not nudge.fast(at)[0]
    done = nudge.run(REPLENISH_DIGEST_NOW=str(at))
    assert (done.code, done.err) == (0, "")
    assert done.out == nudge.full(at) != ""


def test_a_digest_from_another_data_folder_never_answers(nudge: Nudge, tmp_path: Path) -> None:
    other = Nudge(tmp_path / "other", command=nudge.command)
    for each in (nudge, other):
        begin(each.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    nudge.write(at)
    other.write(at)
    shutil.copy2(other.digest, nudge.digest)
    assert not nudge.fast(at)[0]


# ----- privacy and weight --------------------------------------------------------------


def test_the_digest_is_private_and_the_shell_path_stays_light(nudge: Nudge) -> None:
    begin(nudge.home, date(2027, 1, 4))
    at = epoch("2027-01-05T21:00")
    line = nudge.write(at)
    assert stat.S_IMODE(nudge.digest.stat().st_mode) == 0o600
    code = (
        "import sys\n"
        "from program.cli import main\n"
        f"main([{nudge.command!r}, '--program', {str(SMALL)!r}])\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_ON_THE_FAST_PATH!r}),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=command_env(nudge._env(REPLENISH_DIGEST_NOW=str(at))),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == line != ""
    assert ast.literal_eval(done.stderr.strip().splitlines()[-1]) == []


# ----- the pieces ----------------------------------------------------------------------


@pytest.mark.parametrize("xdg", [None, "/srv/data", "relative/data", "", "  "], ids=repr)
def test_the_default_data_folder_is_the_one_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str | None
) -> None:
    monkeypatch.delenv("REPLENISH_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "someone"))
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    folder, how = nudge_digest.data_folder(None)
    assert folder == str(default_data_dir().absolute())
    assert how.startswith("default")


def test_the_other_folders_are_the_ones_the_full_path_uses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLENISH_HOME", "home-here")
    assert nudge_digest.data_folder(None) == (str(default_data_dir().absolute()), "env")
    assert nudge_digest.data_folder("~/there")[0] == str(Path("~/there").expanduser().absolute())
    assert nudge_digest.program_folder(None) == str(bundled_program_dir())
    assert nudge_digest.program_folder("p") == str(tmp_path / "p")
    assert nudge_digest.DB_NAME == DB_NAME


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["nudge"], {}),
        (["--data-dir", "d", "nudge", "--program=p"], {"--data-dir": "d", "--program": "p"}),
        (["nudge", "--help"], None),
        (["--data", "d", "nudge"], None),
        (["nudge", "nudge"], None),
        (["today"], None),
        (["nudge", "--program"], None),
        (["nudge", "--program", "a", "--program", "b"], None),
        (["nudge", "--data-dir", "--program"], None),
    ],
)
def test_only_plain_nudge_command_lines_take_the_fast_path(
    argv: list[str], options: dict[str, str] | None
) -> None:
    assert nudge_digest.plain_options(argv, "nudge") == options


@pytest.mark.parametrize(
    "argv",
    [
        ["nudge"],
        ["today"],
        ["--program", "p", "today"],
        ["today", "--data-dir=d", "--program", "p"],
        ["--data-dir", "today", "nudge"],
        ["nudge", "--data-dir", "today"],
        ["--program=p", "--data-dir=d", "nudge"],
    ],
    ids=" ".join,
)
def test_the_digest_reads_a_command_line_as_the_parser_does(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest's own reading of a line (no argparse) names the command and folders the
    full path's parser names, so a digest never answers for another command line."""
    from program.cli import parse_args

    monkeypatch.chdir(tmp_path)
    found = nudge_digest.command_options(argv)
    assert found is not None
    command, options = found
    args = parse_args(argv)
    assert args.handler.__name__ == f"cmd_{command}"
    assert nudge_digest.data_folder(options.get("--data-dir"))[0] == str(args.data_dir)
    given = options.get("--program")
    assert (args.program is None) == (given is None)
    assert given is None or nudge_digest.program_folder(given) == str(args.program.absolute())


def test_any_line_survives_the_file() -> None:
    line = "Replenish · Day 1: a\ttab, a \\ and\na newline\r · open"
    today = "Small steps\n\tWeek 1 · =\\n\n- x\r\n"
    text = nudge_digest.render("print", (2, 20, 5, line, 8, today))
    assert text.count("\n") == 4
    assert nudge_digest.answer_from(text, "print", 1) is None  # before the span
    assert nudge_digest.answer_from(text, "print", 4) == ""
    assert nudge_digest.answer_from(text, "print", 5) == line
    assert nudge_digest.answer_from(text, "print", 19) == line
    assert nudge_digest.answer_from(text, "print", 20) is None  # the next plan day
    assert nudge_digest.answer_from(text, "other print", 5) is None
    assert nudge_digest.answer_from(text, "print", 2, "today") == today
    assert nudge_digest.answer_from(text, "print", 7, "today") == today
    assert nudge_digest.answer_from(text, "print", 8, "today") is None  # past today's end
    silent = nudge_digest.render("print", (2, 20, None, "", 0, None))
    assert nudge_digest.answer_from(silent, "print", 19) == ""
    assert nudge_digest.answer_from(silent, "print", 3, "today") is None  # not known
    assert nudge_digest.answer_from(text, "print", 5, "status") is None


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["today"], ("today", {})),
        (["--program", "p", "today"], ("today", {"--program": "p"})),
        (["nudge", "--data-dir", "today"], ("nudge", {"--data-dir": "today"})),
        (["today", "--data-dir", "nudge"], ("today", {"--data-dir": "nudge"})),
        (["today", "nudge"], None),
        (["today", "--help"], None),
        (["status"], None),
    ],
)
def test_only_plain_nudge_and_today_lines_are_answered(
    argv: list[str], found: tuple[str, dict[str, str]] | None
) -> None:
    assert nudge_digest.command_options(argv) == found


# ----- `today` and the daily backup ------------------------------------------------------


def test_today_answers_only_on_a_day_whose_backup_is_taken(private_home: Path) -> None:
    """The fast path cannot take the daily backup, so the first `today` of a day runs in full."""
    today = Nudge(private_home, command="today")
    nudge = Nudge(private_home, command="nudge")
    begin(private_home, date(2027, 1, 4))
    evening = epoch("2027-01-05T21:00")
    nudge.write(evening)  # `nudge` takes no backup: its digest cannot answer `today`
    assert not has_backup_on(private_home, date(2027, 1, 5))
    assert not today.fast(evening)[0]
    today.shell(evening)  # in full: takes the backup, and writes both answers
    assert has_backup_on(private_home, date(2027, 1, 5))
    assert today.fast(evening)[1] == today.full(evening)
    assert nudge.fast(evening)[1] == nudge.full(evening) != ""
    assert today.fast(epoch("2027-01-05T23:59:59"))[0]
    midnight = epoch("2027-01-06T00:00")
    assert not today.fast(midnight)[0]
    assert nudge.fast(midnight)[0]
    assert today.shell(midnight) == today.full(midnight)
    assert has_backup_on(private_home, date(2027, 1, 6))
    assert today.fast(midnight)[0]
