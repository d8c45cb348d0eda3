"""An app that crashes tells the terminal nothing of the user's words and exits non-zero.

The real app runs on a real pseudo-terminal (`tests.reliability.child`, mode
`app-with-a-broken-save`: the store call under it fails with a bug, not a StoreError),
a reflection is typed and on screen, the save crashes the app. Textual's own crash
report printed every local variable, the reflection among them, and the app exited 0.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from program.cli import main
from program.crash_report import REPORT_NAME
from tests.bench.bench_frame import PtySession
from tests.conftest import SMALL, enrolled
from tests.reliability.helpers import child_env

WORDS = "what I never said to Alex"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def _crash_with_words_on_screen(home: Path, how: str) -> tuple[int, str, bytes]:
    """Type WORDS into the reflection box and let its save crash the app.

    Returns the exit code, what the terminal holds once the app has left its full
    screen (the lines a person reads afterwards, and can scroll back to), and every byte.
    """
    service = enrolled(home, backup=True)
    service.set_position("check-in", 1, 2)
    service.close()
    argv = [sys.executable, "-m", "tests.reliability.child", "app-with-a-broken-save"]
    session = PtySession([*argv, str(home), how], child_env(home))
    try:
        session.wait_for("A few words, if you like.", timeout=60)
        session.press(WORDS.encode())
        session.wait_for(WORDS[-10:])  # on screen; the save comes a moment later and fails
        code = session.wait_exit(timeout=60)
    finally:
        session.close()
    raw = bytes(session.raw)
    assert LEAVE_ALT_SCREEN in raw, "the app never gave the screen back"
    after = raw.rsplit(LEAVE_ALT_SCREEN, 1)[1].decode("utf-8", "replace")
    return code, after, raw


@pytest.mark.parametrize("how", ["once", "always"])
def test_a_crash_shows_no_words_exits_non_zero_and_leaves_a_short_report(
    private_home: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`always`: the save on the way out fails too, so the error escapes Textual itself."""
    code, after, raw = _crash_with_words_on_screen(private_home, how)
    assert WORDS.encode() in raw  # it really was on the screen
    assert code != 0
    assert WORDS not in after and "Alex" not in after
    assert "Traceback" not in after and "value =" not in after
    report = private_home / REPORT_NAME
    flat = " ".join(after.split())
    assert "Replenish stopped because of an error in its own code" in flat
    assert str(report) in "".join(after.split())  # the path, wherever the terminal wrapped it
    # The report: the kind of error and the frames, private, with no user text.
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text(encoding="utf-8")
    assert "Alex" not in text and "never said" not in text
    assert "error: builtins.RuntimeError" in text
    assert "a bug in the code" not in text  # an error's message can quote data: left out
    assert "program/tui/widgets/base.py:" in text and ":save" in text
    assert "textual 8.2.8" in text
    # doctor mentions it, and says what it is.
    capsys.readouterr()
    assert main(["doctor", "--data-dir", str(private_home)]) == 1
    out = capsys.readouterr().out
    assert "the app stopped with an error on" in out
    assert f"report: {report}" in out and "it holds no words of yours" in out


def test_a_row_the_app_cannot_read_ends_it_with_what_to_do_not_a_crash_report(
    private_home: Path,
) -> None:
    """A stored value Replenish never writes (a hand edit) is the data file's problem, not a
    bug: the app leaves with the store's own message (doctor, restore) and no crash report."""
    import sqlite3

    service = enrolled(private_home)
    service.save_answer("check-in", 1, "words", WORDS)
    service.set_position("check-in", 1, 2)
    service.close()
    conn = sqlite3.connect(private_home / "replenish.db", isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE answer SET value = '{not json' WHERE step_id = 'words'")
    conn.close()
    argv = [sys.executable, "-m", "program", "--program", str(SMALL)]
    session = PtySession(argv, child_env(private_home))
    try:
        code = session.wait_exit(timeout=60)
    finally:
        session.close()
    raw = bytes(session.raw)
    after = raw.rsplit(LEAVE_ALT_SCREEN, 1)[-1].decode("utf-8", "replace")
    flat = " ".join(after.split())
    assert code == 1
    assert "Replenish cannot read part of its data file" in flat
    assert "`replenish doctor` names the row" in flat
    assert "Traceback" not in after and not (private_home / REPORT_NAME).exists()
