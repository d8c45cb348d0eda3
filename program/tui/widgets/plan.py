"""A plan step: what you will do and when, and (if the step allows) a one-off reminder.

The answer is saved as {"what", "when", "remind"} after a short pause in typing (and
within a second while typing goes on), on leaving a field and on leaving the step.
The reminder follows the answer: ticking "remind me" with a valid time sets it,
changing the time moves it, unticking withdraws it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from program.content.model import PlanStep
from program.tui.literal import LiteralInput
from program.tui.widgets.base import Save, StepView, Unsaved
from program.tui.widgets.marks import Tick
from program.when import PlanReminder, ReminderHooks, example_when, parse_when, when_hint
from state import JSONValue


def _field(value: JSONValue, key: str) -> JSONValue:
    return value.get(key) if isinstance(value, dict) else None


class PlanView(StepView):
    TAKES_HOOKS = True
    DEFAULT_CSS = """
    PlanView .field-label {
        margin-top: 1;
    }
    """

    def __init__(self, step: PlanStep, value: JSONValue, save: Save, hooks: ReminderHooks) -> None:
        super().__init__(value, save)
        self.step = step
        self.hooks = hooks
        what, when = _field(value, "what"), _field(value, "when")
        self.reminder = PlanReminder(step, value, hooks)
        self.what = LiteralInput(
            what if isinstance(what, str) else "",
            placeholder=step.placeholder or "What will you do?",
            id="plan-what",
        )
        self.when = LiteralInput(
            when if isinstance(when, str) else "",
            placeholder=f"When? 20:30, or {example_when(hooks.now())}",
            id="plan-when",
        )
        self.remind = Tick("Remind me then", _field(value, "remind") is True, id="plan-remind")

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.prompt), classes="step-prompt")
        yield Static(Content("What"), classes="field-label")
        yield self.what
        yield Static(Content("When (optional)"), classes="field-label")
        yield self.when
        if self.step.remind:
            yield self.remind
        yield Static(id="plan-message", classes="step-hint")

    def on_mount(self) -> None:
        self._describe()

    def initial_focus(self) -> Widget | None:
        return self.what

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.save_soon()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()
        self.screen.focus_next()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.flush()

    def write(self) -> None:
        what, when, remind = self.what.typed, self.when.typed, self.remind.value
        reminder_in_step = self.reminder.sync(what, when, remind)
        value = self.reminder.answer(what, when, remind)
        if not self.what.value and not self.when.value and self.saved is None:
            return  # nothing given yet: opening the step is not an answer
        if reminder_in_step:
            self.save(value)
        else:  # not saved without its reminder: kept on screen, and asked about on leaving
            self.unsaved = Unsaved(value)
        if self.is_mounted:
            self._describe()

    def _describe(self) -> None:
        message = ""
        when = self.when.typed.strip()
        if when:
            try:
                moment = parse_when(when, self.hooks.now())
                message = f"That is {moment:%A %d %B at %H:%M}."
            except ValueError as error:
                message = f"{error}."
        if self.reminder.id is not None and self.reminder.at:
            message += " ✓ A reminder is set for then."
        elif self.step.remind and self.remind.value and not when:
            message = f"Say when, as {when_hint(self.hooks.now())}, and the reminder will be set."
        for line in self.query("#plan-message").results(Static):  # gone while unmounting
            line.update(Content(message.strip()))
