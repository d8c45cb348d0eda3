"""A repeated exercise says less the second time (`shown = "first"` / `"again"`), and the
program's words can name the partner (`{partner}`): the format's rules, the one place the
runner, `do` and `today` ask (`Replenish.steps_on`), and the bundled program's use of both."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from msgspec.structs import replace

from program.content import (
    ChecklistStep,
    ChoiceStep,
    Exercise,
    PlanStep,
    ReadStep,
    ScaleStep,
    Step,
    load_program,
    validate,
)
from program.service import Replenish
from state import JSONValue
from tests.conftest import BUNDLED, SMALL, Cli, enrolled

START = date(2027, 1, 4)
HOSTILE = "Sam\x1b]0;owned\x07 *Al* [b]x[/b] <i>\u202e\n\x9b"
"""A partner name pasted with escape codes, Markdown, markup, a BiDi override, a line break
and a C1 control: every one of them must reach the screen as characters."""


def at(day: int) -> datetime:
    moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC)
    return moment.replace(hour=12)


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Replenish]:
    """The bundled program begun on START; the clock on day 8."""
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=at(8))
    yield service
    service.close()


def texts(service: Replenish, exercise_id: str, day: int) -> list[str]:
    exercise = service.exercise_on(exercise_id, day)
    assert exercise is not None
    return [
        f"{step.title} {step.text}" if isinstance(step, ReadStep) else step.id
        for step in service.steps_on(exercise, day)
    ]


# ----- the bundled program ------------------------------------------------------------------


def test_mindful_minutes_says_its_whole_introduction_only_until_it_is_done_once(
    plan: Replenish,
) -> None:
    first = texts(plan, "mindful-minutes", 5)
    assert any("Mindfulness means paying attention" in text for text in first)
    assert not any("Three minutes, again" in text for text in first)
    plan.skip("mindful-minutes", 5)  # set aside is not done: day 8 still explains it all
    assert texts(plan, "mindful-minutes", 8) == first
    plan.reopen("mindful-minutes", 5)
    plan.complete("mindful-minutes", 5)
    again = texts(plan, "mindful-minutes", 8)
    assert not any("Mindfulness means" in text for text in again)
    assert any("Three minutes, again" in text for text in again)
    assert texts(plan, "mindful-minutes", 5) == first  # day 5 itself is still a first time


REPEATED = (
    "mindful-minutes",
    "body-scan",
    "arrive",
    "movement",
    "body-signals",
    "sitting-together",
    "shared-laugh",
    "gentle-touch",
    "quiet-glance",
)
"""The exercises whose introductions were read in full four to nine times over the plan."""


def test_a_repeat_reads_far_less_than_the_first_time() -> None:
    """The measure behind issue 14 item 8 (each read step's showings over the 42 days):
    mindful-minutes' introduction was read 9 times, body-scan's, arrive's and
    sitting-together's 5, the others' 4. Now each is read in full on the first day only,
    and a repeat reads at most three fifths as many words (its pages and lists):
    mindful-minutes 47 then 21, body-signals 79 then 28."""
    program = load_program(BUNDLED)
    for exercise_id in REPEATED:
        exercise = program.exercise(exercise_id)
        assert exercise is not None and len(exercise.days) >= 3, exercise_id

        def read_words(again: bool, exercise: Exercise = exercise) -> int:
            """The words of its pages and of its lists to tick."""
            words = 0
            for step in exercise.steps_for(frozenset(), again):
                if isinstance(step, ReadStep):
                    words += len(step.text.split())
                if isinstance(step, ChecklistStep):
                    words += sum(len(item.split()) for item in step.items)
            return words

        assert read_words(again=True) * 5 <= read_words(again=False) * 3, exercise_id


def test_the_body_sign_list_is_shown_once_in_full_then_referred_back_to(
    plan: Replenish,
) -> None:
    assert "signals" in texts(plan, "body-signals", 7)
    plan.save_answer("body-signals", 7, "signals", ["Worn out", "Forgetful"])
    plan.complete("body-signals", 7)
    later = plan.exercise_on("body-signals", 10)
    assert later is not None
    steps = plan.steps_on(later, 10)
    assert "signals" not in [step.id for step in steps]
    recalled = [plan.recalled(step, 10) for step in steps]
    lines = [item.line for item in recalled if item is not None]
    assert lines == ["The signs you ticked last time: Worn out, Forgetful"]
    # Across the program, the twelve-item list is asked on days 1 and 39 (the intake, for a
    # before and after) and on body-signals' first day: three times, not six.
    program = load_program(BUNDLED)
    exercise = program.exercise("body-signals")
    assert exercise is not None
    assert [s.id for s in exercise.steps_for(frozenset(), again=True)].count("signals") == 0


def test_more_strained_gets_a_word_that_fits_on_that_day_only(plan: Replenish) -> None:
    word = "If it feels more strained"
    assert not any(word in text for text in texts(plan, "body-signals", 7))
    plan.save_answer("body-signals", 7, "trend", "More strained")
    assert any(word in text for text in texts(plan, "body-signals", 7))
    assert not any(word in text for text in texts(plan, "body-signals", 10))


def test_week_5_reads_about_help_on_fewer_days_with_a_practice_day_between() -> None:
    program = load_program(BUNDLED)
    support = program.module("support")
    assert support is not None
    reading_days = sorted({day for e in support.exercises for day in e.days if 29 <= day <= 35})
    assert reading_days == [29, 30, 32, 33, 34]
    assert {e.id for e in program.exercises_on(31)} == {
        "check-in",
        "mindful-minutes",
        "arrive",
        "quiet-glance",
    }


# ----- telling the partner (issue 13's invitation) ----------------------------------------------


def test_the_invitation_comes_early_in_week_1_and_never_under_concern() -> None:
    program = load_program(BUNDLED)
    exercise = program.exercise("tell-your-partner")
    assert exercise is not None and exercise.days == (2,) and exercise.joint
    assert exercise in program.exercises_on(2)
    assert exercise.id not in {
        e.id for e in program.exercises_on(2, frozenset({"safety-concern", "safety-caution"}))
    }
    cautious = exercise.steps_for(frozenset({"safety-caution"}))
    assert "never have to tell anyone" in getattr(cautious[0], "text", "")
    words = " ".join(getattr(step, "text", "") for step in exercise.steps)
    assert "If they say no" in " ".join(getattr(s, "title", "") for s in exercise.steps)
    assert "on your own" in words


def test_the_partner_is_named_as_given_or_as_your_partner(plan: Replenish) -> None:
    said = " ".join(texts(plan, "tell-your-partner", 2))
    assert "You do not need your partner to join" in said and "{partner}" not in said
    plan.save_settings(replace(plan.settings(), partner_name="  Sam  "))
    assert "You do not need Sam to join" in " ".join(texts(plan, "tell-your-partner", 2))


def test_a_hostile_name_is_set_in_as_characters_never_as_marks_or_codes(plan: Replenish) -> None:
    plan.save_settings(replace(plan.settings(), partner_name=HOSTILE))
    said = " ".join(texts(plan, "tell-your-partner", 2))
    for unsafe in ("\x1b", "\x07", "\u202e", "\x9b", "*Al*", "[b]", "<i>"):
        assert unsafe not in said
    # Markdown escapes, which the app's Markdown and `do`'s plain text both undo.
    assert r"Sam␛\]0\;owned␇ \*Al\* \[b\]x\[\/b\] \<i\>\\u202e \\x9b to join" in said


def test_do_shows_the_shorter_words_again_and_the_name_literally(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(8))
    service.complete("mindful-minutes", 5)
    service.set_position("mindful-minutes", 8, 0)
    service.close()
    cli = Cli(data, now=at(8).isoformat())
    shown = cli("do", input="quit\n")
    assert shown.code == 0, shown.err
    assert "Three minutes, again" in shown.out and "Mindfulness means" not in shown.out
    service = enrolled_again(data, at(2))
    service.save_settings(replace(service.settings(), partner_name=HOSTILE))
    service.set_position("tell-your-partner", 2, 0)
    service.close()
    shown = Cli(data, now=at(2).isoformat())("do", input="quit\n")
    assert shown.code == 0, shown.err
    assert "You do not need Sam␛]0;owned␇ *Al* [b]x[/b] <i>\\u202e \\x9b to join" in shown.out
    assert "\x1b" not in shown.out and "\u202e" not in shown.out


def enrolled_again(data: Path, now: datetime) -> Replenish:
    from tests.conftest import open_service

    return open_service(data, BUNDLED, now)


def test_closings_name_the_partner_too(tmp_path: Path) -> None:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    path = folder / "together.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("minutes = 6\n", 'minutes = 6\nclosing = "Thank {partner} for sitting."\n', 1),
        encoding="utf-8",
    )
    service = enrolled(tmp_path / "data", folder, start=START, now=at(8))
    try:
        assert service.complete("sit-together", 8) == "Thank your partner for sitting."
        service.save_settings(replace(service.settings(), partner_name="Sam\x1b[2J"))
        assert service.complete("sit-together", 9) == "Thank Sam␛[2J for sitting."
    finally:
        service.close()


# ----- the format's rules ----------------------------------------------------------------------


def broken(tmp_path: Path, old: str, new: str, name: str = "together.toml") -> list[str]:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [str(problem) for problem in validate(folder)]


FIRST_STEP = '  kind = "read"\n  text = "Sit side by side."\n'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            FIRST_STEP,
            FIRST_STEP + '  shown = "twice"\n',
            [
                "together.toml:16:",
                "shown in step 1",
                '"twice"',
                "expected one of: always, first, again",
            ],
        ),
        (
            FIRST_STEP,
            '  kind = "read"\n  text = "Sit with {partnr}."\n',
            ["together.toml:15:", '"{partnr}"', "expected {partner}"],
        ),
        (
            '  prompt = "How was it?"',
            '  prompt = "How was it with {partner}?"',
            ["together.toml:20:", "holds {partner}", "only in a read step's text or title"],
        ),
        (
            'title = "Sitting together"',
            'title = "Sitting with {partner}"',
            ["together.toml:8:", "holds {partner}"],
        ),
    ],
)
def test_the_format_refuses_what_it_cannot_show(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    problems = broken(tmp_path, old, new)
    assert len(problems) == 1, problems
    for words in expected:
        assert words in problems[0], problems


def test_a_step_shown_first_or_again_needs_an_exercise_met_again(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        "days = [8, 9, 10, 11, 12, 13, 14]\nminutes = 6\nexcludes",
        "day = 8\nminutes = 6\nexcludes",
    )
    assert problems == []
    folder = tmp_path / "program"
    path = folder / "together.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(FIRST_STEP, FIRST_STEP + '  shown = "first"\n', 1),
        encoding="utf-8",
    )
    problems = [str(problem) for problem in validate(folder)]
    assert len(problems) == 1, problems
    assert "together.toml:6:" in problems[0]
    assert "due on one day only, so it is never met again" in problems[0]


def test_no_name_beside_a_safety_question(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        'kind = "read"\n  text = "Sit side by side."\n',
        'kind = "read"\n  requires = ["needs-support"]\n  text = "Sit with {partner}."\n',
    )
    assert problems == [], problems  # needs-support is not one of this program's safety flags
    folder = tmp_path / "program"
    head = folder / "program.toml"
    head.write_text(
        head.read_text(encoding="utf-8").replace(
            "days = 14\n", 'days = 14\ncaution_flag = "needs-support"\n', 1
        ),
        encoding="utf-8",
    )
    problems = [str(problem) for problem in validate(folder)]
    assert any("holds {partner}, and it is a safety step" in p for p in problems), problems


def test_an_exercise_shows_some_step_the_first_time_and_again(tmp_path: Path) -> None:
    broken(tmp_path, FIRST_STEP, FIRST_STEP + '  shown = "again"\n')
    path = tmp_path / "program" / "together.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  multiple = true\n", '  multiple = true\n  shown = "again"\n', 1)
    )
    problems = [str(problem) for problem in validate(tmp_path / "program")]
    assert len(problems) == 1, problems
    assert "together.toml:6:" in problems[0]
    assert (
        'shows no step the first time; expected at least one step with shown = "always" or "first"'
        in problems[0]
    )


NEEDS_THE_PARTNER = (
    "tell-your-partner",
    "shared-laugh",
    "sitting-together",
    "gentle-touch",
    "outside-stress",
    "whos-holding-what",
    "expectations-together",
    "renegotiate",
)
"""The joint exercises that cannot be done without the partner taking part."""


def test_every_exercise_that_needs_the_partner_says_what_to_do_alone() -> None:
    program = load_program(BUNDLED)
    for exercise_id in NEEDS_THE_PARTNER:
        exercise = program.exercise(exercise_id)
        assert exercise is not None and exercise.joint, exercise_id
        for again in (False, True):
            words = " ".join(
                step.text
                for step in exercise.steps_for(frozenset(), again)
                if isinstance(step, ReadStep)
            )
            assert "{partner}" in words, exercise_id
            assert any(
                alone in words for alone in ("on your own", "on the plan alone", "not now")
            ), exercise_id


def test_today_names_what_a_repeat_recalls(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, start=START, now=at(7))
    service.save_answer("body-signals", 7, "signals", ["Worn out"])
    service.complete("body-signals", 7)
    service.close()
    shown = Cli(data, now=at(10).isoformat())("today")
    assert shown.code == 0, shown.err
    assert "Your body's warning lights, 3 min\n    The signs you ticked last time: Worn out" in (
        shown.out
    )


def test_the_store_knows_whether_an_exercise_was_done_before_a_day(plan: Replenish) -> None:
    store = plan.store
    assert not store.done_before("body-scan", 12)
    plan.skip("body-scan", 4)
    assert not store.done_before("body-scan", 12)
    plan.reopen("body-scan", 4)
    plan.complete("body-scan", 4)
    assert store.done_before("body-scan", 12) and store.done_before("body-scan", 5)
    assert not store.done_before("body-scan", 4) and not store.done_before("arrive", 12)


HARD = re.compile(
    r"^(no|hard|still very hard|more strained)$|^not (yet|really|today|this time|for us|right)"
    r"|didn't|^nothing right now|^none yet",
    re.I,
)
"""An answer after which "One small step taken. That matters." would ring false."""


def test_an_exercise_that_can_be_answered_hard_closes_with_words_that_fit_any_answer() -> None:
    program = load_program(BUNDLED)
    generic = set(program.closings)
    hard_ones = []
    for exercise in program.exercises:
        for step in exercise.steps:
            if any(HARD.search(option) for option in getattr(step, "options", ())):
                hard_ones.append(exercise.id)
                assert exercise.closing and exercise.closing not in generic, (exercise.id, step.id)
    assert {"rest-look-back", "after-the-talk", "gentle-touch", "taking-stock"} <= set(hard_ones)


def answer_for(step: Step) -> JSONValue:
    """A plain answer to any step that takes one: its first choice, its top score, a word."""
    if isinstance(step, ChoiceStep):
        return step.options[0]
    if isinstance(step, ChecklistStep):
        return [step.items[0]]
    if isinstance(step, ScaleStep):
        return step.max  # not a low day: the full forms
    if isinstance(step, PlanStep):
        return {"what": "a walk", "when": "Saturday", "remind": False}
    return "ok"


def test_a_walk_through_all_42_days_meets_each_introduction_once_and_the_name_as_given(
    tmp_path: Path,
) -> None:
    """Someone who does every exercise of every day, through the one place the runner and
    `do` ask: each "first" step on its exercise's first day only, each "again" step on the
    others, the body signs recalled, and `{partner}` always filled in."""
    moment = [at(1)]
    service = enrolled(tmp_path / "data", BUNDLED, start=START, now=lambda: moment[0])
    service.save_settings(replace(service.settings(), partner_name="Sam"))
    seen: dict[tuple[str, str], list[int]] = {}
    recalled: list[str] = []
    named = 0
    try:
        for day in range(1, 43):
            moment[0] = at(day)
            today = service.today()
            assert today is not None and today.today is not None
            for due in today.today.exercises:
                if due.settled or due.day != day:
                    continue
                exercise = due.exercise
                for step in service.steps_on(exercise, day):
                    seen.setdefault((exercise.id, step.id), []).append(day)
                    if isinstance(step, ReadStep):
                        assert "{partner}" not in step.text + step.title, (exercise.id, day)
                        named += "Sam" in step.text
                    found = service.recalled(step, day)
                    if found is not None and exercise.id == "body-signals":
                        recalled.append(found.line)
                    if step.takes_answer:
                        service.save_answer(exercise.id, day, step.id, answer_for(step))
                service.complete(exercise.id, day)
    finally:
        service.close()
    program = load_program(BUNDLED)
    for exercise in program.exercises:
        for step in exercise.steps:
            days = seen.get((exercise.id, step.id), [])
            if step.shown == "first":
                assert days == [exercise.days[0]], (exercise.id, step.id, days)
            elif step.shown == "again" and not step.gate.requires:
                assert days == list(exercise.days[1:]), (exercise.id, step.id, days)
    assert seen[("mindful-minutes", "read-2")] == [8, 11, 17, 23, 28, 31, 34, 41]
    assert seen[("body-signals", "signals")] == [7]
    assert recalled == ["The signs you ticked last time: Hard to focus"] * 3
    assert named >= len(NEEDS_THE_PARTNER)
