"""The command line is parsed by the parsers of the one module its command lives in.

`replenish nudge` runs in every new shell, so a line that names a command builds only
that module's parsers (`program.commands.WHERE`). These tests hold the table to what
the modules register, and show that a line reads the same either way.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from program.cli import build_parser, command_named
from program.commands import MODULES, WHERE
from tests.conftest import ROOT


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    (table,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(table.choices)


def test_where_names_the_module_of_every_command_and_no_other() -> None:
    every = _commands(build_parser())
    assert sorted(WHERE) == sorted(every)
    for name in MODULES:
        parser = argparse.ArgumentParser()
        table = parser.add_subparsers()
        import importlib

        importlib.import_module(f"program.commands.{name}").register(
            table, argparse.ArgumentParser(add_help=False)
        )
        assert sorted(table.choices) == sorted(c for c, m in WHERE.items() if m == name)


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["nudge"], "nudge"),
        (["--data-dir", "nudge", "today"], "today"),  # a folder may be called anything
        (["--program", "/p", "--data-dir=/d", "status"], "status"),
        (["--program=/p", "remind", "show"], "remind"),
        (["--help", "nudge"], None),  # help before a command lists every command
        (["-x", "nudge"], None),
        (["--data-dir", "/d"], ""),  # the app
        ([], ""),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_the_command_a_line_names(words: list[str], named: str | None) -> None:
    assert command_named(words) == named


LINES = [
    [],
    ["--program", "/p"],
    ["nudge"],
    ["--data-dir", "/d", "today"],
    ["start", "--on", "2026-12-01", "--day-starts", "5"],
    ["restore", "--latest", "--program", "/p"],
    ["remind", "set", "08:30"],
    ["partner", "join", "-", "--name", "Sam"],
    ["export", "--format", "json", "-o", "x.json"],
    ["validate", "/p"],
]


@pytest.mark.parametrize("words", LINES, ids=[" ".join(w) or "(the app)" for w in LINES])
def test_a_line_reads_the_same_with_its_module_alone_as_with_every_one(words: list[str]) -> None:
    def read(parser: argparse.ArgumentParser) -> dict[str, object]:
        found = vars(parser.parse_args(words))  # a parser's own usage, by its name
        return {
            k: v.prog if isinstance(v, argparse.ArgumentParser) else v for k, v in found.items()
        }

    assert read(build_parser(command_named(words))) == read(build_parser())


@pytest.mark.parametrize(
    ("words", "modules"),
    [
        (["nudge"], ["program.commands.base", "program.commands.everyday"]),
        (["--data-dir", "/d"], ["program.commands.base"]),  # the app
    ],
)
def test_a_line_imports_no_other_command_module(words: list[str], modules: list[str]) -> None:
    code = (
        "import sys\n"
        "from program.cli import parse_args\n"
        f"parse_args({words!r})\n"
        "print(*sorted(m for m in sys.modules if m.startswith('program.commands.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == modules


def test_an_unknown_command_is_refused_with_every_command_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser(command_named(["nudgee"])).parse_args(["nudgee"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nudgee'" in err and "'nudge'" in err and "'partner'" in err
