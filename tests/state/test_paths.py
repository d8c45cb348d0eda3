"""Where the data lives and that it stays private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import DB_NAME, Store, StoreUnreadable, default_data_dir

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_folder_is_0700_and_files_are_0600(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_answer("e", 1, "s", "text", datetime.now(UTC))
        wal = data_dir / f"{DB_NAME}-wal"
        shm = data_dir / f"{DB_NAME}-shm"
        assert wal.exists() and shm.exists(), "WAL mode should keep side files while open"
        assert mode(data_dir) == 0o700
        assert mode(store.path) == 0o600
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600
        assert store.path == data_dir / DB_NAME
        assert store.data_dir == data_dir


def test_files_created_under_a_permissive_umask_are_still_private(data_dir: Path) -> None:
    old = os.umask(0)
    try:
        with Store.open(data_dir) as store:
            store.set_setting("k", 1)
            for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
                assert mode(data_dir / name) == 0o600, name
        restored = os.umask(0)
    finally:
        os.umask(old)
    assert restored == 0, "the store must put back the umask it borrowed"
    assert mode(data_dir) == 0o700


def test_loose_existing_folder_and_file_are_tightened(data_dir: Path) -> None:
    Store.open(data_dir).close()
    data_dir.chmod(0o755)
    (data_dir / DB_NAME).chmod(0o644)
    Store.open(data_dir).close()
    assert mode(data_dir) == 0o700
    assert mode(data_dir / DB_NAME) == 0o600


@pytest.mark.skipif(not IS_ROOT, reason="needs root to give the folder to another user")
def test_a_folder_owned_by_someone_else_is_not_chmodded(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    os.chown(data_dir, 54321, 54321)
    Store.open(data_dir).close()
    assert mode(data_dir) == 0o755


def test_parent_folders_are_created(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    Store.open(deep).close()
    assert (deep / DB_NAME).is_file()
    assert mode(deep) == 0o700


def test_replenish_home_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "custom-home"
    monkeypatch.setenv("REPLENISH_HOME", str(home))
    assert default_data_dir() == home
    with Store.open() as store:
        assert store.data_dir == home
        assert store.path == home / DB_NAME
    assert (home / DB_NAME).is_file()


def test_without_replenish_home_the_platform_folder_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    monkeypatch.delenv("REPLENISH_HOME", raising=False)
    assert default_data_dir() == Path(platformdirs.user_data_dir("replenish"))
    monkeypatch.setenv("REPLENISH_HOME", "")
    assert default_data_dir() == Path(platformdirs.user_data_dir("replenish"))


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnreadable, match="not a folder"):
        Store.open(blocker)
    assert blocker.read_text() == "not a folder"


def test_importing_state_stays_light() -> None:
    """The plain subcommands import `state`; it must not drag in the UI or platformdirs."""
    code = (
        "import sys, state; "
        "bad = [m for m in ('textual', 'apscheduler', 'program', 'platformdirs') "
        "if m in sys.modules or any(k.startswith(m + '.') for k in sys.modules)]; "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
