"""Many processes on one store at once: nobody sees "database is locked", nothing is lost."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from state import Store
from state.backup import MIN_BACKUPS, backups
from tests.conftest import ROOT, SMALL, enrolled
from tests.reliability.child import answer_day, answer_value
from tests.reliability.helpers import child_env, integrity
from tests.reliability.test_crash import Child

WRITERS = 2
ANSWERS_EACH = 1500
CLAIMERS = 2
KEYS = 1000
COMMAND_STREAMS = 3
PLAIN = (("today",), ("status",), ("export", "--format", "json"), ("export",))


def test_writers_claimers_and_commands_at_once(private_home: Path) -> None:
    service = enrolled(private_home, backup=True)
    service.close()
    writers = [
        Child.start("answers", str(private_home), str(run), str(ANSWERS_EACH), home=private_home)
        for run in range(1, WRITERS + 1)
    ]
    claimers = [
        Child.start("claim", str(private_home), str(KEYS), home=private_home)
        for _ in range(CLAIMERS)
    ]
    failures: list[str] = []
    commands_run: list[int] = []

    def stream() -> None:
        count = 0
        while count < 4 or any(w.process.poll() is None for w in writers):
            args = PLAIN[count % len(PLAIN)]
            done = subprocess.run(
                [sys.executable, "-m", "program", *args, "--program", str(SMALL)],
                capture_output=True,
                text=True,
                env=child_env(private_home),
                cwd=ROOT,
                timeout=120,
                check=False,
            )
            if done.returncode != 0 or done.stderr:
                failures.append(f"{args}: {done.returncode} {done.stderr}")
            count += 1
        commands_run.append(count)

    threads = [threading.Thread(target=stream) for _ in range(COMMAND_STREAMS)]
    for thread in threads:
        thread.start()
    errors = [child.finish() for child in [*writers, *claimers]]
    for thread in threads:
        thread.join(timeout=300)

    assert [c.process.returncode for c in [*writers, *claimers]] == [0] * (WRITERS + CLAIMERS)
    assert all("locked" not in err and not err for err in errors), errors
    assert failures == []
    assert sum(commands_run) >= 4 * COMMAND_STREAMS
    wins_each = [len(c.lines) for c in claimers]
    print(f"plain commands alongside: {sum(commands_run)}; wins: {wins_each}")

    with Store.open(private_home) as store:
        saved = {(a.exercise_id, a.day): a.value for a in store.answers()}
        claimed = {d.key for d in store.deliveries()}
    for run in range(1, WRITERS + 1):
        for index in range(ANSWERS_EACH):
            assert saved[("check-in", answer_day(run, index))] == answer_value(run, index)
    wins = [set(child.lines) for child in claimers]
    assert set.intersection(*wins) == set()  # exactly one claimer won each key
    assert set.union(*wins) == {str(key) for key in range(KEYS)}
    assert claimed == {f"daily:{key}" for key in range(KEYS)}
    assert integrity(private_home / "replenish.db") == ["ok"]
    # Everyone opened on one (first) day: the day's backup, and at most one more taken
    # by a closing while fewer than two existed; never one per process.
    assert 1 <= len(backups(private_home)) <= MIN_BACKUPS
