"""The exercise runner: one step at a time, Back and Next, every answer saved as it is given.

On every step change the position is written (`set_position`), just after the step
is drawn (its fsync is no part of the key's wait), so reopening the app comes back to
the same step; answers are read back from the store each time a step is shown, so
Back and Next never lose a word. A step is put on screen in one batch: one layout
and one frame, not one for each widget removed and mounted. When the store refuses an answer
(a full disk), nothing leaves the step without asking: `leaving_is_safe` is the one
gate for Back, Next, Escape, and (through the app) F2-F5, another exercise and quit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from inspect import isawaitable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static, TextArea

from program.content.model import Exercise, Step
from program.content.steps import answer_text
from program.service import Replenish
from program.terminal import printable
from program.tui.literal import shown
from program.tui.messages import MoveOn, PlanChanged, RemindersChanged
from program.tui.screens.unsaved import UnsavedScreen
from program.tui.stored import store_error, stored
from program.tui.widgets.base import StepView
from program.tui.widgets.factory import step_view
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.reading import ReadingScroll
from program.when import ReminderHooks
from state import JSONValue


class ExerciseScreen(Screen[None]):
    """Runs `exercise` for program `day`, starting at `step_index` (or where it was left)."""

    DEFAULT_CSS = """
    ExerciseScreen {  /* title and progress on top, the step in the middle, Back/Next below */
        align-horizontal: center;

        #runner {
            padding: 0 1;
            max-width: 100;
        }
        #runner-top {
            height: 1;
            margin-top: 1;
        }
        #runner-title {
            width: 1fr;
        }
        #runner-progress {
            width: auto;
            text-style: bold;
        }
        #step-area {
            height: 1fr;
            margin-top: 1;
        }
        #runner-nav {
            height: 3;
        }
        #nav-gap {
            width: 1fr;
        }
        .closing-mark {
            text-style: bold;
            margin-top: 1;
        }
        .closing {
            margin: 1 0 2 0;
        }
        .recalled {  /* an earlier answer this step shows again */
            margin-bottom: 1;
            padding: 0 1;
            border-left: thick $accent;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: TextArea binds F7 (select all) itself; here F7/F8 always move between steps.
        Binding("f7", "back", "Back", priority=True),
        Binding("f8", "next", "Next", priority=True),
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="In a text box, the first Esc leaves the box and the next the exercise.",
        ),
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
        self.steps: tuple[Step, ...] = service.steps_on(exercise, day)
        self.index = min(max(step_index or 0, 0), max(len(self.steps) - 1, 0))
        self.view: StepView | None = None
        self.finished = False
        self.sub_title = printable(exercise.title)
        self.hooks = ReminderHooks(service.now, self._add_reminder, self._cancel_reminder)
        self.save_problem: str | None = None
        """Why answers are being refused (None while saves work): said once, not every second."""

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
            yield ReadingScroll(id="step-area")
            with Horizontal(id="runner-nav"):
                yield Button("← Back", id="back")
                yield Static(id="nav-gap")
                yield Button("Next →", id="next", variant="primary")
        yield KeyFooter(compact=True)

    async def on_mount(self) -> None:
        await self._show(self.index)

    # ----- showing a step -------------------------------------------------------

    async def _show(self, index: int) -> None:
        if not self.steps:
            await self._finish()
            return
        self._flush()
        with self.app.batch_update():
            area = self.query_one("#step-area", VerticalScroll)
            await area.remove_children()
            step = self.steps[index]
            answers = self.service.answers(self.exercise.id, self.day)
            value = answers[step.id].value if step.id in answers else None
            view = step_view(step, value, self._saver(step.id), self.hooks)
            recalled = self.service.recalled(step, self.day)
            if recalled is not None:  # the user's own words: shown literally
                await area.mount(Static(shown(recalled.line), id="recalled", classes="recalled"))
            await area.mount(view)
            area.scroll_home(animate=False)
            self.view = view
            self.index = index
            self.save_problem = None  # a new step: a refusal is news again
            self._update_nav()
            target = view.initial_focus()
            (target or self.query_one("#next", Button)).focus()
        self.call_after_refresh(self._remember_position)

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
        """Write one answer now; on failure say so once (the words stay on screen), False."""
        return self._written(
            lambda: self.service.save_answer(self.exercise.id, self.day, step_id, value)
        )

    def _written(self, write: Callable[[], object]) -> bool:
        """Run one of the step's writes; a refusal is said once, not at every try."""
        error = store_error(write)
        if error is None:
            if self.save_problem is not None:
                self.app.notify("Saved now.", markup=False)
            self.save_problem = None
            return True
        if self.save_problem is None:
            self.app.notify(
                "Could not save that answer yet. It stays on screen, Replenish keeps trying, "
                f"and asks before you leave it. {error}",
                severity="error",
                markup=False,
                timeout=15,
            )
        self.save_problem = str(error)
        return False

    # ----- leaving with words the store refused ----------------------------------------

    def leaving_is_safe(self, go: Callable[[], object]) -> bool:
        """Whether the step may be left now: nothing on it is unsaved, after one more try.

        Otherwise the user is asked (try again, write the words to a file, or leave
        without them), `go` runs once they choose to go on, and this returns False.
        """
        view = self.view
        if view is None:
            return True
        view.flush()
        if view.unsaved is None:
            return True
        if isinstance(self.app.screen, UnsavedScreen):
            return False  # already asking
        words = self._words_for_a_file(view.unsaved.value)
        when = self.service.now()
        suggested = f"~/replenish-unsaved-{when:%Y-%m-%d-%H%M%S}.txt"

        async def chosen(leave: bool | None) -> None:
            if leave:
                going = go()
                if isawaitable(going):
                    await going

        self.app.push_screen(
            UnsavedScreen(self._try_again, words, self.save_problem or "", suggested), chosen
        )
        return False

    def _try_again(self) -> str | None:
        """One more save of what the step shows: None when it worked, else why not."""
        if self.view is None:
            return None
        self.view.flush()
        if self.view.unsaved is None:
            return None
        return self.save_problem or "The data file refused it."

    def _words_for_a_file(self, value: JSONValue) -> str:
        step = self.steps[self.index]
        return (
            f"Words Replenish could not save ({self.service.now():%A %d %B %Y at %H:%M}).\n"
            f"{self.exercise.title}, day {self.day}: {step.question or step.id}\n\n"
            f"{answer_text(step, value)}\n"
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
        self.steps, index = self.service.steps_now(self.exercise, self.day, self.steps, self.index)
        return index

    async def action_next(self) -> None:
        if not self.finished and self.leaving_is_safe(self._next):
            await self._next()

    async def _next(self) -> None:
        self._flush()
        index = self._refresh_steps()
        if index + 1 >= len(self.steps):
            await self._finish()
        else:
            await self._show(index + 1)

    async def on_move_on(self, message: MoveOn) -> None:
        """Enter on a step answered by choosing: the same as Next."""
        message.stop()
        await self.action_next()

    async def action_back(self) -> None:
        if self.finished or self._refresh_steps() == 0:
            return  # nothing before the first step: nothing to ask about
        if self.leaving_is_safe(self._back):
            await self._back()

    async def _back(self) -> None:
        self._flush()
        index = self._refresh_steps()
        if index > 0:
            await self._show(index - 1)

    def action_leave(self) -> None:
        """Escape: out of a text box first (what is typed stays, and is saved), so a reflex
        Esc never leaves the exercise mid-sentence; out of the exercise the next time."""
        if isinstance(self.focused, Input | TextArea):
            self.query_one("#next", Button).focus()
            return
        if self.leaving_is_safe(self.app.pop_screen):
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
            Static(shown(closing), id="closing", classes="closing"),  # the program's words
            Button("Back to Today", id="to-today", variant="primary"),
        )
        self.query_one("#runner-nav").display = False
        self.query_one("#runner-progress", Static).update(Content("Finished"))
        self.query_one("#to-today", Button).focus()
        self.post_message(PlanChanged())

    # ----- reminders from plan steps --------------------------------------------------

    def _add_reminder(self, fire_at: datetime, text: str) -> int | None:
        made: list[int] = []
        if not self._written(lambda: made.append(self.service.add_one_off_reminder(fire_at, text))):
            return None
        self.post_message(RemindersChanged())
        return made[0]

    def _cancel_reminder(self, reminder_id: int) -> bool:
        if not self._written(lambda: self.service.retire_one_off(reminder_id)):
            return False
        self.post_message(RemindersChanged())
        return True


class StepSaver:
    """Saves one step's answer through the runner (a small callable, so views stay simple)."""

    def __init__(self, runner: ExerciseScreen, step_id: str) -> None:
        self.runner = runner
        self.step_id = step_id

    def __call__(self, value: JSONValue) -> bool:
        return self.runner.save_answer(self.step_id, value)
