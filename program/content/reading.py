"""Reading one TOML file of a program: bounded, decoded, parsed, and refused when hostile.

Reading stays linear in the size of the file whatever it holds: its size is
known from `fstat` before a byte is read, and the shapes that make `tomllib`
slow (long dotted keys, deep nesting) are measured before it parses them.
Finding a key's line (`locate`) walks the whole text again, so it runs only
when a problem needs a line, or when a cheap count says the file may be hostile.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any

from msgspec import Struct

from program.content.locate import KeyPath, Locations, locate

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_KEY_PARTS = 32
"""Far beyond the format's deepest key (exercise.step.N.flags.NAME), far below harm."""
MAX_NESTING = 16
"""Deeper brackets than this are never needed by the format and can exhaust the parser."""
DOTTED_WORK_PER_BYTE = 2
"""How much key-walking `tomllib` may do per byte (see `Locations.dotted_work`): the format's
own files need about 0.2; a file of long dotted keys under long headers needs hundreds."""
_DOTTED_WORK_FREE = 10_000
"""Work any small file may do, whatever its keys."""

Table = dict[str, Any]
Report = Callable[[str, int, str], None]
"""Reports a problem: (file label, line, message)."""

_NOTHING = re.compile(r"\s*(?:#[^\n]*\s*)*")
"""Blank lines and comments: a file that is only these is empty (matched from its start,
so a file's first line of content ends it at once)."""
_HEADER_LINE = re.compile(r"\n[ \t]*\[[^\n]*")
_FOUR_DOTS = re.compile(r"\.[^\n.]*\.[^\n.]*\.[^\n.]*\.")
"""Four dots on one line: found by jumping from dot to dot, in time linear in the text."""
_CONTAINERS = (dict, list)


class Document(Struct, weakref=True):
    """One file's text and label; where its keys are is found when first asked.

    Weakly referable so a test can prove no file's text outlives its checks."""

    label: str
    text: str
    _where: Locations | None = None

    _measured: bool = False

    def located(self, *, measure: bool = False) -> Locations:
        """Where the keys are; with `measure`, the work of inline tables' keys counted too."""
        if self._where is None or (measure and not self._measured):
            self._where, self._measured = locate(self.text, measure=measure), measure
        return self._where

    def line(self, path: KeyPath) -> int:
        """The line of `path` or of its nearest located ancestor (1 at worst)."""
        return self.located().line(path)


def read_toml(path: Path, report: Report) -> tuple[Document, Table] | None:
    """The file's text and its parsed table; None (its problem reported) when it cannot be used."""
    label = str(path)
    raw = _read_bounded(path, label, report)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report(label, line, "is not valid UTF-8; expected the file saved as UTF-8")
        return None
    if _NOTHING.match(text).end() == len(text):  # type: ignore[union-attr]
        report(label, 1, "is empty; expected TOML content")
        return None
    document = Document(label, text)
    dotty = _dotted_work_bound(text) > _dotted_work_allowed(text)
    if dotty and _hostile(document, report, dotty):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if not _hostile(document, report, dotty):
            line, message = _syntax_problem(str(error), text)
            report(label, line, f"TOML syntax error: {message}; expected valid TOML 1.0")
        return None
    except RecursionError:
        if not _hostile(document, report, dotty):
            report(label, 1, f"nests too deeply; expected at most {MAX_NESTING} levels")
        return None
    except ValueError:  # tomllib reads an integer of thousands of digits with int(), which refuses
        if not _hostile(document, report, dotty):
            report(
                label,
                _long_number_line(text),
                "holds a number too long to read; expected numbers of a few digits",
            )
        return None
    if _deeper_than(data, MAX_NESTING) and _hostile(document, report, dotty):
        return None
    return document, data


def reread(label: str) -> Document:
    """The file labelled `label` read again, for the line of a problem found after its text
    was let go; one that can no longer be read puts every key on line 1."""
    raw = _read_bounded(Path(label), label, lambda *problem: None)
    return Document(label, "" if raw is None else raw.decode("utf-8", errors="replace"))


def _read_bounded(path: Path, label: str, report: Report) -> bytes | None:
    """The file's bytes, its size checked before reading: a huge (or endless) file is refused."""
    try:
        # O_NONBLOCK: a FIFO put in a module's place must not hang the reading.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        report(label, 1, f"cannot be read ({error.strerror}); expected a readable file")
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            report(label, 1, "is not a regular file; expected a TOML file")
            return None
        if status.st_size > MAX_FILE_BYTES:
            report(label, 1, f"is {status.st_size} bytes; expected at most {MAX_FILE_BYTES}")
            return None
        raw = _read_up_to(fd, status.st_size, MAX_FILE_BYTES + 1)
    except OSError as error:
        report(label, 1, f"cannot be read ({error.strerror}); expected a readable file")
        return None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat
        report(label, 1, f"is more than {MAX_FILE_BYTES} bytes; expected at most {MAX_FILE_BYTES}")
        return None
    return raw


def _read_up_to(fd: int, expected: int, limit: int) -> bytes:
    """What the file holds, at most `limit` bytes, read in as few calls as its size allows."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(limit - total, max(expected + 1 - total, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _hostile(document: Document, report: Report, dotty: bool) -> bool:
    """Report (and say True) when the file nests too deeply or has keys too long to parse.

    `dotty`: its dots may add up to too much work, so the keys of inline tables are read too.
    """
    text = document.text
    few_brackets = text.count("[") + text.count("{") <= MAX_NESTING
    if not dotty and few_brackets and not _FOUR_DOTS.search(text):
        return False  # too few brackets to nest, and no line dotted enough for a long key
    where = document.located(measure=dotty)
    label = document.label
    if where.max_depth > MAX_NESTING:
        report(
            label,
            where.deepest_line,
            f"nests arrays or tables {where.max_depth} levels deep; "
            f"expected at most {MAX_NESTING}",
        )
        return True
    parts, key_line = where.longest_key()
    if parts > MAX_KEY_PARTS:
        report(
            label,
            key_line,
            f"has a key of {parts} dotted parts; expected at most {MAX_KEY_PARTS}",
        )
        return True
    allowed = _dotted_work_allowed(document.text)
    if dotty and where.dotted_work > allowed:
        report(
            label,
            1,
            f"spells its keys with {where.dotted_work} dotted parts in all (counting the "
            f"tables they sit under), too many for its size; expected at most {allowed}, "
            "with plain keys under [table] headers as the format uses",
        )
        return True
    return False


def _dotted_work_allowed(text: str) -> int:
    return _DOTTED_WORK_FREE + DOTTED_WORK_PER_BYTE * len(text)


def _dotted_work_bound(text: str) -> int:
    """An upper bound of `Locations.dotted_work`, counted without scanning the keys.

    A key has at most one part more than its line has dots, and sits under at most
    twice as many parts as the dottiest header has (array indexes included); an
    inline table's keys are at most its commas and dots. All of it is C-speed counting.
    """
    dots, commas, count = text.count("."), text.count(","), text.count("\n") + 1
    if _FOUR_DOTS.search(text) is None:  # the usual file: keys of at most 4 parts
        under = 8 if "[" in text else 0  # at most 4 header names, each with an array index
        keys = (under + 1) * count + 4 * (under + 4) * dots  # a dotted key has a dot on its line
        return keys + commas + text.count("{") + 15 * dots
    lines = text.split("\n")
    per_line = list(map(str.count, lines, repeat(".")))
    header_dots = max((found.count(".") for found in _HEADER_LINE.findall("\n" + text)), default=0)
    under = 2 * (header_dots + 1)
    squares: int = sum(map(mul, per_line, per_line))
    return (under + 1) * (dots + count) + 2 * squares + 3 * dots + commas + count


def _deeper_than(data: Table, limit: int) -> bool:
    """Whether tables and arrays nest more than `limit` levels.

    Parsed data nests at least as deep as any key's path and any value's brackets,
    so within `limit` both guards pass without scanning the text.
    """
    level: list[Any] = [data]
    for _ in range(limit):
        level = [  # one comprehension a level, not one a container: 23 -> 15 us a module
            item
            for container in level
            for item in (container.values() if type(container) is dict else container)
            if type(item) in _CONTAINERS
        ]
        if not level:
            return False
    return True


_DIGITS = re.compile(r"[0-9_]+")


def _long_number_line(text: str) -> int:
    """The line of the longest run of digits (one pass; no regex retried at every digit)."""
    runs = _DIGITS.finditer(text)
    longest = max(runs, key=lambda found: found.end() - found.start(), default=None)
    return 1 if longest is None else text.count("\n", 0, longest.start()) + 1


_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_problem(message: str, text: str) -> tuple[int, str]:
    """Split tomllib's message into a line and the words (lower-cased first letter)."""
    line = 1
    found = _AT_LINE.search(message)
    if found:
        line = int(found.group(1))
        message = message[: found.start()]
    elif _AT_END.search(message):
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message = _AT_END.sub(" at the end of the file", message)
    return line, message[:1].lower() + message[1:]
