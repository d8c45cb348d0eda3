"""`replenish do` on a grid step: four numbers a row, rows of one's own, saved as the app
saves them (the same JSON, each row the moment it is typed)."""

from __future__ import annotations

import io

import pytest

from program.content.steps import GridStep
from program.plain.talk import Move, Talk
from program.plain.views import GridPlain, grid_cells
from state import JSONValue

STEP = GridStep(id="who", prompt="Who holds what?", rows=("Meals", "Laundry"), add_own=1)


class Lines:
    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)

    def read(self, timeout: float | None = None) -> str | None:
        return self.lines.pop(0) if self.lines else None


def run(value: JSONValue, *lines: str) -> tuple[Move, list[JSONValue], str]:
    saves: list[JSONValue] = []

    def save(given: JSONValue) -> bool:
        saves.append(given)
        return True

    out = io.StringIO()
    move = GridPlain(STEP, value, save).run(Talk(Lines(*lines), out))
    return move, saves, out.getvalue()


def test_a_map_by_lines_each_row_saved_as_it_is_typed() -> None:
    move, saves, out = run(None, "1 3 2 4", "7", "2", "Walking the dog", "3333")
    assert move is Move.NEXT
    assert saves[0] == {
        "cells": {"Meals": {"notice": "me", "plan": "both", "do": "partner", "drain": 4}},
        "added": [],
    }
    assert "Please type up to four numbers from 0 to 4" in out  # "7" is asked again
    assert saves[1]["cells"]["Laundry"] == {"notice": "partner"}  # type: ignore[index,call-overload]
    assert saves[-1] == {
        "cells": {
            "Meals": {"notice": "me", "plan": "both", "do": "partner", "drain": 4},
            "Laundry": {"notice": "partner"},
            "Walking the dog": {"notice": "both", "plan": "both", "do": "both", "drain": 3},
        },
        "added": ["Walking the dog"],
    }
    assert "Saved: I notice, we both plan, my partner does; very draining." in out
    assert "1 of 2. Meals." in out and "3 of 3. Walking the dog." in out
    assert "A task of your own" in out


def test_an_empty_line_keeps_a_row_and_a_zero_clears_one_cell() -> None:
    before = {"cells": {"Meals": {"notice": "me", "drain": 2}}, "added": []}
    move, saves, out = run(before, "", "0 0 1", "")
    assert move is Move.NEXT
    assert "Now: I notice; a bit draining." in out
    assert saves == [
        {"cells": {"Meals": {"notice": "me", "drain": 2}, "Laundry": {"do": "me"}}, "added": []}
    ]


def test_a_label_already_on_the_map_is_refused_and_commands_still_work() -> None:
    move, saves, out = run(None, "", "", "  meals ", "back")
    assert move is Move.BACK and saves == []
    assert "That task is on the map already." in out


@pytest.mark.parametrize(
    ("reply", "cells"),
    [
        ("1324", {"notice": "me", "plan": "both", "do": "partner", "drain": 4}),
        ("4, 4", {"notice": "neither", "plan": "neither"}),
        ("0", {}),
        ("1 2 3 4 1", None),
        ("12 3", None),
        ("5", None),
        ("me", None),
    ],
)
def test_the_numbers_typed(reply: str, cells: dict[str, object] | None) -> None:
    assert grid_cells(reply, {}) == cells
