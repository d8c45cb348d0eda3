"""The `grid` step kind: its keys and the validator's file:line messages, how an answer
reads alone (the Journal, the export), and what of it may leave for the partner."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from program.content import load_program, validate
from program.content.steps import GridAnswer, GridStep, answer_text
from tests.conftest import SMALL

GRID = """
[[exercise]]
id = "map"
title = "Mapping the load"
day = 2
minutes = 5

  [[exercise.step]]
  kind = "grid"
  id = "who"
  prompt = "Who holds each part of these?"
  rows = {rows}
{extra}"""

ROWS = '["Meals", "Laundry", "Birthdays"]'


def with_grid(tmp_path: Path, rows: str = ROWS, extra: str = "") -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    module = folder / "basics.toml"
    module.write_text(
        module.read_text(encoding="utf-8") + GRID.format(rows=rows, extra=extra),
        encoding="utf-8",
    )
    return folder


def grid_line(folder: Path) -> int:
    text = (folder / "basics.toml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(text, 1) if line.strip().startswith("rows ="))


def test_a_grid_loads_with_its_rows_and_defaults(tmp_path: Path) -> None:
    program = load_program(with_grid(tmp_path))
    exercise = program.exercise("map")
    assert exercise is not None
    step = exercise.step("who")
    assert isinstance(step, GridStep)
    assert step.rows == ("Meals", "Laundry", "Birthdays")
    assert step.add_own == 2 and step.together_prompt == "" and step.share == "never"
    assert step.takes_answer and not step.own_words


@pytest.mark.parametrize(
    ("rows", "extra", "words"),
    [
        ('["Meals", "Meals"]', "", ["rows", "'Meals' twice", "expected each once"]),
        ('["Meals", " meals "]', "", ["'Meals' and ' meals '", "same row"]),
        ('["Meals", ""]', "", ["rows", "holds", "expected an array of strings"]),
        ("[]", "", ["rows", "an empty array"]),
        ('["' + "x" * 41 + '"]', "", ["41 characters", "at most 40"]),
        ('["Meals\\nand more"]', "", ["spans lines", "one line"]),
        ("[" + ", ".join(f'"Task {n}"' for n in range(31)) + "]", "", ["31 rows", "at most 30"]),
        (ROWS, "  add_own = 9\n", ["add_own", "is 9", "0..5"]),
        (ROWS, '  share = "sometimes"\n', ['share "sometimes"', "never, together, ask"]),
        (ROWS, "  columns = 3\n", ['unknown key "columns"', "expected one of"]),
    ],
    ids=[
        "duplicate",
        "same but for case",
        "empty label",
        "no rows",
        "too long",
        "two lines",
        "too many",
        "add_own",
        "share",
        "unknown key",
    ],
)
def test_a_bad_grid_is_a_file_line_message(
    tmp_path: Path, rows: str, extra: str, words: list[str]
) -> None:
    folder = with_grid(tmp_path, rows, extra)
    problems = [str(problem) for problem in validate(folder)]
    assert len(problems) == 1, problems
    line = problems[0]
    assert re.match(r".*basics\.toml:\d+: ", line), line
    assert all(word in line for word in words), line
    if "rows" in words[0] or "same row" in words[-1] or "characters" in words[0]:
        assert f"basics.toml:{grid_line(folder)}:" in line


def test_a_grid_may_be_shared_together_and_not_on_a_safety_step(tmp_path: Path) -> None:
    folder = with_grid(tmp_path, extra='  share = "together"\n')
    step = load_program(folder).exercise("map").step("who")  # type: ignore[union-attr]
    assert step is not None and step.share == "together"
    gated = '  share = "together"\n  requires = ["needs-support"]\n'
    unsafe = with_grid(tmp_path / "unsafe", extra=gated)
    text = (unsafe / "program.toml").read_text(encoding="utf-8")
    (unsafe / "program.toml").write_text(
        text.replace('closings =', 'concern_flag = "needs-support"\nclosings =', 1),
        encoding="utf-8",
    )
    problems = [str(problem) for problem in validate(unsafe)]
    assert any("basics.toml:" in line and "share" in line for line in problems), problems


STEP = GridStep(id="who", prompt="Who?", rows=("Meals", "Laundry", "Birthdays"))


def test_an_answer_reads_as_one_line_a_row_in_the_order_of_the_map() -> None:
    value = {
        "cells": {
            "Birthdays": {"notice": "me", "plan": "me", "do": "both", "drain": 4},
            "Meals": {"notice": "partner", "do": "neither"},
            "Walking the dog": {"do": "both", "drain": 1},
        },
        "added": ["Walking the dog"],
    }
    assert answer_text(STEP, value) == (
        "- Meals: My partner notices, nobody does\n"
        "- Birthdays: I notice, I plan, we both do; very draining\n"
        "- Walking the dog (my own row): We both do; barely draining"
    )
    assert answer_text(STEP, {"cells": {"Laundry": {"drain": 2}}}) == "- Laundry: A bit draining"
    assert answer_text(STEP, None) == ""


@pytest.mark.parametrize(
    "value",
    [
        None,
        "a string",
        [1, 2],
        {"cells": "x", "added": 3},
        {"cells": {"Meals": {"notice": "the cat", "drain": 9, "do": ["me"]}}},
        {"cells": {"Meals": {"drain": True}}, "added": [None, 4]},
    ],
)
def test_a_damaged_answer_reads_as_nothing_given_never_an_error(value: object) -> None:
    answer = GridAnswer.read(value)
    assert answer.cells == {} and answer.added == ()
    assert STEP.answer_text(value) == ""


def test_only_the_programs_rows_may_leave_the_rows_a_user_added_stay() -> None:
    value = {
        "cells": {
            "Meals": {"notice": "me", "drain": 3},
            "My mother's care": {"do": "me", "drain": 4},
        },
        "added": ["My mother's care"],
    }
    shared = GridStep(id="who", prompt="Who?", rows=("Meals",), share="together")
    assert shared.shared_value(value) == {
        "cells": {"Meals": {"notice": "me", "drain": 3}},
        "added": [],
    }
    assert "mother" not in repr(shared.shared_value(value))


def test_an_added_label_is_checked_before_it_is_added() -> None:
    answer = GridAnswer.read({"added": ["Dog walks"]})
    assert STEP.label_problem("  ", answer).startswith("Type a few words")
    assert "40" in STEP.label_problem("x" * 41, answer)
    assert "already" in STEP.label_problem(" MEALS ", answer)
    assert "already" in STEP.label_problem("dog  walks", answer)
    assert STEP.label_problem("Bins", answer) == ""
    full = GridAnswer.read({"added": ["Dog walks", "Bins"]})
    assert "room for 2" in STEP.label_problem("Plants", full)
