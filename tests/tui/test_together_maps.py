"""The Together screen's workload maps at 80x24: waiting for the partner's half, then only
where the two maps differ, as questions, names shown literally, never a number."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from program.service import Replenish
from program.tui.app import ReplenishApp
from program.tui.screens.together import TogetherScreen
from tests.tui.conftest import make_app, screen_text, wait_for
from tests.tui.test_together import fixed_place, paired, settled

__all__ = ["fixed_place"]  # the fixture, used by name below

MINE = {
    "cells": {
        "Meals and food shopping": {"notice": "me", "plan": "me", "do": "both", "drain": 3},
        "Cleaning and laundry": {"notice": "both", "plan": "both", "do": "me", "drain": 2},
        "Time together as a couple": {"notice": "neither", "plan": "partner"},
    },
    "added": ["Our neighbour's dog"],
}
THEIRS = {
    "cells": {
        "Meals and food shopping": {"notice": "partner", "plan": "partner", "do": "both"},
        "Cleaning and laundry": {"notice": "both", "plan": "both", "do": "both"},
        "Time together as a couple": {"notice": "neither", "plan": "neither"},
    },
    "added": [],
}


def fill(service: Replenish, value: dict[str, object]) -> None:
    service.save_answer("task-inventory", 1, "map", value)  # type: ignore[arg-type]
    service.complete("task-inventory", 1)


def words_of(app: ReplenishApp) -> str:
    """Every line the Together screen holds, scrolled into view or not."""
    if not isinstance(app.screen, TogetherScreen):
        return ""
    body = app.screen.query_one("#together-body")
    return "\n".join(str(line.render()) for line in body.query(Static))


async def test_together_waits_for_the_partners_half_then_shows_only_the_differences(
    tmp_path: Path,
) -> None:
    alex, sam, _shared = paired(tmp_path)
    fill(alex, MINE)
    alex.partner().sync()
    alex.close()
    app = make_app(tmp_path / "alex")
    app.partner_sync_every = 3600  # only Sync now exchanges here
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "your two maps" in words_of(app))
        await app.workers.wait_for_complete()
        shown = screen_text(app)
        assert "Mapping the load: your two maps" in shown
        assert "Waiting for Sam [31m's half of the map." in shown  # the name as given, inert
        fill(sam, THEIRS)
        sam.partner().sync()
        await pilot.press("s")
        await wait_for(pilot, lambda: "Neither map is the right one" in words_of(app))
        words = words_of(app)
        assert "Cleaning and laundry: you see yourself doing it; Sam [31m sees it as shared." in (
            words
        )
        assert "Meals and food shopping" not in words, "where the maps agree, nothing is said"
        assert "Time together as a couple: you see Sam [31m planning it;" in words
        assert "what might your partner carry that you don't see?" in words
        assert "neighbour" not in words
        maps = words[words.index("your two maps") : words.index("Check-ins side by side")]
        assert not re.search(r"[0-9%]", maps.replace("[31m", "")), maps
    app.service.close()
    sam.close()


SnapCompare = Callable[..., bool]


def test_snapshot_together_with_the_maps_differences(
    snap_compare: SnapCompare, fixed_place: Path
) -> None:
    alex, sam, _shared = paired(fixed_place)
    fill(alex, MINE)
    alex.partner().sync()
    fill(sam, THEIRS)
    sam.partner().sync()
    alex.partner().sync()
    alex.close()
    sam.close()
    app = make_app(fixed_place / "alex")
    app.partner_sync_every = 3600
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)
