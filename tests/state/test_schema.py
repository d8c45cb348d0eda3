"""Migrations, and refusing files this code must not touch (too new, damaged, foreign)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from state import (
    DB_NAME,
    LATEST_VERSION,
    Store,
    StoreDamaged,
    StoreError,
    StoreTooNew,
    StoreUnreadable,
)
from state.db import configure, connect
from state.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    expected_schema,
    migrate,
    schema_problems,
    statements,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_db(path: Path, *sql: str) -> bytes:
    """A small real SQLite file, closed cleanly; returns its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path.read_bytes()


def assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        assert not side.exists() or side.stat().st_size == 0 or suffix == "-shm", side


# ---------------------------------------------------------------- migrations


def test_new_store_is_at_the_latest_version(store: Store) -> None:
    assert store.schema_version() == LATEST_VERSION >= 1
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert {"enrolment", "pause", "answer", "outcome", "position", "setting"} <= tables
    assert {"delivery", "one_off"} <= tables


def test_connection_pragmas(store: Store) -> None:
    conn = store._live()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -256  # KiB: memory stays flat
    assert conn.isolation_level is None


def test_reopening_is_idempotent_and_keeps_data(data_dir: Path) -> None:
    from datetime import UTC, datetime

    with Store.open(data_dir) as store:
        store.set_setting("k", [1, 2])
        store.save_answer("a", 1, "s", "x", datetime.now(UTC))
    for _ in range(3):
        with Store.open(data_dir) as store:
            assert store.schema_version() == LATEST_VERSION
            assert store.setting("k") == [1, 2]
            assert len(store.answers()) == 1


def test_migrate_again_is_a_no_op(store: Store) -> None:
    conn = store._live()
    assert migrate(conn, store.path) == LATEST_VERSION
    assert store.schema_version() == LATEST_VERSION


def test_migration_rechecks_the_version_inside_its_transaction(data_dir: Path) -> None:
    """Another process may upgrade the file between our first look and the write lock."""
    Store.open(data_dir).close()
    path = data_dir / DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        with pytest.raises(StoreTooNew):
            migrate(conn, path)
        assert not conn.in_transaction
    finally:
        conn.close()


def test_a_migration_finished_by_another_process_is_not_repeated(data_dir: Path) -> None:
    """Process B looked while A held the write lock mid-migration: B must re-read, not redo."""
    data_dir.mkdir()
    path = data_dir / DB_NAME
    other = sqlite3.connect(path, isolation_level=None)
    ours = connect(path)
    try:
        other.execute("PRAGMA journal_mode = WAL")
        configure(ours)
        other.execute("BEGIN IMMEDIATE")
        found: list[int] = []
        waiter = threading.Thread(target=lambda: found.append(migrate(ours, path)))
        waiter.start()
        time.sleep(0.2)  # let `ours` reach its BEGIN IMMEDIATE and wait on the lock
        for number, script in enumerate(MIGRATIONS, start=1):
            for statement in statements(script):
                other.execute(statement)
            other.execute(f"PRAGMA user_version = {number}")
        other.execute("COMMIT")
        waiter.join(timeout=10)
        assert found == [LATEST_VERSION], "the version must be re-read under the lock"
    finally:
        other.close()
        ours.close()


def test_statement_splitter_keeps_semicolons_inside_strings_and_triggers() -> None:
    script = """
        CREATE TABLE t (x TEXT DEFAULT ';');
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 'a;b'; END;
        ;
        INSERT INTO t VALUES ('x;y')
    """
    found = statements(script)
    assert len(found) == 3
    assert found[1].startswith("CREATE TRIGGER") and found[1].endswith("END;")
    conn = sqlite3.connect(":memory:")
    for statement in found:
        conn.execute(statement)
    assert conn.execute("SELECT x FROM t").fetchone()[0] == "a;b"


# ---------------------------------------------------------------- too new


def test_too_new_database_is_refused_and_left_byte_identical(data_dir: Path) -> None:
    path = data_dir / DB_NAME
    before = make_db(path, "CREATE TABLE future (x)", "PRAGMA user_version = 999")
    with pytest.raises(StoreTooNew) as caught:
        Store.open(data_dir)
    assert caught.value.found == 999
    assert caught.value.supported == LATEST_VERSION
    message = str(caught.value)
    assert str(path) in message and "newer version" in message and "untouched" in message
    assert_untouched(path, before)


def test_too_new_wal_database_is_not_switched_or_checkpointed(data_dir: Path) -> None:
    path = data_dir / DB_NAME
    before = make_db(path, "PRAGMA journal_mode = DELETE", "PRAGMA user_version = 999")
    with pytest.raises(StoreTooNew):
        Store.open(data_dir)
    assert path.read_bytes() == before  # journal mode not changed to WAL


# ---------------------------------------------------------------- damaged or foreign

TEXT = b"reminder_time = 20:00\nthis is somebody's notes file\n" * 20


def real_db_bytes(tmp_path: Path) -> bytes:
    from datetime import UTC, datetime

    folder = tmp_path / "source"
    with Store.open(folder) as store:
        for i in range(300):
            store.save_answer("a", i, "s", "some reflection " * 20, datetime.now(UTC))
    return (folder / DB_NAME).read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("garbage", bytes(range(256)) * 40, "not a database"),
        ("text", TEXT, "contains text"),
        ("zeros", b"\0" * 4096, "zero bytes"),
        ("short junk", b"junk", "bytes long"),
        ("truncated header", b"SQLite format 3\0" + b"\x10\x00", "cut short"),
        ("one byte", b"S", "cut short"),
    ],
)
def test_not_a_database_is_refused_and_left_untouched(
    data_dir: Path, name: str, content: bytes, phrase: str
) -> None:
    data_dir.mkdir(mode=0o700)
    path = data_dir / DB_NAME
    path.write_bytes(content)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert phrase in message, name
    assert str(path) in message
    assert "left untouched" in message and "Move it somewhere safe" in message
    assert caught.value.path == path
    assert_untouched(path, content)


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9])
def test_truncated_database_is_refused_and_left_untouched(
    tmp_path: Path, data_dir: Path, fraction: float
) -> None:
    whole = real_db_bytes(tmp_path)
    assert len(whole) > 40_000
    cut = whole[: int(len(whole) * fraction)]
    data_dir.mkdir()
    path = data_dir / DB_NAME
    path.write_bytes(cut)
    with pytest.raises(StoreDamaged, match="left untouched"):
        Store.open(data_dir)
    assert path.read_bytes() == cut


def test_corrupted_pages_fail_the_quick_check(tmp_path: Path, data_dir: Path) -> None:
    whole = bytearray(real_db_bytes(tmp_path))
    page = int.from_bytes(whole[16:18], "big")
    # Scribble over the second half of the file, keeping its length: a torn write. Each
    # scribble starts a page, where the b-tree's own bookkeeping is.
    for offset in range(len(whole) // 2 // page * page, len(whole) - page, page):
        whole[offset + 8 : offset + 64] = b"\xff" * 56
    data_dir.mkdir()
    path = data_dir / DB_NAME
    path.write_bytes(bytes(whole))
    with pytest.raises(StoreDamaged) as caught:
        Store.open(data_dir)
    assert "integrity check failed" in str(caught.value)
    assert path.read_bytes() == bytes(whole)


def test_someone_elses_sqlite_file_is_refused(data_dir: Path) -> None:
    path = data_dir / DB_NAME
    before = make_db(path, "CREATE TABLE contacts (name TEXT)", "INSERT INTO contacts VALUES ('x')")
    with pytest.raises(StoreDamaged, match="another program"):
        Store.open(data_dir)
    assert_untouched(path, before)


def test_foreign_application_id_is_refused(data_dir: Path) -> None:
    path = data_dir / DB_NAME
    before = make_db(path, "PRAGMA application_id = 1234", "PRAGMA user_version = 1")
    with pytest.raises(StoreDamaged, match="another program"):
        Store.open(data_dir)
    assert_untouched(path, before)


# ---------------------------------------------------------------- shaped as the migrations shape it


def _ours_then(data_dir: Path, *sql: str) -> bytes:
    """A real store, closed, then changed by a plain SQLite connection; returns its bytes."""
    Store.open(data_dir).close()
    path = data_dir / DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in sql:
            conn.execute(statement)
    finally:
        conn.close()
    return path.read_bytes()


LOOSENED_CHECK = (
    "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''done'', ''skipped''))', '')"
    " WHERE name = 'outcome'"
)


@pytest.mark.parametrize(
    ("sql", "phrase"),
    [
        (("ALTER TABLE answer ADD COLUMN note TEXT",), "the table 'answer' is not defined as"),
        (("DROP INDEX answer_by_step",), "the index 'answer_by_step' is missing"),
        (("DROP TABLE one_off",), "the table 'one_off' is missing"),
        (("CREATE INDEX extra ON answer (value)",), "it has an index 'extra' that Replenish"),
        (("CREATE VIEW everything AS SELECT * FROM answer",), "it has a view 'everything'"),
        (("CREATE TABLE notes (x TEXT)",), "it has a table 'notes' that Replenish never makes"),
        (
            ("CREATE TRIGGER forget AFTER INSERT ON answer BEGIN DELETE FROM answer; END",),
            "it has a trigger 'forget' that Replenish never makes",
        ),
        (  # a CHECK rule shows in no pragma, only in the SQL that defines the table
            ("PRAGMA writable_schema = ON", LOOSENED_CHECK, "PRAGMA writable_schema = OFF"),
            "the table 'outcome' is not defined as Replenish defines it",
        ),
        (
            ("CREATE TABLE \"\x1b]0;owned\x07\" (x)",),  # a name is data: shown escaped
            "it has a table '\\x1b]0;owned\\x07'",
        ),
    ],
)
def test_a_file_not_shaped_as_the_migrations_shape_it_is_refused(
    data_dir: Path, sql: tuple[str, ...], phrase: str
) -> None:
    before = _ours_then(data_dir, *sql)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert "its tables are not the ones Replenish makes" in message
    assert phrase in message, message
    assert "\x1b" not in message
    assert_untouched(data_dir / DB_NAME, before)


def test_sqlite_statistics_and_whitespace_are_not_differences(data_dir: Path) -> None:
    _ours_then(data_dir, "ANALYZE")  # adds sqlite_stat1, which SQLite may do on its own
    with Store.open(data_dir) as store:
        assert store.schema_version() == LATEST_VERSION
    assert schema_problems(sqlite3.connect(data_dir / DB_NAME), LATEST_VERSION) == []


def test_an_older_file_is_held_to_the_schema_of_its_own_version(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule comes from the migrations: version 1 is checked against migration 1 alone."""
    import state.schema

    Store.open(data_dir).close()  # a file at the current version
    premature = data_dir.parent / "premature"
    before = _ours_then(premature, "CREATE TABLE later (x TEXT) STRICT")  # too early for it
    later = "CREATE TABLE later (x TEXT) STRICT;"
    monkeypatch.setattr(state.schema, "MIGRATIONS", (*MIGRATIONS, later))
    monkeypatch.setattr(state.schema, "LATEST_VERSION", LATEST_VERSION + 1)
    assert ("table", "later", "later", "CREATE TABLE later (x TEXT) STRICT") in expected_schema(
        LATEST_VERSION + 1
    )
    with Store.open(data_dir) as store:  # checked as version 1, then migrated
        assert store.schema_version() == LATEST_VERSION + 1

    with pytest.raises(StoreDamaged, match="it has a table 'later'"):
        Store.open(premature)
    assert_untouched(premature / DB_NAME, before)


def test_empty_file_is_initialised(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    (data_dir / DB_NAME).touch()
    with Store.open(data_dir) as store:
        assert store.schema_version() == LATEST_VERSION


def test_folder_in_place_of_the_database_is_refused(data_dir: Path) -> None:
    (data_dir / DB_NAME).mkdir(parents=True)
    with pytest.raises(StoreUnreadable, match="not a regular file"):
        Store.open(data_dir)


@pytest.mark.skipif(IS_ROOT, reason="root reads any file")
def test_unreadable_file_is_reported(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / DB_NAME
    path.chmod(0o000)
    try:
        with pytest.raises(StoreUnreadable, match="permission"):
            Store.open(data_dir)
    finally:
        path.chmod(0o600)


def test_read_permission_error_becomes_store_unreadable(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated, so it also runs as root (who may read anything)."""
    Store.open(data_dir).close()
    path = data_dir / DB_NAME
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(StoreUnreadable, match="permission to read") as caught:
        Store.open(data_dir)
    assert str(path) in str(caught.value)


def test_sqlite_open_failure_becomes_store_unreadable(data_dir: Path) -> None:
    """A folder where SQLite wants its WAL file: SQLite cannot open it (SQLITE_CANTOPEN)."""
    Store.open(data_dir).close()
    (data_dir / f"{DB_NAME}-wal").mkdir()
    with pytest.raises(StoreUnreadable, match="SQLite reports"):
        Store.open(data_dir)


def test_every_store_error_reads_as_a_sentence(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(TEXT)
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert message[0].isupper() and message.endswith(".")
    assert "Traceback" not in message
