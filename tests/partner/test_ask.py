"""`share = "ask"`: an answer waits until the user saw it and chose; only then may it leave."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from nacl.exceptions import CryptoError
from nacl.public import Box, PublicKey
from nacl.secret import SecretBox

from program.partner.envelope import open_envelope
from program.partner.keys import PartnerError
from program.service import Replenish
from tests.conftest import SMALL, Cli, enrolled, open_service

START = date(2026, 3, 2)
MOMENT = datetime(2026, 3, 2, 20, tzinfo=UTC)


def ask_program(tmp_path: Path) -> Path:
    """The small program with the check-in's free words `ask` and its energy `together`."""
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    path = folder / "basics.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('id = "words"\n', 'id = "words"\n  share = "ask"\n', 1)
    text = text.replace('id = "energy"\n', 'id = "energy"\n  share = "together"\n', 1)
    path.write_text(text, encoding="utf-8")
    return folder


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Replenish, Replenish, Clock]]:
    program = ask_program(tmp_path)
    clock = Clock(MOMENT)
    alex = enrolled(tmp_path / "alex", program, start=START, now=clock)
    sam = enrolled(tmp_path / "sam", program, start=START, now=clock)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    yield alex, sam, clock
    alex.close()
    sam.close()


def check_in(service: Replenish, day: int, words: str) -> None:
    service.save_answer("check-in", day, "energy", 5)
    service.save_answer("check-in", day, "words", words)
    service.complete("check-in", day)


def exchange(alex: Replenish, sam: Replenish) -> None:
    for _ in range(2):
        text, _ = alex.partner().send_bundle()
        sam.partner().receive_bundle(text)
        text, _ = sam.partner().send_bundle()
        alex.partner().receive_bundle(text)


def everything_in_the_envelopes(alex: Replenish, sam: Replenish) -> str:
    """Every envelope either side holds, opened with both devices' keys, and every sealed
    answer in them opened with every fresh key either side holds or sent: all as text."""
    opened: list[str] = []
    fresh: list[bytes] = []
    items: list[dict[str, object]] = []
    for service in (alex, sam):
        key, partner = service.partner().key(), service.store.partner()
        assert key is not None and partner is not None
        box = Box(key.secret, PublicKey(partner.public_key))
        fresh.extend(service.store.held_keys().values())
        for device in (key.device, partner.device):
            for envelope in service.store.envelopes(device):
                items.extend(open_envelope(box, envelope.body, device, "x").items)
    opened.append(json.dumps(items))
    fresh.extend(base64.b64decode(str(item["k"])) for item in items if item.get("t") == "key")
    for item in items:
        if item.get("t") != "commit":
            continue
        sealed = base64.b64decode(str(item["box"]))
        for key_bytes in fresh:
            try:
                opened.append(SecretBox(key_bytes).decrypt(sealed).decode("utf-8"))
            except CryptoError:
                continue
    return "\n".join(opened)


def test_an_ask_answer_leaves_only_once_chosen_and_exactly_as_shown(
    pair: tuple[Replenish, Replenish, Clock],
) -> None:
    alex, sam, _clock = pair
    check_in(alex, 1, "ALEX-WORDS tired\nbut hopeful")
    check_in(sam, 1, "SAM-WORDS quiet day")
    exchange(alex, sam)
    seen = everything_in_the_envelopes(alex, sam)
    assert "ALEX-WORDS" not in seen and "SAM-WORDS" not in seen
    assert '"5"' in seen or "5" in seen  # the together energy went, so opening works
    assert alex.revealed_pairs("check-in", "energy")
    [ready] = alex.ready_to_share()
    assert ready.text == "ALEX-WORDS tired\nbut hopeful" and ready.given.on == START
    assert ready.given.step.id == "words"
    alex.choose_share(ready, share=True)
    assert alex.ready_to_share() == []
    exchange(alex, sam)
    seen = everything_in_the_envelopes(alex, sam)
    assert "ALEX-WORDS" in seen and "SAM-WORDS" not in seen  # Sam has not chosen yet
    assert alex.revealed_pairs("check-in", "words") == []  # Sam's half is not in
    sam.choose_share(sam.ready_to_share()[0], share=True)
    exchange(alex, sam)
    [mine] = alex.revealed_pairs("check-in", "words")
    assert (mine.on, mine.mine, mine.theirs) == (START, "ALEX-WORDS tired\nbut hopeful",
                                                 "SAM-WORDS quiet day")
    [theirs] = sam.revealed_pairs("check-in", "words")
    assert (theirs.mine, theirs.theirs) == ("SAM-WORDS quiet day", "ALEX-WORDS tired\nbut hopeful")


def test_an_answer_kept_private_never_leaves(pair: tuple[Replenish, Replenish, Clock]) -> None:
    alex, sam, _clock = pair
    check_in(alex, 1, "KEPT-WORDS only mine")
    check_in(sam, 1, "sam shares")
    alex.choose_share(alex.ready_to_share()[0], share=False)
    sam.choose_share(sam.ready_to_share()[0], share=True)
    exchange(alex, sam)
    assert alex.ready_to_share() == []
    alex.save_answer("check-in", 1, "words", "KEPT-WORDS changed later")
    exchange(alex, sam)
    assert "KEPT-WORDS" not in everything_in_the_envelopes(alex, sam)
    assert alex.revealed_pairs("check-in", "words") == []
    assert sam.revealed_pairs("check-in", "words") == []
    status = sam.partner_status()
    assert status is not None
    assert any("waiting for Alex's half" in line for line in status.waiting)


def test_a_change_after_sharing_stays_here_and_the_first_stands(
    pair: tuple[Replenish, Replenish, Clock],
) -> None:
    alex, sam, _clock = pair
    check_in(alex, 1, "FIRST words")
    check_in(sam, 1, "sam's")
    alex.choose_share(alex.ready_to_share()[0], share=True)
    alex.save_answer("check-in", 1, "words", "SECOND words")  # before it was even sent
    sam.choose_share(sam.ready_to_share()[0], share=True)
    exchange(alex, sam)
    seen = everything_in_the_envelopes(alex, sam)
    assert "FIRST words" in seen and "SECOND words" not in seen
    assert [pair.theirs for pair in sam.revealed_pairs("check-in", "words")] == ["FIRST words"]
    status = alex.partner_status()
    assert status is not None
    assert any("already shared" in line and "sees the first" in line for line in status.problems)
    assert alex.ready_to_share() == []


def test_an_answer_changed_since_it_was_shown_is_not_shared(
    pair: tuple[Replenish, Replenish, Clock],
) -> None:
    alex, _sam, _clock = pair
    check_in(alex, 1, "as shown")
    [shown] = alex.ready_to_share()
    alex.save_answer("check-in", 1, "words", "typed since")
    with pytest.raises(PartnerError, match="changed since it was shown"):
        alex.choose_share(shown, share=True)
    [again] = alex.ready_to_share()
    assert again.text == "typed since" and again.id != shown.id
    alex.choose_share(again, share=True)
    with pytest.raises(PartnerError, match="first choice stands"):
        alex.choose_share(again, share=False)


def test_nothing_waits_for_an_exercise_not_done_or_an_empty_answer(
    pair: tuple[Replenish, Replenish, Clock],
) -> None:
    alex, _sam, clock = pair
    alex.save_answer("check-in", 1, "words", "not done yet")
    assert alex.ready_to_share() == []
    alex.complete("check-in", 1)
    assert len(alex.ready_to_share()) == 1
    clock.at += timedelta(days=1)
    check_in(alex, 2, "   ")
    assert len(alex.ready_to_share()) == 1


def test_the_command_line_lists_shares_and_keeps_by_id(
    pair: tuple[Replenish, Replenish, Clock], tmp_path: Path
) -> None:
    alex, sam, _clock = pair
    check_in(alex, 1, "CLI words\nsecond line \x1b[31mred")
    (tmp_path / "shared").mkdir()
    alex.partner().link(tmp_path / "shared")
    alex.close()
    sam.close()
    program = str(tmp_path / "program")
    cli = Cli(tmp_path / "alex", now=MOMENT.isoformat())
    synced = cli("--program", program, "partner", "sync")
    assert "1 answer waits for you to share or keep: `replenish partner show`." in synced.out
    assert "CLI words" not in synced.out
    shown = cli("--program", program, "partner", "show")
    assert shown.code == 0, shown.err
    assert "Ready to share with Sam" in shown.out
    assert "      CLI words\n      second line " in shown.out and "\x1b" not in shown.out
    [line] = [line for line in shown.out.splitlines() if line.startswith("  [")]
    given = line[3 : line.index("]")]
    assert "Mon 02 Mar" in line and "A few words, if you like." in line
    wrong = cli("--program", program, "partner", "share", "nothere")
    assert wrong.code == 1 and "nothere: not an answer ready to share" in wrong.err
    shared = cli("--program", program, "partner", "share", given)
    assert shared.code == 0, shared.err
    assert f"[{given}] will go to Sam" in shared.out
    assert "Ready to share" not in cli("--program", program, "partner", "show").out
    again = cli("--program", program, "partner", "keep", given)
    assert again.code == 1 and "not an answer ready to share" in again.err
    with open_service(tmp_path / "alex", tmp_path / "program", MOMENT) as service:
        assert list(service.store.share_choices()) == [f"check-in/{START}/words"]
