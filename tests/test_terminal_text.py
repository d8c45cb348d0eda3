"""Text from data never reaches a terminal as control sequences (`program.terminal`).

A program folder's titles, prompts and notices, an imported file and a one-off
reminder hold OSC 52 (writes the clipboard), OSC 0 (sets the window title),
CSI, C1 controls and BiDi overrides; every command that prints them is run, and
the bytes it wrote are read: on a real pty as a real process where a terminal
matters, else in this process (`main(argv)`) with a pipe for its output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from program.terminal import printable
from state import Store
from tests.conftest import SMALL, command_env, enrolled, run_main

OSC_52 = "\x1b]52;c;cHduZWQ=\x07"
HOSTILE = (
    f"a{OSC_52}b\x1b]0;pwned\x07c\x1b[2Jd\x9b31me\u202ef\u202cg\u2066h\u2069i\u200fj\x08k\rl\x7fm"
)
FORBIDDEN = {
    *(chr(code) for code in range(0x20) if chr(code) not in "\n\t"),
    "\x7f",
    *(chr(code) for code in range(0x80, 0xA0)),
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
}


def assert_inert(data: bytes) -> str:
    """The text of `data`, after checking it holds no character a terminal would obey.

    A pty turns each newline into CR LF on the way out; that pair is the only CR allowed.
    """
    text = data.decode("utf-8").replace("\r\n", "\n")
    found = sorted({f"U+{ord(char):04X}" for char in text if char in FORBIDDEN})
    assert found == [], f"control characters reached the terminal: {found}"
    return text


def hostile_program(folder: Path) -> Path:
    """The small program with hostile text in its title, a module, an exercise, a prompt
    and a notice shown every day (TOML escapes; the loader accepts them)."""
    shutil.copytree(SMALL, folder)
    escaped = json.dumps(HOSTILE)  # a TOML basic string is JSON's, \\u escapes and all
    program = folder / "program.toml"
    text = program.read_text(encoding="utf-8")
    text = text.replace('title = "Small steps"', f"title = {escaped}")
    program.write_text(text + f"\n[[notice]]\ntext = {escaped}\n", encoding="utf-8")
    basics = folder / "basics.toml"
    text = basics.read_text(encoding="utf-8")
    text = text.replace('title = "Basics"', f"title = {escaped}", 1)
    text = text.replace('title = "Daily check-in"', f"title = {escaped}", 1)
    text = text.replace('prompt = "A few words, if you like."', f"prompt = {escaped}", 1)
    basics.write_text(text, encoding="utf-8")
    past = time.time() - 60  # settled, so the digest's writer trusts the files
    for path in folder.iterdir():
        os.utime(path, (past, past))
    return folder


def run(home: Path, *args: str, tty: bool = False, **env: str) -> tuple[int, bytes, bytes]:
    """`replenish ARGS`: a process whose stdout is a pty when `tty`, else in this process.
    (status, stdout, stderr)."""
    values = {"REPLENISH_HOME": str(home), "TZ": "UTC", **env}
    if not tty:
        done = run_main(args, values)
        return done.code, done.out_bytes, done.err_bytes
    environ = command_env(values)
    argv = [sys.executable, "-m", "program", *args]
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(argv, stdout=terminal, stderr=subprocess.PIPE, env=environ)
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed its end and everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
    return process.returncode, b"".join(chunks), err


def settle(home: Path) -> None:
    past = time.time() - 60
    for path in home.iterdir():
        if path.name.startswith("replenish.db"):
            os.utime(path, (past, past))


def test_printable_shows_every_control_and_keeps_the_rest() -> None:
    shown = printable(HOSTILE + "\nline two\ttabbed, 你好, café, 😀 \udcff")
    assert not FORBIDDEN & set(shown)
    assert "␛]52;c;cHduZWQ=␇" in shown and "␛[2J" in shown and "\\x9b31m" in shown
    assert "\\u202ef\\u202c" in shown and "\\u200f" in shown and "␈" in shown and "␍" in shown
    assert "\nline two\ttabbed, 你好, café, 😀 \\xff" in shown
    shown.encode("utf-8")  # a lone surrogate (a non-UTF-8 file name) is spelled, not kept


def test_validate_today_and_status_draw_a_hostile_program(tmp_path: Path) -> None:
    program = hostile_program(tmp_path / "program")
    home = tmp_path / "home"
    code, out, err = run(home, "validate", str(program))
    assert code == 0, err
    assert "valid" in assert_inert(out) + assert_inert(err)
    assert run(home, "start", "--program", str(program))[0] == 0
    for command in ("today", "status"):
        code, out, err = run(home, command, "--program", str(program), tty=True)
        assert code == 0, err
        shown = assert_inert(out)
        assert command == "status" or "␛]52;c;cHduZWQ=␇" in shown
        assert_inert(err)


def test_validate_draws_the_problems_of_a_hostile_folder(tmp_path: Path) -> None:
    """A problem names what it found (an unknown key, a bad value): drawn, never obeyed."""
    program = hostile_program(tmp_path / "program")
    escaped = json.dumps(HOSTILE)
    with (program / "basics.toml").open("a", encoding="utf-8") as file:
        file.write(f"\n{escaped} = {escaped}\n")
    code, out, err = run(tmp_path / "home", "validate", str(program))
    assert code == 1
    shown = assert_inert(out)
    assert "basics.toml:" in shown and "␛]52;c;cHduZWQ=␇" in shown
    assert "1 problem" in assert_inert(err)


def test_the_digest_fast_path_draws_them_too(tmp_path: Path) -> None:
    """`today` and `nudge` answered from the digest print the same inert text."""
    program = hostile_program(tmp_path / "program")
    home = tmp_path / "home"
    assert run(home, "start", "--program", str(program))[0] == 0
    with Store.open(home) as store:
        store.set_setting("reminder.on", True)
        store.set_setting("reminder.times", ["04:00"])  # the day start: always passed
        store.set_setting("reminder.timezone", "UTC")
    at = str(datetime.now().timestamp())
    for command in ("today", "nudge"):
        run(home, command, "--program", str(program))  # in full: writes the digest
        settle(home)
        (home / "nudge-digest").unlink(missing_ok=True)
        full = run(home, command, "--program", str(program), REPLENISH_DIGEST_NOW=at)
        assert (home / "nudge-digest").is_file()
        fast = run(home, command, "--program", str(program), tty=True, REPLENISH_DIGEST_NOW=at)
        assert fast[0] == 0, fast[2]
        assert assert_inert(fast[1]) == assert_inert(full[1]) != ""


def hostile_export(tmp_path: Path) -> Path:
    """An export file whose answer, skip reason and one-off reminder hold hostile text."""
    source = tmp_path / "source"
    assert run(source, "start", "--program", str(SMALL))[0] == 0
    moment = datetime.now().astimezone()
    with Store.open(source) as store:
        store.save_answer("check-in", 1, "words", HOSTILE, moment)
        store.skip("rest", 1, HOSTILE, moment)
        store.add_one_off(moment, HOSTILE, moment)
    exported = tmp_path / "hostile.json"
    code, _, err = run(source, "export", "--format", "json", "-o", str(exported))
    assert code == 0, err
    return exported


@pytest.mark.parametrize("form", ["md", "json"])
def test_an_imported_file_is_shown_inert_on_a_terminal_and_exact_in_a_file(
    tmp_path: Path, form: str
) -> None:
    exported = hostile_export(tmp_path)
    home = tmp_path / "home"
    code, out, err = run(home, "import", str(exported), "--program", str(SMALL))
    assert code == 0, err
    assert_inert(out)
    code, shown, err = run(home, "export", "--format", form, "--program", str(SMALL), tty=True)
    assert code == 0, err
    text = assert_inert(shown)
    assert (printable(HOSTILE) if form == "md" else "pwned") in text
    code, exact, _ = run(home, "export", "--format", form, "--program", str(SMALL))
    assert code == 0
    if form == "md":
        assert HOSTILE in exact.decode("utf-8")  # a pipe or a file gets the very words
    else:
        assert HOSTILE in json.loads(exact)["answers"][0]["value"]


async def test_the_apps_header_shows_the_program_title_inert(tmp_path: Path) -> None:
    from program.tui.app import ReplenishApp
    from program.tui.screens.runner import ExerciseScreen

    program = hostile_program(tmp_path / "program")
    service = enrolled(tmp_path / "home", program)
    app = ReplenishApp(service)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.title == printable(service.program.title)
        assert not FORBIDDEN & set(app.title)
        exercise = service.program.exercise("check-in")
        assert exercise is not None
        screen = ExerciseScreen(service, exercise, 1, 0)
        assert not FORBIDDEN & set(screen.sub_title)
    service.close()
