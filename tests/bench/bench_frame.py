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
from collections.abc import Mapping, Sequence

import pyte

COLUMNS, LINES = 80, 24
ALT_SCREEN = b"\x1b[?1049h"
"""A full-screen app switches to the alternate screen: plain printed text does not count."""


class FrameTimeout(Exception):
    """The text never appeared; carries what the screen showed instead."""


def time_to_text(
    argv: Sequence[str], env: Mapping[str, str], text: str, timeout: float = 30.0
) -> float:
    """Milliseconds from spawn until `text` is on the 80x24 screen; the program is then stopped."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    full_env = dict(env)
    full_env.update({"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)})
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen_full_screen = False
    try:
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                shown = "\n".join(line.rstrip() for line in screen.display).strip()
                raise FrameTimeout(f"{text!r} not on screen after {timeout:.0f} s; saw:\n{shown}")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                shown = "\n".join(line.rstrip() for line in screen.display).strip()
                raise FrameTimeout(f"the program ended before showing {text!r}; saw:\n{shown}")
            stream.feed(chunk)
            seen_full_screen = seen_full_screen or ALT_SCREEN in chunk
            if seen_full_screen and any(text in line for line in screen.display):
                return (time.perf_counter() - start) * 1000
    finally:
        _stop(process)
        os.close(master)


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
