"""The lean parser (one core command's subparser) reads a command line as the whole one does."""

from __future__ import annotations

import pytest

from program.cli import CORE_COMMANDS, _core_command, _plain_args, build_parser, parse_args

LINES = [
    ["today"],
    ["--program", "p", "today"],
    ["--data-dir=d", "status", "--program", "p"],
    ["start", "--on", "2027-01-04", "--day-starts", "5"],
    ["validate", "some/dir"],
    ["export", "--format", "json", "-o", "out.json"],
    ["import", "in.json", "--replace"],
    ["nudge", "--data-dir", "today"],
]


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_the_lean_parser_reads_a_line_as_the_whole_one(argv: list[str]) -> None:
    only = _core_command(argv)
    assert only in CORE_COMMANDS
    assert vars(build_parser(only=only).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [[], ["-h", "today"], ["--prog", "today", "status"], ["remind", "show"], ["--data-dir"]],
    ids=repr,
)
def test_unusual_lines_get_the_whole_parser(argv: list[str]) -> None:
    assert _core_command(argv) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["today"],
        ["status"],
        ["--program", "p", "today"],
        ["today", "--data-dir=d", "--program", "p"],
        ["--data-dir", "status", "status"],
    ],
    ids=" ".join,
)
def test_plain_today_and_status_read_without_argparse_as_with_it(argv: list[str]) -> None:
    plain = _plain_args(argv)
    assert plain is not None
    assert vars(plain) == vars(parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["today", "--help"], ["today", "--prog", "p"], ["today", "today"], ["export"], ["nudge"]],
    ids=" ".join,
)
def test_other_lines_go_to_argparse(argv: list[str]) -> None:
    assert _plain_args(argv) is None
