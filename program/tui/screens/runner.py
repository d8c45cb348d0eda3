"""The exercise runner: one step at a time, Back and Next, every answer saved as it is given.

On every step change the position is written (`set_position`), so reopening the
app comes back to the same step; answers are read back from the store each time a
step is shown, so Back and Next never lose a word.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from program.content.model import AnyStep, Exercise
from program.service import Replenish
from program.terminal import printable
from program.tui.messages import PlanChanged
from program.tui.stored import stored
from program.tui.widgets.base import StepView
from program.tui.widgets.factory import step_view
from program.tui.widgets.plan import ReminderHooks
from state import JSONValue

if TYPE_CHECKING:
    from program.tui.app import ReplenishApp


class ExerciseScreen(Screen[None]):
    """Runs `exercise` for program `day`, starting at `step_index` (or where it was left)."""

    CSS_PATH = "runner.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: TextArea binds F7 (select all) itself; here F7/F8 always move between steps.
        Binding("f7", "back", "Back", priority=True),
        Binding("f8", "next", "Next", priority=True),
        Binding("escape", "leave", "Leave"),
        # The app's F3-F5 still work here; hidden so the footer fits 80 columns.
        Binding("f3", "app.open_mode('journey')", "Journey", show=False),
        Binding("f4", "app.open_mode('journal')", "Journal", show=False),
        Binding("f5", "app.open_mode('settings')", "Settings", show=False),
    ]

    def __init__(
        self, service: Replenish, exercise: Exercise, day: int, step_index: int | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.exercise = exercise
        self.day = day
        self.steps: tuple[AnyStep, ...] = exercise.steps_for(service.flags())
        self.index = min(max(step_index or 0, 0), max(len(self.steps) - 1, 0))
        self.view: StepView | None = None
        self.finished = False
        self.sub_title = printable(exercise.title)
        self.hooks = ReminderHooks(service.now, self._add_reminder, self._cancel_reminder)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="runner"):
            with Horizontal(id="runner-top"):
                yield Static(
                    Content.from_markup(
                        "[b]$title[/b] · Day $day", title=self.exercise.title, day=str(self.day)
                    ),
                    id="runner-title",
                )
                yield Static(id="runner-progress")
            yield VerticalScroll(id="step-area")
            with Horizontal(id="runner-nav"):
                yield Button("← Back", id="back")
                yield Static(id="nav-gap")
                yield Button("Next →", id="next", variant="primary")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self._show(self.index)

    # ----- showing a step -------------------------------------------------------

    async def _show(self, index: int) -> None:
        if not self.steps:
            await self._finish()
            return
        self._flush()
        area = self.query_one("#step-area", VerticalScroll)
        await area.remove_children()
        step = self.steps[index]
        answers = self.service.answers(self.exercise.id, self.day)
        value = answers[step.id].value if step.id in answers else None
        view = step_view(step, value, self._saver(step.id), self.hooks)
        await area.mount(view)
        area.scroll_home(animate=False)
        self.view = view
        self.index = index
        self._remember_position()
        self._update_nav()
        target = view.initial_focus()
        (target or self.query_one("#next", Button)).focus()

    def _update_nav(self) -> None:
        count = len(self.steps)
        self.query_one("#runner-progress", Static).update(
            Content(f"Step {self.index + 1} of {count}")
        )
        self.query_one("#back", Button).disabled = self.index == 0
        self.query_one("#next", Button).label = "Finish ✓" if self.index >= count - 1 else "Next →"

    def _saver(self, step_id: str) -> StepSaver:
        return StepSaver(self, step_id)

    def save_answer(self, step_id: str, value: JSONValue) -> bool:
        """Write one answer now; on failure say so (the words stay on screen) and return False."""
        return stored(
            self.app,
            "save that answer yet (it stays on screen and is saved again when you move on)",
            lambda: self.service.save_answer(self.exercise.id, self.day, step_id, value),
        )

    def _remember_position(self) -> None:
        stored(
            self.app,
            "note your place",
            lambda: self.service.set_position(self.exercise.id, self.day, self.index),
        )

    def _flush(self) -> None:
        if self.view is not None:
            self.view.flush()

    # ----- moving ------------------------------------------------------------------

    def _refresh_steps(self) -> int:
        """Steps can appear or vanish as answers raise flags; returns the current step's index."""
        current = self.steps[self.index].id if self.steps else None
        self.steps = self.exercise.steps_for(self.service.flags())
        for position, step in enumerate(self.steps):
            if step.id == current:
                return position
        return min(self.index, max(len(self.steps) - 1, 0))

    async def action_next(self) -> None:
        if self.finished:
            return
        self._flush()
        index = self._refresh_steps()
        if index + 1 >= len(self.steps):
            await self._finish()
        else:
            await self._show(index + 1)

    async def action_back(self) -> None:
        if self.finished:
            return
        self._flush()
        index = self._refresh_steps()
        if index > 0:
            await self._show(index - 1)

    def action_leave(self) -> None:
        self._flush()
        self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        self._flush()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "next":
            await self.action_next()
        elif event.button.id == "back":
            await self.action_back()
        elif event.button.id == "to-today":
            self.action_leave()

    async def _finish(self) -> None:
        self._flush()
        done: list[str] = []
        if not stored(
            self.app,
            "mark it done",
            lambda: done.append(self.service.complete(self.exercise.id, self.day)),
        ):
            return
        (closing,) = done
        self.finished = True
        self.view = None
        area = self.query_one("#step-area", VerticalScroll)
        await area.remove_children()
        await area.mount(
            Static(Content("✓ Done"), classes="closing-mark"),
            Static(Content(closing), id="closing", classes="closing"),
            Button("Back to Today", id="to-today", variant="primary"),
        )
        self.query_one("#runner-nav").display = False
        self.query_one("#runner-progress", Static).update(Content("Finished"))
        self.query_one("#to-today", Button).focus()
        self.post_message(PlanChanged())

    # ----- reminders from plan steps --------------------------------------------------

    def _add_reminder(self, fire_at: datetime, text: str) -> int:
        ident = self.service.add_one_off_reminder(fire_at, text)
        self._reminders_changed()
        return ident

    def _cancel_reminder(self, reminder_id: int) -> None:
        self.service.retire_one_off(reminder_id)
        self._reminders_changed()

    def _reminders_changed(self) -> None:
        app: ReplenishApp | object = self.app
        changed = getattr(app, "reminders_changed", None)
        if callable(changed):
            changed()


class StepSaver:
    """Saves one step's answer through the runner (a small callable, so views stay simple)."""

    def __init__(self, runner: ExerciseScreen, step_id: str) -> None:
        self.runner = runner
        self.step_id = step_id

    def __call__(self, value: JSONValue) -> bool:
        return self.runner.save_answer(self.step_id, value)
