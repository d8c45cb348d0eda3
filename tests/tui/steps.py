"""Answering whatever step the runner shows, the way a person would: with keys."""

from __future__ import annotations

from textual.pilot import Pilot

from program.tui.app import ReplenishApp
from program.tui.screens.runner import ExerciseScreen
from program.tui.widgets.checklist import ChecklistView
from program.tui.widgets.choice import ChoiceView
from program.tui.widgets.grid import GridView
from program.tui.widgets.plan import PlanView
from program.tui.widgets.read import ReadView
from program.tui.widgets.reflect import ReflectView
from program.tui.widgets.scale import ScaleView
from program.tui.widgets.timer import TimerView
from tests.tui.conftest import wait_for


def runner(app: ReplenishApp) -> ExerciseScreen:
    screen = app.screen
    assert isinstance(screen, ExerciseScreen), f"expected the runner, got {screen!r}"
    return screen


async def answer_step(pilot: Pilot[None], app: ReplenishApp, words: str = "ok") -> str:
    """Answer the step on screen with keys; returns its kind."""
    view = runner(app).view
    if isinstance(view, ScaleView):
        await pilot.press("7")
        return "scale"
    if isinstance(view, ReflectView):
        await pilot.press(*words)
        return "reflect"
    if isinstance(view, ChoiceView | ChecklistView):
        await pilot.press("space")  # Enter moves on; Space ticks or chooses
        return "choice" if isinstance(view, ChoiceView) else "checklist"
    if isinstance(view, TimerView):
        moment = [view.clock()]  # the timer's own clock, moved on: no real seconds waited
        view.clock = lambda: moment[0]
        await pilot.press("enter")
        moment[0] += view.step.seconds
        await wait_for(pilot, lambda: view.finished)
        return "timer"
    if isinstance(view, GridView):
        await pilot.press("1", "3")  # the first task: I notice it, we both plan it
        return "grid"
    if isinstance(view, PlanView):
        await pilot.press(*"a walk", "tab", *"20:30", "tab", "space")
        return "plan"
    assert isinstance(view, ReadView)
    return "read"


async def finish_exercise(pilot: Pilot[None], app: ReplenishApp) -> set[str]:
    """Answer every step and press Next (F8) until the closing line shows; returns the kinds."""
    kinds: set[str] = set()
    screen = runner(app)
    while not screen.finished:
        index = screen.index
        kinds.add(await answer_step(pilot, app))
        await pilot.press("f8")
        await wait_for(pilot, lambda: screen.finished or screen.index != index)  # noqa: B023
    return kinds
