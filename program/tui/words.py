"""How states are shown: always a symbol AND a word, never colour alone."""

from __future__ import annotations

from program.plan import ExerciseState

STATE_SYMBOL: dict[ExerciseState, str] = {
    "not started": "○",
    "in progress": "◐",
    "done": "✓",
    "skipped": "–",
}

STATE_WORD: dict[ExerciseState, str] = {
    "not started": "not started",
    "in progress": "in progress",
    "done": "done",
    "skipped": "set aside",
}


PAUSED = "Paused. Nothing moves on until you resume; rest well."
RESUMED = "Welcome back. The plan moves on again from today."
"""What pausing and resuming say, wherever they are done (Today, Settings, the palette)."""


def state_label(state: ExerciseState) -> str:
    """`✓ done`, `– set aside`: readable without colour and by a screen reader."""
    return f"{STATE_SYMBOL[state]} {STATE_WORD[state]}"
