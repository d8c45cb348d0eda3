"""Where the data lives and that it stays private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from state import DB_NAME, Store, StoreNotPrivate, StoreUnreadable, default_data_dir, paths

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


def give_away(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `path` another user's: really (chown to nobody) as root, which CI runs as; as
    anyone else, by making the store take this user for someone else (everything is foreign)."""
    if IS_ROOT:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    else:
        monkeypatch.setattr(paths, "user_id", lambda: os.geteuid() + 1)


def listing(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every entry under `folder`: (mode, owner, content) — to show nothing was touched."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        content = path.read_bytes() if stat.S_ISREG(st.st_mode) else b""
        found[str(path.relative_to(folder))] = (st.st_mode, st.st_uid, content)
    return found


@pytest.mark.parametrize("folder_mode", [0o755, 0o777, 0o700], ids=oct)
def test_a_folder_another_user_owns_is_refused_and_left_alone(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, folder_mode: int
) -> None:
    """Used silently before: the answers went into a folder its owner could read."""
    data_dir.mkdir()
    data_dir.chmod(folder_mode)
    give_away(data_dir, monkeypatch)
    with pytest.raises(StoreNotPrivate) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert str(data_dir) in message and "belongs to another user" in message
    assert "--data-dir" in message and "Nothing was changed" in message
    assert list(data_dir.iterdir()) == []
    assert mode(data_dir) == folder_mode


@pytest.mark.parametrize("folder_mode", [0o777, 0o770, 0o722, 0o1777], ids=oct)
def test_a_folder_others_may_write_is_refused_not_tightened(
    data_dir: Path, folder_mode: int
) -> None:
    """Someone else may already have put a file (or a link) there; chmod would hide that."""
    data_dir.mkdir()
    data_dir.chmod(folder_mode)
    with pytest.raises(StoreNotPrivate) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert f"(mode {folder_mode & 0o7777:04o})" in message
    assert f"`chmod 700 {data_dir}`" in message
    assert list(data_dir.iterdir()) == []
    assert mode(data_dir) == folder_mode


@pytest.mark.parametrize("name", [DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-journal"])
@pytest.mark.parametrize("file_mode", [0o666, 0o620, 0o602], ids=oct)
def test_a_data_file_others_may_write_is_refused(
    data_dir: Path, name: str, file_mode: int
) -> None:
    with Store.open(data_dir) as store:
        store.save_answer("e", 1, "s", "private words", datetime.now(UTC))
    target = data_dir / name
    if not target.exists():
        target.write_bytes(b"")
    target.chmod(file_mode)
    before = listing(data_dir)
    with pytest.raises(StoreNotPrivate) as caught:
        Store.open(data_dir)
    assert f"{target}: other users may write to it (mode {file_mode:04o})" in str(caught.value)
    assert f"`chmod 600 {target}`" in str(caught.value)
    assert listing(data_dir) == before


def test_a_data_file_another_user_owns_is_refused(data_dir: Path) -> None:
    """As root (CI), really: chowned to nobody. Otherwise the one rule is asked directly."""
    Store.open(data_dir).close()
    database = data_dir / DB_NAME
    if IS_ROOT:
        os.chown(database, 65534, 65534)
        before = listing(data_dir)
        with pytest.raises(StoreNotPrivate) as caught:
            Store.open(data_dir)
        assert listing(data_dir) == before
        message = str(caught.value)
    else:
        st = database.lstat()
        foreign = os.stat_result((*st[:4], st.st_uid + 1, *st[5:]))
        problem = paths.private_problem(database, foreign, folder=False)
        assert problem is not None
        message = str(problem)
    assert "belongs to another user" in message
    assert f"sudo chown $(id -un) {database}" in message


@pytest.mark.parametrize("name", [DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"])
def test_a_link_in_place_of_a_data_file_is_refused(tmp_path: Path, name: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's own file\n")
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    (data_dir / name).unlink(missing_ok=True)
    if name == DB_NAME:
        (data_dir / "real.db").write_bytes(b"")
        victim = data_dir / "real.db"
    (data_dir / name).symlink_to(victim)
    with pytest.raises(StoreNotPrivate, match="it is a symbolic link"):
        Store.open(data_dir)
    assert (data_dir / name).is_symlink()
    assert victim.read_bytes() in (b"", b"someone's own file\n")


def test_parent_folders_are_created(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    Store.open(deep).close()
    assert (deep / DB_NAME).is_file()
    assert mode(deep) == 0o700


def test_missing_parents_are_made_0700_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 000 they were 0777: anyone could swap the data folder for their own."""
    deep = tmp_path / "a" / "b" / "c"
    old = os.umask(0)
    try:
        Store.open(deep).close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", deep):
        assert mode(folder) == 0o700, folder


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


@pytest.mark.parametrize("kind", [stat.S_IFREG, stat.S_IFDIR], ids=["file", "folder"])
def test_the_nudge_fast_path_asks_the_same_rule(tmp_path: Path, kind: int) -> None:
    """The digest reader repeats the rule (it must not import `state`): they must agree."""
    from program import nudge_digest

    base = tmp_path.stat()
    for uid in (base.st_uid, base.st_uid + 1):
        for permissions in (0o600, 0o644, 0o666, 0o620, 0o602, 0o700, 0o755, 0o777, 0o770):
            st = os.stat_result((kind | permissions, *base[1:4], uid, *base[5:]))
            expected = paths.private_problem(tmp_path, st, folder=kind == stat.S_IFDIR) is None
            assert nudge_digest.private(st) == expected, (oct(permissions), uid)


def test_the_nudge_fast_path_does_not_answer_from_a_folder_others_may_write(
    tmp_path: Path,
) -> None:
    from program import nudge_digest
    from program.reminders.digest import write

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    assert write(str(folder), "the digest\n")
    assert nudge_digest.read_digest(str(folder)) == "the digest\n"
    folder.chmod(0o777)
    assert nudge_digest.read_digest(str(folder)) is None
