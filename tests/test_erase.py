"""`replenish erase`: everything Replenish keeps goes, after a typed word; nothing else does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from program.cli import main
from state import Store

NOW = "2027-01-05T21:00:00+00:00"


class Typed(io.StringIO):
    """Standard input that is a terminal the user typed `text` into."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def used(private_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A data folder with every kind of file Replenish writes, and the files it wrote outside."""
    monkeypatch.setenv("REPLENISH_NOW", NOW)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    calendar = tmp_path / "phone" / "replenish.ics"
    calendar.parent.mkdir()
    assert main(["start", "--on", "2027-01-04"]) == 0
    assert main(["remind", "set", "20:30"]) == 0
    assert main(["remind", "ics", str(calendar)]) == 0
    assert main(["remind", "install"]) == 0
    assert main(["today"]) == 0
    assert main(["partner", "invite", "-o", str(tmp_path / "invitation.txt")]) == 0  # partner.key
    for name in (
        "replenish.db.set-aside-2027-01-05T210000",
        "crash-report.txt",
        "restore-journal.json",
        "backup-problem.txt",
        ".partial-12-replenish.db",
        ".nudge-digest.abc.tmp",
        "replenish.db-shm",
        "replenish.db-wal",
        "nudge-digest",
    ):
        (private_home / name).write_text("x")
    (private_home / "backups").mkdir(exist_ok=True)
    (private_home / "backups" / "replenish-2027-01-05T210000.db").write_text("x")
    unit = tmp_path / "config" / "systemd" / "user" / "replenish-remind.service"
    assert unit.exists() and calendar.exists()
    assert {
        "program-cache.pickle",
        "calendar-files",
        "replenish.db",
        ".in-use",
        "partner.key",
    } <= {
        path.name for path in private_home.iterdir()
    }
    return {"home": private_home, "calendar": calendar, "unit": unit}


def test_erase_removes_everything_and_says_what_it_cannot_reach(
    used: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", Typed("erase\n"))
    assert main(["erase"]) == 0
    out = capsys.readouterr().out
    assert not used["home"].exists(), list(used["home"].iterdir())
    assert not used["calendar"].exists() and not used["unit"].exists()
    assert str(used["calendar"]) in out and "Removed:" in out
    for words in ("scrollback", "SSD", "your own backup tool", "copied"):
        assert words in out


def test_erase_leaves_what_is_not_its_own(
    used: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    mine = used["home"] / "notes.txt"
    mine.write_text("the user's own file")
    assert main(["erase", "--yes"]) == 0
    assert [path.name for path in used["home"].iterdir()] == ["notes.txt"]
    assert "Left alone (not Replenish's)" in capsys.readouterr().out


def test_erase_refuses_a_pipe_a_wrong_word_and_a_folder_in_use(
    used: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("erase\n"))  # piped: cannot confirm
    assert main(["erase"]) == 1
    assert "not a terminal" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", Typed("yes\n"))
    assert main(["erase"]) == 1
    assert "nothing was removed" in capsys.readouterr().err
    store = Store.open(used["home"])  # the app or the service holding it (it tidies a little)
    try:
        before = sorted(path.name for path in used["home"].iterdir())
        assert main(["erase", "--yes"]) == 1
        assert "Replenish is open" in capsys.readouterr().err
        assert sorted(path.name for path in used["home"].iterdir()) == before
    finally:
        store.close()
    assert used["calendar"].exists() and used["unit"].exists()
