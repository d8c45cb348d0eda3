"""`replenish worksheet`: a page for a partner with no device, and its answers typed back."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from msgspec.structs import replace

from program.content import load_program
from tests.conftest import BUNDLED, SMALL, Cli, enrolled, open_service

START = date(2026, 3, 2)
MOMENT = datetime(2026, 3, 2, 20, tzinfo=UTC)
NOW = MOMENT.isoformat()


def sheet_program(tmp_path: Path) -> Path:
    """The small program with a scale, a free text, a choice and a checklist shared."""
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    path = folder / "basics.toml"
    text = path.read_text(encoding="utf-8")
    for step, share in (
        ("words", "ask"),
        ("energy", "together"),
        ("safe", "together"),
        ("signs", "ask"),
    ):
        old = f'id = "{step}"\n'
        assert old in text
        text = text.replace(old, f'{old}  share = "{share}"\n', 1)
    path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def home(tmp_path: Path) -> tuple[Cli, Path]:
    """Alex's data folder, on the small program with shared steps, not paired; Settings
    name the partner Sam."""
    program = sheet_program(tmp_path)
    with enrolled(tmp_path / "alex", program, start=START, now=MOMENT) as alex:
        alex.save_settings(replace(alex.settings(), partner_name="Sam"))
        alex.save_answer("check-in", 1, "energy", 3)
        alex.save_answer("check-in", 1, "words", "ALEX-OWN-WORDS")
        alex.save_answer("intake", 1, "signs", ["Tense"])
    return Cli(tmp_path / "alex", now=NOW), program


def run(home: tuple[Cli, Path], *args: str) -> tuple[int, str, str]:
    cli, program = home
    result = cli("--program", str(program), "worksheet", *args)
    return result.code, result.out, result.err


def test_the_page_asks_this_weeks_shared_steps_and_holds_no_answer(
    home: tuple[Cli, Path], tmp_path: Path
) -> None:
    page_path = tmp_path / "sheet.md"
    code, out, err = run(home, "-o", str(page_path))
    assert code == 0, err
    assert "questions for Sam" in out and "--enter" in out
    assert page_path.stat().st_mode & 0o777 == 0o600
    page = page_path.read_text(encoding="utf-8")
    assert "For Sam to fill in." in page
    assert "## Monday 2 March: Daily check-in" in page and "## Sunday 8 March" in page
    assert page.count("<!-- step check-in ") == 14  # energy and words, seven days
    assert "One whole number from 0 (empty) to 10 (full).\n\nAnswer: ____" in page
    assert "**Do you feel safe?**\n\nTick one.\n\n- [ ] Yes\n- [ ] Not sure\n- [ ] No" in page
    assert "Tick any.\n\n- [ ] Tired\n- [ ] Tense\n- [ ] Forgetful" in page
    assert "How close do you feel?" not in page  # not shared
    assert "ALEX-OWN-WORDS" not in page and "[x]" not in page.replace("like this: [x]", "")
    code, out, _ = run(home)
    assert code == 0 and out == page


def test_the_bundled_page_holds_no_safety_step(tmp_path: Path, cli: Cli) -> None:
    program = load_program(BUNDLED)
    safety = {
        step.question
        for exercise in program.exercises
        for step in exercise.steps
        if program.is_safety_step(exercise, step) and step.question
    }
    assert len(safety) >= 3
    with enrolled(cli.home, BUNDLED, start=START, now=MOMENT):
        pass
    for week in range(1, program.weeks + 1):
        result = Cli(cli.home, now=NOW)("worksheet", "--week", str(week))
        assert result.code == 0, result.err
        assert not [question for question in safety if question in result.out], week


def fill(page: str) -> str:
    """Sam's answers for day 1, as someone would type them in an editor."""
    day_one, rest = page.split("## Tuesday", 1)
    day_one = day_one.replace("Answer: ____", "Answer: 7 ", 1)
    words = "<!-- step check-in 1 words -->\n**A few words, if you like.**\n\n"
    at = day_one.index(words) + len(words)
    day_one = day_one[:at] + "_____ slow morning, better evening\nand a walk ____\n" + day_one[at:]
    day_one = day_one.replace("- [ ] Not sure", "- [x] Not sure", 1)
    day_one = day_one.replace("- [ ] Tired", "- [X] Tired", 1)
    day_one = day_one.replace("- [ ] Forgetful", "-  [ x ]  forgetful", 1)
    return day_one + "## Tuesday" + rest


def test_answers_typed_back_are_kept_as_entered_for_the_partner_and_pair_with_mine(
    home: tuple[Cli, Path], tmp_path: Path
) -> None:
    page_path = tmp_path / "sheet.md"
    assert run(home, "-o", str(page_path))[0] == 0
    page_path.write_text(fill(page_path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(home, "--enter", str(page_path))
    assert code == 0, err
    assert "Kept 4 answers, entered for Sam:" in out
    assert "Mon 02 Mar, Daily check-in: How much energy do you have today?" in out
    cli, program = home
    with open_service(cli.home, program, MOMENT) as alex:
        kept = {
            (e.exercise_id, e.day, e.step_id): (e.value, e.name)
            for e in alex.store.entered_answers()
        }
        assert kept == {
            ("check-in", 1, "energy"): (7, "Sam"),
            ("check-in", 1, "words"): ("slow morning, better evening\nand a walk", "Sam"),
            ("intake", 1, "safe"): ("Not sure", "Sam"),
            ("intake", 1, "signs"): (["Tired", "Forgetful"], "Sam"),
        }
        [energy] = alex.revealed_pairs("check-in", "energy")
        assert (energy.on, energy.mine, energy.theirs) == (START, 3, 7)
        assert energy.entered_words == "entered for Sam"
        assert alex.revealed_pairs("intake", "safe") == []  # Alex has not answered it
        assert "safe" not in alex.flags_on(1) and alex.flags() == frozenset()
    # the same page again replaces, it does not add
    assert run(home, "--enter", str(page_path))[0] == 0
    with open_service(cli.home, program, MOMENT) as alex:
        assert len(alex.store.entered_answers()) == 4


@pytest.mark.parametrize(
    ("change", "line_of", "words"),
    [
        (lambda p: "Just notes\n" + p.split("\n", 6)[6], None, "not a Replenish worksheet"),
        (
            lambda p: p.replace("Answer: ____", "Answer: eleven", 1),
            "Answer: eleven",
            "one whole number from 0 to 10; it reads 'eleven'",
        ),
        (lambda p: p.replace("Answer: ____", "Answer: 12", 1), "Answer: 12", "from 0 to 10"),
        (
            lambda p: p.replace("- [ ] Yes", "- [x] Yes", 1).replace("- [ ] No", "- [x] No", 1),
            "- [x] Yes",
            "takes one answer; 3 boxes are ticked",
        ),
        (
            lambda p: p.replace("- [ ] Tense", "- [ ] Tense and sore", 1),
            "Tense and sore",
            "is not one of the choices",
        ),
        (lambda p: p.replace("- [ ] Tense", "- [?] Tense", 1), "[?] Tense", "holds '?'"),
        (
            lambda p: p.replace("<!-- step intake 1 safe -->", "<!-- step intake 1 sofa -->"),
            "intake 1 sofa",
            "step sofa of intake on day 1 is not one this program shares",
        ),
        (
            lambda p: p.replace("<!-- step intake 1 safe -->", "<!-- step intake 1 saf e-->"),
            "saf e-->",
            "a marker line was changed",
        ),
    ],
    ids=[
        "not a page",
        "not a number",
        "out of range",
        "two ticks",
        "option changed",
        "odd tick",
        "unknown step",
        "marker broken",
    ],
)
def test_a_page_it_cannot_read_is_named_by_line_and_nothing_is_kept(
    home: tuple[Cli, Path], tmp_path: Path, change: object, line_of: str | None, words: str
) -> None:
    page_path = tmp_path / "sheet.md"
    assert run(home, "-o", str(page_path))[0] == 0
    page = fill(page_path.read_text(encoding="utf-8"))
    assert callable(change)
    changed = change(page)
    assert changed != page
    page_path.write_text(changed, encoding="utf-8")
    code, out, err = run(home, "--enter", str(page_path))
    assert code == 1 and "Traceback" not in err and not out.startswith("Kept")
    line = (
        1
        if line_of is None
        else next(n for n, text in enumerate(changed.splitlines(), start=1) if line_of in text)
    )
    assert f"{page_path}:{line}: " in err and words in err, err
    assert "Nothing was kept from the page." in err
    cli, program = home
    with open_service(cli.home, program, MOMENT) as alex:
        assert alex.store.entered_answers() == []


def test_an_unreadable_file_or_a_blank_page_is_said_plainly(
    home: tuple[Cli, Path], tmp_path: Path
) -> None:
    missing = run(home, "--enter", str(tmp_path / "nope.md"))
    assert missing[0] == 1 and "nope.md: no such file" in missing[2]
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"<!-- replenish worksheet 1 -->\n\xff\xfe\x00")
    code, _, err = run(home, "--enter", str(binary))
    assert code == 1 and f"{binary}:2: not text in UTF-8" in err and "Traceback" not in err
    blank = tmp_path / "blank.md"
    assert run(home, "-o", str(blank))[0] == 0
    code, _, err = run(home, "--enter", str(blank))
    assert code == 1 and "no answers are written on the page" in err


def test_while_the_plan_is_paused_there_is_no_worksheet(home: tuple[Cli, Path]) -> None:
    cli, program = home
    with open_service(cli.home, program, MOMENT) as alex:
        alex.pause()
    code, out, err = run(home)
    assert code == 1 and "sharing is paused on this side" in err and "<!--" not in out


def test_names_on_the_page_are_written_literally(home: tuple[Cli, Path], tmp_path: Path) -> None:
    cli, program = home
    with open_service(cli.home, program, MOMENT) as alex:
        alex.save_settings(replace(alex.settings(), partner_name="Sam\x1b[2J\u202e"))
    code, _out, err = run(home, "-o", str(tmp_path / "sheet.md"))
    assert code == 0, err
    page = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert "\x1b" not in page and "\u202e" not in page
    assert "For Sam" in page


def test_another_week_and_a_week_the_plan_has_not(home: tuple[Cli, Path]) -> None:
    code, out, _ = run(home, "--week", "2")
    assert code == 0 and "week 2" in out and "## Monday 9 March: Daily check-in" in out
    code, _, err = run(home, "--week", "3")
    assert code == 1 and "--week 3: the plan has weeks 1 to 2" in err
    code, _, err = run(home, "--enter", "x.md", "--week", "1")
    assert code == 1 and "--enter reads a page back" in err


MAP_LINE = "- Meals and food shopping: notices ____; plans ____; does ____; draining ____"


def test_the_workload_map_goes_on_the_page_a_line_a_task_and_its_differences_show(
    tmp_path: Path,
) -> None:
    """Week 3 holds the map (day 16). Sam writes on two task lines, from Sam's side; the
    entered map stands beside Alex's, and the differences are asked, unpaired too."""
    from program import journal

    home = tmp_path / "alex"
    with enrolled(home, BUNDLED, start=START, now=MOMENT) as alex:
        alex.save_settings(replace(alex.settings(), partner_name="Sam"))
        alex.save_answer(
            "task-inventory",
            16,
            "map",
            {
                "cells": {
                    "Meals and food shopping": {"notice": "me", "plan": "me", "do": "me"},
                    "Cleaning and laundry": {"do": "both"},
                },
                "added": ["Dog walks"],
            },
        )
        alex.complete("task-inventory", 16)
    cli = Cli(home, now=NOW)
    page = tmp_path / "week3.md"
    assert cli("worksheet", "--week", "3", "-o", str(page)).code == 0
    text = page.read_text(encoding="utf-8")
    assert "<!-- step task-inventory 16 map -->" in text and MAP_LINE in text
    assert "Dog walks" not in text  # Alex's own rows, and Alex's answers, stay off the page
    filled = text.replace(
        MAP_LINE, "-  meals and food shopping: notices me; plans Me; does __both__; draining 3"
    )
    filled = filled.replace(
        "- Cleaning and laundry: notices ____; plans ____; does ____; draining ____",
        "- Cleaning and laundry: notices ____; plans ____; does my partner; draining very",
    )
    page.write_text(filled, encoding="utf-8")
    done = cli("worksheet", "--enter", str(page))
    assert done.code == 0, done.err
    with open_service(home, BUNDLED, MOMENT) as alex:
        [pair] = alex.revealed_pairs("task-inventory", "map")
        assert pair.entered_words == "entered for Sam"
        assert pair.theirs == {
            "cells": {
                "Meals and food shopping": {"notice": "me", "plan": "me", "do": "both", "drain": 3},
                "Cleaning and laundry": {"do": "partner", "drain": 4},
            },
            "added": [],
        }
        [talk] = journal.map_talks(alex)
        assert talk.revealed
        assert talk.questions[0].startswith("Meals and food shopping: you both think you")
        assert any("Cleaning and laundry" in question for question in talk.questions)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        (
            "notices somebody; plans ____; does ____; draining ____",
            "who notices 'Meals and food shopping' reads 'somebody'; expected one of me, partner",
        ),
        (
            "notices ____; plans ____; does ____; draining awful",
            "how draining 'Meals and food shopping' is reads 'awful'; expected one of barely",
        ),
    ],
    ids=["who", "drain"],
)
def test_a_map_line_it_cannot_read_is_named_by_line(
    tmp_path: Path, written: str, words: str
) -> None:
    home = tmp_path / "alex"
    with enrolled(home, BUNDLED, start=START, now=MOMENT):
        pass
    cli = Cli(home, now=NOW)
    page = tmp_path / "week3.md"
    assert cli("worksheet", "--week", "3", "-o", str(page)).code == 0
    text = page.read_text(encoding="utf-8")
    line = text.splitlines().index(MAP_LINE) + 1
    page.write_text(text.replace(MAP_LINE, f"- Meals and food shopping: {written}"), "utf-8")
    done = cli("worksheet", "--enter", str(page))
    assert done.code == 1
    assert f"{page}:{line}: {words}" in done.err, done.err
    with open_service(home, BUNDLED, MOMENT) as alex:
        assert alex.store.entered_answers() == []
