"""Step kinds as one unit each: keys, builder, answer words and flags, registered once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import ClassVar

import pytest
from msgspec.structs import fields

from program.content import load_program, schema, steps, validate
from program.content.fields import Field
from program.content.steps import KINDS, PlanStep, Step, answer_text, registered, words
from tests.conftest import ROOT, SMALL

HOSTILE = "[bold]x[/] $HOME \x1b[31m"
COMMON = {field.name for field in fields(Step)}


def test_answer_words_are_kept_exactly() -> None:
    assert words(HOSTILE) == HOSTILE
    assert words(["a", "b"]) == "a, b"
    assert words({"what": "walk", "when": "", "where": "park"}) == "walk\nWhere: park"
    assert words(True) == "yes"
    assert words(None) == ""
    assert answer_text(None, ["a", "b"]) == "a, b", "a step the program no longer has"


def test_a_plan_answer_reads_as_what_and_when_without_its_reminder_record() -> None:
    step = PlanStep(id="when", prompt="When?")
    value = {
        "what": "A walk",
        "when": "Sunday 10:00",
        "remind": True,
        "reminder": 7,
        "reminder_at": "2027-01-10T10:00:00+00:00",
    }
    assert answer_text(step, value) == "A walk\nWhen: Sunday 10:00\nRemind: yes"
    assert step.question == "When?"


def test_every_kind_declares_exactly_the_keys_its_class_holds() -> None:
    assert list(KINDS) == [
        "read", "reflect", "scale", "checklist", "choice", "timer", "plan", "grid"
    ]
    for kind, step in KINDS.items():
        assert step.kind == kind
        own = {field.name for field in fields(step)} - COMMON
        assert {key.name for key in step.KEYS} == own, kind
        assert not own & set(schema.STEP_COMMON), kind
        assert step.SAVED, f"{kind} says what answer it saves, for the documentation"


def _readme_table(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("| kind | keys | the answer saved |")
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return lines[start:end]


def test_the_format_documentation_lists_every_kind_as_the_registry_has_it() -> None:
    readme = (ROOT / "modules" / "README.md").read_text(encoding="utf-8")
    expected = "\n".join(schema.kinds_table())
    assert "\n".join(_readme_table(readme)) == expected, f"modules/README.md wants:\n{expected}"
    answering = ", ".join(f"`{kind}`" for kind, step in KINDS.items() if step.takes_answer)
    assert f"Steps that take an answer\n({answering})" in readme or (
        f"Steps that take an answer ({answering})" in re.sub(r"\s+", " ", readme)
    )


class BreatheStep(Step, frozen=True, kw_only=True):
    """A kind made up here, as an author of a new kind would write it."""

    kind: ClassVar[str] = "breathe"
    KEYS: ClassVar[tuple[Field, ...]] = (
        Field("breaths", "int", required=True, low=1, high=20),
        Field("prompt", "text", required=True),
    )
    SAVED: ClassVar[str] = "how many breaths were taken"

    breaths: int
    prompt: str

    def check(self, complain: steps.Complain, name: str) -> bool:
        if self.breaths % 2:
            complain("breaths", f"{name} (breathe) has an odd count; expected an even one")
            return False
        return True

    @property
    def question(self) -> str:
        return self.prompt


BREATHE = """
  [[exercise.step]]
  kind = "breathe"
  id = "breaths"
  breaths = {breaths}
  prompt = "Breathe in and out slowly."
"""


def _with_breathe(tmp_path: Path, breaths: int) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    module = folder / "basics.toml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text + BREATHE.format(breaths=breaths), encoding="utf-8")
    return folder


def test_a_new_kind_is_one_registered_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The class alone makes the loader read it, check it and the documentation list it."""
    folder = _with_breathe(tmp_path, 4)
    problems = [str(problem) for problem in validate(folder)]
    assert any('unknown kind "breathe"' in line for line in problems), problems
    monkeypatch.setitem(KINDS, "breathe", BreatheStep)  # put back as it was afterwards
    assert registered(BreatheStep) is BreatheStep and KINDS["breathe"] is BreatheStep
    program = load_program(folder)
    built = [s for e in program.exercises for s in e.steps if s.kind == "breathe"]
    assert built == [BreatheStep(id="breaths", breaths=4, prompt="Breathe in and out slowly.")]
    odd = [str(problem) for problem in validate(_with_breathe(tmp_path / "odd", 3))]
    assert any("basics.toml:" in line and "odd count" in line for line in odd), odd
    assert "| `breathe` | `breaths` (required), `prompt` (required) |" in "\n".join(
        schema.kinds_table()
    )


def test_an_unknown_kind_is_named_with_the_kinds_there_are(tmp_path: Path) -> None:
    folder = _with_breathe(tmp_path, 4)
    problems = [str(problem) for problem in validate(folder)]
    line = next(line for line in problems if "breathe" in line)
    assert "expected one of read, reflect, scale, checklist, choice, timer, plan" in line
    assert re.search(r"basics\.toml:\d+:", line)


def test_the_format_documentation_lists_every_view() -> None:
    readme = (ROOT / "modules" / "README.md").read_text(encoding="utf-8")
    for view in schema.VIEWS:
        assert f"| `{view}` |" in readme, view
    assert "`view`" in readme


def test_the_export_and_the_journal_read_an_answer_the_same_way(tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    from program import export, journal
    from program.service import Replenish
    from state import Store

    now = datetime(2026, 12, 25, 12, 0, tzinfo=UTC)
    service = Replenish(load_program(SMALL), Store.open(tmp_path / "data"), now=lambda: now)
    service.start(on=date(2026, 12, 25))
    service.save_answer("intake", 1, "signs", ["Tired", "Tense"])
    plan_answer = {"what": "A nap", "when": "Sunday", "remind": False, "reminder": 3}
    service.save_answer("rest", 1, "when", plan_answer)
    written = {
        answered.prompt: answered.text
        for record in journal.day_record(service, 1).exercises
        for answered in record.answers
        if answered.text
    }
    assert written == {
        "Which of these have you noticed?": "Tired, Tense",
        "When will you rest again?": "A nap\nWhen: Sunday\nRemind: no",
    }
    markdown = export.as_markdown(service)
    for prompt, said in written.items():
        assert f"**{prompt}**\n\n{said}\n" in markdown
    service.close()


def test_the_loader_reads_every_common_step_key() -> None:
    """A step holding none of `_STEP_WORDS` is built with the Step's defaults unasked: a key
    added to `schema.STEP_COMMON` must join them (or be read beside kind, id, gate, view and
    share), or its value would be dropped."""
    from program.content import loader

    read_apart = {"kind", "id", "requires", "excludes", "view", "share"}
    assert set(schema.STEP_COMMON) - read_apart == loader._STEP_WORDS
    defaults = {field.name: field.default for field in fields(Step)}
    assert {name: defaults[name] for name in loader._STEP_WORDS} == {
        "joint": False,
        "neutral": False,
        "recall": None,
        "recall_label": "",
        "scope": "plan",
        "shown": "always",
    }
