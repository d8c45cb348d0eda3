"""The app's side of safety: F9 leaves at once, the check waits on Today however the plan
began, and Help, Today and the dialogs say what the flags allow."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Markdown, OptionList, TextArea

from program.tui.app import ReplenishApp
from program.tui.screens.help import HelpScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.welcome import WelcomeScreen
from state import Store
from tests.bench.bench_frame import PtySession
from tests.conftest import SMALL
from tests.reliability.helpers import child_env
from tests.tui.conftest import FIXED_NOW, make_app, make_service, wait_for

F9 = "\x1b[20~"
WORDS = "half a sentence typed when someone came in"


def _on_reflection(data: Path) -> ReplenishApp:
    service = make_service(data, SMALL)
    service.start()
    service.set_position("check-in", 1, 2)
    service.close()
    return make_app(data, SMALL)


async def test_f9_mid_typing_saves_the_words_and_leaves(tmp_path: Path) -> None:
    app = _on_reflection(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"typed")  # in the text box, within the save's pause
        await pilot.press("f9")
        await wait_for(pilot, lambda: app._exit_renderables is not None or not app.is_running)
    assert app.left_at_once
    with Store.open(tmp_path / "data") as store:
        assert [a.value for a in store.answers() if a.step_id == "words"] == ["typed"]
    app.service.close()


def test_f9_in_a_real_terminal_saves_clears_and_is_gone(private_home: Path) -> None:
    service = make_service(private_home, SMALL)
    service.start()
    service.set_position("check-in", 1, 2)
    service.close()
    session = PtySession(
        [sys.executable, "-m", "program", "--program", str(SMALL)], child_env(private_home)
    )
    try:
        session.wait_for("A few words, if you like.", timeout=60)
        session.press(WORDS.encode())
        flat = lambda: "".join(session.screen.display).replace(" ", "")  # noqa: E731
        session.wait_until(lambda: WORDS.replace(" ", "") in flat(), "the words on screen")
        session.press(F9.encode())
        code = session.wait_exit(timeout=30)
    finally:
        session.close()
    assert code == 0
    with Store.open(private_home) as store:
        assert [a.value for a in store.answers() if a.step_id == "words"] == [WORDS]
    tail = bytes(session.raw[-200:])
    assert tail.endswith(b"\x1b[H\x1b[2J\x1b[3J\x1b]0;\x07")  # after the alternate screen
    assert b"\x1b[?1049l" in bytes(session.raw)
    assert not "".join(session.screen.display).strip()


async def _begin_in_welcome(app: ReplenishApp, pilot: object, start: str) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))  # type: ignore[arg-type]
    app.screen.query_one("#continue", Button).press()
    await wait_for(pilot, lambda: bool(app.screen.query("#start-date")))  # type: ignore[arg-type]
    field = app.screen.query_one("#start-date", Input)
    field.value = start
    app.screen.query_one("#begin", Button).press()
    await wait_for(pilot, lambda: not isinstance(app.screen, WelcomeScreen))  # type: ignore[arg-type]


def _today_ids(app: ReplenishApp) -> list[str]:
    options = app.screen.query_one("#exercises", OptionList)
    return [str(option.id) for option in options.options if option.id]


@pytest.mark.parametrize("days_back", [0, 29], ids=["today", "back-dated to day 30"])
async def test_the_check_is_on_today_after_the_welcome(tmp_path: Path, days_back: int) -> None:
    if True:
        app = make_app(tmp_path / "data")
        start = (FIXED_NOW.date() - timedelta(days=days_back)).isoformat()
        async with app.run_test(size=(100, 40)) as pilot:
            await _begin_in_welcome(app, pilot, start)
            today = app.service.today()
            assert today is not None and today.day == 1 + days_back
            await wait_for(pilot, lambda: bool(_today_ids(app)))
            ids = _today_ids(app)
            assert "safety-check@1" in ids, ids
            if days_back:
                assert ids[0] == "safety-check@1"  # held first on Today
        app.service.close()


async def test_set_aside_does_not_take_the_check_away_and_promises_nothing(
    tmp_path: Path,
) -> None:
    service = make_service(tmp_path / "data")
    service.start(on=FIXED_NOW.date() - timedelta(days=5))
    service.close()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(_today_ids(app)))
        assert _today_ids(app)[0].startswith("safety-check")
        await pilot.press("s")
        await pilot.pause()
        notes = [note.message for note in app._notifications]
        assert any("I'd rather not say" in note for note in notes), notes
        assert _today_ids(app)[0].startswith("safety-check")
    app.service.close()
    from program.tui.screens.set_aside import SetAsideScreen

    words = " ".join(str(line) for line in SetAsideScreen.WORDS)
    assert "only you will see" not in words.lower()


async def test_after_concern_help_puts_support_for_you_first_and_today_says_one_line(
    tmp_path: Path,
) -> None:
    service = make_service(tmp_path / "data")
    service.start(on=FIXED_NOW.date() - timedelta(days=8))
    service.save_answer("safety-check", 1, "hurt", "Sometimes")
    service.complete("safety-check", 1)
    service.close()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: bool(_today_ids(app)))
        notices = [m.source for m in app.screen.query("#notices Markdown").results(Markdown)]
        assert notices == ["Support just for you is in Help (F1)."]
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        support = app.screen.query_one("#support", Markdown).source
        assert "domestic abuse service" in support
        assert "couple" not in support.lower() and "relate" not in support.lower()
    app.service.close()


async def test_the_runner_opens_the_check_from_today(tmp_path: Path) -> None:
    service = make_service(tmp_path / "data")
    service.start(on=FIXED_NOW.date() - timedelta(days=29))
    service.close()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: bool(_today_ids(app)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert "on your own" in " ".join(
            m.source for m in app.screen.query(Markdown).results(Markdown)
        )
    app.service.close()


async def test_detail_outside_is_off_by_default_and_a_switch_in_settings(tmp_path: Path) -> None:
    from textual.widgets import Switch

    service = make_service(tmp_path / "data")
    service.start(on=FIXED_NOW.date())
    assert not service.settings().detail_outside and service.discreet()
    service.close()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: bool(app.screen.query("#detail-outside")))
        app.screen.query_one("#detail-outside", Switch).value = True
        await wait_for(pilot, lambda: app.service.settings().detail_outside)
        assert not app.service.discreet()
    app.service.close()
