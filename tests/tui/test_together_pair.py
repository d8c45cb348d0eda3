"""Pairing from the Together screen at 80x24: Invite and Join, the same calls as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from program.tui.app import ReplenishApp
from program.tui.screens.pair_file import PairFileScreen
from program.tui.screens.together import TogetherScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import FIXED_NOW, make_app, screen_text, wait_for
from tests.tui.test_together import fixed_place, settled  # noqa: F401 - fixtures

SnapCompare = Callable[..., bool]


def text_of(app: ReplenishApp) -> str:
    return screen_text(app) if isinstance(app.screen, TogetherScreen) else ""


async def type_path(app: ReplenishApp, pilot: Pilot[None], path: Path) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, PairFileScreen))
    field = app.screen.query_one("#pair-path")
    field.value = str(path)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TogetherScreen))


async def test_invite_in_the_app_then_join_the_reply_shows_the_same_six_words(
    tmp_path: Path,
) -> None:
    enrolled(tmp_path / "alex", BUNDLED, now=FIXED_NOW).close()
    sam = enrolled(tmp_path / "sam", BUNDLED, now=FIXED_NOW)
    invitation = tmp_path / "passed" / "invite.txt"
    invitation.parent.mkdir()
    app = make_app(tmp_path / "alex")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "press i" in text_of(app))
        await pilot.press("i")
        await type_path(app, pilot, invitation)
        await wait_for(pilot, lambda: "Invitation written to" in text_of(app))
        assert invitation.stat().st_mode & 0o777 == 0o600
        reply, words = sam.partner().join(invitation.read_text(), "Sam")
        assert reply is not None
        (tmp_path / "passed" / "reply.txt").write_text(reply.armored())
        await pilot.press("j")
        await type_path(app, pilot, tmp_path / "passed" / "reply.txt")
        await wait_for(pilot, lambda: "Paired with Sam." in text_of(app))
        shown = text_of(app)
        assert " ".join(words) in shown and "aloud" in shown
        assert app.service.partner_status() is not None
        await pilot.press("i")  # paired now: Invite is no longer offered
        await pilot.pause()
        assert isinstance(app.screen, TogetherScreen)
    app.service.close()
    sam.close()


async def test_join_an_invitation_in_the_app_writes_the_reply_beside_it(
    tmp_path: Path,
) -> None:
    alex = enrolled(tmp_path / "alex", BUNDLED, now=FIXED_NOW)
    enrolled(tmp_path / "sam", BUNDLED, now=FIXED_NOW).close()
    invitation = tmp_path / "invite.txt"
    invitation.write_text(alex.partner().invite("Alex").armored())
    app = make_app(tmp_path / "sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "press i" in text_of(app))
        await pilot.press("j")
        await type_path(app, pilot, tmp_path / "nothing-here.txt")
        await wait_for(pilot, lambda: bool(app._notifications))
        assert "Could not use" in next(iter(app._notifications)).message
        await pilot.press("j")
        await type_path(app, pilot, invitation)
        await wait_for(pilot, lambda: "Paired with Alex." in text_of(app))
        reply = tmp_path / "replenish-reply.txt"
        assert "Your reply is in" in text_of(app)
        screen = app.screen
        assert isinstance(screen, TogetherScreen)
        assert f"Your reply is in {reply}: give it back to Alex." in screen.notes
        again, words = alex.partner().join(reply.read_text(), "Alex")
        assert again is None and " ".join(words) in text_of(app)
    app.service.close()
    alex.close()


def test_snapshot_the_invite_dialog(
    snap_compare: SnapCompare,
    fixed_place: Path,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(fixed_place))
    enrolled(fixed_place / "data", BUNDLED, now=FIXED_NOW).close()
    app = make_app(fixed_place / "data")

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PairFileScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
