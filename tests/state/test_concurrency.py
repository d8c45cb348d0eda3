"""Several threads, Store objects and processes sharing one file."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from state import LATEST_VERSION, Store

WRITERS = 4
SAVES_EACH = 200


def _save_many(data_dir: str, worker: int, count: int) -> None:
    """Child process body: its own Store, `count` committed saves."""
    with Store.open(Path(data_dir)) as store:
        for i in range(count):
            store.save_answer(
                f"w{worker}", i, "note", f"worker {worker} note {i}", datetime.now(UTC)
            )


def _open_and_claim(data_dir: str, key: str, results: multiprocessing.Queue[bool]) -> None:
    with Store.open(Path(data_dir)) as store:
        results.put(store.claim_delivery(key, datetime.now(UTC), "desktop"))


def _run_processes(target: Callable[..., None], args: list[tuple[object, ...]]) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=target, args=a) for a in args]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    codes = [proc.exitcode for proc in procs]
    assert codes == [0] * len(procs), f"child exit codes {codes}"


def test_claim_is_exclusive_between_two_store_objects(data_dir: Path) -> None:
    now = datetime.now(UTC)
    with Store.open(data_dir) as first, Store.open(data_dir) as second:
        assert first.claim_delivery("daily:2025-03-10", now, "in-app") is True
        assert second.claim_delivery("daily:2025-03-10", now, "desktop") is False
        assert second.claim_delivery("daily:2025-03-11", now, "desktop") is True
        assert first.claim_delivery("daily:2025-03-11", now, "in-app") is False
        assert [d.channel for d in first.deliveries()] == ["in-app", "desktop"]
        one = first.add_one_off(now, "call", now)
        assert second.mark_one_off_delivered(one) is True
        assert first.mark_one_off_delivered(one) is False


def test_concurrent_writer_processes_lose_nothing(data_dir: Path) -> None:
    Store.open(data_dir).close()
    _run_processes(_save_many, [(str(data_dir), w, SAVES_EACH) for w in range(WRITERS)])
    with Store.open(data_dir) as store:
        answers = store.answers()
    assert len(answers) == WRITERS * SAVES_EACH
    assert {(a.exercise_id, a.day) for a in answers} == {
        (f"w{w}", i) for w in range(WRITERS) for i in range(SAVES_EACH)
    }


def test_processes_racing_to_create_the_store_all_succeed(data_dir: Path) -> None:
    """Nobody has created the folder yet: creation and migration race, and must all win."""
    _run_processes(_save_many, [(str(data_dir), w, 5) for w in range(WRITERS)])
    with Store.open(data_dir) as store:
        assert store.schema_version() == LATEST_VERSION
        assert len(store.answers()) == WRITERS * 5


def test_only_one_process_claims_a_delivery(data_dir: Path) -> None:
    Store.open(data_dir).close()
    ctx = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[bool] = ctx.Queue()
    procs = [
        ctx.Process(target=_open_and_claim, args=(str(data_dir), "daily:x", results))
        for _ in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    claims = sorted(results.get(timeout=60) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
    assert claims == [False] * (WRITERS - 1) + [True]


def test_one_store_shared_by_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            for i in range(50):
                store.save_answer(f"t{thread}", i, "s", i, datetime.now(UTC))
                store.answers_for(f"t{thread}", i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.answers()) == 200
