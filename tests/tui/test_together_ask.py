"""Together at 80x24: answers to `ask` steps, shown in full, then shared or kept private."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msgspec.structs import replace

from program.service import Replenish
from program.tui.app import ReplenishApp
from program.tui.screens.together import TogetherScreen
from program.tui.widgets.ready_to_share import ReadyToShare
from state import EnteredAnswer
from tests.conftest import enrolled, open_service
from tests.partner.test_ask import ask_program, check_in, everything_in_the_envelopes, exchange
from tests.tui.conftest import FIXED_NOW, make_app, screen_text, wait_for
from tests.tui.test_together import fixed_place, settled  # noqa: F401 - fixtures

SnapCompare = Callable[..., bool]


def paired(tmp_path: Path) -> tuple[Path, Replenish, Replenish]:
    program = ask_program(tmp_path)
    alex = enrolled(tmp_path / "alex", program, now=FIXED_NOW)
    sam = enrolled(tmp_path / "sam", program, now=FIXED_NOW)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam\x1b[31m")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    return program, alex, sam


def text_of(app: ReplenishApp) -> str:
    return screen_text(app) if isinstance(app.screen, TogetherScreen) else ""


async def test_share_sends_the_answer_as_shown_and_keep_never_does(tmp_path: Path) -> None:
    program, alex, sam = paired(tmp_path)
    check_in(alex, 1, "WORDS for Sam\non two lines [b]not markup[/b]")
    check_in(sam, 1, "sam's words")
    alex.close()
    app = make_app(tmp_path / "alex", program)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "Ready to share with Sam [31m" in text_of(app))
        shown = text_of(app)
        assert "WORDS for Sam" in shown and "on two lines [b]not markup[/b]" in shown
        assert "A few words, if you like." in shown and "Daily check-in" in shown
        assert "Share with Sam [31m" in shown and "Keep private" in shown
        app.screen.query_one(ReadyToShare).query_one(".ready-share").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Ready to share" not in text_of(app))
        assert any("as shown" in n.message for n in app._notifications)
        exchange(app.service, sam)
        assert "WORDS for Sam" in everything_in_the_envelopes(app.service, sam)
    app.service.close()
    sam.close()


async def test_the_key_keeps_it_private_and_a_changed_answer_is_shown_again(
    tmp_path: Path,
) -> None:
    program, alex, sam = paired(tmp_path)
    check_in(alex, 1, "FIRST draft")
    alex.close()
    app = make_app(tmp_path / "alex", program)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "FIRST draft" in text_of(app))
        with open_service(tmp_path / "alex", program, FIXED_NOW) as elsewhere:
            elsewhere.save_answer("check-in", 1, "words", "KEPT second draft")
        await pilot.press("y")  # the screen still shows the first: nothing is shared
        await wait_for(pilot, lambda: "KEPT second draft" in text_of(app))
        assert any("changed since it was shown" in n.message for n in app._notifications)
        assert app.service.store.share_choices() == {}
        await pilot.press("k")
        await wait_for(pilot, lambda: "Ready to share" not in text_of(app))
        [choice] = app.service.store.share_choices().values()
        assert not choice.shared and choice.value is None
        check_in(sam, 1, "sam's")
        sam.choose_share(sam.ready_to_share()[0], share=True)
        exchange(app.service, sam)
        assert "KEPT" not in everything_in_the_envelopes(app.service, sam)
        assert "draft" not in text_of(app)
    app.service.close()
    sam.close()


def test_snapshot_an_answer_ready_to_share(
    snap_compare: SnapCompare, fixed_place: Path  # noqa: F811 - the fixture
) -> None:
    program, alex, sam = paired(fixed_place)
    check_in(alex, 1, "I was tired today, and glad we ate together.")
    alex.close()
    sam.close()
    app = make_app(fixed_place / "alex", program)
    app.partner_sync_every = 3600
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


async def test_unpaired_answers_entered_for_the_partner_stand_beside_mine(
    tmp_path: Path,
) -> None:
    program = ask_program(tmp_path)
    with enrolled(tmp_path / "alex", program, now=FIXED_NOW) as alex:
        alex.save_settings(replace(alex.settings(), partner_name="Sam"))
        check_in(alex, 1, "MY words")
        alex.store.enter_answers(
            [
                EnteredAnswer("check-in", 1, "energy", 8, "Sam", FIXED_NOW),
                EnteredAnswer("check-in", 1, "words", "SAM's words [b]as typed[/b]", "Sam",
                              FIXED_NOW),
            ]
        )
    app = make_app(tmp_path / "alex", program)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "not paired" in text_of(app))
        await pilot.press("end")
        await wait_for(pilot, lambda: "Answers side by side" in text_of(app))
        shown = text_of(app)
        assert "Mon 02 Mar   you  5   Sam  8   (entered for Sam)" in shown
        assert "You: MY words" in shown
        assert "Sam: SAM's words [b]as typed[/b]  (entered for Sam)" in shown
        assert "Ready to share" not in shown  # unpaired: nothing to send
    app.service.close()


async def test_paired_a_revealed_ask_answer_stands_beside_mine(tmp_path: Path) -> None:
    program, alex, sam = paired(tmp_path)
    check_in(alex, 1, "ALEX words")
    check_in(sam, 1, "SAM words")
    for service in (alex, sam):
        service.choose_share(service.ready_to_share()[0], share=True)
    exchange(alex, sam)
    alex.close()
    app = make_app(tmp_path / "alex", program)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "Paired with" in text_of(app))
        await pilot.press("end")
        await wait_for(pilot, lambda: "Answers side by side" in text_of(app))
        shown = text_of(app)
        assert "You: ALEX words" in shown and "Sam [31m: SAM words" in shown
        assert "entered for" not in shown
    app.service.close()
    sam.close()
