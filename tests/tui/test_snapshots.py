"""Snapshots of the main screens at 80x24: fixed clock, fixed data, no animation or blink.

Regenerate (after LOOKING at the result) with `pytest tests/tui/test_snapshots.py
--snapshot-update`; Textual and pytest-textual-snapshot are pinned together.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from datetime import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from program.tui.app import ReplenishApp
from state import JSONValue
from tests.conftest import enrolled
from tests.tui.conftest import BUNDLED, FIXED_NOW, SMALL, held_still, make_app, screen_text

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def no_animation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def pressing(*keys: str) -> Callable[[Pilot[None]], object]:
    """Press `keys`, then let the screen hold still (snap_compare's own `press` takes the
    picture after one pause, which a loaded machine can beat)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await held_still(pilot)
        await pilot.press(*keys)
        await held_still(pilot)

    return run_before


def begun(tmp_path: Path) -> ReplenishApp:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, now=FIXED_NOW)
    service.save_answer("check-in", 1, "energy", 4)
    service.complete("check-in", 1)
    service.close()
    return make_app(data, BUNDLED)


def test_welcome(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", BUNDLED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=held_still)


def test_welcome_choices(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", BUNDLED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("enter"))


def test_today(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(begun(tmp_path), terminal_size=(80, 24), run_before=held_still)


def test_runner_scale_step(snap_compare: SnapCompare, tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, now=FIXED_NOW)
    service.save_answer("check-in", 1, "energy", 6)
    service.set_position("check-in", 1, 0)
    service.close()
    app = make_app(data, BUNDLED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=held_still)


def test_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(begun(tmp_path), terminal_size=(80, 24), run_before=pressing("f1"))


def with_words(tmp_path: Path) -> ReplenishApp:
    data = tmp_path / "data"
    service = enrolled(data, BUNDLED, now=FIXED_NOW)
    service.save_answer("check-in", 1, "energy", 4)
    service.save_answer("check-in", 1, "words", "[bold]tired[/] but $HOME is calm")
    service.complete("check-in", 1)
    service.close()
    return make_app(data, BUNDLED)


def test_journey(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = with_words(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("f3"))


def test_journal(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = with_words(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("f4"))


@pytest.fixture
def fixed_data() -> Iterator[Path]:
    """Settings shows where the data lives, which sizes the page's scroll bar: a fixed path,
    held under a lock so that test runs side by side (pytest-xdist, two checkouts) take turns."""
    folder = Path("/tmp/replenish-snapshot-settings")
    with open(f"{folder}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(folder, ignore_errors=True)
        yield folder / "data"
        shutil.rmtree(folder, ignore_errors=True)


def test_settings(snap_compare: SnapCompare, fixed_data: Path) -> None:
    """Both reminder times are later than the fixed clock's 09:30, so no reminder is due
    (its toast would come and go with the scheduler's timing)."""
    service = enrolled(fixed_data, BUNDLED, now=FIXED_NOW)
    settings = service.settings()
    service.save_settings(
        settings.with_reminders(
            on=True, times=(time(20, 30), time(21, 15)), days=frozenset(range(5))
        )
    )
    service.close()
    app = make_app(fixed_data, BUNDLED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("f5"))


@pytest.fixture
def no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a terminal with NO_COLOR set: every state must still read in the characters."""
    monkeypatch.setenv("NO_COLOR", "1")


def at_step(data: Path, exercise_id: str, step: int, answers: dict[str, JSONValue]) -> ReplenishApp:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    for step_id, value in answers.items():
        service.save_answer(exercise_id, 1, step_id, value)
    service.set_position(exercise_id, 1, step)
    service.close()
    return make_app(data, SMALL)


def reading(seen: list[str]) -> Callable[[Pilot[None]], object]:
    """Let the screen hold still, and keep the screen's plain text for the test."""

    async def run_before(pilot: Pilot[None]) -> None:
        await held_still(pilot)
        assert isinstance(pilot.app, ReplenishApp)
        seen.append(screen_text(pilot.app))

    return run_before


def test_checklist_without_colour(
    snap_compare: SnapCompare, tmp_path: Path, no_colour: None
) -> None:
    seen: list[str] = []
    app = at_step(tmp_path / "data", "intake", 2, {"safe": "Yes", "signs": ["Tired"]})
    assert snap_compare(app, terminal_size=(80, 24), run_before=reading(seen))
    (text,) = seen
    assert "[x] Tired" in text and "[ ] Tense" in text and "[ ] Forgetful" in text
    assert "Ticked 1 of 3: Tired. Saved." in text


def test_choice_without_colour(snap_compare: SnapCompare, tmp_path: Path, no_colour: None) -> None:
    seen: list[str] = []
    app = at_step(tmp_path / "data", "intake", 1, {"safe": "Yes"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=reading(seen))
    (text,) = seen
    assert "(•) Yes" in text and "( ) Not sure" in text and "( ) No" in text
    assert "You chose: Yes. Saved." in text


def test_settings_without_colour(
    snap_compare: SnapCompare, fixed_data: Path, no_colour: None
) -> None:
    service = enrolled(fixed_data, BUNDLED, now=FIXED_NOW)
    settings = service.settings()
    service.save_settings(
        settings.with_reminders(on=True, times=(time(20, 30),), days=frozenset(range(5)))
    )
    service.close()
    seen: list[str] = []
    app = make_app(fixed_data, BUNDLED)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f5")
        await reading(seen)(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    (text,) = seen
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        assert f"[x] {day}" in text
    assert "[ ] Sat" in text and "[ ] Sun" in text
