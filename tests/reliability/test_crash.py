"""SIGKILL at random moments: nothing reported as saved is lost, and the store still opens.

The slow variants run `REPLENISH_KILL_RUNS` times (default 200):
`REPLENISH_KILL_RUNS=500 pytest -m slow tests/reliability/test_crash.py`.
The small variants always run, with `CI_RUNS` kills each.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import LATEST_VERSION, Store
from state.backup import KEEP, backups
from tests.conftest import ROOT, enrolled, open_service
from tests.reliability.child import SLOW_MIGRATION_ROWS, answer_day, answer_value
from tests.reliability.helpers import child_env, integrity, wait_for

CI_RUNS = 20
SLOW_RUNS = int(os.environ.get("REPLENISH_KILL_RUNS", "200"))
ANSWERS_PER_RUN = 60


@dataclass
class Child:
    """A child process whose stdout lines are collected as they arrive."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @classmethod
    def start(cls, *args: str, home: Path) -> Child:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.child", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(home),
            cwd=ROOT,
        )
        child = cls(process)
        child.reader = threading.Thread(target=child._read, daemon=True)
        child.reader.start()
        return child

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never fully reported
                self.lines.append(line.rstrip("\n"))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self) -> str:
        """Wait for the exit and every line written before it; returns stderr."""
        self.process.wait(timeout=120)
        assert self.reader is not None
        self.reader.join(timeout=30)
        assert self.process.stderr is not None
        return self.process.stderr.read()


@dataclass
class Tally:
    runs: int = 0
    killed_mid_work: int = 0
    reported: int = 0
    lost: int = 0


def _kill_at_random(child: Child, rng: random.Random, ready_lines: int, max_delay: float) -> bool:
    """Wait for `ready_lines` lines (or the exit), then a random delay, then SIGKILL.

    Returns True when the child was still running at the kill.
    """
    wait_for(
        lambda: len(child.lines) >= ready_lines or child.process.poll() is not None,
        timeout=60,
        what="the child to get going",
    )
    time.sleep(rng.uniform(0, max_delay))
    alive = child.process.poll() is None
    child.kill()
    return alive


def _app_opens(home: Path) -> None:
    """The app starts on this store and shows a screen (the Textual app when it exists)."""
    import asyncio

    from program.tui.app import ReplenishApp

    async def run() -> None:
        service = open_service(home, backup=True)
        try:
            app = ReplenishApp(service)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert app.screen is not None
        finally:
            service.close()

    asyncio.run(run())


def _check_store(home: Path) -> None:
    """Integrity is ok and the service opens and answers `today()`."""
    if (home / "replenish.db").exists():  # a kill before the first open leaves none
        assert integrity(home / "replenish.db") == ["ok"]
    service = open_service(home, backup=True)
    try:
        if service.enrolment() is None:  # killed before the plan was started
            assert service.preview().day == 1
        else:
            assert service.today() is not None
    finally:
        service.close()


# ----- answers -----------------------------------------------------------------------


def _kill_writers(home: Path, runs: int, seed: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for run in range(runs):
        child = Child.start("answers", str(home), str(run), str(ANSWERS_PER_RUN), home=home)
        # Some kills land while it is still opening the store, most in the middle of saves.
        ready = rng.choice([0, 0, 1, rng.randrange(1, ANSWERS_PER_RUN)])
        tally.killed_mid_work += _kill_at_random(child, rng, ready, max_delay=0.05)
        reported = [int(line) for line in child.lines]
        assert reported == list(range(len(reported))), reported
        _check_store(home)
        with Store.open(home) as store:
            saved = {a.day: a.value for a in store.answers() if a.exercise_id == "check-in"}
        for index in reported:
            if saved.get(answer_day(run, index)) != answer_value(run, index):
                tally.lost += 1
        tally.runs += 1
        tally.reported += len(reported)
    return tally


def test_killed_writers_lose_nothing_ci(private_home: Path) -> None:
    tally = _kill_writers(private_home, CI_RUNS, seed=6)
    assert tally.lost == 0
    assert tally.reported > 0 and tally.killed_mid_work > 0
    _app_opens(private_home)


@pytest.mark.slow
def test_killed_writers_lose_nothing_many_times(private_home: Path) -> None:
    tally = _kill_writers(private_home, SLOW_RUNS, seed=2026)
    print(f"writer kills: {tally}")
    assert tally.runs == SLOW_RUNS
    assert tally.lost == 0
    assert tally.killed_mid_work > SLOW_RUNS // 2
    _app_opens(private_home)


# ----- migrations --------------------------------------------------------------------


@pytest.fixture
def version_one_store(tmp_path: Path) -> Iterator[Path]:
    """A closed, current store with a plan and some answers, to copy for every run."""
    template = tmp_path / "template"
    service = enrolled(template, backup=True)
    for index in range(30):
        service.save_answer("check-in", index, "words", answer_value(0, index))
    service.close()
    yield template


def _migration_state(db: Path) -> tuple[int, int | None]:
    """(user_version, rows of the test migration's table or None when it is absent)."""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        present = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ballast'").fetchone()
        rows = None
        if present:
            rows = int(conn.execute("SELECT count(*) FROM ballast").fetchone()[0])
        return version, rows
    finally:
        conn.close()


def _kill_migrations(template: Path, work: Path, runs: int, seed: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(runs):
        home = work / f"run-{tally.runs}"
        shutil.copytree(template, home)
        child = Child.start("migrate", str(home), home=home)
        tally.killed_mid_work += _kill_at_random(child, rng, 1, max_delay=0.3)
        version, rows = _migration_state(home / "replenish.db")
        # All or nothing: the old format untouched, or the new one complete.
        assert (version, rows) in {
            (LATEST_VERSION, None),
            (LATEST_VERSION + 1, SLOW_MIGRATION_ROWS),
        }, (version, rows)
        if version == LATEST_VERSION:
            assert not any(line.startswith("migrated") for line in child.lines)
        assert integrity(home / "replenish.db") == ["ok"]
        if version == LATEST_VERSION:
            _check_store(home)  # this version still opens it, with every answer
            with Store.open(home) as store:
                assert len(store.answers()) == 30
        # Whatever happened, the next (unkilled) run finishes the migration.
        again = Child.start("migrate", str(home), home=home)
        err = again.finish()
        assert again.process.returncode == 0, err
        assert again.lines[-1] == f"migrated {LATEST_VERSION + 1}"
        assert _migration_state(home / "replenish.db") == (
            LATEST_VERSION + 1,
            SLOW_MIGRATION_ROWS,
        )
        assert integrity(home / "replenish.db") == ["ok"]
        shutil.rmtree(home)
        tally.runs += 1
    return tally


def test_a_killed_migration_is_all_or_nothing_ci(version_one_store: Path, tmp_path: Path) -> None:
    tally = _kill_migrations(version_one_store, tmp_path / "work", CI_RUNS // 4, seed=7)
    assert tally.runs == CI_RUNS // 4


@pytest.mark.slow
def test_a_killed_migration_is_all_or_nothing_many_times(
    version_one_store: Path, tmp_path: Path
) -> None:
    tally = _kill_migrations(version_one_store, tmp_path / "work", SLOW_RUNS, seed=11)
    print(f"migration kills: {tally}")
    assert tally.killed_mid_work > 0


# ----- backups -----------------------------------------------------------------------


def _kill_backups(home: Path, runs: int, seed: int) -> Tally:
    rng = random.Random(seed)
    with Store.open(home) as store:
        for index in range(400):
            store.save_answer("check-in", index, "words", "x" * 2000, datetime.now(UTC))
    tally = Tally()
    for run in range(runs):
        start = f"{2000 + run:04d}-01-01T09:00:00"
        child = Child.start("backup", str(home), start, home=home)
        ready = rng.choice([0, 1, 3])
        tally.killed_mid_work += _kill_at_random(child, rng, ready, max_delay=0.1)
        tally.reported += len(child.lines)
        found = backups(home)
        assert len(found) <= KEEP + 1  # one more when killed between rename and pruning
        for backup in found:  # a half copy never sits under a backup's name
            assert integrity(backup.path) == ["ok"], backup.path
            conn = sqlite3.connect(f"{backup.path.as_uri()}?mode=ro", uri=True)
            try:
                assert conn.execute("SELECT count(*) FROM answer").fetchone()[0] == 400
            finally:
                conn.close()
        reported = set(child.lines)
        newest_reported = sorted(reported)[-(KEEP - 1) :]
        assert set(newest_reported) <= {b.path.name for b in found}
        _check_store(home)
        tally.runs += 1
    return tally


def test_a_killed_backup_leaves_no_half_file_ci(private_home: Path) -> None:
    tally = _kill_backups(private_home, CI_RUNS // 2, seed=8)
    assert tally.killed_mid_work > 0


@pytest.mark.slow
def test_a_killed_backup_leaves_no_half_file_many_times(private_home: Path) -> None:
    tally = _kill_backups(private_home, SLOW_RUNS, seed=12)
    print(f"backup kills: {tally}")
    assert tally.killed_mid_work > SLOW_RUNS // 2
