"""One key a table of the program format may hold: its name, its type and its limits.

Its own small module because both the step kinds (`steps`) and the other tables
(`schema`) declare their keys with it, and the kinds load with every program.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

KeyType = Literal[
    "text", "id", "int", "bool", "texts", "ints", "ids", "flags", "ranges", "table", "tables"
]


class Field(NamedTuple):
    """One key a table may hold (a named tuple: the kinds' keys load with every program)."""

    name: str
    type: KeyType
    required: bool = False
    low: int | None = None
    high: int | None = None
    doc: str = ""
    """A note for the format's documentation, such as "Markdown" or "1..7200"."""
