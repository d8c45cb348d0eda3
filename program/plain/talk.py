"""The conversation: lines read from the user, lines written back, and the commands.

A reply is either text (the answer, exactly as typed) or a `Move`: a line that holds
only one of the command words (`COMMANDS`), in any case. `?` or `help` says the help
line again and asks once more. The end of input is `Move.QUIT`, so a pipe that runs
out stops the walk at the step it reached, as `quit` does.

Input is read from the file descriptor itself, not through Python's buffered stdin,
so a timer can wait for "a line, or this many seconds" with `select` and never
miss a line already read ahead.
"""

from __future__ import annotations

import os
import select
from collections.abc import Callable
from enum import Enum
from time import monotonic
from typing import TYPE_CHECKING, Protocol

from program.terminal import printable

if TYPE_CHECKING:
    from typing import TextIO


class Move(Enum):
    """Where the walk goes after a step."""

    NEXT = "next"
    BACK = "back"
    ASIDE = "aside"
    QUIT = "quit"


COMMANDS = {"next": Move.NEXT, "skip": Move.NEXT, "back": Move.BACK, "aside": Move.ASIDE}
COMMANDS["quit"] = Move.QUIT
"""The words that are commands when they are all a line holds."""

HELP = (
    "Type your answer and press Enter. These words on a line of their own are commands: "
    "back (the step before), next (go on without answering), aside (set this exercise "
    "aside), quit (stop; the next `replenish do` starts at this step), ? (this help)."
)

Reply = str | Move


class Lines(Protocol):
    """Where lines come from: the terminal or a pipe, or a script in tests."""

    def read(self, timeout: float | None = None) -> str | None:
        """The next line without its line ending; None at the end of input.

        With a timeout, raises TimeoutError when no line came within that many seconds.
        """
        ...


class FdLines:
    """Lines from a file descriptor (standard input), decoded as UTF-8."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = b""
        self._ended = False

    def read(self, timeout: float | None = None) -> str | None:
        deadline = None if timeout is None else monotonic() + timeout
        while b"\n" not in self._buffer and not self._ended:
            if deadline is not None:
                left = deadline - monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    raise TimeoutError
            chunk = os.read(self.fd, 4096)
            if chunk:
                self._buffer += chunk
            else:
                self._ended = True
        if b"\n" in self._buffer:
            line, _, self._buffer = self._buffer.partition(b"\n")
        elif self._buffer:
            line, self._buffer = self._buffer, b""
        else:
            return None
        return line.decode("utf-8", "replace").removesuffix("\r")


class Talk:
    """One conversation: `say` writes a line, `ask` reads a reply, `wait` lets time pass."""

    def __init__(
        self,
        lines: Lines,
        out: TextIO,
        *,
        clock: Callable[[], float] = monotonic,
        marker: str = "",
    ) -> None:
        self.lines = lines
        self.out = out
        self.clock = clock
        """Seconds, for timers: monotonic, or a test's own."""
        self.marker = marker
        """Written where the user types ("> " on a terminal; nothing when piped)."""
        self.ended = False
        """The input has ended (a pipe ran out, or Ctrl+D)."""

    def say(self, text: str = "") -> None:
        """One or more lines of text, which may hold data: shown literally."""
        self.out.write(printable(text) + "\n")
        self.out.flush()

    def ask(self, question: str = "") -> Reply:
        """Say `question` (if any), then read one reply; help is answered here."""
        if question:
            self.say(question)
        while True:
            if self.marker:
                self.out.write(self.marker)
                self.out.flush()
            line = self.lines.read()
            reply = self._reply(line)
            if reply != "?":
                return reply
            self.say(HELP)

    def wait(self, seconds: float) -> Reply | None:
        """Let `seconds` pass; a reply typed meanwhile ends the wait early and is returned."""
        try:
            line = self.lines.read(max(seconds, 0.0))
        except TimeoutError:
            return None
        reply = self._reply(line)
        return "" if reply == "?" else reply

    def _reply(self, line: str | None) -> Reply:
        if line is None:
            self.ended = True
            return Move.QUIT
        word = line.strip().lower()
        if word in ("?", "help"):
            return "?"
        return COMMANDS.get(word, line)
