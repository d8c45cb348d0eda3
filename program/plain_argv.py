"""The plainest command lines, read without argparse (it costs a tenth of a plain command).

Only `COMMAND` with `--data-dir` and `--program` in their plain spellings is
understood; abbreviations, repeats, `--help` and anything else give None, and
argparse has the last word on them, its messages unchanged.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def plain_options(argv: Sequence[str], command: str) -> dict[str, str] | None:
    """`--data-dir` and `--program` of a plain `command` line; None for anything else.

    Only the plain spellings are understood; abbreviations, repeats, `--help` and
    the like return None, so argparse on the full path has the last word on them.
    """
    options: dict[str, str] = {}
    seen = False
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == command and not seen:
            seen = True
            continue
        name, equals, value = word.partition("=")
        if name not in ("--data-dir", "--program") or name in options:
            return None
        if not equals:
            if index >= len(words):
                return None
            value = words[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        options[name] = value
    return options if seen else None
