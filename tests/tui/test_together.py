"""The Together screen and the app's exchange with the partner, at 80x24."""

from __future__ import annotations

import fcntl
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from textual.pilot import Pilot
from textual.widgets import Sparkline

from program.partner.exchange import Report
from program.service import Replenish
from program.tui.app import ReplenishApp
from program.tui.screens.journal import JournalScreen
from program.tui.screens.together import TogetherScreen
from tests.conftest import BUNDLED, enrolled
from tests.tui.conftest import FIXED_NOW, held_still, make_app, screen_text, wait_for


def paired(tmp_path: Path) -> tuple[Replenish, Replenish, Path]:
    """Alex and Sam, paired, both exchanging through one shared folder."""
    alex = enrolled(tmp_path / "alex", BUNDLED, now=FIXED_NOW)
    sam = enrolled(tmp_path / "sam", BUNDLED, now=FIXED_NOW)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam\x1b[31m")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    shared = tmp_path / "shared"
    shared.mkdir()
    alex.partner().link(shared)
    sam.partner().link(shared)
    return alex, sam, shared


def check_in(service: Replenish, energy: int, closeness: int) -> None:
    service.save_answer("check-in", 1, "energy", energy)
    service.save_answer("check-in", 1, "closeness", closeness)
    service.save_answer("check-in", 1, "words", "private words, never sent")
    service.complete("check-in", 1)


def text_of(app: ReplenishApp) -> str:
    return screen_text(app) if isinstance(app.screen, TogetherScreen) else ""


async def test_not_paired_it_says_how_to_pair_in_plain_words(tmp_path: Path) -> None:
    enrolled(tmp_path / "data", BUNDLED, now=FIXED_NOW).close()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "not paired" in text_of(app))
        shown = text_of(app)
        assert "replenish partner invite" in shown and "six words" in shown
        await pilot.press("s")  # Sync now with nothing linked: a calm word, no crash
        await wait_for(pilot, lambda: bool(app._notifications))
        assert "No shared folder is linked" in next(iter(app._notifications)).message
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TogetherScreen))
    app.service.close()


async def test_paired_it_shows_whom_the_words_what_waits_then_both_days_after_sync_now(
    tmp_path: Path,
) -> None:
    alex, sam, _shared = paired(tmp_path)
    check_in(alex, 4, 6)
    alex.partner().sync()  # Alex's half is out
    words = " ".join(alex.partner().status().fingerprint)
    alex.close()
    app = make_app(tmp_path / "alex")
    app.partner_sync_every = 3600  # only Sync now exchanges in this test
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "Paired with" in text_of(app))
        await app.workers.wait_for_complete()
        shown = text_of(app)
        assert "Paired with Sam [31m" in shown  # as kept: no controls, no markup
        assert words in shown
        assert "waiting for Sam [31m's half" in shown
        assert "No day with both check-ins in yet." in shown
        check_in(sam, 7, 5)
        sam.partner().sync()  # Sam takes Alex's half in, sends Sam's, and the key
        await pilot.press("s")
        await wait_for(pilot, lambda: "you  4" in text_of(app))
        shown = text_of(app)
        assert "two views of the same days, not a verdict" in shown
        assert "Mon 02 Mar   you  4   Sam [31m  7" in shown
        assert "Mon 02 Mar   you  6   Sam [31m  5" in shown
        assert "private words" not in shown
        assert any("1 received" in n.message for n in app._notifications)
    app.service.close()
    sam.close()


async def test_a_pause_on_the_partners_side_shows_only_the_pause(tmp_path: Path) -> None:
    alex, sam, _shared = paired(tmp_path)
    sam.save_answer("taking-stock", 1, "afraid", "Sometimes")  # raises safety-concern
    assert "safety-concern" in sam.flags()
    sam.partner().sync()
    alex.close()
    app = make_app(tmp_path / "alex")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "has paused sharing" in text_of(app))
        shown = text_of(app)
        assert "Sam [31m has paused sharing." in shown
        assert "safety" not in shown.lower() and "concern" not in shown.lower()
    app.service.close()
    sam.close()


async def test_the_app_syncs_on_open_and_on_a_timer_and_a_missing_folder_is_calm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam, shared = paired(tmp_path)
    check_in(alex, 3, 8)
    alex.close()
    app = make_app(tmp_path / "alex")
    app.partner_sync_every = 0.3
    calls: list[float] = []
    real = app.service.sync_partner_apart

    def counted() -> Report:
        calls.append(time.monotonic())
        return real()

    monkeypatch.setattr(app.service, "sync_partner_apart", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        # On open: Alex's half goes out with no key pressed.
        await wait_for(pilot, lambda: any((shared).rglob("*.env")))
        check_in(sam, 9, 2)
        sam.partner().sync()
        await pilot.press("ctrl+o")
        # On the timer: Sam's half and key come in, and the screen on view shows them.
        await wait_for(pilot, lambda: "you  3   Sam [31m  9" in text_of(app))
        assert not app._notifications  # a sync that went well says nothing
        shutil.rmtree(shared)  # the drive is unplugged
        await wait_for(pilot, lambda: bool(app._notifications))
        notice = next(iter(app._notifications)).message
        assert "Nothing is lost" in notice and "Sam" not in notice
        assert app.is_running and "you  3" in text_of(app)
        tries = len(calls)
        await wait_for(pilot, lambda: len(calls) >= tries + 3)  # the timer goes on trying
        await app.workers.wait_for_complete()
        assert len(app._notifications) == 1, "said once, not at every try"
    app.service.close()
    sam.close()


# ----- snapshots ------------------------------------------------------------------

SnapCompare = Callable[..., bool]


@pytest.fixture
def fixed_place(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """What the paired screen shows must be the same each run: keys from fixed seeds (so
    the six words), a fixed folder path (held under a lock for runs side by side), UTC."""
    seeds = iter(bytes([n]) * 32 for n in range(1, 10))
    monkeypatch.setattr(
        "program.partner.keys.PrivateKey.generate", lambda: PrivateKey.from_seed(next(seeds))
    )
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    folder = Path("/tmp/replenish-snapshot-together")
    with open(f"{folder}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    monkeypatch.undo()
    time.tzset()


async def settled(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TogetherScreen))
    await held_still(pilot)


def test_snapshot_not_paired(snap_compare: SnapCompare, fixed_place: Path) -> None:
    enrolled(fixed_place / "data", BUNDLED, now=FIXED_NOW).close()
    app = make_app(fixed_place / "data")
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


def test_snapshot_paired_with_both_check_ins(
    snap_compare: SnapCompare, fixed_place: Path
) -> None:
    alex, sam, _shared = paired(fixed_place)
    check_in(alex, 4, 6)
    alex.partner().sync()
    check_in(sam, 7, 5)
    sam.partner().sync()
    alex.partner().sync()
    alex.close()
    sam.close()
    app = make_app(fixed_place / "alex")
    app.partner_sync_every = 3600
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


# ----- the Journal's check-in chart, both lines ------------------------------------


async def chart_of(app: ReplenishApp, pilot: Pilot[None]) -> JournalScreen:
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))
    screen = app.screen
    assert isinstance(screen, JournalScreen)
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: screen.chart_loaded)
    await pilot.pause()
    return screen


async def test_the_journal_chart_shows_both_lines_only_on_days_both_are_in(
    tmp_path: Path,
) -> None:
    alex, sam, _shared = paired(tmp_path)
    check_in(alex, 4, 6)
    alex.partner().sync()
    alex.close()
    app = make_app(tmp_path / "alex")
    app.partner_sync_every = 3600
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await chart_of(app, pilot)
        # Sam's half is not in: only Alex's own line per scale, no partner's.
        assert [list(line.data or []) for line in screen.query(Sparkline)] == [[4], [6]]
        assert not screen.query(".scale-who")
        check_in(sam, 7, 5)
        sam.partner().sync()
        await app.workers.wait_for_complete()
        app._sync_partner(by_hand=False)
        await wait_for(pilot, lambda: bool(app.service.revealed_pairs("check-in", "energy")))
        await pilot.press("f2")
        screen = await chart_of(app, pilot)
        await wait_for(pilot, lambda: len(screen.query(Sparkline)) == 6)
        lines = [list(line.data or []) for line in screen.query(Sparkline)]
        assert lines == [[4], [4], [7], [6], [6], [5]]  # own, then you and Sam, per scale
        who = [str(widget.render()) for widget in screen.query(".scale-who")]
        assert who == ["You", "Sam [31m", "You", "Sam [31m"]
        words = "\n".join(str(widget.render()) for widget in screen.query(".scale-words"))
        assert "you 4, Sam [31m 7" in words and "you 6, Sam [31m 5" in words
        assert "two views of the same days, not a verdict" in words
    app.service.close()
    sam.close()


def test_snapshot_the_journal_chart_with_both_lines(
    snap_compare: SnapCompare, fixed_place: Path
) -> None:
    alex, sam, _shared = paired(fixed_place)
    check_in(alex, 4, 6)
    alex.partner().sync()
    check_in(sam, 7, 5)
    sam.partner().sync()
    alex.partner().sync()
    alex.close()
    sam.close()
    app = make_app(fixed_place / "alex")
    app.partner_sync_every = 3600

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, ReplenishApp)
        await chart_of(pilot.app, pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
