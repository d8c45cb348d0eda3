"""Generators of hostile program files: each shape that once made validation slow, by size.

Each generator takes a size in bytes and returns (program.toml, one module file) of
about that size. Shared by the tests (small sizes) and the benchmark (a megabyte).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

PROGRAM = 'id = "h"\ntitle = "Hostile"\ndays = 42\n'
LONG_PROGRAM = 'id = "h"\ntitle = "Hostile"\ndays = 3650\nmax_minutes_per_day = 1440\n'
HEAD = 'id = "m"\ntitle = "M"\nsummary = "S"\n'
STEP = '  [[exercise.step]]\n  kind = "read"\n  text = "t"\n'


def _exercise(name: str, extra: str = "day = 1\n") -> str:
    return f'[[exercise]]\nid = "{name}"\ntitle = "E"\nminutes = 1\n{extra}'


def _times(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _choice(options: str, flags: str) -> str:
    return (
        '  [[exercise.step]]\n  kind = "choice"\n  id = "c"\n  prompt = "p"\n'
        f"  options = [{options}]\n  flags = {{{flags}}}\n"
    )


Case = Callable[[int], tuple[str, str]]


def _dotted(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + ".".join(["a"] * (size // 2)) + " = 1\n"


def _dotted_inline(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = {" + ".".join(["a"] * (size // 2)) + " = 1}\n"


def _dotted_header(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "[" + ".".join(["a"] * (size // 2)) + "]\n"


def _dotted_array_header(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "[[" + ".".join(["a"] * (size // 2)) + "]]\n"


def _deep_array(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = " + "[" * (size // 2) + "]" * (size // 2) + "\n"


def _deep_inline(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = " + "{a=" * (size // 4) + "1" + "}" * (size // 4) + "\n"


def _long_headers(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + _times("[[" + ".".join(["a"] * 31) + "]]\n", size)


def _long_keys(size: int) -> tuple[str, str]:
    lines = (f"k{i}." + ".".join(["a"] * 30) + " = 1\n" for i in range(size // 66))
    return PROGRAM, HEAD + "".join(lines)


def _keys_under_a_long_header(size: int) -> tuple[str, str]:
    header = "[" + ".".join(["t"] * 31) + "]\n"
    return PROGRAM, HEAD + header + "".join(f"k{i} = 1\n" for i in range(size // 10))


def _unknown_keys(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "".join(f"k{i} = 1\n" for i in range(size // 10))


def _long_unknown_key(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "k" * size + " = 1\n"


def _long_kind(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + _exercise("e") + f'  [[exercise.step]]\n  kind = "{"x" * size}"\n'


def _flags_never_raised(size: int) -> tuple[str, str]:
    names = [f"f{i}" for i in range(size // 24)]
    excludes = "excludes = [" + ",".join(f'"{name}"' for name in names) + "]\n"
    flags = ",".join(f'g{name} = ["a"]' for name in names)
    return PROGRAM, HEAD + _exercise("e", "day = 1\n" + excludes) + STEP + _choice('"a"', flags)


def _flag_options_not_choices(size: int) -> tuple[str, str]:
    options = [f"o{i}" for i in range(size // 16)]
    listed = ",".join(f'"{option}"' for option in options)
    wrong = ",".join(f'"x{option}"' for option in options)
    return PROGRAM, HEAD + _exercise("e") + _choice(listed, f"f = [{wrong}]")


def _duplicate_at_end(size: int) -> tuple[str, str]:
    items = [f"i{i}" for i in range(size // 10)]
    listed = ",".join(f'"{item}"' for item in [*items, items[-1]])
    step = '  [[exercise.step]]\n  kind = "checklist"\n  id = "c"\n  prompt = "p"\n'
    step += f"  items = [{listed}]\n"
    return PROGRAM, HEAD + _exercise("e") + step


def _long_id_bad_steps(size: int) -> tuple[str, str]:
    head = '[[exercise]]\nid = "' + "x" * (size // 2) + '"\ntitle = "E"\nminutes = 1\nday = 1\n'
    return PROGRAM, HEAD + head + _times('  [[exercise.step]]\n  kind = "read"\n', size // 2)


def _many_exercises(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "".join(_exercise(f"e{n}") + STEP for n in range(size // 120))


def _many_steps(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + _exercise("e") + _times(STEP, size)


def _escapes(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + 'x = "' + "\\n" * (size // 2) + '"\n'


def _quotes_in_a_long_string(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + 'x = """' + 'a""' * (size // 3) + '"""\n'


def _inline_table_keys(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = {" + ",".join(f"a{i}=1" for i in range(size // 8)) + "}\n"


def _array_of_inline_tables(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = [" + ",".join("{a=1}" for _ in range(size // 6)) + "]\n"


def _brackets_in_strings(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "x = [" + ",".join('"[[{{"' for _ in range(size // 7)) + "]\n"


def _lines_without_values(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + _times("abc\n", size)


def _big_number(size: int) -> tuple[str, str]:
    return PROGRAM, HEAD + "weeks = [1" + "0" * max(size - 40, 5000) + "]\n"


def _daily_exercises_over_budget(size: int) -> tuple[str, str]:
    daily = "".join(_exercise(f"d{i}", "daily = true\n") + STEP for i in range(size // 110))
    return LONG_PROGRAM.replace("1440", "1"), HEAD + daily


def _many_flags_over_budget(size: int) -> tuple[str, str]:
    flags = min(size // 200, 60)
    raising = _choice('"a"', ",".join(f'f{i} = ["a"]' for i in range(flags)))
    each = "".join(
        _exercise(f"r{i}", f'daily = true\nrequires = ["f{i}"]\n') + STEP for i in range(flags)
    )
    filler = "".join(_exercise(f"x{i}", "days = [1, 2, 3]\n") + STEP for i in range(size // 200))
    return LONG_PROGRAM.replace("1440", "2"), HEAD + _exercise("e") + raising + each + filler


CASES: dict[str, Case] = {
    "dotted key": _dotted,
    "dotted key in an inline table": _dotted_inline,
    "dotted header": _dotted_header,
    "dotted array header": _dotted_array_header,
    "deep array": _deep_array,
    "deep inline tables": _deep_inline,
    "many 31-part headers": _long_headers,
    "many 31-part keys": _long_keys,
    "keys under a 31-part header": _keys_under_a_long_header,
    "many unknown keys": _unknown_keys,
    "one long unknown key": _long_unknown_key,
    "one long unknown kind": _long_kind,
    "flags never raised": _flags_never_raised,
    "flag options that are not choices": _flag_options_not_choices,
    "a duplicate at the end of a long list": _duplicate_at_end,
    "a long id over many bad steps": _long_id_bad_steps,
    "many exercises": _many_exercises,
    "many steps": _many_steps,
    "a string of escapes": _escapes,
    "quotes in a long string": _quotes_in_a_long_string,
    "many keys in one inline table": _inline_table_keys,
    "an array of inline tables": _array_of_inline_tables,
    "brackets in strings": _brackets_in_strings,
    "lines without values": _lines_without_values,
    "a number of thousands of digits": _big_number,
    "daily exercises over the day budget": _daily_exercises_over_budget,
    "many flags over the day budget": _many_flags_over_budget,
}


def write_case(folder: Path, case: str, size: int) -> Path:
    """The program folder of `case` at about `size` bytes, written into `folder`."""
    program, module = CASES[case](size)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.toml").write_text(program, encoding="utf-8")
    (folder / "m.toml").write_text(module, encoding="utf-8")
    return folder
