"""`replenish do` as a real process: killed mid-way and resumed through a pipe, and a
whole day on a real terminal (a pty) with `TERM=dumb` or `NO_COLOR`, Ctrl+C on the way.

Only what a process shows is here (a kill, a signal, a terminal); the rest of `do`
is tested in-process in tests/test_do.py.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from pexpect.popen_spawn import PopenSpawn

from state import Store
from tests.conftest import ROOT, SMALL, Cli

NOW = "2026-03-02T09:30:00+00:00"
COMMAND = [sys.executable, "-m", "program", "--program", str(SMALL), "do"]
WAIT = 30
"""Seconds any one expected line may take on a loaded machine (a bound, not a sleep)."""


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REPLENISH_")}
    env.update(REPLENISH_HOME=str(home), REPLENISH_NOW=NOW, TZ="UTC", PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


@pytest.fixture
def begun(private_home: Path) -> Cli:
    cli = Cli(private_home, now=NOW)
    assert cli("--program", str(SMALL), "start").code == 0
    return cli


def answers(home: Path) -> dict[tuple[str, str], object]:
    with Store.open(home) as store:
        return {(answer.exercise_id, answer.step_id): answer.value for answer in store.answers()}


def eventually(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.05)


REST_OF_DAY_ONE = ["", "", "1", "1 3", "next", "a walk", "20:30", "yes"]
"""From the end of the check-in's words to the end of day 1 (the timer not waited for)."""


def test_killed_mid_way_then_resumed_through_a_pipe(begun: Cli, private_home: Path) -> None:
    child = PopenSpawn(COMMAND, env=environment(private_home), timeout=WAIT, encoding="utf-8")
    child.sendline("7")
    child.expect_exact("Saved: 7.")
    child.sendline("5")
    child.expect_exact("An empty line ends it.")
    child.sendline("Half a thought")
    eventually(lambda: answers(private_home).get(("check-in", "words")) == "Half a thought")
    os.kill(child.proc.pid, signal.SIGKILL)
    child.proc.wait(timeout=WAIT)

    done = begun("--program", str(SMALL), "do", input="\n".join(["and more", *REST_OF_DAY_ONE]))
    assert done.code == 0, done.err
    after = done.out.split("Picking up where you stopped: Daily check-in, 1 min.")[1]
    assert after.lstrip().startswith(
        "Daily check-in, 1 min · Day 1\n\nStep 3 of 3.\nA few words, if you like.\n"
        "You wrote before:\n  Half a thought\n"
    )
    assert "Today is done." in done.out
    found = answers(private_home)
    assert found[("check-in", "energy")] == 7 and found[("check-in", "closeness")] == 5
    assert found[("check-in", "words")] == "Half a thought\nand more"
    assert found[("intake", "signs")] == ["Tired", "Forgetful"]
    assert "\x1b" not in done.out and done.err == ""


@pytest.mark.parametrize(
    "terminal",
    [{"TERM": "dumb"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}],
    ids=["TERM=dumb", "NO_COLOR"],
)
def test_a_day_on_a_real_terminal_with_ctrl_c_on_the_way(
    begun: Cli, private_home: Path, terminal: dict[str, str]
) -> None:
    env = environment(private_home, **terminal)
    seen: list[str] = []

    def spawn() -> pexpect.spawn[str]:
        child = pexpect.spawn(
            COMMAND[0], COMMAND[1:], env=env, timeout=WAIT, encoding="utf-8", dimensions=(24, 80)
        )
        child.logfile_read = Transcript(seen)
        return child

    child = spawn()
    child.expect_exact("(full). An empty line goes on without an answer.")
    child.expect_exact("> ")  # where to type, on a terminal
    child.sendline("7")
    child.expect_exact("Saved: 7.")
    child.expect_exact("> ")
    child.sendintr()  # Ctrl+C at the second step
    child.expect_exact("`replenish do` starts again at this step.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn()
    child.expect_exact("Picking up where you stopped: Daily check-in, 1 min.")
    child.expect_exact("Step 2 of 3.")
    for line in ["5", "A quiet evening", "", "", "1", "1 3"]:
        child.expect_exact("> ")
        child.sendline(line)
    child.expect_exact("Press Enter to start it, or type next to go on without it.")
    child.sendline("")  # the timer runs its 3 seconds on the real clock
    child.expect_exact("Started: 3 seconds. Press Enter to stop early.")
    child.expect_exact("Half time: 2 seconds left.")
    child.expect_exact("Time is up.")
    for line in ["a walk", "20:30", "yes"]:
        child.expect_exact("> ")
        child.sendline(line)
    child.expect_exact("Today is done.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = "".join(seen)
    assert "\x1b" not in shown and "\x9b" not in shown  # no escape sequence of any kind
    found = answers(private_home)
    assert found[("check-in", "words")] == "A quiet evening"
    timer = [value for (exercise, _), value in found.items() if exercise == "rest"]
    assert True in timer  # it ran to the end


class Transcript:
    """Everything the terminal showed, kept for the escape-sequence check."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def write(self, text: str) -> None:
        self.seen.append(text)

    def flush(self) -> None:
        pass
