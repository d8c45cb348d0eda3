"""Every kind of broken program folder gets `file:LINE: message` lines and exit 1."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from program.content import ProgramError, load_program, validate
from program.terminal import say
from tests.conftest import SMALL, Cli

Breaker = Callable[[Path], None]


def edit(name: str, old: str, new: str) -> Breaker:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write(name: str, content: bytes) -> Breaker:
    def apply(folder: Path) -> None:
        (folder / name).write_bytes(content)

    return apply


def both(*breakers: Breaker) -> Breaker:
    def apply(folder: Path) -> None:
        for breaker in breakers:
            breaker(folder)

    return apply


def step_one(extra: str) -> Breaker:
    """The first step of "sit-together" (together.toml line 15) with `extra` on line 16."""
    return edit("together.toml", 'text = "Sit side by side."\n', f'text = "x"\n{extra}\n')


CONCERN_FLAG = edit("program.toml", "days = 14\n", 'days = 14\nconcern_flag = "needs-support"\n')


def then_and_now(body: str) -> Breaker:
    """A `[then_and_now]` table at the end of program.toml: its header on line 18."""

    def apply(folder: Path) -> None:
        path = folder / "program.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(f"{text}\n[then_and_now]\n{body}\n", encoding="utf-8")

    return apply


def remove_modules(folder: Path) -> None:
    for path in folder.glob("*.toml"):
        if path.name != "program.toml":
            path.unlink()


# (case, how to break the fixture, the file:line expected, words the message must hold)
CASES: list[tuple[str, Breaker, str, list[str]]] = [
    (
        "syntax",
        edit("basics.toml", 'title = "Basics"', 'title = "Basics'),
        "basics.toml:2:",
        ["TOML syntax error", "expected valid TOML"],
    ),
    (
        "unknown key",
        edit("basics.toml", "minutes = 1\n", 'minutes = 1\ntitel = "x"\n'),
        "basics.toml:10:",
        ['unknown key "titel"', 'did you mean "title"?'],
    ),
    (
        "wrong type",
        edit("together.toml", "minutes = 6", 'minutes = "six"'),
        "together.toml:10:",
        ["minutes", "is a string", "expected an integer"],
    ),
    (
        "missing field",
        edit("together.toml", '  prompt = "How was it?"\n', ""),
        "together.toml:17:",
        ["has no prompt", "expected prompt = a string"],
    ),
    (
        "unknown step kind",
        edit("together.toml", 'kind = "read"', 'kind = "video"'),
        "together.toml:14:",
        ['unknown kind "video"', "expected one of read, reflect"],
    ),
    (
        "duplicate id across files",
        edit("together.toml", 'id = "alone-time"', 'id = "rest"'),
        "together.toml:24:",
        ['duplicate exercise id "rest"', "basics.toml:55"],
    ),
    (
        "day outside the plan",
        edit("basics.toml", "days = [1, 13]", "days = [1, 30]"),
        "basics.toml:34:",
        ["day 30, outside the plan", "expected a day from 1 to 14"],
    ),
    (
        "empty file",
        write("empty.toml", b"\n  \n# nothing here\n"),
        "empty.toml:1:",
        ["is empty", "expected TOML content"],
    ),
    (
        "not UTF-8",
        write("latin.toml", 'id = "x"\ntitle = "caf\xe9"\n'.encode("latin-1")),
        "latin.toml:2:",
        ["not valid UTF-8"],
    ),
    (
        "no modules",
        remove_modules,
        "program.toml:1:",
        ["no module files", "expected at least one"],
    ),
    (
        "pathological nesting",
        write("deep.toml", b"id = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        "deep.toml:1:",
        ["levels deep", "expected at most"],
    ),
    (
        "pathological dotted key",
        write("dotted.toml", b'id = "x"\n' + b".".join([b"a"] * 50_000) + b" = 1\n"),
        "dotted.toml:2:",
        ["50000 dotted parts", "expected at most 32"],
    ),
    (
        "unknown flag",
        edit("together.toml", 'excludes = ["needs-support"]', 'excludes = ["needs-suport"]'),
        "together.toml:11:",
        ['flag "needs-suport" is never raised', 'did you mean "needs-support"?'],
    ),
    (
        "unknown view",
        edit("together.toml", '  id = "how"\n', '  id = "how"\n  view = "worklaod"\n'),
        "together.toml:20:",
        ['view "worklaod"', "expected one of: workload", 'did you mean "workload"?'],
    ),
    (
        "a view on a step that saves no answer",
        edit("together.toml", 'side by side."\n', 'side by side."\n  view = "workload"\n'),
        "together.toml:16:",
        ['names view "workload"', "saves no answer", "expected view only on steps that do"],
    ),
    (
        "a title shown only under a safety flag, not marked neutral",
        CONCERN_FLAG,
        "together.toml:26:",
        [
            'exercise "alone-time" is shown only under the safety flag "needs-support"',
            "neutral = true",
        ],
    ),
    (
        "joint work not hidden by the concern flag",
        both(
            CONCERN_FLAG,
            edit(
                "together.toml",
                'id = "alone-time"\n',
                'id = "alone-time"\njoint = true\nneutral = true\n',
            ),
        ),
        "together.toml:26:",
        [
            'exercise "alone-time" is joint work and is not excluded by the concern flag',
            'expected excludes = ["needs-support"]',
        ],
    ),
    (
        "joint work in a program that declares no concern flag",
        edit(
            "together.toml",
            'excludes = ["needs-support"]\n',
            'excludes = ["needs-support"]\njoint = true\n',
        ),
        "together.toml:12:",
        ["is joint work, and program.toml declares no concern_flag"],
    ),
    (
        "kept until done and never carried over",
        edit("basics.toml", "catch_up = false\n", "catch_up = false\nuntil_done = true\n"),
        "basics.toml:12:",
        ["until_done = true and catch_up = false", "expected one of them"],
    ),
    (
        "a variant for no flag",
        edit("program.toml", "\n[[notice]]", '\n[[variant]]\nsupport = "x"\n\n[[notice]]'),
        "program.toml:14:",
        ["[[variant]] of program.toml has no requires or excludes"],
    ),
    (
        "one flag as both caution and concern",
        both(
            CONCERN_FLAG,
            edit("program.toml", "days = 14\n", 'days = 14\ncaution_flag = "needs-support"\n'),
        ),
        "program.toml:7:",
        ["concern_flag and caution_flag are both", "expected two different flags"],
    ),
    (
        "over the day budget",
        edit(
            "basics.toml",
            'minutes = 5\n\n  [[exercise.step]]\n  kind = "timer"',
            'minutes = 14\n\n  [[exercise.step]]\n  kind = "timer"',
        ),
        "program.toml:6:",
        ["day 1 adds up to 20 minutes", "expected at most 15"],
    ),
    (
        "recall not two ids",
        step_one('recall = "intake"'),
        "together.toml:16:",
        ['recall in step 1 of exercise "sit-together" (read) is "intake"', '"exercise-id.step-id"'],
    ),
    (
        "recall of an exercise not in the program",
        step_one('recall = "intak.safe"'),
        "together.toml:16:",
        ['names exercise "intak", which is not in the program', 'did you mean "intake"?'],
    ),
    (
        "recall of a step that saves no answer",
        step_one('recall = "intake.read-1"'),
        "together.toml:16:",
        ['step "read-1" of "intake", a read step, which saves no answer', "safe, signs"],
    ),
    (
        "recall of an answer not yet given",
        edit(
            "together.toml",
            'prompt = "What do you need right now?"\n',
            'prompt = "What do you need right now?"\n  recall = "sit-together.how"\n',
        ),
        "together.toml:35:",
        ['answer to "sit-together" on day 8', "first due on day 8", "due before every day"],
    ),
    (
        "recall of a safety answer",
        both(
            CONCERN_FLAG,
            step_one('recall = "intake.safe"'),
        ),
        "together.toml:16:",
        ['names "intake.safe", a safety step', "never repeated on screen"],
    ),
    (
        "scope not plan or day",
        edit("basics.toml", '  min_label = "empty"\n', '  min_label = "empty"\n  scope = "week"\n'),
        "basics.toml:18:",
        ['scope in step 1 of exercise "check-in" (scale) is "week"', 'expected "plan"'],
    ),
    (
        "day scope on a step that raises nothing",
        edit("basics.toml", '  min_label = "empty"\n', '  min_label = "empty"\n  scope = "day"\n'),
        "basics.toml:18:",
        ['says scope = "day" and raises no flag', "expected a flags table"],
    ),
    (
        "scale flags outside the scale",
        edit(
            "basics.toml",
            '  min_label = "empty"\n',
            '  min_label = "empty"\n  flags = { low = [0, 30] }\n  scope = "day"\n',
        ),
        "basics.toml:18:",
        ['flag "low" in step 1 of exercise "check-in" (scale) is raised from 0 to 30', "<= 10"],
    ),
    (
        "one flag in two scopes",
        edit(
            "basics.toml",
            '  min_label = "empty"\n',
            '  min_label = "empty"\n  flags = { needs-support = [0, 1] }\n  scope = "day"\n',
        ),
        "basics.toml:",
        ['raises "needs-support" with scope', "expected one scope for each flag"],
    ),
    (
        "short form without a short_flag",
        edit(
            "together.toml",
            '  multiple = true\n',
            '  multiple = true\n\n  [exercise.short]\n  minutes = 2\n\n'
            '  [[exercise.short.step]]\n  kind = "read"\n  text = "x"\n',
        ),
        "together.toml:24:",
        ["has a short form, and program.toml names no short_flag"],
    ),
    (
        "short form of more than five minutes",
        edit(
            "together.toml",
            '  multiple = true\n',
            '  multiple = true\n\n  [exercise.short]\n  minutes = 6\n\n'
            '  [[exercise.short.step]]\n  kind = "read"\n  text = "x"\n',
        ),
        "together.toml:25:",
        ["minutes in the short form of exercise \"sit-together\" is 6", "expected 1..5"],
    ),
    (
        "short_flag kept for the whole plan",
        edit("program.toml", "days = 14\n", 'days = 14\nshort_flag = "needs-support"\n'),
        "program.toml:6:",
        ['short_flag "needs-support" is raised for the rest of the plan', 'scope = "day"'],
    ),
    (
        "hard_day not an anytime exercise",
        edit("program.toml", "days = 14\n", 'days = 14\nhard_day = "rest"\n'),
        "program.toml:6:",
        ['hard_day names "rest", 5 minutes, not anytime', "anytime = true"],
    ),
    (
        "welcome_back not an anytime exercise",
        edit("program.toml", "days = 14\n", 'days = 14\nwelcome_back = "rest"\n'),
        "program.toml:6:",
        ['welcome_back names "rest", 5 minutes, not anytime', "anytime = true"],
    ),
    (
        "then_and_now after the plan's end",
        then_and_now('from_day = 20\nexercises = ["intake"]'),
        "program.toml:19:",
        ["from_day 20 in [then_and_now] is after the plan's last day (14)", "from 2 to 14"],
    ),
    (
        "then_and_now exercise that does not come back",
        then_and_now('from_day = 13\nexercises = ["intake", "check-in"]'),
        "program.toml:20:",
        ['names exercise "check-in", which is not due on two or more days', "due again later"],
    ),
    (
        "then_and_now exercise first due on its day",
        then_and_now('from_day = 8\nexercises = ["alone-time"]'),
        "program.toml:20:",
        ['"alone-time", first due on day 8, not before from_day 8'],
    ),
    (
        "then_and_now of a safety answer",
        both(CONCERN_FLAG, then_and_now('from_day = 13\nexercises = ["intake"]')),
        "program.toml:21:",
        ['names exercise "intake", which holds a safety answer', "no safety step"],
    ),
    (
        "then_and_now scale that is no scale",
        then_and_now('from_day = 13\nscales = ["check-in.words"]'),
        "program.toml:20:",
        ['names scale "check-in.words", a reflect step', "daily = true"],
    ),
    (
        "then_and_now scale of no daily exercise",
        then_and_now('from_day = 13\nscales = ["intake.safe"]'),
        "program.toml:20:",
        ['names scale "intake.safe", which names no step of a daily exercise'],
    ),
    (
        "then_and_now comparing nothing",
        then_and_now("from_day = 13"),
        "program.toml:18:",
        ["[then_and_now] compares nothing", "expected exercises = [...] or scales = [...]"],
    ),
    (
        "after_end of an unknown kind",
        edit("together.toml", "days = [8, 9, 10, 11, 12, 13, 14]\n", 'after_end = "monthly"\n'),
        "together.toml:9:",
        ['after_end in exercise "sit-together" is "monthly"', "expected one of: weekly"],
    ),
    (
        "after_end beside days",
        edit("together.toml", "minutes = 6\n", 'minutes = 6\nafter_end = "weekly"\n'),
        "together.toml:6:",
        ["gives days and after_end", 'or after_end = "weekly"'],
    ),
    (
        "after_end on a safety check",
        edit(
            "together.toml",
            "days = [8, 9, 10, 11, 12, 13, 14]\n",
            'after_end = "weekly"\nsafety = true\n',
        ),
        "together.toml:9:",
        ['exercise "sit-together" is a safety check with after_end', "within the plan's days"],
    ),
    (
        "a follow-on day over the budget",
        both(
            edit("together.toml", "days = [8, 9, 10, 11, 12, 13, 14]\n", 'after_end = "weekly"\n'),
            edit("together.toml", "minutes = 6\n", "minutes = 16\n"),
        ),
        "program.toml:6:",
        ["day 21 adds up to 16 minutes with no flags raised", "expected at most 15"],
    ),
    (
        "after_end on a step",
        step_one('after_end = "weekly"'),
        "together.toml:16:",
        ["after_end"],
    ),
    (
        "recall label alone",
        step_one('recall_label = "Then:"'),
        "together.toml:16:",
        ["has recall_label and no recall", 'recall = "exercise-id.step-id"'],
    ),
]


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[Breaker], Path]:
    def make(breaker: Breaker) -> Path:
        folder = tmp_path / "program"
        shutil.copytree(SMALL, folder)
        breaker(folder)
        return folder

    return make


@pytest.mark.parametrize(("case", "breaker", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_validate_command_reports_file_and_line(
    case: str,
    breaker: Breaker,
    where: str,
    words: list[str],
    broken: Callable[[Breaker], Path],
    cli: Cli,
) -> None:
    folder = broken(breaker)
    result = cli("validate", str(folder))
    assert result.code == 1, result
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.out.splitlines() if line.startswith(str(folder))]
    assert lines, result.out
    matching = [line for line in lines if f"{folder}/{where}" in line]
    assert matching, f"no line at {where}:\n{result.out}"
    for word in words:
        assert any(word in line for line in matching), f"{word!r} not in {matching}"


def test_every_problem_is_reported_at_once_and_sorted(broken: Callable[[Breaker], Path]) -> None:
    def many(folder: Path) -> None:
        for case in CASES[:7]:
            if case[0] not in ("syntax",):
                case[1](folder)

    folder = broken(many)
    problems = validate(folder)
    assert len(problems) >= 6
    assert problems == sorted(problems)
    with pytest.raises(ProgramError) as raised:
        load_program(folder)
    assert len(raised.value.problems) == len(problems)


def test_validate_prints_every_problem_in_one_write(
    broken: Callable[[Breaker], Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile file's 100,000 problems took 0.23 s written a line at a time."""
    from program.commands import validate as command

    folder = broken(both(CASES[1][1], CASES[2][1]))
    said: list[str] = []

    def recorded(text: str = "", **how: Any) -> None:
        if how.get("file") is None:
            said.append(text)
        say(text, **how)

    monkeypatch.setattr(command, "say", recorded)
    result = cli("validate", str(folder))
    assert result.code == 1, result
    assert said == ["\n".join(map(str, validate(folder)))]
    assert result.out == said[0] + "\n"


def test_validate_keeps_the_collector_paused_while_it_holds_the_program(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resumed while the program was young, the collector's first passes walked all of it
    (0.28-0.37 s at 5,000 modules); it is resumed once the program is let go."""
    from program.commands import validate as command

    collecting: list[bool] = []

    def recorded(text: str = "", **how: Any) -> None:
        collecting.append(gc.isenabled())
        say(text, **how)

    monkeypatch.setattr(command, "say", recorded)
    assert gc.isenabled()
    result = cli("validate", str(SMALL))
    assert result.code == 0, result
    assert collecting and not any(collecting)
    assert gc.isenabled()


def test_valid_fixture_loads_every_step_kind() -> None:
    program = load_program(SMALL)
    kinds = {step.kind for exercise in program.exercises for step in exercise.steps}
    assert kinds == {"read", "reflect", "scale", "checklist", "choice", "timer", "plan"}
    assert program.weeks == 2
    assert [e.id for e in program.exercises_on(8)] == ["check-in", "sit-together"]
    assert [e.id for e in program.exercises_on(8, frozenset({"needs-support"}))] == [
        "check-in",
        "alone-time",
    ]


def test_missing_folder_is_a_message_not_a_traceback(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert "is not a folder" in result.out
    assert "Traceback" not in result.err


def test_bundled_program_is_valid(cli: Cli) -> None:
    result = cli("validate")
    assert result.code == 0, result.out + result.err
    assert "valid" in result.out


def test_validate_names_what_it_does_not_read(tmp_path: Path, cli: Cli) -> None:
    """Modules are read only beside program.toml; what looks like a module elsewhere is named."""
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    (folder / "more").mkdir()
    shutil.copy(folder / "basics.toml", folder / "more" / "basics-two.toml")
    (folder / "extra.toml").mkdir()
    (folder / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    (folder / "Shouting.TOML").write_text('id = "x"\n', encoding="utf-8")
    (folder / "_drafts").mkdir()
    (folder / ".git").mkdir()
    (folder / "notes.txt").write_text("ideas\n", encoding="utf-8")
    result = cli("validate", str(folder))
    assert result.code == 0, result
    assert "valid" in result.out
    lines = [line for line in result.out.splitlines() if ": not read: " in line]
    named = sorted(line.split(": not read: ")[0].rsplit("/", 1)[-1] for line in lines)
    assert named == ["Shouting.TOML", "extra.toml", "gone.toml", "more"], result.out
    more = next(line for line in lines if line.startswith(f"{folder}/more:"))
    assert "only the .toml files beside program.toml are read" in more
    assert "name it _more to set it aside" in more
    shouting = next(line for line in lines if "Shouting.TOML" in line)
    assert "rename it Shouting.toml" in shouting
