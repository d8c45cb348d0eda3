"""Safety and discretion in the bundled program: the check no start can skip, two levels of
flags, words chosen by flags, and nothing outward that gives anything away."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from msgspec.structs import replace

from program import plan, text
from program.cli import main
from program.content import ChoiceStep, Program, load_program
from program.paths import bundled_program_dir
from program.service import Replenish
from state import Store
from tests.content.prose import grade, prose, runs_of, seed_runs, words_of

PROGRAM: Program = load_program(bundled_program_dir())
CAUTION, CONCERN = "safety-caution", "safety-concern"
NONE: frozenset[str] = frozenset()
CAUTIOUS = frozenset({CAUTION})
CONCERNED = frozenset({CAUTION, CONCERN})  # concern raises caution too
LEVELS = [NONE, CAUTIOUS, CONCERNED]
LEVEL_IDS = ["no flag", "caution", "concern"]
START = date(2027, 1, 4)
HOW_OFTEN = ("Never", "Once in a while", "Sometimes", "Often", "I'd rather not say")
JOINT_WORDS = re.compile(  # words of joint work (a question about the relationship is not)
    r"couples? therap|therapy together|relate\b|both of you|(?<!safe )with your partner|"
    r"(ask|tell|talk to|talk with|thank|show) your partner|(do|try|sit|talk|laugh) (it |this )?"
    r"together",
    re.I,
)
ROUTING = re.compile(
    r"safe|abuse|danger|afraid|fear|threat|hurt|concern|caution|domestic|emergency|"
    r"counsell|therap|a minute for you",
    re.I,
)
"""Words that would tell a glance at a phone or a shell what the user disclosed."""


def moment(day: int, hour: int = 21) -> datetime:
    return datetime.combine(START + timedelta(days=day - 1), time(hour), tzinfo=UTC)


def day_of(flags: frozenset[str], day: int) -> plan.Today:
    seen = PROGRAM.seen_with(flags)
    return plan.today(seen, plan.Schedule(START), plan.Progress(flags=flags), moment(day))


def shown(flags: frozenset[str], day: int) -> list[tuple[str, str]]:
    """(exercise id, every word it shows) for `day` with these flags."""
    found = []
    for exercise in PROGRAM.exercises_on(day, flags):
        words = " ".join(
            str(getattr(step, name, ""))
            for step in exercise.steps_for(flags)
            for name in ("text", "title", "prompt", "label", "placeholder", "options", "items")
        )
        found.append((exercise.id, f"{exercise.title} {exercise.summary} {words}"))
    return found


# ----- the declaration and the check itself --------------------------------------------


def test_the_program_declares_its_two_safety_flags_and_concern_raises_caution() -> None:
    assert (PROGRAM.caution_flag, PROGRAM.concern_flag) == (CAUTION, CONCERN)
    check = PROGRAM.exercise("safety-check")
    assert check is not None
    hurt = check.step("hurt")
    assert hurt is not None
    assert PROGRAM.flags_from([("safety-check", "hurt", "Sometimes")]) == CONCERNED


def test_the_safety_check_is_its_own_short_exercise_that_waits_until_done() -> None:
    check = PROGRAM.exercise("safety-check")
    assert check is not None
    assert check.until_done and check.safety and check.neutral and not check.optional
    assert check.days == (1,) and check.minutes <= 2
    assert check.module_id == "intake" and check.id != "taking-stock"
    first = check.steps[0]
    said = str(getattr(first, "text", "")).lower()
    assert "on your own" in said and "account" in said  # the line about privacy
    questions = [step for step in check.steps if isinstance(step, ChoiceStep)]
    assert 6 <= len(questions) <= 8
    for step in questions:
        assert step.options == HOW_OFTEN, step.id
        assert CAUTION in step.raises
        assert PROGRAM.flags_from([(check.id, step.id, "Never")]) == NONE
        assert PROGRAM.flags_from([(check.id, step.id, "I'd rather not say")]) == CAUTIOUS
    for step_id in ("threatened", "hurt", "pressured"):
        for answer in ("Once in a while", "Sometimes", "Often"):
            assert PROGRAM.flags_from([(check.id, step_id, answer)]) == CONCERNED
    for step_id in ("put-down", "shouted-at", "afraid"):
        assert PROGRAM.flags_from([(check.id, step_id, "Sometimes")]) == CAUTIOUS
        assert PROGRAM.flags_from([(check.id, step_id, "Often")]) == CONCERNED
    assert PROGRAM.flags_from([(check.id, "controlled", "Sometimes")]) == CONCERNED
    assert not any(PROGRAM.is_safety_step(check, step) is False for step in check.steps)


def test_it_is_offered_again_briefly_after_the_hard_talks_and_in_week_six() -> None:
    again = PROGRAM.exercise("safety-again")
    talk, renegotiate = PROGRAM.exercise("whos-holding-what"), PROGRAM.exercise("renegotiate")
    assert again is not None and talk is not None and renegotiate is not None
    assert talk.days[0] + 1 in again.days and renegotiate.days[0] + 1 in again.days
    assert any(36 <= day <= 42 for day in again.days)
    assert again.minutes <= 1 and again.safety


def test_answers_to_the_old_safety_questions_still_raise_concern() -> None:
    for step_id, answer in [("feel-safe", "No"), ("afraid", "Sometimes"), ("control-hurt", "Yes")]:
        assert PROGRAM.flags_from([("taking-stock", step_id, answer)]) == CONCERNED
    assert PROGRAM.flags_from([("taking-stock", "afraid", "No")]) == NONE
    flagging = PROGRAM.flagging_steps()
    assert ("taking-stock", "afraid") in flagging and ("safety-check", "hurt") in flagging


def test_other_worrying_answers_raise_caution() -> None:
    assert PROGRAM.flags_from([("basic-needs", "first-need", "Feeling safe")]) == CAUTIOUS
    assert PROGRAM.flags_from([("whos-holding-what", "talk-felt", "Hard")]) == CAUTIOUS
    carried = "Treading carefully around my partner's reactions"
    assert PROGRAM.flags_from([("invisible-work", "i-carry", [carried])]) == CAUTIOUS


# ----- 42 days at each level ---------------------------------------------------------


@pytest.mark.parametrize("flags", LEVELS, ids=LEVEL_IDS)
def test_every_day_at_every_level(flags: frozenset[str]) -> None:
    joint = {e.id for e in PROGRAM.exercises if e.joint}
    hard = {e.id for e in PROGRAM.exercises if e.joint and CAUTION in e.gate.excludes}
    gentle = joint - hard
    assert {"whos-holding-what", "renegotiate", "couple-therapy"} <= hard
    assert {"sitting-together", "gentle-touch", "shared-laugh"} <= gentle
    seen_gentle: set[str] = set()
    for day in range(1, PROGRAM.days + 1):
        today = day_of(flags, day)
        assert today.day == day and today.today is not None
        ids = [due.exercise.id for due in today.today.exercises]
        own = [d for d in today.today.exercises if not d.exercise.optional and not d.exercise.daily]
        assert own, f"day {day} has nothing of its own"
        assert today.today.minutes <= 15 + 2 * (day > 1), (day, today.today.minutes)
        assert ids.count("safety-check") == 1  # never answered here: held on every day
        if flags == NONE:
            continue
        assert not hard & set(ids), (day, ids)
        for exercise_id, words in shown(flags, day):
            assert not re.search(r"couples? therap", words, re.I), (day, exercise_id)
            if CONCERN in flags:
                assert not JOINT_WORDS.search(words), (day, exercise_id, JOINT_WORDS.search(words))
        if CONCERN in flags:
            assert not joint & set(ids), (day, ids)
        else:
            for due in today.today.exercises:
                if due.exercise.id in gentle:
                    seen_gentle.add(due.exercise.id)
                    caveat = [
                        s for s in due.exercise.steps_for(flags) if CAUTION in s.gate.requires
                    ]
                    assert caveat, f"{due.exercise.id} under caution has no caveat"
    if flags == CAUTIOUS:
        assert seen_gentle == gentle  # kept, each with its caveat


@pytest.mark.parametrize("flags", [CAUTIOUS, CONCERNED], ids=LEVEL_IDS[1:])
def test_nothing_outward_names_an_exercise_or_the_safety_routing(flags: frozenset[str]) -> None:
    titles = {exercise.title for exercise in PROGRAM.exercises}
    for day in range(1, PROGRAM.days + 1):
        today = day_of(flags, day)
        assert today.today is not None
        lines = [
            text.outward("reminder", today.today, discreet=True),
            text.outward("reminder", today.today, discreet=True, late_from=time(20, 30)),
            text.outward("nudge", today.today, discreet=True),
            text.outward("calendar-summary", today.today, discreet=True),
            text.outward("calendar-text", today.today, discreet=True),
            text.outward("one-off", None, discreet=True, own_words="Call the domestic abuse line"),
            text.heading(today),
        ]
        for line in lines:
            assert not any(title in line for title in titles), (day, line)
            assert not ROUTING.search(line), (day, line)


def test_a_raised_flag_makes_everything_outward_neutral_whatever_the_setting(
    tmp_path: Path,
) -> None:
    service = Replenish(PROGRAM, Store.open(tmp_path / "data"), now=lambda: moment(1))
    service.start(on=START)
    assert service.discreet()  # the default: neutral
    service.save_settings(replace(service.settings(), detail_outside=True))
    assert not service.discreet()
    service.save_answer("safety-check", 1, "afraid", "Sometimes")
    assert service.flags() == CAUTIOUS and service.discreet()
    service.close()


# ----- words chosen by flags -----------------------------------------------------------


def test_help_and_module_words_follow_the_flag() -> None:
    plain, cautious, concerned = (PROGRAM.seen_with(flags) for flags in LEVELS)
    assert "(UK)" in plain.support and "bacp.co.uk (UK)" in plain.support
    assert "Relate" in plain.support and "couple therapy" in plain.support.lower()
    for seen in (cautious, concerned):
        assert "domestic abuse service" in seen.support
        assert not re.search(r"couple|relate", seen.support, re.I)
        assert "One small step taken. That matters." not in seen.closings
        assert "emergency number" in seen.support and "112" in seen.support
    assert not JOINT_WORDS.search(concerned.summary)
    for module in concerned.modules:
        words = f"{module.title} {module.summary}"
        assert not JOINT_WORDS.search(words), (module.id, words)
    assert [n.text for n in concerned.notices_for(CONCERNED)] == [
        "Support just for you is in Help (F1)."
    ]
    assert "burnout" in plain.welcome.lower()


@pytest.mark.parametrize("flags", LEVELS, ids=LEVEL_IDS)
def test_prose_is_fresh_plain_and_kind(flags: frozenset[str]) -> None:
    """No run of six words from the seed articles, reading grade 8 or lower, no guilt words."""
    runs = seed_runs()
    banned = re.compile(
        r"\b(fail\w*|streaks?|behind|lazy|should have|missed|your fault|nobody's fault)\b", re.I
    )
    pieces = list(prose(PROGRAM, flags))
    assert any(where == "welcome" and "burnout" in text_.lower() for where, text_ in pieces)
    for where, piece in pieces:
        copied = [run for run_hash, run in runs_of(piece) if run_hash in runs]
        assert not copied, (where, copied)
        assert not banned.search(piece), (where, banned.search(piece))
        if len(words_of(piece)) >= 40:
            assert grade(piece) <= 8, (where, round(grade(piece), 1))


def test_the_seed_run_fixture_matches_the_seeds_when_they_are_beside_the_checkout() -> None:
    from tests.content.prose import SEEDS, run_hash

    articles = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    runs = seed_runs()
    assert len(runs) > 2000
    if articles:  # in a checkout beside shared/ (as CI lays it out), rebuilt and compared
        rebuilt = set()
        for article in articles:
            found = words_of(article.read_text(encoding="utf-8"))
            rebuilt |= {run_hash(found[i : i + 6]) for i in range(len(found) - 5)}
        assert rebuilt == runs


# ----- every way of starting -----------------------------------------------------------


def _today_out(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["today"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("days_ago", [0, 29], ids=["start", "start --on, day 30"])
def test_the_check_waits_on_today_after_start(
    days_ago: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    now = moment(1 + days_ago, 12)
    monkeypatch.setenv("REPLENISH_NOW", now.isoformat())
    argv = ["start"] if not days_ago else ["start", "--on", START.isoformat()]
    assert main(argv) == 0
    shown_today = _today_out(capsys)
    assert f"Day {1 + days_ago} of 42" in shown_today
    rest = shown_today.partition("Today, about")[2]
    assert "A minute for you, 2 min" in rest.split("earlier days")[0], shown_today
    later = moment(3 + days_ago, 12)
    monkeypatch.setenv("REPLENISH_NOW", later.isoformat())
    assert "A minute for you, 2 min" in _today_out(capsys)
    with Replenish.open(backup=False, now=lambda: later) as service:
        service.save_answer("safety-check", 1, "hurt", "I'd rather not say")
        service.complete("safety-check", 1)
    assert "A minute for you" not in _today_out(capsys)


def test_the_check_waits_on_today_after_an_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export from a version without the check, brought in 30 days into the plan."""
    now = moment(30, 12)
    monkeypatch.setenv("REPLENISH_NOW", now.isoformat())
    source = tmp_path / "elsewhere"
    assert main(["--data-dir", str(source), "start", "--on", START.isoformat()]) == 0
    with Replenish.open(data_dir=source, backup=False, now=lambda: now) as service:
        service.save_answer("taking-stock", 1, "drained", 4)
        service.complete("welcome", 1)
    exported = tmp_path / "export.json"
    assert main(["--data-dir", str(source), "export", "--format", "json", "-o", str(exported)]) == 0
    assert main(["import", str(exported)]) == 0
    shown_today = _today_out(capsys)
    assert "Day 30 of 42" in shown_today and "A minute for you, 2 min" in shown_today


def test_the_export_names_no_joint_exercise_once_concern_is_raised(tmp_path: Path) -> None:
    from program import export

    service = Replenish(PROGRAM, Store.open(tmp_path / "data"), now=lambda: moment(31))
    service.start(on=START)
    service.save_answer("couple-therapy", 30, "holding-back", "maybe")  # before the check
    service.complete("couple-therapy", 30)
    assert "Why couple therapy can help now" in export.as_markdown(service)
    service.save_answer("safety-check", 1, "threatened", "Sometimes")
    headings = [line for line in export.as_markdown(service).splitlines() if line.startswith("#")]
    assert not any(JOINT_WORDS.search(line) for line in headings), headings
    assert "### An earlier exercise (done)" in headings
    service.close()
