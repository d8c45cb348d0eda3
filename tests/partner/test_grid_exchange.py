"""Both partners' workload maps, two data folders on one machine exchanging through a
temporary folder: each fills the map alone; neither is revealed before both are in; then
both sides see the same differences, each from their own side, and no added row travels."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from program import journal
from program.service import Replenish
from tests.conftest import BUNDLED, enrolled

START = date(2026, 3, 2)
DAY = 16
ON = datetime(2026, 3, 17, 20, 0, tzinfo=UTC)
"""The evening of day 16, the map's day, for both."""

ALEX_MAP = {
    "cells": {
        "Meals and food shopping": {"notice": "me", "plan": "me", "do": "both", "drain": 3},
        "Cleaning and laundry": {"notice": "both", "plan": "both", "do": "me", "drain": 2},
        "Bills, money and paperwork": {"notice": "partner", "plan": "partner", "do": "partner"},
        "Our neighbour's dog": {"do": "me", "drain": 4},
    },
    "added": ["Our neighbour's dog"],
}
SAM_MAP = {
    "cells": {
        "Meals and food shopping": {"notice": "me", "plan": "me", "do": "both", "drain": 1},
        "Cleaning and laundry": {"notice": "both", "plan": "both", "do": "both"},
        "Bills, money and paperwork": {
            "notice": "partner",
            "plan": "partner",
            "do": "partner",
            "drain": 4,
        },
    },
    "added": [],
}


def pair(tmp_path: Path) -> tuple[Replenish, Replenish, Path]:
    alex = enrolled(tmp_path / "alex", BUNDLED, start=START, now=ON)
    sam = enrolled(tmp_path / "sam", BUNDLED, start=START, now=ON)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    shared = tmp_path / "shared"
    shared.mkdir()
    alex.partner().link(shared)
    sam.partner().link(shared)
    return alex, sam, shared


def fill(service: Replenish, value: dict[str, object]) -> None:
    service.save_answer("task-inventory", DAY, "map", value)  # type: ignore[arg-type]
    service.save_answer("task-inventory", DAY, "partner-carries", "PRIVATE-REFLECTION")
    service.complete("task-inventory", DAY)


def talk(service: Replenish) -> journal.MapTalk:
    (found,) = journal.map_talks(service)
    return found


def test_both_maps_are_revealed_only_when_both_are_in_then_only_differences_show(
    tmp_path: Path,
) -> None:
    alex, sam, shared = pair(tmp_path)
    try:
        assert "Once you have both filled in" in talk(alex).waiting
        fill(alex, ALEX_MAP)
        for _ in range(2):
            alex.partner().sync()
            sam.partner().sync()
        assert alex.revealed_pairs("task-inventory", "map") == []
        assert sam.revealed_pairs("task-inventory", "map") == []
        assert talk(alex).waiting == "Waiting for Sam's half of the map."
        assert not talk(alex).revealed and talk(alex).questions == ()
        assert not talk(sam).revealed  # Alex's half is in, sealed: Sam cannot read it yet
        fill(sam, SAM_MAP)
        for _ in range(2):
            sam.partner().sync()
            alex.partner().sync()
        (pair_a,) = alex.revealed_pairs("task-inventory", "map")
        assert pair_a.on == date(2026, 3, 17)
        assert "Our neighbour's dog" not in json.dumps(pair_a.theirs)
        seen_by_sam = sam.revealed_pairs("task-inventory", "map")[0].theirs
        assert "neighbour" not in json.dumps(seen_by_sam), "an added row never leaves"
        for_alex, for_sam = talk(alex), talk(sam)
        assert for_alex.revealed and for_sam.revealed
        assert for_alex.questions == (
            "Meals and food shopping: you both think you notice and plan it. What does that "
            "look like for each of you?",
            "Cleaning and laundry: you see yourself doing it; Sam sees it as shared. How does "
            "it look from each side?",
            "Bills, money and paperwork: you each think the other one notices, plans and does "
            "it. What might each of you be doing there that the other does not see?",
        )
        assert for_sam.questions[1] == (
            "Cleaning and laundry: you see doing it as shared; Alex sees themselves doing it. "
            "How does it look from each side?"
        )
        assert for_alex.then_ask.endswith("what might your partner carry that you don't see?")
        for question in for_alex.questions + for_sam.questions:
            assert not re.search(r"[0-9%]", question), question
        # The added row stayed here by design: that is not a change after sharing.
        assert alex.partner().status().problems == ()
        for path in shared.rglob("*"):
            if path.is_file():
                body = path.read_bytes()
                assert b"neighbour" not in body and b"PRIVATE-REFLECTION" not in body
    finally:
        alex.close()
        sam.close()


def test_a_safety_flag_on_this_side_offers_no_map_talk(tmp_path: Path) -> None:
    alex, sam, _shared = pair(tmp_path)
    try:
        assert journal.map_talks(alex)
        alex.save_answer("taking-stock", 1, "afraid", "Sometimes")  # raises safety-concern
        assert alex.safety_raised()
        assert journal.map_talks(alex) == ()
    finally:
        alex.close()
        sam.close()


def test_alone_the_map_reads_well_in_the_journal_and_the_export(tmp_path: Path) -> None:
    from program import export

    alex = enrolled(tmp_path / "alex", BUNDLED, start=START, now=ON)
    try:
        fill(alex, ALEX_MAP)
        assert journal.map_talks(alex) == (), "no partner: nothing on Together"
        rows = [(row.prompt, row.answer) for row in journal.workload_rows(alex)]
        assert rows == [
            ("Meals and food shopping", "I notice, I plan, we both do; quite draining"),
            ("Cleaning and laundry", "We both notice, we both plan, I do; a bit draining"),
            (
                "Bills, money and paperwork",
                "My partner notices, my partner plans, my partner does",
            ),
            ("Our neighbour's dog (my own row)", "I do; very draining"),
        ]
        markdown = export.as_markdown(alex)
        assert (
            "- Meals and food shopping: I notice, I plan, we both do; quite draining\n"
            "- Cleaning and laundry:" in markdown
        )
    finally:
        alex.close()
