"""The one way files are written and read: atomic for regular files, into pipes and devices,
never through a link planted in the data folder, never a hang, never a device read whole."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from program.cli import main
from state import Store
from state.backup import PROBLEM_NOTE, backup_problem, daily_backup
from state.paths import read_file, write_file
from tests.conftest import SMALL

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SMALL_ARGS = ("--program", str(SMALL))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@contextlib.contextmanager
def reader(fifo: Path) -> Iterator[list[bytes]]:
    """Something reading `fifo` until its writer closes; what it read is in the list after."""
    got: list[bytes] = []
    ready = threading.Event()

    def read() -> None:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        ready.set()
        os.set_blocking(fd, False)
        data = b""
        deadline = 200  # 10 s in 50 ms polls, then give up rather than hang the suite
        writer_seen = False
        while deadline:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                chunk = None
            if chunk:
                data += chunk
                writer_seen = True
            elif chunk == b"" and writer_seen:
                break
            else:
                deadline -= 1
                threading.Event().wait(0.05)
        os.close(fd)
        got.append(data)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    ready.wait(5)
    try:
        yield got
    finally:
        thread.join(15)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, *SMALL_ARGS])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def started(private_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPLENISH_NOW", NOW.isoformat())
    assert run("start")[0] == 0
    assert run("remind", "set", "20:00")[0] == 0
    return private_home


# ----- writing: what is pointed at stays what it is -----------------------------------


def test_a_regular_file_is_replaced_atomically_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o644)
    write_file(target, "new words")
    assert target.read_text() == "new words"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary left


@pytest.mark.parametrize("argv", [("export",), ("remind", "ics")], ids=" ".join)
def test_a_named_pipe_is_written_into_not_replaced(
    started: Path, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """It became a plaintext regular file in the pipe's place, and the reader got nothing."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with reader(fifo) as got:
        code, _, err = run(*argv, *(["-o"] if argv == ("export",) else []), str(fifo))
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0], "the reader got nothing"
    assert (b"BEGIN:VCALENDAR" in got[0]) if argv != ("export",) else (b"# " in got[0])


def test_a_named_pipe_nobody_reads_is_a_message_not_a_wait(started: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run("export", "-o", str(fifo))
    assert code == 1
    assert "nothing is reading from it" in err and "Nothing was written" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_is_followed_to_its_target(started: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run("export", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text().startswith("# ")
    assert mode(real) == 0o600


def test_a_link_to_a_file_not_there_yet_makes_it(started: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.ics"
    link.symlink_to(tmp_path / "made.ics")
    code, _, err = run("remind", "ics", str(link))
    assert code == 0, err
    assert link.is_symlink() and (tmp_path / "made.ics").read_text().startswith("BEGIN:VCALENDAR")


def test_a_device_is_written_into_not_replaced(started: Path, tmp_path: Path) -> None:
    """As root, `-o /dev/null` turned the device into a regular file. The test never points
    at the real /dev/null as root: it makes its own null device in a scratch folder."""
    if IS_ROOT:
        device = tmp_path / "null"
        os.mknod(device, 0o644 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")  # without root, the old code could not replace it anyway
    before = device.lstat()
    for argv in (("export", "-o", str(device)), ("remind", "ics", str(device))):
        code, _, err = run(*argv)
        assert code == 0, err
        after = device.lstat()
        assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
        assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)


def test_a_folder_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_file(tmp_path, "x", chosen=True)


def test_a_file_of_replenish_own_replaces_whatever_was_planted_under_its_name(
    tmp_path: Path,
) -> None:
    """A pipe or a link in the data folder is never written through: it is replaced."""
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    fifo, link = tmp_path / "fifo", tmp_path / "link"
    os.mkfifo(fifo)
    link.symlink_to(victim)
    for planted in (fifo, link):
        write_file(planted, "note")
        assert stat.S_ISREG(planted.lstat().st_mode) and planted.read_text() == "note"
        assert mode(planted) == 0o600
    assert victim.read_text() == "untouched"


def test_a_link_planted_as_the_backup_note_is_replaced_not_followed(
    tmp_path: Path,
) -> None:
    """A planted `backup-problem.txt` link made Replenish overwrite a file in the victim's home."""
    victim = tmp_path / "victim-notes.txt"
    victim.write_text("the victim's own words\n")
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    (data_dir / "backups").write_text("a file where the backups folder goes")  # backups fail
    (data_dir / PROBLEM_NOTE).symlink_to(victim)
    assert daily_backup(data_dir / "replenish.db", data_dir, NOW) is None
    assert victim.read_text() == "the victim's own words\n"
    note = data_dir / PROBLEM_NOTE
    assert not note.is_symlink() and mode(note) == 0o600
    problem = backup_problem(data_dir)
    assert problem is not None and "the daily backup failed" in problem


def test_the_backup_note_is_not_read_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for doctor to show\n")
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    (data_dir / PROBLEM_NOTE).symlink_to(secret)
    assert backup_problem(data_dir) is None


def test_remind_install_makes_missing_folders_0700_under_umask_000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`~/.config/systemd/user` came out 0777 under umask 000."""
    home = tmp_path / "home-of-user"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    old = os.umask(0)
    try:
        code, _, err = run("remind", "install")
    finally:
        os.umask(old)
    assert code == 0, err
    unit = home / ".config" / "systemd" / "user" / "replenish-remind.service"
    for folder in (home / ".config", home / ".config" / "systemd", unit.parent):
        assert mode(folder) == 0o700, folder
    assert mode(unit) == 0o644  # it names only commands and folders


# ----- reading: bounded, regular files only --------------------------------------------


def test_reading_a_named_pipe_does_not_wait(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        read_file(fifo, 1000)


def test_reading_a_device_is_refused_before_any_byte(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_file(Path("/dev/zero"), 1000)


def test_reading_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big"
    with big.open("wb") as handle:  # sparse: it claims 10 GB and costs nothing
        handle.truncate(10 << 30)
    with pytest.raises(OSError) as caught:
        read_file(big, 1 << 20)
    assert caught.value.errno == errno.EFBIG and "larger than 1 MB" in str(caught.value)


def test_a_private_read_refuses_links_and_files_others_may_write(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_text("words")
    real.chmod(0o600)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert read_file(link, 100) == b"words"  # a file the user named: links are fine
    with pytest.raises(OSError, match="symbolic link"):
        read_file(link, 100, private=True)
    real.chmod(0o666)
    with pytest.raises(OSError, match="other users may write"):
        read_file(real, 100, private=True)
