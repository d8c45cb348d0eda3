"""Where each table and key of a TOML document starts, by line.

`tomllib` gives values but no positions, and a validation message is only
useful with a line number. This scanner walks the text once, skipping strings,
comments and values, and records the line of every table header and every key,
addressed the way the parsed data is: ``("exercise", 2, "step", 0, "prompt")``.
It never raises: on text `tomllib` rejects, it just knows less.
"""

from __future__ import annotations

Path = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class Locations:
    """Line numbers (1-based) of the tables and keys of one TOML document."""

    def __init__(self, lines: dict[Path, int], max_depth: int, deepest_line: int) -> None:
        self._lines = lines
        self.max_depth = max_depth
        """Deepest nesting of brackets and braces seen in any value."""
        self.deepest_line = deepest_line
        """The line where that deepest nesting was reached."""

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest located ancestor (1 at worst)."""
        while path:
            found = self._lines.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return 1


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def skip_blank(self) -> None:
        while self.peek() in (" ", "\t"):
            self.advance()

    def skip_to_line_end(self) -> None:
        while not self.at_end() and self.peek() != "\n":
            self.advance()

    def skip_string(self) -> str:
        """Skip a string starting here; return its value (escapes left raw)."""
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.advance(3)
            start = self.pos
            while not self.at_end():
                if quote == '"' and self.peek() == "\\":
                    self.advance(2)
                    continue
                if self.text.startswith(quote * 3, self.pos):
                    end = self.pos
                    self.advance(3)
                    while self.peek() == quote:  # up to two quotes may close it
                        self.advance()
                        end += 1
                    return self.text[start:end]
                self.advance()
            return self.text[start:]
        self.advance()
        start = self.pos
        while not self.at_end() and self.peek() != "\n":
            if quote == '"' and self.peek() == "\\":
                self.advance(2)
                continue
            if self.peek() == quote:
                value = self.text[start : self.pos]
                self.advance()
                return value
            self.advance()
        return self.text[start : self.pos]

    def read_key(self) -> list[str]:
        """Read a (possibly dotted, possibly quoted) key."""
        parts: list[str] = []
        while True:
            self.skip_blank()
            char = self.peek()
            if char in ('"', "'"):
                parts.append(self.skip_string())
            else:
                start = self.pos
                while self.peek() in _BARE and self.peek() != "":
                    self.advance()
                if self.pos == start:
                    return parts
                parts.append(self.text[start : self.pos])
            self.skip_blank()
            if self.peek() != ".":
                return parts
            self.advance()

    def skip_value(self) -> tuple[int, int]:
        """Skip one value; return how deeply it nests, and on which line."""
        depth = 0
        deepest = 0
        deepest_line = self.line
        while not self.at_end():
            char = self.peek()
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
            elif char in "]}":
                depth -= 1
            elif char == "\n" and depth <= 0:
                return deepest, deepest_line
            self.advance()
        return deepest, deepest_line


def locate(text: str) -> Locations:
    """Scan `text` and return where its tables and keys are."""
    scan = _Scanner(text)
    lines: dict[Path, int] = {}
    counts: dict[tuple[str | int, ...], int] = {}
    table: Path = ()
    max_depth = 0
    deepest_line = 1
    while not scan.at_end():
        scan.skip_blank()
        char = scan.peek()
        if char in ("\n", "\r"):
            scan.advance()
            continue
        if char == "#":
            scan.skip_to_line_end()
            continue
        line = scan.line
        if char == "[":
            is_array = scan.peek(1) == "["
            scan.advance(2 if is_array else 1)
            names = scan.read_key()
            table = _resolve_header(names, is_array, counts, lines)
            lines.setdefault(table, line)
            scan.skip_to_line_end()
            continue
        names = scan.read_key()
        if not names:
            scan.skip_to_line_end()
            continue
        key_path = table + tuple(names)
        lines.setdefault(key_path, line)
        scan.skip_blank()
        if scan.peek() == "=":
            scan.advance()
            depth, depth_line = scan.skip_value()
            if depth > max_depth:
                max_depth, deepest_line = depth, depth_line
        else:
            scan.skip_to_line_end()
    return Locations(lines, max_depth, deepest_line)


def _resolve_header(
    names: list[str],
    is_array: bool,
    counts: dict[tuple[str | int, ...], int],
    lines: dict[Path, int],
) -> Path:
    """Turn a header's dotted names into a path with array indexes filled in.

    For ``[[exercise.step]]`` the parent ``exercise`` is an array of tables, so
    the step belongs to its latest element: ``("exercise", 3, "step", 1)``.
    """
    path: list[str | int] = []
    for position, name in enumerate(names):
        path.append(name)
        last = position == len(names) - 1
        key = tuple(path)
        if last and is_array:
            index = counts.get(key, 0)
            counts[key] = index + 1
            path.append(index)
        elif key in counts:
            path.append(counts[key] - 1)
    return tuple(path)
