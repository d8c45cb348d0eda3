"""Two data folders on one machine exchanging through a folder and through text bundles."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from program.partner.envelope import file_name, unbundle
from program.partner.keys import PartnerError
from program.service import Replenish
from tests.conftest import BUNDLED, Cli, enrolled

START = date(2026, 3, 2)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Callable[..., tuple[Replenish, Replenish, Clock, Clock]]]:
    made: list[Replenish] = []

    def make(
        zone_a: timezone = UTC, zone_b: timezone = UTC, hour_a: int = 4, hour_b: int = 4
    ) -> tuple[Replenish, Replenish, Clock, Clock]:
        clock_a = Clock(datetime(2026, 3, 2, 20, 0, tzinfo=zone_a))
        clock_b = Clock(datetime(2026, 3, 2, 20, 0, tzinfo=zone_b))
        alex = enrolled(tmp_path / "alex", BUNDLED, start=START, now=clock_a, hour=hour_a)
        sam = enrolled(tmp_path / "sam", BUNDLED, start=START, now=clock_b, hour=hour_b)
        made.extend((alex, sam))
        invitation = alex.partner().invite("Alex").armored()
        reply, words_b = sam.partner().join(invitation, "Sam")
        assert reply is not None
        again, words_a = alex.partner().join(reply.armored(), "Alex")
        assert again is None and words_a == words_b
        return alex, sam, clock_a, clock_b

    yield make
    for service in made:
        service.close()


def check_in(service: Replenish, day: int, energy: int, closeness: int) -> None:
    service.save_answer("check-in", day, "energy", energy)
    service.save_answer("check-in", day, "closeness", closeness)
    service.save_answer("check-in", day, "words", "private words, never sent")
    service.complete("check-in", day)


def by_hand(sender: Replenish, receiver: Replenish) -> None:
    text, _ = sender.partner().send_bundle()
    receiver.partner().receive_bundle(text)


def test_pairing_by_the_command_line_shows_the_same_six_words(tmp_path: Path) -> None:
    alex, sam = Cli(tmp_path / "alex"), Cli(tmp_path / "sam")
    invited = alex("partner", "invite", "--name", "Alex", "-o", str(tmp_path / "invite.txt"))
    assert invited.code == 0, invited.err
    joined = sam("partner", "join", str(tmp_path / "invite.txt"), "--name", "Sam")
    assert joined.code == 0, joined.err
    assert "Paired with Alex." in joined.out
    reply = joined.out[joined.out.index("-----BEGIN") : joined.out.index("-----\nYour") + 6]
    back = alex("partner", "join", "-", input=reply)
    assert back.code == 0, back.err
    words = [line for line in (joined.out + back.out).splitlines() if "six words" in line]
    assert len(words) == 2 and words[0] == words[1] and len(words[0].split(": ")[1].split()) == 6
    assert (tmp_path / "alex" / "partner.key").stat().st_mode & 0o777 == 0o600
    shown = sam("partner", "show")
    assert "Paired with Alex." in shown.out and words[0].split(": ")[1] in shown.out
    left = sam("partner", "leave")
    assert left.code == 0 and "Unpaired from Alex" in left.out
    assert "Not paired" in sam("partner", "show").out
    assert not (tmp_path / "sam" / "partner.key").exists()


def test_check_ins_are_revealed_per_day_only_when_both_are_in(two: Callable[..., tuple]) -> None:
    alex, sam, clock_a, clock_b = two()
    check_in(alex, 1, 3, 6)
    by_hand(alex, sam)
    by_hand(sam, alex)
    assert alex.revealed_pairs("check-in", "energy") == []
    assert sam.revealed_pairs("check-in", "energy") == []
    status = alex.partner_status()
    assert status is not None
    assert any("waiting for Sam's half" in line for line in status.waiting)
    check_in(sam, 1, 7, 5)
    for _ in range(2):
        by_hand(sam, alex)
        by_hand(alex, sam)
    for service, mine, theirs in ((alex, 3, 7), (sam, 7, 3)):
        pairs = service.revealed_pairs("check-in", "energy")
        assert [(p.on, p.mine, p.theirs) for p in pairs] == [(START, mine, theirs)]
    # day 2: only Alex checks in; day 1 stays revealed, day 2 waits
    clock_a.at += timedelta(days=1)
    clock_b.at += timedelta(days=1)
    check_in(alex, 2, 4, 4)
    by_hand(alex, sam)
    by_hand(sam, alex)
    assert len(sam.revealed_pairs("check-in", "closeness")) == 1


def test_a_folder_exchange_ignores_conflict_copies_and_temporaries(
    two: Callable[..., tuple], tmp_path: Path
) -> None:
    alex, sam, _a, _b = two()
    shared = tmp_path / "Sync"
    shared.mkdir()
    alex.partner().link(shared)
    sam.partner().link(shared)
    check_in(alex, 1, 2, 8)
    check_in(sam, 1, 9, 1)
    for _ in range(2):
        assert alex.partner().sync().problems == ()
        assert sam.partner().sync().problems == ()
    alex_dir = shared / alex.partner().key().device  # type: ignore[union-attr]
    files = sorted(path.name for path in alex_dir.iterdir())
    assert files == [file_name(n) for n in range(1, len(files) + 1)]
    (alex_dir / "000001.sync-conflict-20260302-120000-ABC.env").write_text("garbage")
    (alex_dir / "000002 (Sam's conflicted copy 2026-03-02).env").write_text("garbage")
    (alex_dir / ".000009.env.x1y2.tmp").write_text('{"v":1,')
    report = sam.partner().sync()
    assert report.problems == ()
    assert [p.theirs for p in sam.revealed_pairs("check-in", "energy")] == [2]
    for name in os.listdir(alex_dir):  # nothing private ever in the shared folder
        assert b"private words" not in (alex_dir / name).read_bytes()


def _chain(alex: Replenish, sam: Replenish, days: int) -> list[bytes]:
    for day in range(1, days + 1):
        check_in(alex, day, day % 11, 10 - day % 11)
        alex.partner().send_bundle()
    return [e.body for e in alex.store.envelopes(alex.partner().key().device)]  # type: ignore[union-attr]


def _receive(sam: Replenish, bodies: list[bytes]) -> tuple[str, ...]:
    from program.partner.envelope import bundle

    return sam.partner().receive_bundle(bundle(bodies)).problems


def _held(sam: Replenish, alex: Replenish) -> list[int]:
    return [e.seq for e in sam.store.envelopes(alex.partner().key().device)]  # type: ignore[union-attr]


def test_a_tampered_envelope_is_reported_and_nothing_merged(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    bodies = _chain(alex, sam, 2)
    outer = json.loads(bodies[0])
    box = bytearray(outer["box"].encode())
    box[40] = ord("A") if box[40] != ord("A") else ord("B")
    outer["box"] = box.decode()
    tampered = (json.dumps(outer, separators=(",", ":")) + "\n").encode()
    problems = _receive(sam, [tampered, bodies[1]])
    assert any("envelope 1 from Alex was altered" in p for p in problems)
    assert any("envelope 1 from Alex has not arrived" in p for p in problems)
    status = sam.partner_status()
    assert status is not None and status.waiting == ()  # nothing of envelope 2 merged either


def test_a_truncated_envelope_is_reported(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    bodies = _chain(alex, sam, 1)
    problems = _receive(sam, [bodies[0][: len(bodies[0]) // 2]])
    assert any("cut short or damaged" in p for p in problems)
    assert _held(sam, alex) == []


def test_a_changed_header_is_reported(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    bodies = _chain(alex, sam, 2)
    outer = json.loads(bodies[1])
    outer["prev"] = "0" * 64
    changed = (json.dumps(outer, separators=(",", ":")) + "\n").encode()
    problems = _receive(sam, [bodies[0], changed])
    assert any("outside of envelope 2 from Alex was changed" in p for p in problems)
    assert _held(sam, alex) == [1]


def test_a_replayed_envelope_under_a_later_name_is_reported(
    two: Callable[..., tuple], tmp_path: Path
) -> None:
    alex, sam, _a, _b = two()
    shared = tmp_path / "Sync"
    shared.mkdir()
    alex.partner().link(shared)
    sam.partner().link(shared)
    _chain(alex, sam, 2)
    alex.partner().sync()
    folder = shared / alex.partner().key().device  # type: ignore[union-attr]
    (folder / "000003.env").write_bytes((folder / "000001.env").read_bytes())
    problems = sam.partner().sync().problems
    assert any("file for envelope 3 from Alex holds envelope 1" in p for p in problems)
    assert _held(sam, alex) == [1, 2]


def test_reordered_files_are_reported_and_nothing_after_them_merged(
    two: Callable[..., tuple], tmp_path: Path
) -> None:
    alex, sam, _a, _b = two()
    shared = tmp_path / "Sync"
    shared.mkdir()
    alex.partner().link(shared)
    sam.partner().link(shared)
    _chain(alex, sam, 3)
    alex.partner().sync()
    folder = shared / alex.partner().key().device  # type: ignore[union-attr]
    one, two_ = folder / "000001.env", folder / "000002.env"
    first, second = one.read_bytes(), two_.read_bytes()
    one.write_bytes(second)
    two_.write_bytes(first)
    problems = sam.partner().sync().problems
    assert any("renamed, reordered or replayed" in p for p in problems)
    assert any("envelope 1 from Alex has not arrived" in p for p in problems)
    status = sam.partner_status()
    assert status is not None and status.waiting == ()


def test_a_second_different_envelope_with_the_same_number_is_refused(
    two: Callable[..., tuple],
) -> None:
    alex, sam, _a, _b = two()
    bodies = _chain(alex, sam, 1)
    assert _receive(sam, bodies) == ()
    # Alex's device seals another envelope 1 (a copy restored from a backup, say)
    from nacl.public import Box, PublicKey

    from program.partner.envelope import NO_PREVIOUS, seal

    key = alex.partner().key()
    assert key is not None
    box = Box(key.secret, PublicKey(sam.partner().key().public))  # type: ignore[union-attr]
    forged = seal(box, key.device, 1, NO_PREVIOUS, [{"t": "pause"}])
    problems = _receive(sam, [forged])
    assert any("second, different envelope 1" in p for p in problems)
    status = sam.partner_status()
    assert status is not None and not status.partner_paused


def test_duplicates_are_harmless(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    bodies = _chain(alex, sam, 2)
    assert _receive(sam, bodies + bodies + bodies[:1]) == ()
    assert _held(sam, alex) == [1, 2]
    with pytest.raises(PartnerError, match="no envelopes found"):
        sam.partner().receive_bundle("\n".join(map(bytes.decode, bodies)))  # no markers


def test_an_envelope_of_our_own_is_refused_as_the_partner_s(two: Callable[..., tuple]) -> None:
    _alex, sam, _a, _b = two()
    check_in(sam, 1, 1, 1)
    sam.partner().send_bundle()
    own = [e.body for e in sam.store.envelopes(sam.partner().key().device)]  # type: ignore[union-attr]
    problems = _receive(sam, own)
    assert any("not written by Alex's device" in p for p in problems)


def test_a_bundle_broken_by_a_mail_program_still_reads(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    check_in(alex, 1, 5, 5)
    text, _ = alex.partner().send_bundle()
    wrapped = "\n".join(
        "> " + line[i : i + 60] for line in text.splitlines() for i in range(0, len(line), 60)
    )
    assert len(unbundle(wrapped) or []) == len(unbundle(text) or []) == 1
    assert sam.partner().receive_bundle("Hi!\n" + wrapped + "\nlove, A").problems == ()


def test_a_second_answer_for_the_same_step_is_refused(two: Callable[..., tuple]) -> None:
    alex, sam, _a, _b = two()
    check_in(alex, 1, 3, 3)
    check_in(sam, 1, 8, 8)
    for _ in range(2):
        by_hand(alex, sam)
        by_hand(sam, alex)
    alex.reopen("check-in", 1)
    check_in(alex, 1, 10, 10)  # Alex changes their mind after seeing Sam's
    by_hand(alex, sam)
    status = alex.partner_status()
    assert status is not None
    assert any("already shared" in problem for problem in status.problems)
    assert [p.theirs for p in sam.revealed_pairs("check-in", "energy")] == [3]


def test_partners_in_different_zones_and_day_starts_compare_the_same_day(
    two: Callable[..., tuple],
) -> None:
    # Alex in Los Angeles (days begin at 04:00), Sam in Sydney (days begin at midnight):
    # each checks in on their own 2 March, hours apart in absolute time.
    alex, sam, clock_a, clock_b = two(
        timezone(timedelta(hours=-8)), timezone(timedelta(hours=11)), 4, 0
    )
    clock_a.at = datetime(2026, 3, 3, 2, 30, tzinfo=timezone(timedelta(hours=-8)))  # still 2 Mar
    clock_b.at = datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=11)))
    check_in(alex, 1, 2, 2)
    check_in(sam, 1, 6, 6)
    for _ in range(2):
        by_hand(alex, sam)
        by_hand(sam, alex)
    assert [(p.on, p.theirs) for p in alex.revealed_pairs("check-in", "energy")] == [(START, 6)]
    assert [(p.on, p.theirs) for p in sam.revealed_pairs("check-in", "energy")] == [(START, 2)]


def test_a_raised_safety_flag_stops_sending_and_shows_only_a_pause(
    two: Callable[..., tuple],
) -> None:
    alex, sam, _a, _b = two()
    check_in(sam, 1, 5, 5)
    alex.save_answer("taking-stock", 1, "afraid", "Sometimes")  # raises safety-concern
    assert "safety-concern" in alex.flags()
    check_in(alex, 1, 1, 1)
    for _ in range(2):
        by_hand(alex, sam)
        by_hand(sam, alex)
    status = sam.partner_status()
    assert status is not None and status.partner_paused
    assert sam.revealed_pairs("check-in", "energy") == []
    assert alex.revealed_pairs("check-in", "energy") == []  # Alex sent no key either
    sealed = alex.partner()._sides()[3]
    items = [item for item in sealed.items]
    assert items == [{"t": "pause"}]  # the pause alone: no answer, no key, no reason
    shown = Cli(sam.store.data_dir)("partner", "show")
    assert "Alex has paused sharing." in shown.out and "safety" not in shown.out.lower()


def test_a_paused_plan_shows_the_partner_the_same_pause_as_a_safety_flag(
    two: Callable[..., tuple],
) -> None:
    """A pause must not say why: were only a safety flag to pause sharing, the partner
    would read the pause as a disclosure. An ordinary pause of the plan sends the same."""
    alex, sam, _a, _b = two()
    check_in(sam, 1, 5, 5)
    check_in(alex, 1, 1, 1)
    alex.pause()
    for _ in range(2):
        by_hand(alex, sam)
        by_hand(sam, alex)
    status = sam.partner_status()
    assert status is not None and status.partner_paused
    assert sam.revealed_pairs("check-in", "energy") == []
    assert list(alex.partner()._sides()[3].items) == [{"t": "pause"}]
    alex.resume()
    for _ in range(2):
        by_hand(alex, sam)
        by_hand(sam, alex)
    status = sam.partner_status()
    assert status is not None and not status.partner_paused
    assert [p.theirs for p in sam.revealed_pairs("check-in", "energy")] == [1]
