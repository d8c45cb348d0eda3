"""Where each table and key of a TOML document starts, by line; and how hard it is to parse.

`tomllib` gives values but no positions, and a validation message is only
useful with a line number. This scanner walks the text once, skipping strings,
comments and values, and records the line of every table header and every key,
addressed the way the parsed data is: ``("exercise", 2, "step", 0, "prompt")``.
It also measures what makes `tomllib` slow (nesting, long dotted keys), so a
hostile file can be refused before it is parsed. It never raises: on text
`tomllib` rejects, it just knows less. Its time grows with the text, linearly.

A valid file needs no line at all, so the loader runs it only when a problem
needs one, or when a cheap count says the file may be hostile.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

KeyPath = tuple[str | int, ...]
"""A key's place in the parsed data: table names, array indexes and key names."""

DEEPEST = 64
"""Paths longer than this are measured but not recorded: far beyond any the format uses, and
recording them (a tuple per key or header part) would cost the square of their length."""

_NEWLINE = re.compile("\n")
_BLANK = re.compile(r"[ \t]*")
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE = re.compile(r"[A-Za-z0-9_-]*")
_BASIC_LINE = re.compile(r'(?:[^"\\\n]|\\[\s\S])*')
"""The body of a one-line basic string: anything but a quote or newline; escapes in pairs."""
_LITERAL_LINE = re.compile(r"[^'\n]*")
_BASIC_END = re.compile(r'\\[\s\S]|"""')
"""In a multi-line basic string: the next escape pair or the closing quotes, whichever is first."""
_PLAIN_VALUE = re.compile(r"[^\"'#\[\]{}\n]*")
_PLAIN_MEASURED = re.compile(r"[^\"'#\[\]{},\n]*")
"""As `_PLAIN_VALUE`, stopping at commas too: an inline table's next key follows one."""
"""Characters of a value that never change the scanner's state."""
_SIMPLE_PAIR = re.compile(
    r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"  # a bare key
    r'(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_.:+-]+)'  # a one-line basic string, a number or word
    r"[ \t]*(?:#[^\n]*)?(?=\n|$)"  # then only a comment before the line ends
)
"""The commonest line, `key = "text"` or `key = 12`, whole: one match instead of a walk.

The value opens nothing (no bracket, no multi-line string), so it nests 0 deep."""


class Locations:
    """Line numbers (1-based) of the tables and keys of one TOML document, and its measures."""

    def __init__(
        self,
        lines: dict[KeyPath, int],
        max_depth: int,
        deepest_line: int,
        longest: tuple[int, int] = (0, 1),
        dotted_work: int = 0,
    ) -> None:
        self._lines = lines
        self.max_depth = max_depth
        """Deepest nesting of brackets and braces seen in any value."""
        self.deepest_line = deepest_line
        """The line where that deepest nesting was reached."""
        self._longest = longest
        self.dotted_work = dotted_work
        """How much `tomllib` will walk for its keys: for each key or header, its parts times
        the parts of the path it sits under (its cost grows so, not with the file's size)."""

    def longest_key(self) -> tuple[int, int]:
        """How many parts the longest key or header path has, and its line.

        Python's TOML parser slows down with the square of a dotted key's length,
        so a pathological `a.a.a...` key must be refused before it is parsed
        (inside inline tables, `dotted_work` measures them).
        """
        return self._longest

    def exact(self, path: KeyPath) -> int | None:
        """The line of `path` itself when it was recorded; None otherwise (no ancestor search)."""
        return self._lines.get(path)

    def line(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest located ancestor (1 at worst)."""
        while path:
            found = self._lines.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return 1


class _Scanner:
    """A cursor over the text; regular expressions and `str.find` jump over the dull parts.

    The line number is derived from the position (by bisecting the newline
    offsets) only when one is asked for, since most characters never need it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._end = len(text)
        self._newlines: list[int] | None = None

    @property
    def line(self) -> int:
        return self.line_at(self.pos)

    def line_at(self, position: int) -> int:
        """The line of `position` (1-based)."""
        if self._newlines is None:
            self._newlines = [found.start() for found in _NEWLINE.finditer(self.text)]
        return bisect_left(self._newlines, position) + 1

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < self._end else ""

    def advance(self, count: int = 1) -> None:
        self.pos = min(self.pos + count, self._end)

    def at_end(self) -> bool:
        return self.pos >= self._end

    def skip_blank(self) -> None:
        self.pos = _BLANK.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def skip_gap(self) -> None:
        """Skip blanks, line ends and comments between one key or header and the next."""
        self.pos = _GAP.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def skip_to_line_end(self) -> None:
        found = self.text.find("\n", self.pos)
        self.pos = self._end if found < 0 else found

    def skip_string(self) -> str:
        """Skip a string starting here; return its value (escapes left raw)."""
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            start = self.pos + 3
            end = self._close_multiline(quote, start)
            if end < 0:
                self.pos = self._end
                return text[start:]
            self.pos = end + 3
            while self.pos < self._end and text[self.pos] == quote:  # up to two quotes may close it
                self.pos += 1
                end += 1
            return text[start:end]
        start = self.pos + 1
        body = _BASIC_LINE if quote == '"' else _LITERAL_LINE
        stop = body.match(text, start).end()  # type: ignore[union-attr]
        if stop < self._end and text[stop] == quote:
            self.pos = stop + 1
            return text[start:stop]
        if stop < self._end and text[stop] == "\\":  # a lone backslash at the very end
            stop = self._end
        self.pos = stop
        return text[start:stop]

    def _close_multiline(self, quote: str, start: int) -> int:
        """Where the closing triple quote begins, or -1 when the string never closes."""
        if quote == "'":
            return self.text.find("'''", start)
        position = start
        while True:
            found = _BASIC_END.search(self.text, position)
            if found is None:
                return -1
            if found.group() == '"""':
                return found.start()
            position = found.end()

    def read_key(self) -> list[str]:
        """Read a (possibly dotted, possibly quoted) key."""
        parts: list[str] = []
        while True:
            self.skip_blank()
            char = self.peek()
            if char in ('"', "'"):
                parts.append(self.skip_string())
            else:
                end = _BARE.match(self.text, self.pos).end()  # type: ignore[union-attr]
                if end == self.pos:
                    return parts
                parts.append(self.text[self.pos : end])
                self.pos = end
            self.skip_blank()
            if self.peek() != ".":
                return parts
            self.advance()

    def skip_value(self, measure: bool) -> tuple[int, int, int]:
        """Skip one value; return how deeply it nests, on which line, and (if `measure`)
        the parsing work of the keys of any inline tables in it (each key's parts, squared)."""
        depth = 0
        deepest = 0
        deepest_line = 0  # found only when something nests: most values never do
        work = 0
        tables: list[bool] = []  # for each open bracket: an inline table, or an array
        text = self.text
        plain = _PLAIN_MEASURED if measure else _PLAIN_VALUE
        while True:
            self.pos = plain.match(text, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= self._end:
                return deepest, deepest_line, work
            char = text[self.pos]
            if char in ('"', "'"):
                self.skip_string()
                continue
            if char == "#":
                self.skip_to_line_end()
                continue
            if char in "[{":
                depth += 1
                if depth > deepest:
                    deepest, deepest_line = depth, self.line
                tables.append(char == "{")
            elif char in "]}":
                depth -= 1
                if tables:
                    tables.pop()
            elif char == "\n" and depth <= 0:  # the end of the value
                return deepest, deepest_line, work
            self.pos += 1
            if measure and char in "{," and tables and tables[-1]:  # an inline table's key next
                self.skip_blank()
                if self.peek() not in ("}", ""):
                    parts = len(self.read_key())
                    work += parts * parts

def locate(text: str, *, measure: bool = True) -> Locations:
    """Scan `text` and return where its tables and keys are, with the guards' measures.

    Without `measure`, the keys inside inline tables are skipped, not read, and
    `dotted_work` leaves them out: enough to find lines, and quicker on long values.
    """
    scan = _Scanner(text)
    lines: dict[KeyPath, int] = {}
    arrays: _Arrays = {}
    table: KeyPath = ()
    max_depth = 0
    deepest_line = 1
    longest, longest_line = 0, 1
    work = 0
    while not scan.at_end():
        scan.skip_gap()
        if scan.at_end():
            break
        char = scan.peek()
        start = scan.pos
        if char == "[":
            is_array = scan.peek(1) == "["
            scan.advance(2 if is_array else 1)
            names = scan.read_key()
            table = _resolve_header(names, is_array, arrays)
            if len(table) <= DEEPEST and table not in lines:
                lines[table] = scan.line_at(start)
            if len(table) > longest:
                longest, longest_line = len(table), scan.line_at(start)
            work += len(table) * len(names)
            scan.skip_to_line_end()
            continue
        simple = _SIMPLE_PAIR.match(scan.text, start)
        if simple is not None:
            names = [simple.group(1)]
            scan.pos = simple.end()
        else:
            names = scan.read_key()
            if not names:
                scan.skip_to_line_end()
                continue
        parts = len(table) + len(names)
        work += parts * len(names)
        if parts <= DEEPEST:
            key_path = table + tuple(names)
            if key_path not in lines:
                lines[key_path] = scan.line_at(start)
        if parts > longest:
            longest, longest_line = parts, scan.line_at(start)
        if simple is not None:
            continue
        scan.skip_blank()
        if scan.peek() == "=":
            scan.advance()
            depth, depth_line, inner_work = scan.skip_value(measure)
            work += inner_work
            if depth > max_depth:
                max_depth, deepest_line = depth, depth_line
        else:
            scan.skip_to_line_end()
    return Locations(lines, max_depth, deepest_line, (longest, longest_line), work)


_Arrays = dict[str, list[Any]]
"""The arrays of tables seen so far, as a tree: name -> [elements so far, the tree under the
latest element] (a plain table has 0 elements). A header walks it once, part by part."""


def _resolve_header(names: list[str], is_array: bool, arrays: _Arrays) -> KeyPath:
    """Turn a header's dotted names into a path with array indexes filled in.

    For ``[[exercise.step]]`` the parent ``exercise`` is an array of tables, so
    the step belongs to its latest element: ``("exercise", 3, "step", 1)``.
    A header longer than `DEEPEST` is left unresolved: it is refused anyway.
    """
    if len(names) > DEEPEST:
        return tuple(names)
    path: list[str | int] = []
    node: _Arrays | None = arrays
    last = len(names) - 1
    for position, name in enumerate(names):
        path.append(name)
        entry = node.get(name) if node is not None else None
        if position == last and is_array:
            if entry is None:
                entry = _planted(arrays, path[:-1], name)
            path.append(entry[0])
            entry[0] += 1
            entry[1] = {}
        elif entry is not None and entry[0]:
            path.append(entry[0] - 1)
        node = entry[1] if entry is not None else None
    return tuple(path)


def _planted(arrays: _Arrays, parent: list[str | int], name: str) -> list[Any]:
    """The entry for a new array of tables at `parent` + `name`, made with the tree above it."""
    node = arrays
    for part in parent:
        if isinstance(part, int):
            continue
        entry = node.setdefault(part, [0, {}])
        node = entry[1]
    return node.setdefault(name, [0, {}])
