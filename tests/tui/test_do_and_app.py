"""`replenish do` and the app keep one record: the same day done once with Pilot and once
with `do` leaves the same rows, and each resumes at the step where the other stopped."""

from __future__ import annotations

import io
from pathlib import Path

from program.commands.do import Walk
from program.plain.talk import Talk
from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from state import Store
from tests.test_do import Script
from tests.tui.conftest import SMALL, make_app, make_service, wait_for
from tests.tui.steps import finish_exercise, runner

Rows = tuple[object, ...]


def begun(data: Path) -> None:
    with make_service(data, SMALL) as service:
        service.start()


def rows(data: Path) -> Rows:
    """Everything the day left in the store, less the moments it was written."""
    with Store.open(data) as store:
        position = store.position()
        return (
            sorted((a.exercise_id, a.day, a.step_id, repr(a.value)) for a in store.answers()),
            sorted((o.exercise_id, o.day, o.kind, o.reason) for o in store.outcomes()),
            None if position is None else (position.exercise_id, position.day, position.step_index),
            [
                (r.id, r.fire_at, r.text, r.delivered)
                for r in store.one_offs(include_delivered=True)
            ],
        )


def showing(app: ReplenishApp, exercise_id: str) -> bool:
    """The runner is on `exercise_id`, its first step drawn."""
    screen = app.screen
    return (
        isinstance(screen, ExerciseScreen)
        and screen.exercise.id == exercise_id
        and screen.view is not None
    )


def walk(data: Path, *lines: object) -> str:
    script = Script(*lines)
    out = io.StringIO()
    with make_service(data, SMALL) as service:
        assert Walk(service, Talk(script, out, clock=script.clock)).run() == 0
    return out.getvalue()


async def test_a_day_done_with_do_leaves_the_rows_the_app_leaves(tmp_path: Path) -> None:
    by_app, by_do = tmp_path / "app", tmp_path / "do"
    begun(by_app)
    app = make_app(by_app, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        kinds: set[str] = set()
        for exercise_id in ("check-in", "intake", "rest"):
            app.open_exercise(exercise_id, 1)
            await wait_for(pilot, lambda: showing(app, exercise_id))  # noqa: B023
            kinds |= await finish_exercise(pilot, app)
            await pilot.press("enter")  # Back to Today
    app.service.close()
    assert kinds == {"scale", "reflect", "read", "choice", "checklist", "timer", "plan"}

    # The same answers, as lines: the keys `finish_exercise` presses, said in words.
    begun(by_do)
    wait = Script.TIME_PASSES
    said = walk(by_do, "7", "7", "ok", "", "", "1", "1", "", wait, wait, "a walk", "20:30", "y")
    assert "Today is done." in said
    assert rows(by_do) == rows(by_app)
    assert rows(by_app)[1] == [
        ("check-in", 1, "done", ""),
        ("intake", 1, "done", ""),
        ("rest", 1, "done", ""),
    ]


async def test_the_app_resumes_where_do_stopped_and_do_where_the_app_did(tmp_path: Path) -> None:
    data = tmp_path / "data"
    begun(data)
    walk(data, "7", "quit")  # stopped at the check-in's second step
    app = make_app(data, SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        screen = runner(app)
        assert (screen.exercise.id, screen.index) == ("check-in", 1)
        await pilot.press("3", "f8")  # closeness 3, on to the words
        await wait_for(pilot, lambda: screen.index == 2)
    app.service.close()
    said = walk(data, "Both of them", "", "quit")
    assert "Picking up where you stopped: Daily check-in, 1 min." in said
    assert "Step 3 of 3.\nA few words, if you like." in said
    with Store.open(data) as store:
        found = {step: a.value for step, a in store.answers_for("check-in", 1).items()}
    assert found == {"energy": 7, "closeness": 3, "words": "Both of them"}
