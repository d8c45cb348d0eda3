"""Shared fixtures: every test gets its own private data folder, never the developer's."""

from __future__ import annotations

import ast
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


HEAVY = ("textual", "apscheduler", "rich")


def heavy_modules_after(argv: list[str], home: Path) -> list[str]:
    """Run `replenish ARGV` in a fresh interpreter; return the heavy modules it imported.

    The plain commands must start in tens of milliseconds, so Textual and
    APScheduler may load only on the paths that draw a screen or schedule jobs.
    """
    code = (
        "import sys, io, contextlib\n"
        "from program.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    env = dict(os.environ, REPLENISH_HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    names: list[str] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return names
