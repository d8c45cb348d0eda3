"""Child processes for the crash and concurrency tests: `python -m tests.reliability.child MODE`.

Each mode writes through the code path the app uses (`Replenish` -> `Store`) and
prints one line per write to stdout only after the write has returned, so the
parent knows exactly what was reported as saved when it kills the child.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"

SLOW_MIGRATION_ROWS = 100_000
SLOW_MIGRATION = f"""
CREATE TABLE ballast (n INTEGER PRIMARY KEY, filler TEXT NOT NULL) STRICT;
INSERT INTO ballast (n, filler)
    WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter
                                  WHERE n < {SLOW_MIGRATION_ROWS})
    SELECT n, hex(randomblob(16)) FROM counter;
CREATE INDEX ballast_by_filler ON ballast (filler);
"""
"""A test-only second migration that takes long enough to be killed in the middle."""


def answer_value(run: int, index: int) -> str:
    """The exact text answer `index` of `run` holds: recomputed by the parent to compare."""
    return f"run {run} answer {index}: " + "words " * (index % 40) + "ünïcode ✓ $x [b]"


def answer_day(run: int, index: int) -> int:
    return run * 10_000 + index


def write_answers(home: Path, run: int, count: int) -> None:
    from program.service import Replenish

    service = Replenish.open(SMALL, home)
    if service.enrolment() is None:
        service.start()
    for index in range(count):
        service.save_answer("check-in", answer_day(run, index), "words", answer_value(run, index))
        if index % 5 == 0:
            service.set_position("check-in", answer_day(run, index), index % 3)
        print(index, flush=True)
    service.close()


def use_slow_migration() -> None:
    """Append the slow migration to this process's list (the test's injection point)."""
    import state.schema

    state.schema.MIGRATIONS = (*state.schema.MIGRATIONS, SLOW_MIGRATION)
    state.schema.LATEST_VERSION = len(state.schema.MIGRATIONS)


def migrate(home: Path) -> None:
    from state import Store

    use_slow_migration()
    print("opening", flush=True)
    with Store.open(home) as store:
        print(f"migrated {store.schema_version()}", flush=True)


def back_up(home: Path, start: str) -> None:
    """Take backup after backup (one per simulated day), reporting each once it is renamed."""
    from state.backup import take_backup

    moment = datetime.fromisoformat(start)
    db = home / "replenish.db"
    for day in range(1000):
        path = take_backup(db, home, moment + timedelta(days=day))
        print(path.name, flush=True)


def claim(home: Path, keys: int) -> None:
    """A reminder-service-like process: try to claim every delivery key, report the wins."""
    from state import Store

    with Store.open(home) as store:
        for key in range(keys):
            if store.claim_delivery(f"daily:{key}", datetime.now(UTC), "desktop"):
                print(key, flush=True)


def app_with_a_broken_save(home: Path, how: str) -> int:
    """The real app (`replenish` as typed) whose store call fails with a bug, not a StoreError.

    The fault is injected here, in the child, so the crash path under test is the app's
    own: `once` fails the first save only, `always` fails the one on shutdown too.
    """
    from program.cli import main as replenish
    from program.service import Replenish

    real = Replenish.save_answer
    failures: list[str] = []

    def broken(self: Replenish, exercise_id: str, day: int, step_id: str, value: object) -> None:
        if how == "always" or not failures:
            failures.append(step_id)
            raise RuntimeError("a bug in the code under the store")
        real(self, exercise_id, day, step_id, value)  # type: ignore[arg-type]

    Replenish.save_answer = broken  # type: ignore[method-assign]
    return replenish(["--program", str(SMALL), "--data-dir", str(home)])


def main(argv: list[str]) -> None:
    mode, home = argv[0], Path(argv[1])
    if mode == "answers":
        write_answers(home, int(argv[2]), int(argv[3]))
    elif mode == "migrate":
        migrate(home)
    elif mode == "backup":
        back_up(home, argv[2])
    elif mode == "claim":
        claim(home, int(argv[2]))
    elif mode == "app-with-a-broken-save":
        raise SystemExit(app_with_a_broken_save(home, argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
