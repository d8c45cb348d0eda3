"""Messages screens send to the app, so screens never reach into the app's internals."""

from __future__ import annotations

from textual.message import Message


class SettingsChanged(Message):
    """Settings were saved: the app re-applies the theme and reschedules reminders."""


class PlanChanged(Message):
    """The plan moved (an exercise finished, a pause, a resume): views refresh."""
