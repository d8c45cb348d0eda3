"""The bundled six-week program, walked day by day through the plan engine."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from program import plan
from program.content import ChecklistStep, ChoiceStep, Program, load_program
from program.paths import bundled_program_dir

SAFETY = "safety-concern"
PROGRAM: Program = load_program(bundled_program_dir())
START = date(2027, 1, 4)
JOINT_WORDS = re.compile(r"couples? therap|therapy together|with your partner|together", re.I)


def visible_text(exercise_flags: frozenset[str], day: int) -> list[tuple[str, str]]:
    """(exercise id, text) for every step shown on `day` with these flags."""
    shown: list[tuple[str, str]] = []
    for exercise in PROGRAM.exercises_on(day, exercise_flags):
        steps = {  # met for the first time and again (`shown`)
            step.id: step
            for again in (False, True)
            for step in exercise.steps_for(exercise_flags, again)
        }
        for step in steps.values():
            words = " ".join(
                str(getattr(step, name, ""))
                for name in ("text", "title", "prompt", "label", "placeholder")
            )
            for name in ("options", "items"):
                words += " " + " ".join(getattr(step, name, ()))
            shown.append((exercise.id, words))
    return shown


def test_six_weeks_of_42_days_in_six_modules() -> None:
    assert PROGRAM.days == 42 and PROGRAM.weeks == 6
    assert {module.id for module in PROGRAM.modules} == {
        "intake",
        "restoration",
        "connection",
        "workload",
        "expectations",
        "support",
    }
    for module_id, week in [
        ("restoration", 1),
        ("connection", 2),
        ("workload", 3),
        ("expectations", 4),
        ("support", 5),
    ]:
        lead = PROGRAM.module_for_week(week)
        assert lead is not None and lead.id == module_id


def test_every_themed_module_has_at_least_six_exercises_and_every_step_kind_is_used() -> None:
    for module in PROGRAM.modules:
        if module.id != "intake":
            assert len(module.exercises) >= 6, module.id
    kinds = {step.kind for exercise in PROGRAM.exercises for step in exercise.steps}
    assert kinds == {"read", "reflect", "scale", "checklist", "choice", "timer", "plan", "grid"}


@pytest.mark.parametrize(
    "flags",
    [frozenset(), frozenset({"safety-caution"}), frozenset({"safety-caution", SAFETY})],
    ids=["together", "caution", "safety"],
)
def test_every_day_has_work_within_fifteen_minutes(flags: frozenset[str]) -> None:
    answered = frozenset({("safety-check", 1)})  # else it waits on every day (test_safety.py)
    for day in range(1, PROGRAM.days + 1):
        moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time())
        today = plan.today(
            PROGRAM,
            plan.Schedule(START),
            plan.Progress(done=answered, flags=flags),
            moment.replace(hour=12, tzinfo=ZoneInfo("UTC")),
        )
        assert today.day == day and today.today is not None
        due = today.today.exercises
        required = [d for d in due if not d.exercise.optional and not d.exercise.daily]
        assert required, f"day {day} has nothing of its own"
        assert "check-in" in {d.exercise.id for d in due}, f"day {day} has no check-in"
        assert today.today.minutes <= 15, f"day {day}: {today.today.minutes} minutes"


def test_the_intake_comes_first_and_again_in_week_six() -> None:
    intake = PROGRAM.exercise("taking-stock")
    assert intake is not None and intake.optional
    assert intake.days[0] == 1 and any(36 <= day <= 42 for day in intake.days)
    assert PROGRAM.exercises_on(1)[0].module_id == "intake"


def test_a_worrying_safety_answer_raises_the_flag() -> None:
    intake = PROGRAM.exercise("safety-check")
    assert intake is not None
    screen = [
        step
        for step in intake.steps
        if isinstance(step, ChoiceStep | ChecklistStep) and SAFETY in step.flags
    ]
    assert len(screen) >= 3
    for step in screen:
        raising = next(iter(step.flags[SAFETY]))
        assert PROGRAM.flags_from([(intake.id, step.id, raising)]) == {SAFETY, "safety-caution"}
    calm = [("safety-check", step.id, "Never") for step in screen]
    assert PROGRAM.flags_from(calm) == frozenset()


def test_the_safety_flag_hides_joint_work_and_couple_therapy_from_then_on() -> None:
    joint = {e.id for e in PROGRAM.exercises if SAFETY in e.gate.excludes}
    assert len(joint) >= 8
    for day in range(1, PROGRAM.days + 1):
        shown = visible_text(frozenset({SAFETY}), day)
        assert not joint & {exercise_id for exercise_id, _ in shown}
        for exercise_id, text in shown:
            assert not re.search(r"couples? therap", text, re.I), (day, exercise_id, text[:200])
    notices = PROGRAM.notices_for(frozenset({SAFETY}))
    assert notices and "Help" in notices[0].text  # one calm line; nothing said is repeated
    assert "emergency number" in PROGRAM.seen_with(frozenset({SAFETY})).support


def test_without_the_flag_joint_work_is_offered() -> None:
    offered = [
        exercise_id
        for day in range(1, PROGRAM.days + 1)
        for exercise_id, text in visible_text(frozenset(), day)
        if JOINT_WORDS.search(text)
    ]
    assert offered


def test_no_words_of_blame_or_failure() -> None:
    banned = re.compile(r"\b(fail\w*|streaks?|behind|lazy|should have|missed)\b", re.I)
    for exercise in PROGRAM.exercises:
        if not exercise.days:
            continue  # an anytime practice: its words are checked in test_safety's prose
        for _, text in visible_text(frozenset(), exercise.days[0]) + visible_text(
            frozenset({SAFETY}), exercise.days[0]
        ):
            assert not banned.search(text), banned.search(text)
    for line in PROGRAM.closings:
        assert not banned.search(line)


def test_no_phone_numbers_or_unnamed_services() -> None:
    everything = PROGRAM.support + " ".join(n.text for n in PROGRAM.notices)
    for day in range(1, PROGRAM.days + 1):
        for flags in (frozenset(), frozenset({SAFETY})):
            everything += " ".join(text for _, text in visible_text(flags, day))
    assert not re.search(r"\d{3}[\s-]?\d{3,4}[\s-]?\d{3,4}", everything)
    sites = set(re.findall(r"\b[\w-]+\.(?:org|com|co|uk|net)(?:\.uk)?\b", everything))
    assert sites <= {"bacp.co.uk", "relate.org.uk"}


LEVELS = [frozenset(), frozenset({"safety-caution"}), frozenset({"safety-caution", SAFETY})]


@pytest.mark.parametrize("flags", LEVELS, ids=["together", "caution", "safety"])
def test_the_starting_numbers_and_then_and_now_walk_through_every_level(
    flags: frozenset[str],
) -> None:
    """Day 1 and day 39 hold the three starting numbers at every safety level, and the
    then-and-now view is offered from day 39 to the last day, and not before."""
    from program import then_now

    for day in range(1, PROGRAM.days + 1):
        due = {exercise.id for exercise in PROGRAM.exercises_on(day, flags)}
        assert ("starting-point" in due) == (day in (1, 39)), day
        assert then_now.offered(PROGRAM, day) == (day >= 39), day
        view = then_now.compare(PROGRAM, day, flags, [], {})
        assert view is not None
        assert [item.title for item in view.exercises] == ["Three numbers to start", "Taking stock"]
        assert [scale.name for scale in view.scales] == ["Energy", "Closeness"]


@pytest.mark.parametrize("flags", LEVELS, ids=["together", "caution", "safety"])
def test_every_day_back_after_quiet_days_offers_the_gentle_practice(
    flags: frozenset[str],
) -> None:
    """From day 4 on, a day with nothing done on the three before opens on `coming-back`,
    at every safety level; a day after a day with something done does not."""
    for day in range(1, PROGRAM.days + 1):
        moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time())
        at = moment.replace(hour=12, tzinfo=ZoneInfo("UTC"))
        quiet = plan.today(PROGRAM, plan.Schedule(START), plan.Progress(flags=flags), at)
        assert (quiet.welcome_back is not None) == (day >= 4), day
        if quiet.welcome_back is not None:
            assert quiet.welcome_back.exercise.id == "coming-back"
        busy = plan.Progress(done=frozenset({("check-in", day - 1)}), flags=flags)
        assert plan.today(PROGRAM, plan.Schedule(START), busy, at).welcome_back is None


@pytest.mark.parametrize("flags", LEVELS, ids=["together", "caution", "safety"])
def test_the_follow_on_weeks_hold_the_weekly_check_in_and_nothing_else(
    flags: frozenset[str],
) -> None:
    """Days 43-63, at every safety level: the plan is finished; days 49, 56 and 63 hold the
    weekly check-in alone, within five minutes; every other day holds nothing and names
    the next check-in's date."""
    answered = frozenset({("safety-check", 1)})
    for day in range(43, 64):
        moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time())
        today = plan.today(
            PROGRAM,
            plan.Schedule(START),
            plan.Progress(done=answered, flags=flags),
            moment.replace(hour=12, tzinfo=ZoneInfo("UTC")),
        )
        assert today.status is plan.Status.FINISHED, day
        assert today.catch_up == () or day <= 45, day  # day 42 is offered for three days
        following = day + 7 - (day - PROGRAM.days) % 7
        assert today.next_follow_on == START + timedelta(days=following - 1), day
        if day in (49, 56, 63):
            assert today.today is not None and today.has_work_today, day
            assert [due.exercise.id for due in today.today.exercises] == ["weekly-check-in"]
            assert today.today.day == day and today.today.minutes <= 5
        else:
            assert today.today is None and not today.has_work_today, day
    weekly = PROGRAM.exercise("weekly-check-in")
    assert weekly is not None and not weekly.joint and not weekly.safety
    shown = [step.recall for step in weekly.steps_for(flags) if step.recall]
    kept = ("keep-going", "keep-connection")
    assert ("keep-going", "early-signs") in shown and ("keep-going", "keep-rest") in shown
    assert (kept in shown) == (SAFETY not in flags)  # the moment with the partner, hidden
