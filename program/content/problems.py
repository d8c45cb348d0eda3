"""Problems found in a program folder, each pinned to a file and line."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

LISTED = 12
"""How many choices a message names before it says how many more there are."""


class Problem(Struct, frozen=True, order=True):
    """One thing wrong with a program: ``file:line: what is wrong; what was expected``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ProgramError(Exception):
    """A program folder that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def listed(words: Sequence[str], limit: int = LISTED) -> str:
    """Words for a message, comma-separated: the first `limit`, then how many more.

    A message lists what was expected; a hostile file with thousands of choices
    must not make every one of its messages thousands of words long.
    """
    more = len(words) - limit
    return ", ".join(words[:limit]) + (f" and {more} more" if more > 0 else "")
