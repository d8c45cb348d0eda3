"""The view for a step, found by its kind; each view's module loads on first use.

Opening a step imports its own view only, so no screen pays for the widgets of
kinds it does not show. Every kind in `program.content.steps.KINDS` has a line
here (a test checks that each one names a view that exists).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from program.content.steps import Step
from program.tui.widgets.base import Save, StepView
from program.when import ReminderHooks
from state import JSONValue

VIEWS: dict[str, str] = {
    "read": "program.tui.widgets.read:ReadView",
    "reflect": "program.tui.widgets.reflect:ReflectView",
    "scale": "program.tui.widgets.scale:ScaleView",
    "checklist": "program.tui.widgets.checklist:ChecklistView",
    "choice": "program.tui.widgets.choice:ChoiceView",
    "timer": "program.tui.widgets.timer:TimerView",
    "plan": "program.tui.widgets.plan:PlanView",
    "grid": "program.tui.widgets.grid:GridView",
}
"""Each step kind's view, as "module:Class"."""


def view_class(kind: str) -> type[StepView]:
    """The view class for steps of `kind`, imported now if it was not before."""
    where = VIEWS.get(kind)
    if where is None:
        raise LookupError(f'no view for a step of kind "{kind}"; name one in factory.VIEWS')
    module, name = where.split(":")
    found = getattr(import_module(module), name)
    if not (isinstance(found, type) and issubclass(found, StepView)):
        raise TypeError(f"{where} is not a StepView")
    return found


def step_view(step: Step, value: JSONValue, save: Save, hooks: ReminderHooks) -> StepView:
    view = view_class(step.kind)
    make = cast("Callable[..., StepView]", view)  # each view takes the step of its own kind
    return make(step, value, save, hooks) if view.TAKES_HOOKS else make(step, value, save)
