"""The line scanner: every key's line, the outline a valid program keeps, the guards' measures."""

from __future__ import annotations

from pathlib import Path

from program.content import loader
from program.content.locate import locate

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


def test_the_outline_keeps_headers_and_top_level_keys_and_measures_everything() -> None:
    full, outline = locate(DOCUMENT), locate(DOCUMENT, outline=True)
    assert outline.exact(("id",)) == 1 and outline.exact(("dotted", "part")) == 6
    assert outline.exact(("exercise", 1)) == 19
    assert outline.exact(("exercise", 0, "step", 0)) == 15
    assert outline.exact(("exercise", 0, "id")) is None, "a key inside a table is left out"
    assert outline.max_depth == full.max_depth and outline.deepest_line == full.deepest_line
    assert outline.longest_key() == full.longest_key()


def test_outline_and_full_agree_on_real_programs() -> None:
    files = sorted((ROOT / "modules").glob("*.toml")) + sorted(
        (ROOT / "tests" / "fixtures" / "small").glob("*.toml")
    )
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        full, outline = locate(text), locate(text, outline=True)
        assert outline.longest_key() == full.longest_key(), path
        assert (outline.max_depth, outline.deepest_line) == (full.max_depth, full.deepest_line)
        read = loader._Checker(path.parent).read(path)
        assert read is not None, path
        for key_path in full._lines:
            found = outline.exact(key_path)
            assert found in (None, full.line(key_path)), (path, key_path)
            assert read.line(key_path) == full.line(key_path), (path, key_path)
            assert read.line((*key_path, "unknown")) == full.line(key_path)


def test_the_longest_key_counts_the_table_path_and_is_found_where_first_seen() -> None:
    text = "[a.b.c]\nx = 1\ny.z = 2\n\n[d]\np.q.r.s = 3\n"
    assert locate(text).longest_key() == (5, 3)
    assert locate(text, outline=True).longest_key() == (5, 3)
    assert locate("").longest_key() == (0, 1)
