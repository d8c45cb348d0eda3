"""One way for screens to write through the service without a failing disk crashing the app.

A busy, full or vanished data file raises `StoreError`. Left alone, that would end
the app with a traceback and take whatever is on screen with it; instead the
person is told calmly, and the screen keeps what it shows so they can try again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from state import StoreError


def stored(app: App[Any], what: str, write: Callable[[], object]) -> bool:
    """Run `write`; on a store failure say "Could not <what>." with the reason, and return False."""
    error = store_error(write)
    if error is not None:
        app.notify(f"Could not {what}. {error}", severity="error", markup=False, timeout=15)
    return error is None


def store_error(write: Callable[[], object]) -> StoreError | None:
    """Run `write`; the store's refusal, or None when it was written (for callers that say
    it their own way)."""
    try:
        write()
    except StoreError as error:
        return error
    return None
