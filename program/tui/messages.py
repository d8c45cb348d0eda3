"""Messages screens send to the app, so screens never reach into the app's internals."""

from __future__ import annotations

from textual.message import Message


class SettingsChanged(Message):
    """Settings were saved: the app re-applies the theme and reschedules reminders."""


class RemindersChanged(Message):
    """A one-off reminder was set, moved or withdrawn (a plan step): the app reschedules."""


class PlanChanged(Message):
    """The plan moved (an exercise finished, a pause, a resume): the app has every view
    show it (the one on screen now, the others when next shown)."""


class OpenExercise(Message):
    """Open the runner on an exercise of a program day (where it was left, if it was)."""

    def __init__(self, exercise_id: str, day: int) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.day = day


class OpenThenAndNow(Message):
    """Show where the user began beside where they are now (the then-and-now view)."""


class MoveOn(Message):
    """A step was answered with Enter (a scale, a choice, a checklist): on to the next step."""


class TogglePause(Message):
    """Pause the plan, or lift the pause: the app's one toggle says which it was."""


class SyncPartner(Message):
    """Exchange with the partner through the linked folder now (the Together screen's
    Sync now, `by_hand`: the app then says how it went, even when nothing came in)."""

    def __init__(self, by_hand: bool = False) -> None:
        super().__init__()
        self.by_hand = by_hand
