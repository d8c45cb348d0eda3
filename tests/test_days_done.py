"""The running tally of days done, and the windowed reads: always what a full recount says.

`plan.days_done` walks every day; the service answers from the store's tally and reads
only the days on show. After every kind of write (through the service, straight into the
store as another process would, an import, a restore, a migrated older file, a changed
program) the two agree, and a read after the first one judges nothing again.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program import plan
from program.content import Program, load_program
from program.service import Replenish
from state import DB_NAME, Outcome, Store
from state.backup import restore, take_backup
from state.schema import MIGRATIONS, statements
from tests.conftest import SMALL

PROGRAM: Program = load_program(SMALL)
START = date(2027, 3, 1)
EXERCISES = sorted(exercise.id for exercise in PROGRAM.exercises)


@dataclass
class Clock:
    """A clock the test moves: noon UTC on day `day` of the plan (unless moved otherwise)."""

    at: datetime = field(default_factory=lambda: datetime(2027, 3, 1, 12, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.at


def walked(service: Replenish) -> plan.Today | None:
    """What the plan engine says when it reads everything and walks every day."""
    schedule = service.schedule()
    if schedule is None:
        return None
    return plan.today(service.program, schedule, service.progress(), service.now())


def assert_agrees(service: Replenish) -> None:
    """Today, each day and the Journey's windows, as the service reads them, against a
    reading of everything."""
    assert service.today() == walked(service)
    schedule = service.schedule()
    if schedule is None:
        return
    everything = service.progress()
    now = service.now()
    whole = plan.journey(service.program, schedule, everything, now)
    assert service.journey() == whole
    for first in range(1, service.program.days + 1, 5):
        last = first + 6
        assert service.journey(first, last) == whole[first - 1 : last]
    current = max(1, min(plan.day_now(service.program, schedule, now), service.program.days))
    for day in range(service.program.days + 3):
        assert service.day(day) == plan.day_plan(service.program, day, everything, current)
        for exercise in EXERCISES:
            assert service.state_of(exercise, day) == everything.state_of(exercise, day)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[Replenish]:
    opened = Replenish(PROGRAM, Store.open(tmp_path / "data"), now=clock)
    opened.start(on=START)
    yield opened
    opened.close()


class Judges:
    """A judge for `Store.days_done` that counts the days it is asked about."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def __call__(self, day: int, outcomes: object) -> bool:
        self.asked.append(day)
        assert isinstance(outcomes, list)
        return any(isinstance(o, Outcome) and o.kind == "done" for o in outcomes)


def test_a_read_after_the_first_judges_nothing_and_a_write_judges_its_day(
    tmp_path: Path,
) -> None:
    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    with Store.open(tmp_path / "data") as store:
        for day in range(1, 31):
            store.complete("a", day, now)
        judge = Judges()
        assert store.days_done("basis", 31, judge) == 30
        assert sorted(judge.asked) == list(range(1, 31)), "a new basis judges every day"
        judge.asked.clear()
        assert store.days_done("basis", 31, judge) == 30
        assert store.days_done("basis", 11, judge) == 10
        assert judge.asked == [], "kept verdicts are only read"
        store.skip("b", 40, "", now)
        store.reopen("a", 7)
        assert store.days_done("basis", 100, judge) == 29
        assert sorted(judge.asked) == [7, 40]
        judge.asked.clear()
        assert store.days_done("another basis", 100, judge) == 29
        assert len(judge.asked) == 30, "every day with an outcome (29 of a's and b's 40) again"


def test_keeping_the_verdicts_is_not_news_for_the_backup(tmp_path: Path) -> None:
    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    with Store.open(tmp_path / "data") as store:
        store.complete("a", 1, now)
    with Store.open(tmp_path / "data") as store:
        assert store.days_done("basis", 5, Judges()) == 1
        assert not store.wrote, "only a derived figure was written"


def test_when_the_verdicts_cannot_be_kept_the_count_is_still_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from state import StoreWriteFailed

    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    with Store.open(tmp_path / "data") as store:
        for day in (1, 2, 5):
            store.complete("a", day, now)
        store.skip("a", 3, "", now)
        assert store.days_done("basis", 3, Judges()) == 2  # every day judged, and kept
        store.complete("a", 4, now)

        def refuse(*args: object, **kwargs: object) -> object:
            raise StoreWriteFailed(store.path, "the disk is full")

        monkeypatch.setattr(store, "_writing", refuse)
        judge = Judges()
        assert store.days_done("basis", 10, judge) == 4
        assert judge.asked == [4], "kept verdicts are used, the rest judged"
        judge.asked.clear()
        assert store.days_done("new basis", 10, judge) == 4
        assert sorted(judge.asked) == [1, 2, 3, 4, 5]


def test_every_kind_of_write_through_the_service(service: Replenish, clock: Clock) -> None:
    assert_agrees(service)
    clock.at += timedelta(days=4)  # day 5
    service.complete("check-in", 1)
    service.complete("rest", 1)
    service.complete("intake", 1)
    assert service.today() is not None and service.today().days_done == 1  # type: ignore[union-attr]
    assert_agrees(service)
    service.skip("rest", 2, "tired")
    service.complete("rest", 3)
    service.complete("rest", 5)
    service.complete("check-in", 5)
    assert_agrees(service)
    service.reopen("rest", 3)
    assert_agrees(service)
    service.save_answer("intake", 1, "safe", "No")  # raises a flag: the gates change
    assert_agrees(service)
    service.save_answer("intake", 1, "safe", "Yes")  # and lowers it again
    assert_agrees(service)
    service.pause()
    clock.at += timedelta(days=3)
    assert_agrees(service)
    service.resume()
    clock.at += timedelta(days=2)
    assert_agrees(service)
    service.set_day_start_hour(11)
    clock.at = clock.at.replace(hour=10)
    assert_agrees(service)
    clock.at += timedelta(days=30)  # the plan is over: every day is behind
    assert service.today() is not None and service.today().status is plan.Status.FINISHED  # type: ignore[union-attr]
    assert_agrees(service)


def test_writes_by_another_process_and_a_changed_program(
    service: Replenish, clock: Clock, tmp_path: Path
) -> None:
    clock.at += timedelta(days=6)
    for day in (1, 2, 3):
        service.complete("rest", day)
    assert_agrees(service)
    with Store.open(tmp_path / "data") as other:  # the reminder service, say: it never judges
        other.complete("rest", 4, clock.at)
        other.skip("rest", 5, "", clock.at)
        other.reopen("rest", 1)
    assert_agrees(service)
    fewer = Program(
        PROGRAM.id, PROGRAM.title, PROGRAM.days, PROGRAM.modules[:1], folder=PROGRAM.folder
    )
    again = Replenish(fewer, service.store, now=clock)  # an edited program: a new basis
    assert_agrees(again)
    assert_agrees(service)


def test_import_replace_and_merge(service: Replenish, clock: Clock, tmp_path: Path) -> None:
    clock.at += timedelta(days=6)
    for day in (1, 2, 3, 4):
        service.complete("rest", day)
    exported = service.store.export_data()
    service.skip("rest", 5, "")
    service.store.import_data(exported)  # replace: day 5's outcome is gone
    assert_agrees(service)
    service.store.enrol(PROGRAM.id, START, 4, clock.at, clear_progress=True)
    assert_agrees(service)
    service.store.import_data(exported, replace=False)  # merge: the four days come back
    assert service.today() is not None and service.today().days_done == 4  # type: ignore[union-attr]
    assert_agrees(service)


def test_a_restored_backup(service: Replenish, clock: Clock, tmp_path: Path) -> None:
    clock.at += timedelta(days=6)
    service.complete("rest", 1)
    service.complete("rest", 2)
    service.today()  # the tally is current in the backup
    backup = take_backup(service.store.path, service.store.data_dir, clock.at)
    service.complete("rest", 3)
    service.skip("rest", 4, "")
    assert_agrees(service)
    folder = service.store.data_dir
    service.store.close()
    restore(folder, backup, clock.at)
    with Replenish(PROGRAM, Store.open(folder), now=clock) as restored:
        assert restored.today() is not None and restored.today().days_done == 2  # type: ignore[union-attr]
        assert_agrees(restored)


def test_an_older_file_is_migrated_with_its_history(tmp_path: Path, clock: Clock) -> None:
    """A file from before the tally: migration 2 marks every day with an outcome unjudged."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    for statement in statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO enrolment VALUES (1, ?, ?, 4, ?)",
        (PROGRAM.id, START.isoformat(), clock.at.isoformat()),
    )
    for day, kind in ((1, "done"), (2, "skipped"), (3, "done"), (4, "done"), (6, "done")):
        conn.execute(
            "INSERT INTO outcome VALUES ('rest', ?, ?, '', ?)", (day, kind, clock.at.isoformat())
        )
    conn.execute(
        "INSERT INTO outcome VALUES ('check-in', 6, 'done', '', ?)", (clock.at.isoformat(),)
    )
    conn.close()
    (folder / DB_NAME).chmod(0o600)
    clock.at += timedelta(days=8)
    with Replenish(PROGRAM, Store.open(folder), now=clock) as service:
        assert service.store.schema_version() == len(MIGRATIONS)
        found = service.today()
        assert found is not None and found.days_done == 5
        assert_agrees(service)


def test_the_everyday_reads_use_the_indexes_and_never_scan_the_history(
    service: Replenish, clock: Clock
) -> None:
    """No timing here: the query plans of what `today`, a day and the Journey run say
    whether their cost grows with history. A scan of the answers or the outcomes would."""
    clock.at += timedelta(days=6)
    for day in range(1, 6):
        service.complete("rest", day)
        service.save_answer("check-in", day, "energy", day)
    service.today()  # the tally judged, as every later read finds it
    statements_run: list[str] = []
    conn = service.store._live()
    conn.set_trace_callback(statements_run.append)
    try:
        service.today()
        service.day(3)
        service.journey(1, 7)
        service.state_of("rest", 2)
    finally:
        conn.set_trace_callback(None)
    scans = []
    for statement in statements_run:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        first_row = statement.rstrip().endswith("LIMIT 1")
        for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}"):
            detail = str(row[-1])
            # The first row of a table, or of a partial index, is found at once.
            at_once = first_row and ("WHERE" not in statement or "INDEX" in detail)
            if (
                detail.startswith("SCAN")
                and not at_once
                and any(table in detail for table in ("answer", "outcome", "day_tally"))
            ):
                scans.append((statement, detail))
    assert scans == []


OPERATIONS = st.one_of(
    st.tuples(
        st.sampled_from(["complete", "skip", "reopen", "outside"]),
        st.sampled_from(EXERCISES),
        st.integers(0, 16),
    ),
    st.tuples(
        st.just("flag"), st.sampled_from(["Yes", "Not sure", "No"]), st.sampled_from([1, 13])
    ),
    st.tuples(st.just("days"), st.integers(0, 6), st.just(0)),
    st.tuples(st.sampled_from(["pause", "resume", "reimport"]), st.just(""), st.just(0)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, max_size=25))
def test_any_sequence_of_writes_keeps_the_tally_true(
    operations: list[tuple[str, str | int, int]],
) -> None:
    clock = Clock()
    with (
        tempfile.TemporaryDirectory() as folder,
        Replenish(PROGRAM, Store.open(Path(folder) / "data"), now=clock) as service,
    ):
        service.start(on=START)
        for name, what, day in operations:
            if name == "complete":
                service.complete(str(what), day)
            elif name == "skip":
                service.skip(str(what), day, "")
            elif name == "reopen":
                service.reopen(str(what), day)
            elif name == "outside":  # another process: the store alone, nobody judges
                service.store.complete(str(what), day, clock.at)
            elif name == "flag":
                service.save_answer("intake", day, "safe", what)
            elif name == "days":
                clock.at += timedelta(days=int(what))
            elif name == "pause":
                service.pause()
            elif name == "resume":
                service.resume()
            else:
                service.store.import_data(service.store.export_data())
            assert service.today() == walked(service)
        assert_agrees(service)


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.tuples(st.sampled_from(EXERCISES), st.integers(1, 14))),
    st.sets(st.tuples(st.sampled_from(EXERCISES), st.integers(1, 14))),
    st.integers(-2, 16),
    st.sampled_from([frozenset(), frozenset({"needs-support"})]),
)
def test_the_walk_is_the_sum_of_the_verdicts(
    done: set[tuple[str, int]], skipped: set[tuple[str, int]], current: int, flags: frozenset[str]
) -> None:
    """`days_done` = the days behind the current one that `past_day_done` calls done, plus
    the current day as Today shows it: the identity the tally rests on."""
    progress = plan.Progress(frozenset(done), frozenset(skipped - done), flags=flags)
    current = min(current, PROGRAM.days + 1)
    behind = sum(plan.past_day_done(PROGRAM, day, progress) for day in range(1, current))
    shown = 1 <= current <= PROGRAM.days and plan.day_plan(PROGRAM, current, progress, current).done
    assert plan.days_done(PROGRAM, progress, current) == behind + int(shown)


def test_the_basis_names_what_a_verdict_depends_on() -> None:
    from msgspec.structs import replace

    def changed(**fields: object) -> Program:
        module = PROGRAM.modules[0]
        first = replace(module.exercises[0], **fields)  # type: ignore[arg-type]
        edited = replace(module, exercises=(first, *module.exercises[1:]))
        return replace(PROGRAM, modules=(edited, *PROGRAM.modules[1:]))

    basis = plan.tally_basis(PROGRAM, frozenset())
    assert plan.tally_basis(load_program(SMALL), frozenset()) == basis, "the same program"
    assert plan.tally_basis(changed(title="Another title"), frozenset()) == basis
    exercise = PROGRAM.modules[0].exercises[0]
    for edit in (
        {"days": (*exercise.days[:-1],)},
        {"catch_up": not exercise.catch_up},
        {"optional": not exercise.optional},
        {"gate": replace(exercise.gate, requires=frozenset({"needs-support"}))},
    ):
        assert plan.tally_basis(changed(**edit), frozenset()) != basis, edit
    assert plan.tally_basis(PROGRAM, frozenset({"needs-support"})) != basis
