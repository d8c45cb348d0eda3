"""A large program folder is read in this one process: whole, in file order, from any script."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import pytest

from program.content import ProgramError, load_program, loader, reading
from tests.conftest import ROOT, SMALL

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


def test_a_valid_large_folder_loads_every_module(tmp_path: Path) -> None:
    folder = large_folder(tmp_path, 24)
    program = load_program(folder)
    assert len(program.modules) == 26
    assert load_program(folder) == program, "the same program every time"


def test_problems_come_out_in_file_order_and_sorted_in_the_error(tmp_path: Path) -> None:
    folder = large_folder(tmp_path, 24)
    break_some(folder)
    found = problems_in_order(folder)
    try:
        load_program(folder)
    except ProgramError as raised:
        assert [str(problem) for problem in raised.problems] == sorted(found, key=_order)
    else:
        raise AssertionError("a broken folder must not load")
    assert found == problems_in_order(folder), "the same problems in the same order every time"
    labels = [line.split(":", 1)[0].rsplit("/", 1)[-1] for line in found]
    broken = ["extra-003", "extra-005", "extra-007", "extra-009", "extra-011"]
    assert [name for name in broken if any(name in label for label in labels)] == broken
    firsts = [next(i for i, label in enumerate(labels) if name in label) for name in broken]
    assert firsts == sorted(firsts), "files are checked in name order"


def test_no_module_text_is_held_once_its_checks_are_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is checked later (ids across files, flags, recalls) kept each file's whole text,
    about a third of the peak memory at 5,000 modules; now it keeps the file's label."""
    folder = large_folder(tmp_path, 24)
    read: list[weakref.ref[reading.Document]] = []

    def recording(path: Path, report: reading.Report) -> tuple[reading.Document, reading.Table]:
        found = reading.read_toml(path, report)
        assert found is not None
        read.append(weakref.ref(found[0]))
        return found

    monkeypatch.setattr(loader, "read_toml", recording)
    checker = loader._Checker(folder)
    assert checker.run() is not None
    held = [Path(document.label).name for ref in read if (document := ref()) is not None]
    assert held == ["program.toml"]


def test_an_earlier_file_is_read_again_once_for_every_line_asked_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two later modules repeat both ids of extra-001: four lines in it, one second reading."""
    folder = large_folder(tmp_path, 24)
    for n in (7, 8):
        path = folder / f"extra-{n:03d}.toml"
        text = path.read_text().replace(f'"extra-{n}-a"', '"extra-1-a"')
        path.write_text(text.replace(f'"extra-{n}"', '"extra-1"'))
    again: list[str] = []

    def counted(label: str) -> reading.Document:
        again.append(Path(label).name)
        return reading.reread(label)

    monkeypatch.setattr(loader, "reread", counted)
    first = folder / "extra-001.toml"
    assert [str(problem) for problem in loader.validate(folder)] == [
        f"{folder / name}:{line}: duplicate {noun} id \"{id_}\"; already used at {first}:{line}; "
        "expected ids unique across the program"
        for name in ("extra-007.toml", "extra-008.toml")
        for line, noun, id_ in ((2, "module", "extra-1"), (6, "exercise", "extra-1-a"))
    ]
    assert again == ["extra-001.toml"]


def _order(line: str) -> tuple[str, int, str]:
    file, number, message = line.split(":", 2)
    return file, int(number), message


def test_a_script_without_a_main_guard_loads_hundreds_of_modules(tmp_path: Path) -> None:
    """Reading used to start worker processes from 200 files up, which re-ran such a script
    in each worker and ended in BrokenProcessPool."""
    folder = large_folder(tmp_path, 240)
    head = folder / "program.toml"  # 240 extras are far over the fixture's daily budget
    head.write_text(re.sub(r"(?m)^max_minutes_per_day.*\n", "", head.read_text()))
    script = tmp_path / "count_modules.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from program.content import load_program
            print(len(load_program(Path({str(folder)!r})).modules))
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "242"
    assert "Traceback" not in done.stderr
