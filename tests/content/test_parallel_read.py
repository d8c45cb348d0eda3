"""A large program folder is read by several processes: same program, same problems, same order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from program.content import ProgramError, load_program, loader
from tests.conftest import SMALL

EXTRA_MODULE = """
id = "extra-{n}"
title = "Extra module {n}"
summary = "More of the same, so the folder is large."

[[exercise]]
id = "extra-{n}-a"
title = "A pause, number {n}"
day = {day}
minutes = 1

  [[exercise.step]]
  kind = "read"
  text = "Breathe out slowly."
"""


def extra_day(n: int) -> int:
    """Days 2-7 have room in the daily budget for four one-minute extras each."""
    return 2 + n % 6


def large_folder(tmp_path: Path, modules: int) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    for n in range(modules):
        text = EXTRA_MODULE.format(n=n, day=extra_day(n))
        (folder / f"extra-{n:03d}.toml").write_text(text, encoding="utf-8")
    return folder


def break_some(folder: Path) -> None:
    """Problems of every stage: unreadable TOML, a bad key, a duplicate id, a bad day."""
    (folder / "extra-003.toml").write_text('id = "x"\ntitle = [unclosed\n', encoding="utf-8")
    five = folder / "extra-005.toml"
    five.write_text(five.read_text().replace("minutes = 1", "minute = 1"), encoding="utf-8")
    seven = folder / "extra-007.toml"
    seven.write_text(seven.read_text().replace('"extra-7-a"', '"extra-1-a"'), encoding="utf-8")
    nine = folder / "extra-009.toml"
    nine.write_text(nine.read_text().replace(f"day = {extra_day(9)}", "day = 0"), encoding="utf-8")
    (folder / "extra-011.toml").write_bytes(b"\xff\xfe not text")


def problems_in_order(folder: Path) -> list[str]:
    checker = loader._Checker(folder)
    checker.run()
    return [str(problem) for problem in checker.problems]


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Force the parallel reading (even on one CPU) and note each time it is chosen."""
    chosen: list[int] = []

    def two_workers(files: int) -> int:
        workers = 2 if files >= 8 else 1
        chosen.append(workers)
        return workers

    monkeypatch.setattr(loader, "_reading_workers", two_workers)
    return chosen


def test_a_valid_large_folder_loads_the_same_program_in_parallel(
    tmp_path: Path, processes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = large_folder(tmp_path, 24)
    parallel = load_program(folder)
    assert processes == [2]
    monkeypatch.setattr(loader, "_reading_workers", lambda files: 1)
    alone = load_program(folder)
    assert parallel == alone
    assert len(parallel.modules) == 26


def test_problems_come_out_identical_and_in_the_same_order(
    tmp_path: Path, processes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = large_folder(tmp_path, 24)
    break_some(folder)
    parallel = problems_in_order(folder)
    with pytest.raises(ProgramError) as raised:
        load_program(folder)
    assert processes == [2, 2]
    monkeypatch.setattr(loader, "_reading_workers", lambda files: 1)
    assert parallel == problems_in_order(folder)
    assert [str(problem) for problem in raised.value.problems] == sorted(parallel, key=_order)
    labels = " ".join(parallel)
    for name in ("extra-003", "extra-005", "extra-007", "extra-009", "extra-011"):
        assert name in labels


def _order(line: str) -> tuple[str, int, str]:
    file, number, message = line.split(":", 2)
    return file, int(number), message


def test_small_folders_are_read_here_and_large_ones_by_the_cpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert loader._reading_workers(loader.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(loader.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert loader._reading_workers(loader.PARALLEL_FROM) == 3
