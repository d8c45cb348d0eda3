"""Shared fixtures: every test gets its own private data folder, never the developer's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small"
BUNDLED = ROOT / "modules"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point REPLENISH_HOME at a fresh folder so nothing on this machine leaks in."""
    home = tmp_path / "home"
    monkeypatch.setenv("REPLENISH_HOME", str(home))
    monkeypatch.delenv("REPLENISH_NOW", raising=False)
    yield home


@pytest.fixture
def small_program() -> Path:
    return SMALL


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """Runs `replenish` as a real subprocess, the way a user meets it."""

    home: Path
    now: str | None = None
    tz: str = "UTC"

    def __call__(self, *args: str, input: str | None = None) -> Result:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("REPLENISH_", "PYTEST_"))
        }
        env["REPLENISH_HOME"] = str(self.home)
        env["TZ"] = self.tz
        env["PYTHONPATH"] = str(ROOT)
        if self.now:
            env["REPLENISH_NOW"] = self.now
        done = subprocess.run(
            [sys.executable, "-m", "program", *args],
            capture_output=True,
            text=True,
            env=env,
            input=input,
            timeout=60,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(private_home: Path) -> Cli:
    return Cli(private_home)
