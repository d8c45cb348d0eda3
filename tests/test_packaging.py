"""The built wheel carries the bundled program and finds it once installed (not editable)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("replenish-*.whl")
    return built


def test_wheel_contains_the_bundled_program(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {Path(name).name for name in names if name.startswith("program/bundled/")}
    sources = {path.name for path in (ROOT / "modules").iterdir() if path.is_file()}
    assert "program.toml" in bundled
    assert sources <= bundled
    assert any(name.startswith("state/") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "replenish = program.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_finds_and_validates_its_program(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        + ["--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from program.paths import bundled_program_dir\n"
        "folder = bundled_program_dir()\n"
        "assert str(folder).startswith(sys.argv[1]), folder\n"
        "from program.cli import main\n"
        "sys.exit(main(['validate']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout
