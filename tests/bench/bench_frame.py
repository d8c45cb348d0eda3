"""Time until a text is on the screen of a program started on a pseudo-terminal.

The program gets a real pty of a fixed size; everything it writes is fed to a
pyte screen (a terminal emulator), and the clock stops when the text is visible,
which is what a person sees, not when some code path returns.

The emulator is slow (pyte takes 15-30 ms for a full frame), so it must not add its
own time to a figure: each chunk of output is stamped the moment it is read, and
the emulator is fed only once the program has gone quiet, chunk by chunk, with the
condition checked after each. A figure is the stamp of the chunk that made it true.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

import pyte

COLUMNS, LINES = 80, 24
ALT_SCREEN = b"\x1b[?1049h"
"""A full-screen app switches to the alternate screen: plain printed text does not count."""
QUIET = 0.005
"""Seconds without output after which the chunks read so far are fed to the emulator."""
STALE = 0.25
"""Feed anyway once the oldest unfed chunk is this old (a program that never goes quiet)."""


class FrameTimeout(Exception):
    """The text never appeared; carries what the screen showed instead."""


class PtySession:
    """A program on an 80x24 pseudo-terminal whose screen is read through pyte."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.screen = pyte.Screen(COLUMNS, LINES)
        self._stream = pyte.ByteStream(self.screen)
        self._master = master
        self._full_screen = False
        self._unfed: deque[tuple[float, bytes]] = deque()
        """Chunks read (with the moment each was read) and not yet given to the emulator."""
        self._ended = False
        self.raw = bytearray()
        """Every byte the program wrote, escape sequences and all."""
        full_env = dict(env)
        full_env.update({"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)})
        self.started = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=full_env,
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)

    def shows(self, text: str) -> bool:
        """Whether the full-screen app shows `text` (text printed before it does not count)."""
        return self._full_screen and any(text in line for line in self.screen.display)

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Read output until `text` is on screen; the perf_counter moment it appeared."""
        return self.wait_until(lambda: self.shows(text), repr(text), timeout)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> float:
        """Read output until `condition()` holds; the moment the output that made it true
        was read (the emulator's own time is not counted)."""
        if condition():
            return time.perf_counter()
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            got = self._read(QUIET if self._unfed else max(min(left, 0.5), 0))
            stale = bool(self._unfed) and time.perf_counter() - self._unfed[0][0] > STALE
            if self._unfed and (not got or stale):
                while self._unfed:
                    stamp, chunk = self._unfed.popleft()
                    self._take(chunk)
                    if condition():
                        self._feed_all()  # the rest of what was read, so the screen is current
                        return stamp
            if self._ended and not self._unfed:
                raise FrameTimeout(f"the program ended before showing {what}; saw:\n{self.seen()}")
            if time.perf_counter() >= deadline:
                self._feed_all()
                if condition():
                    return time.perf_counter()
                raise FrameTimeout(
                    f"{what} not on screen after {timeout:.0f} s; saw:\n{self.seen()}"
                )

    def _read(self, wait: float) -> bool:
        """Read one chunk if one comes within `wait` seconds, stamped as it arrives."""
        if self._ended:
            return False
        ready, _, _ = select.select([self._master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the child closed the terminal
            chunk = b""
        stamp = time.perf_counter()
        if not chunk:
            self._ended = True
            return False
        self._unfed.append((stamp, chunk))
        return True

    def _feed_all(self) -> None:
        while self._unfed:
            self._take(self._unfed.popleft()[1])

    def _take(self, chunk: bytes) -> None:
        self.raw += chunk
        self._stream.feed(chunk)
        self._full_screen = self._full_screen or ALT_SCREEN in chunk

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Read everything until the program closes the terminal; its exit code."""
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0 and not self._ended:
            self._read(left)
        self._feed_all()
        return self.process.wait(timeout=max(deadline - time.perf_counter(), 1.0))

    def settle(self, seconds: float) -> None:
        """Keep reading (and drawing) for `seconds`, as a person looks before pressing a key."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0 and not self._ended:
            self._read(left)
        self._feed_all()

    def quiet(self, seconds: float = 0.1, longest: float = 5.0) -> None:
        """Read and draw until the program has written nothing for `seconds` (at most `longest`)."""
        deadline = time.perf_counter() + longest
        while time.perf_counter() < deadline and self._read(seconds):
            pass
        self._feed_all()

    def press(self, keys: bytes) -> float:
        """Type `keys` as the terminal would send them; the perf_counter moment they went."""
        os.write(self._master, keys)
        return time.perf_counter()

    def style_of(self, text: str) -> tuple[object, ...] | None:
        """How the first line showing `text` is drawn (colours and attributes of its cells),
        None when no line shows it: a highlight that moves changes this."""
        for row, line in enumerate(self.screen.display):
            column = line.find(text)
            if column >= 0:
                cells = self.screen.buffer[row]
                return tuple(
                    (cell.fg, cell.bg, cell.bold, cell.reverse)
                    for cell in (cells[x] for x in range(column, column + len(text)))
                )
        return None

    def peak_rss_kib(self) -> int:
        """The child's peak resident memory so far (VmHWM), read from /proc."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise FrameTimeout("no VmHWM line in /proc/PID/status")

    def seen(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display).strip()

    def close(self) -> None:
        _stop(self.process)
        os.close(self._master)


def time_to_text(
    argv: Sequence[str], env: Mapping[str, str], text: str, timeout: float = 30.0
) -> float:
    """Milliseconds from spawn until `text` is on the 80x24 screen; the program is then stopped."""
    session = PtySession(argv, env)
    try:
        return (session.wait_for(text, timeout) - session.started) * 1000
    finally:
        session.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the child's whole session: politely first, then for certain."""
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
