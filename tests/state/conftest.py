"""Shared fixtures: every test gets its own data folder, and REPLENISH_HOME never points home."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import Store

NOW = datetime(2025, 3, 10, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may reach the developer's real data folder."""
    monkeypatch.setenv("REPLENISH_HOME", str(tmp_path / "home"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as opened:
        yield opened


@pytest.fixture
def now() -> datetime:
    return NOW
