"""The long variants (`@pytest.mark.slow`) run only when asked for.

Ask with `-m slow`, or by setting `REPLENISH_KILL_RUNS` (their count of kills);
the small variants of the same tests always run, so CI covers every path.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = str(config.getoption("markexpr") or "")
    asked = ("slow" in expression and "not slow" not in expression) or (
        "REPLENISH_KILL_RUNS" in os.environ
    )
    if asked:
        return
    skip = pytest.mark.skip(reason="long variant: run with -m slow or REPLENISH_KILL_RUNS=N")
    here = os.path.dirname(__file__)
    for item in items:
        if "slow" in item.keywords and str(item.path).startswith(here):
            item.add_marker(skip)
