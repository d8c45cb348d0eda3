"""Hostile program files: every problem reported with file:line, in time that grows linearly.

Linearity is measured by counting work, not by a clock: the Python lines run by the
loader and by tomllib (which is pure Python) while a case is validated at one size
and at four times that size. Work hidden inside C calls (copying a long tuple,
counting in a list) does not show in that count, so a generous clock also guards a
quarter of a megabyte of each case.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import program
from program.content import Problem, validate
from program.content.reading import MAX_FILE_BYTES
from tests.content.hostile import CASES, write_case

WATCHED = (str(Path(program.__file__).parent), str(Path(tomllib.__file__).parent))
SMALL, LARGE = 2_000, 8_000
QUARTER_MEGABYTE = 256_000
GROWTH_ALLOWED = 1.5
"""Work may grow up to 1.5 times faster than the file (a square would grow 4 times faster)."""


def lines_run(work: Callable[[], Any]) -> int:
    """How many lines of our code and of tomllib `work` runs."""
    count = 0

    def in_watched(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return in_watched

    def enter(frame: FrameType, event: str, arg: object) -> Any:
        return in_watched if frame.f_code.co_filename.startswith(WATCHED) else None

    sys.settrace(enter)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def checked(folder: Path) -> list[Problem]:
    """The folder's problems (some cases are merely large, and valid), each with a line."""
    problems = validate(folder)
    for problem in problems:
        assert problem.file.startswith(str(folder)) and problem.line >= 1, problem
    return problems


@pytest.mark.parametrize("case", list(CASES))
def test_validation_work_grows_with_the_size_of_the_file(case: str, tmp_path: Path) -> None:
    small = write_case(tmp_path / "small", case, SMALL)
    large = write_case(tmp_path / "large", case, LARGE)
    size_growth = (large / "m.toml").stat().st_size / (small / "m.toml").stat().st_size
    found: dict[str, list[Problem]] = {}
    work = {
        name: lines_run(lambda folder=folder, name=name: found.update({name: checked(folder)}))  # type: ignore[misc]
        for name, folder in (("small", small), ("large", large))
    }
    growth = work["large"] / work["small"]
    assert growth <= GROWTH_ALLOWED * size_growth, (
        f"{case}: {work['small']} lines of work for {SMALL} bytes, {work['large']} for {LARGE}"
    )
    written = {name: sum(len(str(problem)) for problem in found[name]) for name in found}
    assert written["large"] <= GROWTH_ALLOWED * size_growth * written["small"] + 1000, written


@pytest.mark.parametrize("case", list(CASES))
def test_a_quarter_megabyte_of_any_case_is_checked_in_bounded_time(
    case: str, tmp_path: Path
) -> None:
    """A generous guard, not a figure (the benchmark times a megabyte of each case): 10 s of
    CPU a megabyte, where the slowest case takes about 1.4 s. CPU time, not the clock, so
    that a machine shared with other work makes it no redder."""
    folder = write_case(tmp_path, case, QUARTER_MEGABYTE)
    started = time.process_time()
    checked(folder)
    assert time.process_time() - started < 10.0 * QUARTER_MEGABYTE / 1_000_000


def test_a_module_linked_to_a_huge_sparse_file_is_refused_by_its_size(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "program", "many exercises", 2_000)
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as file:
        file.truncate(64 * 1024**3)  # 64 GiB of nothing: reading it would never end well
    os.symlink(huge, folder / "huge.toml")
    started = time.process_time()
    problems = [str(problem) for problem in validate(folder)]
    assert time.process_time() - started < 10.0, "the size is known before a byte is read"
    assert f"{folder}/huge.toml:1: is {64 * 1024**3} bytes; expected at most {MAX_FILE_BYTES}" in (
        problems
    )
