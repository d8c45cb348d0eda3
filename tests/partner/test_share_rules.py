"""`share` in the program format, and that no envelope ever holds a safety answer."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from nacl.public import Box, PublicKey

from program.content import load_program
from program.partner.envelope import open_envelope
from tests.conftest import BUNDLED, SMALL, Cli, enrolled


def _small_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    path = folder / "basics.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('id = "words"\n', 'id = "words"\n  share = "together"\n', ["own words", 'share = "ask"']),
        ('id = "energy"\n', 'id = "energy"\n  share = "always"\n', ['share "always"', "never"]),
        (
            'kind = "read"\n',
            'kind = "read"\n  share = "together"\n',
            ["saves no answer", "remove share"],
        ),
    ],
    ids=["free text together", "unknown value", "nothing to share"],
)
def test_validate_refuses_share_where_it_cannot_be(
    tmp_path: Path, cli: Cli, old: str, new: str, words: list[str]
) -> None:
    folder = _small_with(tmp_path, old, new)
    result = cli("validate", str(folder))
    assert result.code == 1
    line = next(line for line in (result.out + result.err).splitlines() if "basics.toml:" in line)
    assert "basics.toml:" in line and all(word in line for word in words), line


def test_share_ask_on_free_text_and_together_on_a_scale_are_valid(tmp_path: Path) -> None:
    folder = _small_with(tmp_path, 'id = "words"\n', 'id = "words"\n  share = "ask"\n')
    path = folder / "basics.toml"
    path.write_text(
        path.read_text().replace('id = "energy"\n', 'id = "energy"\n  share = "together"\n', 1)
    )
    program = load_program(folder)
    steps = {step.id: step.share for exercise in program.exercises for step in exercise.steps}
    assert steps["words"] == "ask" and steps["energy"] == "together"
    assert steps["closeness"] == "never"


def test_the_bundled_program_shares_the_check_ins_two_scales_the_map_and_asks_for_one_memory() -> (
    None
):
    program = load_program(BUNDLED)
    shared = {
        (exercise.id, step.id, step.share)
        for exercise in program.exercises
        for step in exercise.steps
        if step.share != "never"
    }
    assert shared == {
        ("check-in", "energy", "together"),
        ("check-in", "closeness", "together"),
        ("task-inventory", "map", "together"),
        ("still-connected", "good-moment", "ask"),  # own words: only once the user chose
    }


def test_no_envelope_ever_holds_a_safety_answer(tmp_path: Path) -> None:
    """Every answer of the bundled program given on both sides, then every envelope opened
    (the box and each sealed answer, keys and all): no safety step's answer is in any."""
    moment = datetime(2026, 3, 2, 20, tzinfo=UTC)
    alex = enrolled(tmp_path / "a", BUNDLED, start=date(2026, 3, 2), now=moment)
    sam = enrolled(tmp_path / "s", BUNDLED, start=date(2026, 3, 2), now=moment)
    try:
        reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
        assert reply is not None
        alex.partner().join(reply.armored(), "Alex")
        marker = "SAFETY-ANSWER-MARKER"
        safety = {"feel-safe", "afraid"}
        for service in (alex, sam):
            for exercise in service.program.exercises:
                for step in exercise.steps:
                    if step.takes_answer:
                        value = marker if step.id in safety else 5
                        service.save_answer(exercise.id, 1, step.id, value)
                service.complete(exercise.id, 1)
        for _ in range(2):
            text, _ = alex.partner().send_bundle()
            sam.partner().receive_bundle(text)
            text, _ = sam.partner().send_bundle()
            alex.partner().receive_bundle(text)
        # the safety answers raised no flag (a marker is no option), so sharing ran
        assert alex.revealed_pairs("check-in", "energy")
        key = alex.partner().key()
        partner = alex.store.partner()
        assert key is not None and partner is not None
        box = Box(key.secret, PublicKey(partner.public_key))
        for device in (key.device, partner.device):
            for envelope in alex.store.envelopes(device):
                assert marker.encode() not in envelope.body
                opened = open_envelope(box, envelope.body, device, "x")
                assert marker not in json.dumps(opened.items)
                assert "afraid" not in json.dumps(opened.items)
        for pair in alex.revealed_pairs("check-in", "closeness"):
            assert marker not in json.dumps([pair.mine, pair.theirs])
    finally:
        alex.close()
        sam.close()


def test_validate_refuses_share_on_a_safety_step(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "program"
    shutil.copytree(BUNDLED, folder)
    path = folder / "intake.toml"
    text = path.read_text(encoding="utf-8")
    old = '  id = "afraid"\n'
    assert old in text
    path.write_text(text.replace(old, old + '  share = "together"\n', 1), encoding="utf-8")
    result = cli("validate", str(folder))
    assert result.code == 1
    lines = [line for line in (result.out + result.err).splitlines() if "safety step" in line]
    assert len(lines) == 1 and "intake.toml:" in lines[0] and '"afraid"' in lines[0]


def test_the_bundled_memory_waits_for_a_choice_and_leaves_only_once_shared(
    tmp_path: Path,
) -> None:
    start, on = date(2026, 3, 2), datetime(2026, 3, 9, 20, tzinfo=UTC)  # day 8
    alex = enrolled(tmp_path / "alex", BUNDLED, start=start, now=on)
    sam = enrolled(tmp_path / "sam", BUNDLED, start=start, now=on)
    try:
        reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
        assert reply is not None
        alex.partner().join(reply.armored(), "Alex")
        alex.save_answer("still-connected", 8, "good-moment", "MEMORY: the rainy picnic")
        alex.complete("still-connected", 8)
        alex.partner().send_bundle()
        assert not [w for w in alex.partner().status().waiting if "good-moment" in w]
        [ready] = alex.partner().ready_to_share()
        assert ready.text == "MEMORY: the rainy picnic"
        alex.partner().choose(ready, share=True)
        alex.partner().send_bundle()
        assert alex.partner().ready_to_share() == []
        assert [w for w in alex.partner().status().waiting if "good-moment" in w]
    finally:
        alex.close()
        sam.close()
