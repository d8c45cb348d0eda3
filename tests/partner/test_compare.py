"""Where two workload maps differ: one pure function, held to tables and to properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from program.content.steps import ROLES, WHO, GridStep
from program.partner.compare import SWAPPED, Difference, differences

ROWS = ("Meals", "Laundry", "Bills")
STEP = GridStep(id="map", prompt="Who?", rows=ROWS, share="together")


def grid(**rows: dict[str, object]) -> dict[str, object]:
    return {"cells": {row.capitalize(): cells for row, cells in rows.items()}, "added": []}


@pytest.mark.parametrize(
    ("mine", "theirs", "question"),
    [
        (
            {"plan": "me"},
            {"plan": "me"},
            "Meals: you both think you plan it. What does that look like for each of you?",
        ),
        (
            {"notice": "partner", "do": "partner"},
            {"notice": "partner", "do": "partner"},
            "Meals: you each think the other one notices and does it. What might each of you "
            "be doing there that the other does not see?",
        ),
        (
            {"do": "me"},
            {"do": "both"},
            "Meals: you see yourself doing it; Sam sees it as shared. How does it look from "
            "each side?",
        ),
        (
            {"do": "both"},
            {"do": "me"},
            "Meals: you see doing it as shared; Sam sees themselves doing it. How does it look "
            "from each side?",
        ),
        (
            {"notice": "neither"},
            {"notice": "partner"},
            "Meals: you think no one is noticing it; Sam sees you noticing it. How does it look "
            "from each side?",
        ),
        (
            {"plan": "partner"},
            {"plan": "neither"},
            "Meals: you see Sam planning it; Sam thinks no one is planning it. How does it look "
            "from each side?",
        ),
    ],
)
def test_each_way_two_maps_can_differ_is_one_calm_question(
    mine: dict[str, str], theirs: dict[str, str], question: str
) -> None:
    found = differences(STEP, grid(meals=mine), grid(meals=theirs))
    assert [difference.question("Sam") for difference in found] == [question]


def test_where_the_maps_agree_or_a_side_left_a_cell_empty_nothing_is_said() -> None:
    mine = grid(meals={"notice": "me", "plan": "both", "do": "neither", "drain": 4})
    theirs = grid(meals={"notice": "partner", "plan": "both", "drain": 1})
    assert differences(STEP, mine, theirs) == ()  # "me" here is "my partner" there
    assert differences(STEP, None, theirs) == ()
    assert differences(STEP, mine, {"damaged": True}) == ()


def test_only_the_programs_rows_are_compared_in_their_order() -> None:
    mine = {
        "cells": {"Bills": {"do": "me"}, "Meals": {"do": "me"}, "Dog": {"do": "me"}},
        "added": ["Dog"],
    }
    theirs = {"cells": {"Bills": {"do": "me"}, "Meals": {"do": "me"}, "Dog": {"do": "me"}}}
    assert [d.row for d in differences(STEP, mine, theirs)] == ["Meals", "Bills"]


CELL = st.fixed_dictionaries(
    {}, optional={role: st.sampled_from(WHO) for role in ROLES} | {"drain": st.integers(1, 4)}
)
MAP = st.fixed_dictionaries(
    {"cells": st.dictionaries(st.sampled_from(ROWS), CELL), "added": st.just([])}
)


def as_other_side(value: dict[str, object]) -> dict[str, object]:
    cells = value["cells"]
    assert isinstance(cells, dict)
    return {
        "cells": {
            row: {k: SWAPPED[v] if k in ROLES else v for k, v in given.items()}
            for row, given in cells.items()
        },
        "added": [],
    }


@given(MAP)
def test_a_map_never_differs_from_itself_said_from_the_other_side(value: dict[str, object]) -> None:
    assert differences(STEP, value, as_other_side(value)) == ()


@given(MAP, MAP)
def test_both_sides_see_the_same_differences_each_from_their_own_side(
    mine: dict[str, object], theirs: dict[str, object]
) -> None:
    here = differences(STEP, mine, theirs)
    there = differences(STEP, theirs, mine)
    assert [(d.row, d.roles) for d in here] == [(d.row, d.roles) for d in there]
    assert [Difference(d.row, d.roles, SWAPPED[d.theirs], SWAPPED[d.mine]) for d in here] == list(
        there
    )


@given(MAP, MAP)
def test_no_question_holds_a_number_a_percent_or_a_score(
    mine: dict[str, object], theirs: dict[str, object]
) -> None:
    for difference in differences(STEP, mine, theirs):
        question = difference.question("Sam")
        assert not re.search(r"[0-9%]", question), question
        assert not re.search(r"\b(fair|score|total|more than|less than)\b", question), question
        assert question.count("?") == 1 and question.startswith(difference.row + ": ")
