"""Hostile input: generated TOML and JSON never cause a traceback; odd user text stays exact.

Example counts scale with `REPLENISH_HYPOTHESIS_EXAMPLES` (default 150 per test).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program import export
from program.content import Problem, validate
from program.service import Replenish
from state import Store, StoreError
from tests.conftest import SMALL, enrolled, open_service

EXAMPLES = int(os.environ.get("REPLENISH_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
FILES = sorted(p.name for p in SMALL.glob("*.toml"))


@contextmanager
def _program_with(name: str, content: bytes) -> Iterator[Path]:
    """A copy of the small program with one file replaced by `content`."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "program"
        shutil.copytree(SMALL, folder)
        (folder / name).write_bytes(content)
        yield folder


def _assert_clear(problems: list[Problem]) -> None:
    assert isinstance(problems, list)
    for problem in problems:
        text = str(problem)
        assert text and "Traceback" not in text
        assert ".toml" in text or "program" in text, text


# ----- TOML --------------------------------------------------------------------------


@SETTINGS
@given(name=st.sampled_from(FILES), text=st.text(max_size=400))
def test_random_text_as_a_program_file(name: str, text: str) -> None:
    with _program_with(name, text.encode("utf-8", "surrogatepass")) as folder:
        _assert_clear(validate(folder))


@st.composite
def mutated_toml(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real fixture file with lines deleted, values swapped, bytes or nesting added."""
    name = draw(st.sampled_from(FILES))
    lines = (SMALL / name).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "swap", "bytes", "nest", "duplicate"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and lines:
            del lines[at]
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            left, _, left_value = lines[at].partition("=")
            right, _, right_value = lines[other].partition("=")
            if left_value and right_value:
                lines[at] = f"{left}={right_value}"
                lines[other] = f"{right}={left_value}"
        elif kind == "bytes":
            junk = draw(st.binary(min_size=1, max_size=20))
            lines.insert(at, junk.decode("latin-1"))
        elif kind == "nest":
            depth = draw(st.integers(1, 3000))
            lines.insert(at, "deep = " + "[" * depth + "1" + "]" * depth)
        elif lines:
            lines.insert(at, lines[at])
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = raw.replace("é".encode(), b"\xff")
    return name, raw


@SETTINGS
@given(mutated_toml())
def test_mutated_program_files(case: tuple[str, bytes]) -> None:
    name, raw = case
    with _program_with(name, raw) as folder:
        _assert_clear(validate(folder))


def test_deep_nesting_and_binary_are_clear_errors() -> None:
    for content in (
        b"x = " + b"[" * 100_000 + b"]" * 100_000,
        # Python's tomllib is quadratic in dotted-key length (50 000 parts: about a
        # minute), so this stays at a size that shows the error, not the slowness.
        b"a" + b".a" * 2_000 + b" = 1",
        bytes(range(256)) * 10,
        b"\xef\xbb\xbfid = 'bom'\n",
    ):
        with _program_with("basics.toml", content) as folder:
            problems = validate(folder)
            assert problems
            _assert_clear(problems)


# ----- JSON --------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def _real_export(service: Replenish) -> dict[str, object]:
    service.start()
    service.save_answer("check-in", 1, "words", "a real answer")
    service.save_answer("intake", 1, "signs", ["Tired"])
    service.complete("rest", 1)
    service.set_position("check-in", 1, 2)
    service.store.claim_delivery("daily:1", NOW, "desktop")
    service.store.add_one_off(NOW, "call", NOW)
    data: dict[str, object] = json.loads(export.as_json(service))
    return data


@pytest.fixture(scope="module")
def store_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as scratch:
        yield Path(scratch)


def _import_is_clear_or_refused(service: Replenish, raw: str) -> None:
    before = service.store.export_data(at=NOW)
    try:
        export.import_json(service, raw, replace=True)
    except export.ImportRefused as refused:
        assert "nothing was changed" in str(refused).lower()
        assert service.store.export_data(at=NOW) == before
    except StoreError as error:  # pragma: no cover - would be a defect: say which
        pytest.fail(f"import raised {type(error).__name__}: {error}")
    else:
        assert json.loads(export.as_json(service))  # what was accepted exports again


@SETTINGS
@given(value=JSON_VALUES)
def test_random_json_import(store_home: Path, value: object) -> None:
    service = open_service(store_home, now=lambda: NOW, backup=True)
    try:
        _import_is_clear_or_refused(service, json.dumps(value))
    finally:
        service.close()


@st.composite
def mutated_export(draw: st.DrawFn, real: dict[str, object]) -> str:
    data = json.loads(json.dumps(real))
    for _ in range(draw(st.integers(1, 3))):
        path: list[object] = []
        node: object = data
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            keys = sorted(node) if isinstance(node, dict) else range(len(node))
            key = draw(st.sampled_from(keys))
            path.append(key)
            node = node[key]  # type: ignore[index]
        if not path:
            continue
        parent: object = data
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        action = draw(st.sampled_from(["replace", "delete"]))
        if action == "delete":
            del parent[path[-1]]  # type: ignore[attr-defined]
        else:
            parent[path[-1]] = draw(JSON_VALUES)  # type: ignore[index]
    text = json.dumps(data)
    if draw(st.integers(0, 9)) == 0:  # now and then, cut it short
        text = text[: draw(st.integers(0, len(text)))]
    return text


def test_mutated_exports_are_imported_or_refused(tmp_path: Path) -> None:
    source = open_service(tmp_path / "source", now=lambda: NOW, backup=True)
    real = _real_export(source)
    source.close()
    target = open_service(tmp_path / "target", now=lambda: NOW, backup=True)
    target.save_answer("check-in", 9, "words", "what was there before")

    @SETTINGS
    @given(raw=mutated_export(real))
    def check(raw: str) -> None:
        _import_is_clear_or_refused(target, raw)
        target.store.import_data(real)  # back to a known state for the next example

    try:
        check()
    finally:
        target.close()


# ----- user text ---------------------------------------------------------------------

HOSTILE = [
    "[bold red]not bold[/] [link=http://x]link[/link] [/] [[double]] [@click=quit]q[/]",
    "$name ${HOME} $$ \\$escaped $100",
    "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J\x1b[H \x9b31m \r overwritten\b",
    "שלום עולם \u202eevil\u202c \u2067isolated\u2069 مرحبا",
    "zero\u200bwidth\u200c\u200d\ufeff joiners \u2060 and \u00ad soft hyphen",
    "emoji 👩‍❤️‍👨 🏳️‍🌈 combining e\u0301 \U0001f600",
    "nul\x00byte and \x7f del and tab\tand\nnewlines\r\n",
    "x" * 100 + "words " * 17_000,  # about 100 KB
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_user_text_is_stored_and_exported_exactly(private_home: Path, text: str) -> None:
    service = enrolled(private_home, now=lambda: NOW, backup=True)
    service.save_answer("check-in", 1, "words", text)
    service.save_answer("intake", 1, "signs", [text, "Tired"])
    service.skip("rest", 1, reason=text)
    assert service.answers("check-in", 1)["words"].value == text
    markdown = export.as_markdown(service)
    assert text in markdown
    as_json = export.as_json(service)
    data = json.loads(as_json)
    assert [a["value"] for a in data["answers"] if a["step_id"] == "words"] == [text]
    service.close()

    other = private_home.parent / "other"
    again = open_service(other, now=lambda: NOW, backup=True)
    export.import_json(again, as_json)
    assert again.answers("check-in", 1)["words"].value == text
    assert again.answers("intake", 1)["signs"].value == [text, "Tired"]
    assert [o.reason for o in again.store.outcomes()] == [text]
    assert again.store.export_data(at=NOW) == json.loads(as_json) | {"exported_at": NOW.isoformat()}
    again.close()
    with Store.open(private_home) as store:
        found = store.search_answers(text[:50]) if "\x00" not in text[:50] else []
        assert not found or found[0].value == text
