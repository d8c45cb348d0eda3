"""Steady typing, then `kill -9`: the store holds all but at most the last second of it.

The app runs as a real process on a real pseudo-terminal; every key is sent the way a
terminal sends it and counted as typed only once the app has drawn it, so a loaded
machine makes the test slower, never wrong about what the app had.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from state import Store
from tests.bench.bench_frame import PtySession
from tests.conftest import SMALL, enrolled
from tests.reliability.helpers import child_env

WORDS = "steady typing keeps going and every word of it matters to me "
TYPING_SECONDS = 4.0
KEY_GAP = 0.06
"""Faster than the pause that used to be the only moment of saving (0.6 s)."""
LOSS_ALLOWED = 1.0
KEYS_NEEDED = 30
"""Keys on screen longer than `LOSS_ALLOWED` before the kill, for the test to prove anything:
a loaded machine draws keys slower, so typing goes on past `TYPING_SECONDS` until there are."""
TYPING_LIMIT = 120.0


def _flat(session: PtySession) -> str:
    """The screen's characters with every space and the text box's borders left out,
    so a line wrapped by the box still reads as one run of letters."""
    return "".join(
        char for line in session.screen.display for char in line if not char.isspace()
    ).translate({ord("▊"): None, ord("▎"): None})


def _stored_words(home: Path) -> str:
    with Store.open(home) as store:
        found = [a.value for a in store.answers() if a.step_id == "words"]
    return str(found[0]) if found else ""


def _type_then_kill(
    home: Path, keys: str, gap: float, seconds: float
) -> tuple[str, list[float], float]:
    """Type `keys` steadily into the reflection box for `seconds` (and on, within
    `TYPING_LIMIT`, until `KEYS_NEEDED` keys have been on screen for `LOSS_ALLOWED`), then
    SIGKILL the app.

    Returns what was typed, the moment each key was on screen, and the moment of the kill.
    """
    service = enrolled(home, backup=True)
    service.set_position("check-in", 1, 2)
    service.close()
    session = PtySession(
        [sys.executable, "-m", "program", "--program", str(SMALL)], child_env(home)
    )
    typed = ""
    shown_at: list[float] = []
    try:
        session.wait_for("A few words, if you like.", timeout=60)
        started = time.perf_counter()

        def typing() -> bool:
            now = time.perf_counter()
            settled = sum(moment < now - LOSS_ALLOWED for moment in shown_at)
            return now - started < seconds or (
                settled < KEYS_NEEDED and now - started < TYPING_LIMIT
            )

        while typing():
            key = keys[len(typed) % len(keys)]
            session.press(key.encode())
            typed += key
            target = typed.replace(" ", "")
            shown_at.append(session.wait_until(lambda: target in _flat(session), repr(typed)))  # noqa: B023
            session.settle(gap)
        os.killpg(session.process.pid, signal.SIGKILL)
        killed = time.perf_counter()
        session.process.wait(timeout=30)
    finally:
        session.close()
    return typed, shown_at, killed


def test_steady_typing_is_saved_at_least_once_a_second_through_a_kill(private_home: Path) -> None:
    typed, shown_at, killed = _type_then_kill(private_home, WORDS, KEY_GAP, TYPING_SECONDS)
    stored = _stored_words(private_home)
    assert typed.startswith(stored), (stored, typed)
    must_have = sum(moment < killed - LOSS_ALLOWED for moment in shown_at)
    assert must_have >= KEYS_NEEDED, f"only {must_have} keys typed: the test proves nothing"
    assert len(stored) >= must_have, (
        f"{len(typed)} keys typed over {TYPING_SECONDS} s; {must_have} of them were on screen "
        f"over {LOSS_ALLOWED} s before the kill, but the store holds {len(stored)}: {stored!r}"
    )


def test_a_closed_terminal_saves_every_word_typed(private_home: Path) -> None:
    """SIGHUP (the terminal closed) comes before any timer: the app saves on its way out."""
    service = enrolled(private_home, backup=True)
    service.set_position("check-in", 1, 2)
    service.close()
    words = "written just before the lid closed"
    session = PtySession(
        [sys.executable, "-m", "program", "--program", str(SMALL)], child_env(private_home)
    )
    try:
        session.wait_for("A few words, if you like.", timeout=60)
        session.press(words.encode())
        session.wait_until(lambda: words.replace(" ", "") in _flat(session), repr(words))
        os.killpg(session.process.pid, signal.SIGHUP)
        code = session.wait_exit(timeout=30)
    finally:
        session.close()
    assert code == 0
    assert _stored_words(private_home) == words
