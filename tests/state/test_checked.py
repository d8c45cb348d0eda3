"""The open's integrity check is skipped only for a file exactly as a clean close left it."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import state.store
from state import Store, StoreDamaged
from state.checked import NOTE_NAME
from state.paths import DB_NAME

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every quick check an open runs, by file."""
    ran: list[Path] = []
    real = state.store._quick_check

    def counted(conn: object, path: Path) -> None:
        ran.append(path)
        real(conn, path)  # type: ignore[arg-type]

    monkeypatch.setattr(state.store, "_quick_check", counted)
    return ran


def _written(data_dir: Path, days: int = 1) -> None:
    with Store.open(data_dir) as store:
        store.save_answer("intake", 0, "energy", 3, NOW)
    if days > 1:  # many pages of answers, in one transaction, then a clean close notes it
        with sqlite3.connect(data_dir / DB_NAME) as conn:
            conn.executemany(
                "INSERT INTO answer (exercise_id, day, step_id, value, saved_at) "
                "VALUES ('intake', ?, 'energy', '3', ?)",
                [(day, NOW.isoformat()) for day in range(1, days)],
            )
        conn.close()
        Store.open(data_dir).close()


def test_an_open_after_a_clean_close_skips_the_check(data_dir: Path, checks: list[Path]) -> None:
    _written(data_dir)
    assert len(checks) == 1  # a file never noted is checked
    assert (data_dir / NOTE_NAME).exists()
    assert (data_dir / NOTE_NAME).stat().st_mode & 0o777 == 0o600
    for _ in range(3):
        Store.open(data_dir).close()
    assert len(checks) == 1


def test_a_file_changed_from_outside_is_checked_and_refused(
    data_dir: Path, checks: list[Path]
) -> None:
    _written(data_dir, days=800)
    path = data_dir / DB_NAME
    whole = bytearray(path.read_bytes())
    page = int.from_bytes(whole[16:18], "big")
    # The second half, the same length: a torn write (the schema still reads).
    for offset in range(len(whole) // 2 // page * page, len(whole), page):
        whole[offset + 8 : offset + 64] = b"\xff" * 56
    path.write_bytes(bytes(whole))
    with pytest.raises(StoreDamaged, match="integrity check failed"):
        Store.open(data_dir)
    assert path.read_bytes() == bytes(whole)
    assert len(checks) == 3


def test_the_same_bytes_put_back_by_another_program_are_checked(
    data_dir: Path, checks: list[Path]
) -> None:
    _written(data_dir)
    path = data_dir / DB_NAME
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    Store.open(data_dir).close()
    assert len(checks) == 2


def test_a_log_left_beside_the_file_means_a_check(data_dir: Path, checks: list[Path]) -> None:
    _written(data_dir)
    with Store.open(data_dir) as first:  # still open: its writes sit in the log
        first.save_answer("intake", 0, "energy", 4, NOW)
        assert (data_dir / f"{DB_NAME}-wal").stat().st_size > 0
        Store.open(data_dir).close()
        assert len(checks) == 2
        assert not (data_dir / NOTE_NAME).exists()  # the file changes under the open one
    Store.open(data_dir).close()
    assert len(checks) == 2  # the last close noted it


@pytest.mark.parametrize("note", [b"", b"garbage", b"\xff\xfe", b"1 2 3 4 5"])
def test_a_note_that_is_torn_or_wrong_only_costs_the_check(
    data_dir: Path, checks: list[Path], note: bytes
) -> None:
    _written(data_dir)
    (data_dir / NOTE_NAME).write_bytes(note)
    Store.open(data_dir).close()
    assert len(checks) == 2
