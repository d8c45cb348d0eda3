"""Time until a text is on the screen of a program started on a pseudo-terminal.

The program gets a real pty of a fixed size; everything it writes is fed to a
pyte screen (a terminal emulator), and the clock stops when the text is visible,
which is what a person sees, not when some code path returns.
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
from collections.abc import Callable, Mapping, Sequence

import pyte

COLUMNS, LINES = 80, 24
ALT_SCREEN = b"\x1b[?1049h"
"""A full-screen app switches to the alternate screen: plain printed text does not count."""


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
        """Read output until `condition()` holds; the perf_counter moment it first did."""
        deadline = time.perf_counter() + timeout
        while not condition():
            left = deadline - time.perf_counter()
            if left <= 0:
                raise FrameTimeout(
                    f"{what} not on screen after {timeout:.0f} s; saw:\n{self.seen()}"
                )
            ready, _, _ = select.select([self._master], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                raise FrameTimeout(
                    f"the program ended before showing {what}; saw:\n{self.seen()}"
                )
            self._take(chunk)
        return time.perf_counter()

    def _take(self, chunk: bytes) -> None:
        self.raw += chunk
        self._stream.feed(chunk)
        self._full_screen = self._full_screen or ALT_SCREEN in chunk

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Read everything until the program closes the terminal; its exit code."""
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self._master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # closed: everything has been read
                break
            if not chunk:
                break
            self._take(chunk)
        return self.process.wait(timeout=max(deadline - time.perf_counter(), 1.0))

    def settle(self, seconds: float) -> None:
        """Keep reading (and drawing) for `seconds`, as a person looks before pressing a key."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self._master], [], [], left)
            if ready:
                try:
                    self._take(os.read(self._master, 65536))
                except OSError:
                    return

    def press(self, keys: bytes) -> float:
        """Type `keys` as the terminal would send them; the perf_counter moment they went."""
        os.write(self._master, keys)
        return time.perf_counter()

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
