"""The parsed-program cache: used when current, ignored when stale, damaged or not ours."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from program.content import load_program
from program.content.cache import CACHE_NAME, cache_key, load_cached, save_cached
from program.service import Replenish
from tests.conftest import SMALL


@pytest.fixture
def program_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(SMALL, folder)
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    return folder


def test_a_saved_program_comes_back_equal_and_private(program_dir: Path, cache_dir: Path) -> None:
    program = load_program(program_dir)
    assert save_cached(program_dir, cache_dir, program)
    cached = load_cached(program_dir, cache_dir)
    assert cached == program
    assert cached is not None and cached.exercise(next(iter(program.exercises)).id) is not None
    assert stat.S_IMODE((cache_dir / CACHE_NAME).stat().st_mode) == 0o600
    assert [path.name for path in cache_dir.iterdir()] == [CACHE_NAME]  # no temporary left


def test_an_edited_file_invalidates_it(program_dir: Path, cache_dir: Path) -> None:
    save_cached(program_dir, cache_dir, load_program(program_dir))
    module = next(path for path in program_dir.glob("*.toml") if path.name != "program.toml")
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('title = "', 'title = "Edited ', 1), encoding="utf-8")
    assert load_cached(program_dir, cache_dir) is None


def test_same_size_edit_with_a_new_time_invalidates_it(program_dir: Path, cache_dir: Path) -> None:
    save_cached(program_dir, cache_dir, load_program(program_dir))
    module = program_dir / "program.toml"
    st = module.stat()
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_cached(program_dir, cache_dir) is None


def test_a_new_file_in_the_folder_invalidates_it(program_dir: Path, cache_dir: Path) -> None:
    save_cached(program_dir, cache_dir, load_program(program_dir))
    (program_dir / "extra.toml").write_text('id = "x"\n', encoding="utf-8")
    assert load_cached(program_dir, cache_dir) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle at all", pickle.dumps(("wrong", "shape", "here")), pickle.dumps(42)],
)
def test_a_damaged_cache_is_a_miss(program_dir: Path, cache_dir: Path, content: bytes) -> None:
    path = cache_dir / CACHE_NAME
    path.write_bytes(content)
    path.chmod(0o600)
    assert load_cached(program_dir, cache_dir) is None


def test_a_cache_of_another_object_with_the_right_key_is_a_miss(
    program_dir: Path, cache_dir: Path
) -> None:
    path = cache_dir / CACHE_NAME
    path.write_bytes(pickle.dumps((cache_key(program_dir), {"not": "a program"})))
    path.chmod(0o600)
    assert load_cached(program_dir, cache_dir) is None


def test_a_cache_others_can_write_is_ignored(program_dir: Path, cache_dir: Path) -> None:
    save_cached(program_dir, cache_dir, load_program(program_dir))
    (cache_dir / CACHE_NAME).chmod(0o666)
    assert load_cached(program_dir, cache_dir) is None


def test_no_cache_folder_means_nothing_written(program_dir: Path, tmp_path: Path) -> None:
    assert not save_cached(program_dir, tmp_path / "missing", load_program(program_dir))
    assert not (tmp_path / "missing").exists()


def test_the_service_uses_the_cache_and_falls_back_when_it_is_damaged(
    program_dir: Path, private_home: Path
) -> None:
    first = Replenish.open(program_dir=program_dir, data_dir=private_home)
    first.close()
    path = private_home / CACHE_NAME
    assert load_cached(program_dir, private_home) == first.program
    path.write_bytes(b"\x80\x05garbage")
    second = Replenish.open(program_dir=program_dir, data_dir=private_home)
    second.close()
    assert second.program == first.program
    assert load_cached(program_dir, private_home) == first.program  # rewritten after the miss


def test_the_service_sees_an_edit_made_after_caching(program_dir: Path, private_home: Path) -> None:
    Replenish.open(program_dir=program_dir, data_dir=private_home).close()
    head = program_dir / "program.toml"
    text = head.read_text(encoding="utf-8")
    head.write_text(text.replace('title = "', 'title = "Renamed ', 1), encoding="utf-8")
    service = Replenish.open(program_dir=program_dir, data_dir=private_home)
    service.close()
    assert service.program.title.startswith("Renamed ")
