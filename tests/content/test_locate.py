"""The line scanner: every key's line, found only when asked, and the guards' measures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from program.content import load_program, reading, validate
from program.content.locate import Locations, locate
from program.content.reading import read_toml

ROOT = Path(__file__).resolve().parent.parent.parent

DOCUMENT = '''id = "mixed"   # a comment after a simple pair
title = 'literal # not a comment'
weeks = [1, [2, [3]]]
when = 1979-05-27T07:32:00Z
"quoted.key" = 1
dotted.part = "x"

[[exercise]]
id = "first"
text = """
fake = "inside a string"
[not.a.header]
"""
escaped = "a \\" quote"
  [[exercise.step]]
  kind = "read"
  inline = { a = { b = 1 } }

[[exercise]]
id = "second"
deep.er.key = 3
'''


def test_every_key_and_header_has_its_line() -> None:
    where = locate(DOCUMENT)
    expected = {
        ("id",): 1,
        ("title",): 2,
        ("weeks",): 3,
        ("when",): 4,
        ("quoted.key",): 5,
        ("dotted", "part"): 6,
        ("exercise", 0): 8,
        ("exercise", 0, "id"): 9,
        ("exercise", 0, "text"): 10,
        ("exercise", 0, "escaped"): 14,
        ("exercise", 0, "step", 0): 15,
        ("exercise", 0, "step", 0, "kind"): 16,
        ("exercise", 0, "step", 0, "inline"): 17,
        ("exercise", 1): 19,
        ("exercise", 1, "id"): 20,
        ("exercise", 1, "deep", "er", "key"): 21,
    }
    assert {path: where.line(path) for path in expected} == expected
    assert where.exact(("fake",)) is None and where.exact(("not", "a", "header")) is None
    assert where.line(("exercise", 1, "missing")) == 19, "the nearest located ancestor"
    assert where.line(("nowhere",)) == 1
    assert (where.max_depth, where.deepest_line) == (3, 3)
    assert where.longest_key() == (5, 16), "first of the longest: exercise.0.step.0.kind"


def test_a_read_file_finds_the_scanners_line_for_every_key_of_real_programs() -> None:
    files = sorted((ROOT / "modules").glob("*.toml")) + sorted(
        (ROOT / "tests" / "fixtures" / "small").glob("*.toml")
    )
    assert files
    for path in files:
        full = locate(path.read_text(encoding="utf-8"))
        read = read_toml(path, lambda *problem: None)
        assert read is not None, path
        document, _ = read
        assert document._where is None, "a valid file is not scanned for lines"
        for key_path in full._lines:
            assert document.line(key_path) == full.line(key_path), (path, key_path)
            assert document.line((*key_path, "unknown")) == full.line(key_path)


def test_the_longest_key_counts_the_table_path_and_is_found_where_first_seen() -> None:
    text = "[a.b.c]\nx = 1\ny.z = 2\n\n[d]\np.q.r.s = 3\n"
    assert locate(text).longest_key() == (5, 3)
    assert locate("").longest_key() == (0, 1)


def test_the_scanner_runs_only_for_a_file_whose_problem_needs_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned: list[int] = []

    def counting(text: str, *, measure: bool = True) -> Locations:
        scanned.append(len(text))
        return locate(text, measure=measure)

    monkeypatch.setattr(reading, "locate", counting)
    load_program(ROOT / "modules")
    assert scanned == [], "a valid program is never scanned for lines"
    folder = tmp_path / "program"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", folder)
    module = folder / "basics.toml"
    module.write_text(module.read_text().replace("minutes = 1\n", "minute = 1\n"))
    problems = [str(problem) for problem in validate(folder)]
    assert len(scanned) == 1
    assert any("basics.toml:" in line and '"minute"' in line for line in problems), problems


def test_finding_lines_alone_skips_the_keys_of_inline_tables_and_finds_the_same_lines() -> None:
    measured, lines_only = locate(DOCUMENT), locate(DOCUMENT, measure=False)
    assert lines_only._lines == measured._lines
    assert measured.dotted_work > lines_only.dotted_work, "inline keys count only when measured"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet='ab.=[]{},"\' #1\n', max_size=400))
def test_the_cheap_count_never_says_less_than_the_scanner_finds(text: str) -> None:
    """The guard skips the scanner when a count says the keys' work is small: it must not lie."""
    assert reading._dotted_work_bound(text) >= locate(text).dotted_work
