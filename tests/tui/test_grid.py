"""The grid step (the workload map) in the app at 80x24: keys, saving each cell, resuming."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from program.tui.app import ReplenishApp
from program.tui.widgets.grid import GridTable, GridView
from state import Store
from tests.conftest import SMALL, enrolled
from tests.tui.conftest import FIXED_NOW, held_still, make_app, screen_text, wait_for
from tests.tui.steps import runner

ROWS = [
    "Meals and food shopping",
    "Cleaning and laundry",
    "Bills and paperwork",
    "Birthdays and family dates",
    "Plans with friends",
    "Time together",
    "Smoothing things over",
    "Thinking ahead",
    "Repairs and supplies",
    "[bold]Hostile[/] \x1b[31m",
]

GRID = """
[[exercise]]
id = "map"
title = "Mapping the load"
day = 1
minutes = 3

  [[exercise.step]]
  kind = "grid"
  id = "who"
  prompt = "Who holds each part of these tasks?"
  rows = [{rows}]
  add_own = 1

  [[exercise.step]]
  kind = "reflect"
  id = "after"
  prompt = "What stands out?"
"""


def grid_program(tmp_path: Path) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    module = folder / "basics.toml"
    rows = ", ".join('"' + row.replace("\x1b", "\\u001b") + '"' for row in ROWS)
    module.write_text(
        module.read_text(encoding="utf-8") + GRID.format(rows=rows), encoding="utf-8"
    )
    return folder


def grid_app(tmp_path: Path, value: object = None) -> ReplenishApp:
    program = grid_program(tmp_path)
    service = enrolled(tmp_path / "data", program, now=FIXED_NOW)
    if value is not None:
        service.save_answer("map", 1, "who", value)  # type: ignore[arg-type]
    service.set_position("map", 1, 0)
    service.close()
    return make_app(tmp_path / "data", program)


def saved(app: ReplenishApp) -> object:
    answers = app.service.answers("map", 1)
    return answers["who"].value if "who" in answers else None


async def on_grid(pilot: Pilot[None], app: ReplenishApp) -> GridView:
    await wait_for(pilot, lambda: bool(app.screen.query(GridView)))
    view = runner(app).view
    assert isinstance(view, GridView)
    await wait_for(pilot, lambda: app.focused is view.table)
    return view


async def test_keys_fill_the_map_cell_by_cell_and_each_cell_is_saved_at_once(
    tmp_path: Path,
) -> None:
    app = grid_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await on_grid(pilot, app)
        await pilot.press("1")  # Meals: I notice
        assert saved(app) == {"cells": {ROWS[0]: {"notice": "me"}}, "added": []}
        with Store.open(tmp_path / "data") as other:  # on disk now, as a kill would find it
            (answer,) = [a for a in other.answers() if a.step_id == "who"]
            assert answer.value == {"cells": {ROWS[0]: {"notice": "me"}}, "added": []}
        await pilot.press("3", "2", "4")  # we both plan, my partner does, very draining
        assert saved(app) == {
            "cells": {ROWS[0]: {"notice": "me", "plan": "both", "do": "partner", "drain": 4}},
            "added": [],
        }
        assert view.table.row == 1 and view.table.column == 0, "on to the next row"
        await pilot.press("right", "space")  # Laundry, plans: Space chooses the first, Me
        await pilot.press("space")  # and again: the next, Partner
        cells = saved(app)["cells"]  # type: ignore[index]
        assert cells[ROWS[1]] == {"plan": "partner"}
        await pilot.press("delete")
        assert ROWS[1] not in saved(app)["cells"]  # type: ignore[index]
        shown = screen_text(app)
        assert "Notices" in shown and "Draining" in shown
        assert "› Cleaning and laundry" in shown  # the row by a character, not a colour
        assert "[·]" in shown  # the cell under the cursor, in brackets
        assert "Me" in shown and "Both" in shown and "Partner" in shown and "very" in shown
        assert "Row 2 of 10: Who plans it? Not answered." in shown
        await pilot.press("enter")  # Enter moves on, as from a choice
        await wait_for(pilot, lambda: runner(app).index == 1)
    app.service.close()


async def test_coming_back_the_cursor_waits_at_the_first_empty_cell_and_rows_scroll(
    tmp_path: Path,
) -> None:
    full = {"notice": "me", "plan": "me", "do": "me", "drain": 1}
    app = grid_app(tmp_path, {"cells": {row: full for row in ROWS[:8]}, "added": []})
    async with app.run_test(size=(80, 24)) as pilot:
        view = await on_grid(pilot, app)
        assert (view.table.row, view.table.column) == (8, 0)
        shown = screen_text(app)
        assert "› Repairs and supplies" in shown and "Meals and food" not in shown
        assert "↑ 1 more" in shown and "↓ 1 more" in shown
        await pilot.press("down")
        # a label from the program is shown literally: no markup, no escape sequence
        assert "› [bold]Hostile[/] ␛[31m" in screen_text(app)
        await pilot.press(*["up"] * 9)
        shown = screen_text(app)
        assert "› Meals and food shopping" in shown and "(↓ 2 more)" in shown
    app.service.close()


async def test_a_row_of_ones_own_is_added_checked_and_removed_when_left_empty(
    tmp_path: Path,
) -> None:
    app = grid_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await on_grid(pilot, app)
        await pilot.press("a")
        await wait_for(pilot, lambda: app.focused is not view.table)
        await pilot.press(*" meals AND food shopping", "enter")
        await wait_for(pilot, lambda: "already" in screen_text(app))
        await pilot.press(*["backspace"] * 40, *"Walking the dog", "enter")
        await wait_for(pilot, lambda: app.focused is view.table)
        assert saved(app) == {"cells": {}, "added": ["Walking the dog"]}
        await pilot.press("2")
        assert saved(app) == {"cells": {"Walking the dog": {"notice": "partner"}}, "added": [
            "Walking the dog"
        ]}
        assert "› Walking the dog *" in screen_text(app)
        await pilot.press("a")  # room for one of one's own: full now, and it says so
        await wait_for(pilot, lambda: "room for 1 rows" in screen_text(app))
        await pilot.press("left", "delete", "delete")  # the cell, then the empty row
        assert saved(app) == {"cells": {}, "added": []}
        assert "Walking the dog" not in screen_text(app)
    app.service.close()


# ----- the snapshot ---------------------------------------------------------------

SnapCompare = Callable[..., bool]


def test_snapshot_the_grid_half_filled(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    cells = {
        ROWS[0]: {"notice": "me", "plan": "both", "do": "partner", "drain": 3},
        ROWS[1]: {"notice": "neither", "plan": "me"},
    }
    app = grid_app(tmp_path, {"cells": cells, "added": []})

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(GridTable)))
        await held_still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_app_and_do_save_the_same_answer_for_the_same_choices(tmp_path: Path) -> None:
    import io

    from program.plain.talk import Talk
    from program.plain.views import view_for
    from tests.test_do_grid import Lines

    app = grid_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await on_grid(pilot, app)
        await pilot.press("1", "3", "down", "left", "4")  # Meals: me, both; Laundry: no one plans
        by_app = saved(app)
        step = view.step
    app.service.close()
    by_do: list[object] = []
    plain = view_for(step, None, lambda value: by_do.append(value) or True, None)  # type: ignore[arg-type]
    plain.run(Talk(Lines("1 3", "0 4", "", "", "", "", "", "", "", ""), io.StringIO()))
    assert by_do[-1] == by_app == {
        "cells": {ROWS[0]: {"notice": "me", "plan": "both"}, ROWS[1]: {"plan": "neither"}},
        "added": [],
    }


async def test_the_grids_prompt_from_the_program_is_shown_literally(tmp_path: Path) -> None:
    module = grid_program(tmp_path) / "basics.toml"
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            'prompt = "Who holds each part of these tasks?"',
            'prompt = "[bold]Who[/] holds \\u001b[31m each part?"',
        ),
        encoding="utf-8",
    )
    service = enrolled(tmp_path / "data", tmp_path / "program", now=FIXED_NOW)
    service.set_position("map", 1, 0)
    service.close()
    app = make_app(tmp_path / "data", tmp_path / "program")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_grid(pilot, app)
        assert "[bold]Who[/] holds ␛[31m each part?" in screen_text(app)
    app.service.close()
