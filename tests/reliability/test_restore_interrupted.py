"""An interrupted restore always leaves a whole data file, the old one or the backup.

The real installed `replenish restore --latest` is interrupted two ways:
- precisely, after each of its file operations in turn (rename, link, unlink,
  fsync), by a signal it sends itself from a `sitecustomize` loaded only in the
  child: SIGINT, SIGTERM, SIGHUP (a closed terminal) and SIGKILL;
- at random moments, from outside, like `timeout -s INT 0.3 replenish restore`.

After each: the real name holds a whole SQLite file; the next command works; the
data is then exactly the old file's or the backup's; the old file (its -wal
included) is still somewhere in the folder; the backups are untouched.

The slow variants sweep every point with every signal and make
`REPLENISH_KILL_RUNS` random kills (default 200):
`REPLENISH_KILL_RUNS=500 pytest -m slow tests/reliability/test_restore_interrupted.py`.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import Store
from state.backup import backups, loose_modes, take_backup
from state.swap import JOURNAL_NAME, PARTIAL_PREFIX
from tests.conftest import ROOT, SMALL, Result, run_main
from tests.reliability.helpers import child_env, snapshot

SLOW_RUNS = int(os.environ.get("REPLENISH_KILL_RUNS", "200"))
AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
SIGNALS = {
    "INT": signal.SIGINT,
    "TERM": signal.SIGTERM,
    "HUP": signal.SIGHUP,
    "KILL": signal.SIGKILL,
}

SITECUSTOMIZE = '''
"""Loaded by the child only: counts its file operations and signals itself after the Nth."""
import os

_signal, _at, _log = os.environ["REPLENISH_KILL_AT"].split(":", 2)
_count = [0]


def _counting(name):
    real = getattr(os, name)

    def counted(*args, **kwargs):
        result = real(*args, **kwargs)
        _count[0] += 1
        if _log:
            with open(_log, "a", encoding="utf-8") as log:
                log.write(f"{name} {os.path.basename(str(args[0]))}\\n")
        if _count[0] == int(_at):
            os.kill(os.getpid(), int(_signal))
        return result

    setattr(os, name, counted)


for _name in ("replace", "rename", "link", "unlink", "fsync"):
    _counting(_name)
'''


def _command() -> list[str]:
    """The installed `replenish` beside this interpreter, else the module."""
    script = Path(sys.executable).parent / "replenish"
    return [str(script)] if script.exists() else [sys.executable, "-m", "program"]


Contents = frozenset[tuple[int, str]]


def _contents(folder: Path, name: str = "replenish.db") -> Contents:
    """The answers in `name` (with its side files), read from a copy so nothing here changes."""
    with_sides = [folder / (name + suffix) for suffix in ("", "-wal", "-journal")]
    scratch = folder.parent / f"scratch-{time.monotonic_ns()}"
    scratch.mkdir(mode=0o700)
    try:
        for path, suffix in zip(with_sides, ("", "-wal", "-journal"), strict=True):
            if path.exists():
                shutil.copyfile(path, scratch / f"replenish.db{suffix}")
        with Store.open(scratch) as store:
            return frozenset((a.day, str(a.value)) for a in store.answers())
    finally:
        shutil.rmtree(scratch)


def _whole(path: Path) -> bool:
    """A complete SQLite file under the real name, read as it is (no -wal, nothing created)."""
    if not path.is_file():
        return False
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")] == ["ok"]
    finally:
        conn.close()


@dataclass(frozen=True)
class Template:
    """A data folder to copy for every run: a backup, and a different current file."""

    folder: Path
    old: Contents
    backup: Contents


def _build(root: Path, *, crashed: bool) -> Template:
    """`crashed` leaves the current file with a -wal holding committed answers, as a kill would."""
    folder = root / ("crashed" if crashed else "clean")
    with Store.open(folder) as store:
        for day in range(300):
            store.save_answer("check-in", day, "words", f"backup {day} " + "x" * 1500, AT)
    take_backup(folder / "replenish.db", folder, AT)
    with Store.open(folder) as store:
        for day in range(0, 300, 3):
            store.save_answer("check-in", day, "words", f"current {day}", AT)
        store.save_answer("check-in", 1000, "words", "only in the current file", AT)
        if crashed:
            store.save_answer("check-in", 1001, "words", "only in the -wal", AT)
            db = (folder / "replenish.db").read_bytes()
            wal = (folder / "replenish.db-wal").read_bytes()
    if crashed:
        (folder / "replenish.db").write_bytes(db)
        (folder / "replenish.db-wal").write_bytes(wal)
    old = _contents(folder)
    backup = _contents(folder / "backups", backups(folder)[-1].path.name)
    assert old != backup
    assert ((1001, "only in the -wal") in old) == crashed
    return Template(folder, old, backup)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    root = tmp_path_factory.mktemp("restore-templates")
    return {"clean": _build(root, crashed=False), "crashed": _build(root, crashed=True)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill-site")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return folder


@dataclass
class Tally:
    runs: int = 0
    completed: int = 0
    interrupted: int = 0
    finished_later: int = 0
    undone_later: int = 0


def _fresh(template: Template, work: Path) -> Path:
    home = work / f"run-{time.monotonic_ns()}"
    shutil.copytree(template.folder, home, copy_function=shutil.copy2)
    return home


def _restore_env(home: Path, **extra: str) -> dict[str, str]:
    return child_env(home, REPLENISH_NOW="2026-11-22T10:00:00+00:00", **extra)


def _in_process(home: Path, *argv: str) -> Result:
    """A command after the interrupted one, in this process (`main(argv)`) at the same time."""
    env = {"REPLENISH_HOME": str(home), "REPLENISH_NOW": "2026-11-22T10:00:00+00:00", "TZ": "UTC"}
    return run_main(argv, env)


def _check_after(template: Template, home: Path, done: subprocess.CompletedProcess[str]) -> str:
    """Every promise, after one interrupted (or finished) restore; returns what happened."""
    database = home / "replenish.db"
    # Ctrl+C while Python is still importing, before the command's own handler is in
    # place, prints the interpreter's KeyboardInterrupt report; nothing else may.
    startup_interrupt = done.stderr.rstrip().endswith("KeyboardInterrupt")
    assert "Traceback" not in done.stderr or startup_interrupt, done.stderr
    # At the instant of the interruption: a whole file under the real name.
    assert _whole(database), sorted(p.name for p in home.iterdir())
    backups_before = snapshot(template.folder / "backups")
    # The next command finishes or undoes the restore, then works.
    status = _in_process(home, "status", "--program", str(SMALL))
    assert status.code == 0, status.err
    assert "Traceback" not in status.err
    leftovers = [p.name for p in home.iterdir() if p.name.startswith(PARTIAL_PREFIX)]
    assert not (home / JOURNAL_NAME).exists() and not leftovers, leftovers
    now = _contents(home)
    assert now in (template.old, template.backup)
    # Nothing was deleted: the old file, -wal and all, is the data file or was set aside.
    kept = [now] + [
        _contents(home, path.name)
        for path in sorted(home.glob("replenish.db.set-aside-*"))
        if not path.name.endswith(("-wal", "-shm", "-journal"))
    ]
    assert template.old in kept
    assert snapshot(home / "backups") == backups_before
    assert loose_modes(home) == []
    if done.returncode == 0:  # it said "Restored": it must be so
        assert "Restored" in done.stdout and now == template.backup
        return "completed"
    return "finished later" if now == template.backup else "undone later"


def _tally(tally: Tally, outcome: str) -> None:
    tally.runs += 1
    if outcome == "completed":
        tally.completed += 1
        return
    tally.interrupted += 1
    if outcome == "finished later":
        tally.finished_later += 1
    else:
        tally.undone_later += 1


# ----- precisely after each file operation --------------------------------------------


def _operations(template: Template, work: Path, site: Path) -> list[str]:
    """The file operations of one whole restore, in order (a dry run that is not stopped)."""
    home = _fresh(template, work)
    log = work / f"operations-{time.monotonic_ns()}.log"
    done = subprocess.run(
        [*_command(), "restore", "--latest"],
        capture_output=True,
        text=True,
        env=_restore_env(
            home,
            PYTHONPATH=f"{site}{os.pathsep}{ROOT}",
            REPLENISH_KILL_AT=f"{int(signal.SIGKILL)}:0:{log}",
        ),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return log.read_text(encoding="utf-8").splitlines()


def _interrupt_after(
    template: Template, work: Path, site: Path, points: list[tuple[str, int]]
) -> Tally:
    tally = Tally()
    for name, point in points:
        home = _fresh(template, work)
        done = subprocess.run(
            [*_command(), "restore", "--latest"],
            capture_output=True,
            text=True,
            env=_restore_env(
                home,
                PYTHONPATH=f"{site}{os.pathsep}{ROOT}",
                REPLENISH_KILL_AT=f"{int(SIGNALS[name])}:{point}:",
            ),
            timeout=120,
            check=False,
        )
        assert done.returncode != 0 or name == "INT", (name, point, done.stdout)
        _tally(tally, _check_after(template, home, done))
        shutil.rmtree(home)
    return tally


def test_a_restore_interrupted_after_any_step_leaves_a_whole_file_ci(
    templates: dict[str, Template], site: Path, tmp_path: Path
) -> None:
    template = templates["crashed"]  # the harder case: side files must move with their file
    operations = _operations(template, tmp_path, site)
    assert any(op.startswith("replace replenish.db-wal") for op in operations), operations
    points = [("KILL", index) for index in range(1, len(operations) + 1)]
    side_step = next(i for i, op in enumerate(operations, 1) if "replenish.db-wal" in op)
    points += [(name, side_step) for name in ("INT", "TERM", "HUP")]
    tally = _interrupt_after(template, tmp_path, site, points)
    assert tally.runs == len(points)
    assert tally.finished_later > 0 and tally.undone_later > 0, tally


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["clean", "crashed"])
def test_a_restore_interrupted_after_any_step_by_any_signal_leaves_a_whole_file(
    templates: dict[str, Template], site: Path, tmp_path: Path, kind: str
) -> None:
    template = templates[kind]
    operations = _operations(template, tmp_path, site)
    points = [(name, i) for name in SIGNALS for i in range(1, len(operations) + 1)]
    tally = _interrupt_after(template, tmp_path, site, points)
    print(f"{kind}: {len(operations)} steps x {len(SIGNALS)} signals: {tally}")
    assert tally.runs == len(points)
    assert tally.finished_later > 0 and tally.undone_later > 0, tally


# ----- at random moments, from outside --------------------------------------------------


def _interrupt_at_random(template: Template, work: Path, runs: int, seed: int) -> Tally:
    rng = random.Random(seed)
    started = time.monotonic()
    _check_after(template, home := _fresh(template, work), _run_restore(home))
    whole = time.monotonic() - started  # one uninterrupted restore and its checks, as a bound
    shutil.rmtree(home)
    tally = Tally()
    for run in range(runs):
        name = ("INT", "TERM", "HUP", "KILL")[run % 4]
        home = _fresh(template, work)
        process = subprocess.Popen(
            [*_command(), "restore", "--latest"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_restore_env(home),
        )
        time.sleep(rng.uniform(0.0, min(whole, 2.0)))
        process.send_signal(SIGNALS[name])
        out, err = process.communicate(timeout=120)
        done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
        _tally(tally, _check_after(template, home, done))
        shutil.rmtree(home)
    return tally


def _run_restore(home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), "restore", "--latest"],
        capture_output=True,
        text=True,
        env=_restore_env(home),
        timeout=120,
        check=False,
    )


def test_a_restore_interrupted_at_random_moments_ci(
    templates: dict[str, Template], tmp_path: Path
) -> None:
    tally = _interrupt_at_random(templates["crashed"], tmp_path, runs=8, seed=3)
    assert tally.runs == 8


@pytest.mark.slow
def test_a_restore_interrupted_at_random_moments_many_times(
    templates: dict[str, Template], tmp_path: Path
) -> None:
    tally = Tally()
    for kind, seed in (("crashed", 30), ("clean", 31)):
        part = _interrupt_at_random(templates[kind], tmp_path, runs=SLOW_RUNS // 2, seed=seed)
        print(f"{kind}: random kills: {part}")
        for field in ("runs", "completed", "interrupted", "finished_later", "undone_later"):
            setattr(tally, field, getattr(tally, field) + getattr(part, field))
    assert tally.runs == 2 * (SLOW_RUNS // 2)
    assert tally.interrupted > tally.runs // 4, tally


def test_doctor_names_an_interrupted_restore_and_the_next_command_ends_it(
    templates: dict[str, Template], site: Path, tmp_path: Path
) -> None:
    template = templates["crashed"]
    operations = _operations(template, tmp_path, site)
    side_step = next(i for i, op in enumerate(operations, 1) if "replenish.db-wal" in op)
    home = _fresh(template, tmp_path)
    killed = subprocess.run(
        [*_command(), "restore", "--latest"],
        capture_output=True,
        text=True,
        env=_restore_env(
            home,
            PYTHONPATH=f"{site}{os.pathsep}{ROOT}",
            REPLENISH_KILL_AT=f"{int(signal.SIGKILL)}:{side_step}:",
        ),
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    before = snapshot(home)
    doctor = _in_process(home, "doctor")
    assert doctor.code == 1
    assert doctor.out.startswith("PROBLEM  restore: a restore was interrupted"), doctor.out
    assert "the next replenish command" in doctor.out
    assert snapshot(home) == before  # doctor changes nothing, not even this
    assert _check_after(template, home, killed) == "undone later"
    again = _in_process(home, "doctor")
    assert again.code == 0, again.out
