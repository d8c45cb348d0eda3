"""The widget for a step, chosen by its kind; each kind's module loads on first use."""

from __future__ import annotations

from program.content.model import (
    AnyStep,
    ChecklistStep,
    ChoiceStep,
    PlanStep,
    ReadStep,
    ReflectStep,
    ScaleStep,
    TimerStep,
)
from program.tui.widgets.base import Save, StepView
from program.tui.widgets.plan import ReminderHooks
from state import JSONValue


def step_view(step: AnyStep, value: JSONValue, save: Save, hooks: ReminderHooks) -> StepView:
    if isinstance(step, ReadStep):
        from program.tui.widgets.read import ReadView

        return ReadView(step, value, save)
    if isinstance(step, ReflectStep):
        from program.tui.widgets.reflect import ReflectView

        return ReflectView(step, value, save)
    if isinstance(step, ScaleStep):
        from program.tui.widgets.scale import ScaleView

        return ScaleView(step, value, save)
    if isinstance(step, ChecklistStep):
        from program.tui.widgets.checklist import ChecklistView

        return ChecklistView(step, value, save)
    if isinstance(step, ChoiceStep):
        from program.tui.widgets.choice import ChoiceView

        return ChoiceView(step, value, save)
    if isinstance(step, TimerStep):
        from program.tui.widgets.timer import TimerView

        return TimerView(step, value, save)
    if isinstance(step, PlanStep):
        from program.tui.widgets.plan import PlanView

        return PlanView(step, value, save, hooks)
    raise TypeError(f"no widget for a {step.kind} step")  # the loader admits no other kind
