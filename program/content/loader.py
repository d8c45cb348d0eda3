"""Read a program folder, check every rule, and build the model.

All problems are collected before anything is built, so an author sees every
mistake in one run. Each message names the file and line it is about, found
with `program.content.locate`, because `tomllib` keeps no positions.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from program.content import schema
from program.content.fields import Field
from program.content.locate import Locations, locate
from program.content.model import Exercise, Module, Notice, Program
from program.content.problems import Problem, ProgramError
from program.content.steps import KINDS, Gate, Step

PROGRAM_FILE = "program.toml"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_KEY_PARTS = 32
"""Far beyond the format's deepest key (exercise.step.N.flags.NAME), far below harm."""
MAX_NESTING = 16
"""Deeper brackets than this are never needed by the format and can exhaust the parser."""

Path_ = tuple[str | int, ...]
Table = dict[str, Any]


def program_files(folder: Path) -> list[Path]:
    """The TOML files that make up a program, in a stable order."""
    return sorted(
        path
        for path in folder.glob("*.toml")
        if not path.name.startswith(("_", ".")) and path.is_file()
    )


def load_program(folder: Path) -> Program:
    """Load and check the program in `folder`; raise `ProgramError` listing every problem."""
    checker = _Checker(folder)
    program = checker.run()
    if checker.problems or program is None:
        raise ProgramError(checker.problems)
    return program


def validate(folder: Path) -> list[Problem]:
    """Every problem in the program folder, sorted; empty when it is valid."""
    return check(folder)[1]


def check(folder: Path) -> tuple[Program | None, list[Problem]]:
    """The program (None unless valid) and every problem, sorted, from one reading."""
    checker = _Checker(folder)
    program = checker.run()
    problems = sorted(checker.problems)
    return (None if problems else program), problems


@dataclass(frozen=True, slots=True)
class Source:
    """Where a module or exercise id was first claimed, for a message about a duplicate."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class _File:
    """One parsed TOML file, its text, and the lines of its table headers and top-level keys.

    A valid file needs no other line, so the full map of every key's line is built
    only when a problem asks for one.
    """

    path: Path
    label: str
    data: Table
    text: str
    outline: Locations
    _where: Locations | None = None

    def line(self, path: Path_) -> int:
        """The line of `path` or of its nearest located ancestor, as `Locations.line` gives it."""
        found = self.outline.exact(path)
        if found is not None:
            return found
        if self._where is None:
            self._where = locate(self.text)
        return self._where.line(path)


@dataclass
class _Checker:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    flags_raised: set[str] = field(default_factory=set)
    flags_used: list[tuple[str, _File, Path_]] = field(default_factory=list)
    modules_seen: dict[str, Source] = field(default_factory=dict)
    exercises_seen: dict[str, Source] = field(default_factory=dict)

    # ----- reading -------------------------------------------------------

    def report(self, file: _File | str, line: int, message: str) -> None:
        label = file.label if isinstance(file, _File) else file
        self.problems.append(Problem(label, line, message))

    def read(self, path: Path) -> _File | None:
        label = str(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.report(label, 1, f"cannot be read ({error.strerror}); expected a readable file")
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.report(label, 1, f"is {len(raw)} bytes; expected at most {MAX_FILE_BYTES}")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.report(label, line, "is not valid UTF-8; expected the file saved as UTF-8")
            return None
        if not text.strip() or all(
            not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
        ):
            self.report(label, 1, "is empty; expected TOML content")
            return None
        where = locate(text, outline=True)
        if where.max_depth > MAX_NESTING:
            self.report(
                label,
                where.deepest_line,
                f"nests arrays or tables {where.max_depth} levels deep; "
                f"expected at most {MAX_NESTING}",
            )
            return None
        parts, key_line = where.longest_key()
        if parts > MAX_KEY_PARTS:
            self.report(
                label,
                key_line,
                f"has a key of {parts} dotted parts; expected at most {MAX_KEY_PARTS}",
            )
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            line, message = _syntax_problem(str(error), text)
            self.report(label, line, f"TOML syntax error: {message}; expected valid TOML 1.0")
            return None
        except RecursionError:
            self.report(label, 1, f"nests too deeply; expected at most {MAX_NESTING} levels")
            return None
        return _File(path, label, data, text, where)

    def read_all(self, paths: list[Path]) -> Iterator[_File | None]:
        """Each file read (None where it cannot be), in order, with its problems reported.

        One process reads them all: spreading the reading over processes was slower
        here (10.7 s against 7.5 s for 1,000 modules) and broke any script that
        loads a program without a `__main__` guard.
        """
        for path in paths:
            yield self.read(path)

    # ----- the whole folder ---------------------------------------------

    def run(self) -> Program | None:
        if not self.folder.is_dir():
            self.report(str(self.folder), 1, "is not a folder; expected a program folder")
            return None
        program_path = self.folder / PROGRAM_FILE
        module_paths = [path for path in program_files(self.folder) if path.name != PROGRAM_FILE]
        program_file: _File | None = None
        if not program_path.is_file():
            self.report(
                str(program_path), 1, "is missing; expected program.toml with id, title and days"
            )
        else:
            program_file = self.read(program_path)
        if not module_paths:
            self.report(
                str(program_path),
                1,
                "the folder has no module files; expected at least one *.toml module beside it",
            )
        head = self.check_program(program_file) if program_file else None
        days = head["days"] if head and isinstance(head.get("days"), int) else None
        modules = [
            module
            for file in self.read_all(module_paths)
            if file is not None and (module := self.check_module(file, days)) is not None
        ]
        self.check_flags()
        if head is None or program_file is None or self.problems:
            return None
        program = Program(
            id=head["id"],
            title=head["title"],
            summary=head.get("summary", ""),
            days=head["days"],
            modules=tuple(sorted(modules, key=_program_order)),
            support=head.get("support", ""),
            closings=tuple(head.get("closings", ())),
            notices=tuple(head["notices"]),
            max_minutes_per_day=head.get("max_minutes_per_day"),
            folder=str(self.folder),
        )
        self.check_day_budget(program, program_file)
        return None if self.problems else program

    # ----- tables and keys ---------------------------------------------

    def check_table(
        self, file: _File, data: object, path: Path_, keys: dict[str, Field], what: str
    ) -> Table | None:
        """Check a table's keys and types; return the well-typed values."""
        if not isinstance(data, dict):
            self.report(file, file.line(path), f"{what} is {_kind_of(data)}; expected a table")
            return None
        clean: Table = {}
        for name, value in data.items():
            key = keys.get(name)
            if key is None:
                self.report(file, file.line(path + (name,)), _unknown_key(name, keys, what))
                continue
            if self.check_value(file, path + (name,), key, value, what):
                clean[name] = value
        for key in keys.values():
            if key.required and key.name not in data:
                self.report(
                    file,
                    file.line(path),
                    f"{what} has no {key.name}; "
                    f"expected {key.name} = {schema.TYPE_WORDS[key.type]}",
                )
        return clean

    def check_value(self, file: _File, path: Path_, key: Field, value: object, what: str) -> bool:
        expected = schema.TYPE_WORDS[key.type]

        def wrong() -> str:  # built only when needed: this runs for every value of the program
            return f"{key.name} in {what} is {_kind_of(value)}; expected {expected}"

        match key.type:  # the line is looked up only for a problem: most values have none
            case "text":
                if not isinstance(value, str):
                    self.report(file, file.line(path), wrong())
                    return False
                if not value.strip():
                    self.report(
                        file, file.line(path), f"{key.name} in {what} is empty; expected some text"
                    )
                    return False
            case "id":
                if not isinstance(value, str) or not schema.ID_PATTERN.match(value):
                    shown = f'"{value}"' if isinstance(value, str) else _kind_of(value)
                    self.report(
                        file,
                        file.line(path),
                        f"{key.name} in {what} is {shown}; expected {expected}",
                    )
                    return False
            case "int":
                if not isinstance(value, int) or isinstance(value, bool):
                    self.report(file, file.line(path), wrong())
                    return False
                return self.check_range(file, path, key, value, what)
            case "bool":
                if not isinstance(value, bool):
                    self.report(file, file.line(path), wrong())
                    return False
            case "texts" | "ints" | "ids":
                return self.check_array(file, path, key, value, what)
            case "flags":
                return self.check_flags_table(file, path, value, what)
            case "tables":
                if not isinstance(value, list) or not value:
                    self.report(
                        file,
                        file.line(path),
                        f"{key.name} in {what}: expected [[{key.name}]] tables",
                    )
                    return False
        return True

    def check_range(self, file: _File, path: Path_, key: Field, value: int, what: str) -> bool:
        low = key.low if key.low is not None else -(2**31)
        high = key.high if key.high is not None else 2**31
        if low <= value <= high:
            return True
        bounds = f"{key.low}..{key.high}" if key.high is not None else f"at least {key.low}"
        self.report(file, file.line(path), f"{key.name} in {what} is {value}; expected {bounds}")
        return False

    def check_array(self, file: _File, path: Path_, key: Field, value: object, what: str) -> bool:
        expected = schema.TYPE_WORDS[key.type]
        if not isinstance(value, list) or not value:
            shown = "an empty array" if value == [] else _kind_of(value)
            self.report(
                file, file.line(path), f"{key.name} in {what} is {shown}; expected {expected}"
            )
            return False
        for item in value:
            if key.type == "ints":
                ok = isinstance(item, int) and not isinstance(item, bool)
                if ok and not self.check_range(file, path, key, item, what):
                    return False
            elif key.type == "ids":
                ok = isinstance(item, str) and bool(schema.ID_PATTERN.match(item))
            else:
                ok = isinstance(item, str) and bool(item.strip())
            if not ok:
                shown = f'"{item}"' if isinstance(item, str) else _kind_of(item)
                self.report(
                    file,
                    file.line(path),
                    f"{key.name} in {what} holds {shown}; expected {expected}",
                )
                return False
        if len(set(value)) != len(value):
            twice = next(item for item in value if value.count(item) > 1)
            self.report(
                file,
                file.line(path),
                f"{key.name} in {what} lists {twice!r} twice; expected each once",
            )
            return False
        return True

    def check_flags_table(self, file: _File, path: Path_, value: object, what: str) -> bool:
        if not isinstance(value, dict) or not value:
            self.report(
                file,
                file.line(path),
                f"flags in {what} is {_kind_of(value)}; expected {schema.TYPE_WORDS['flags']}",
            )
            return False
        ok = True
        for flag, options in value.items():
            if not schema.ID_PATTERN.match(flag):
                self.report(
                    file,
                    file.line(path),
                    f'flag "{flag}" in {what} is not an id; expected {schema.TYPE_WORDS["id"]}',
                )
                ok = False
            elif (
                not isinstance(options, list)
                or not options
                or not all(isinstance(option, str) for option in options)
            ):
                self.report(
                    file,
                    file.line(path),
                    f'flag "{flag}" in {what}: expected an array of option texts',
                )
                ok = False
        return ok

    # ----- program.toml ----------------------------------------------------

    def check_program(self, file: _File) -> Table | None:
        head = self.check_table(file, file.data, (), schema.PROGRAM, "program.toml")
        if head is None:
            return None
        notices: list[Notice] = []
        for index, raw in enumerate(head.get("notice", [])):
            path: Path_ = ("notice", index)
            notice = self.check_table(file, raw, path, schema.NOTICE, "[[notice]]")
            if notice is not None and "text" in notice:
                notices.append(Notice(notice["text"], self.gate(file, path, notice)))
        head["notices"] = notices
        return head

    def gate(self, file: _File, path: Path_, table: Table) -> Gate:
        for key in ("requires", "excludes"):
            for flag in table.get(key, ()):
                self.flags_used.append((flag, file, path + (key,)))
        return Gate(frozenset(table.get("requires", ())), frozenset(table.get("excludes", ())))

    # ----- modules -------------------------------------------------------

    def check_module(self, file: _File, days: int | None) -> Module | None:
        table = self.check_table(file, file.data, (), schema.MODULE, "a module")
        if table is None:
            return None
        self.claim_id("module", table.get("id"), file, file.line(("id",)))
        module_id = table.get("id", "")
        exercises = [
            exercise
            for index, raw in enumerate(table.get("exercise", []))
            if (exercise := self.check_exercise(file, ("exercise", index), raw, module_id, days))
            is not None
        ]
        if not {"id", "title", "summary", "exercise"} <= table.keys():
            return None
        return Module(
            id=module_id,
            title=table["title"],
            summary=table["summary"],
            exercises=tuple(exercises),
            weeks=tuple(table.get("weeks", ())),
        )

    def check_exercise(
        self, file: _File, path: Path_, raw: object, module_id: str, days: int | None
    ) -> Exercise | None:
        name = _describe("exercise", raw)
        table = self.check_table(file, raw, path, schema.EXERCISE, name)
        if table is None:
            return None
        line = file.line(path)
        self.claim_id("exercise", table.get("id"), file, line)
        gate = self.gate(file, path, table)
        due = self.check_days(file, path, table, days, name)
        steps: list[Step] = []
        seen_steps: dict[str, Path_] = {}
        for index, raw_step in enumerate(table.get("step", [])):
            step_path = path + ("step", index)
            step = self.check_step(file, step_path, raw_step, index, f"step {index + 1} of {name}")
            if step is None:
                continue
            if step.id in seen_steps:
                self.report(
                    file,
                    file.line(step_path),
                    f'duplicate step id "{step.id}" in {name}; already used at line '
                    f"{file.line(seen_steps[step.id])}; expected ids unique within an exercise",
                )
                continue
            seen_steps[step.id] = step_path
            steps.append(step)
        if due is None or not {"id", "title", "minutes", "step"} <= table.keys():
            return None
        return Exercise(
            id=table["id"],
            title=table["title"],
            module_id=module_id,
            minutes=table["minutes"],
            days=due,
            steps=tuple(steps),
            summary=table.get("summary", ""),
            daily=table.get("daily", False),
            optional=table.get("optional", False),
            catch_up=table.get("catch_up", True),
            closing=table.get("closing", ""),
            gate=gate,
        )

    def check_days(
        self, file: _File, path: Path_, table: Table, days: int | None, name: str
    ) -> tuple[int, ...] | None:
        given = [key for key in ("day", "days", "daily") if key in table]
        if table.get("daily") is False:
            given.remove("daily")
        if len(given) != 1:
            found = "none" if not given else " and ".join(given)
            self.report(
                file,
                file.line(path),
                f"{name} gives {found} of day, days, daily; "
                "expected exactly one (day = 3, days = [3, 10] or daily = true)",
            )
            return None
        key = given[0]
        if key == "daily":
            return tuple(range(1, days + 1)) if days else ()
        chosen: list[int] = [table["day"]] if key == "day" else list(table["days"])
        if days is not None:
            outside = [day for day in chosen if not 1 <= day <= days]
            if outside:
                self.report(
                    file,
                    file.line(path + (key,)),
                    f"{name} is due on day {outside[0]}, outside the plan; "
                    f"expected a day from 1 to {days} (program.toml sets days = {days})",
                )
                return None
        return tuple(sorted(chosen))

    def check_step(
        self, file: _File, path: Path_, raw: object, index: int, name: str
    ) -> Step | None:
        if not isinstance(raw, dict):
            self.report(file, file.line(path), f"{name} is {_kind_of(raw)}; expected a table")
            return None
        kind = raw.get("kind")
        known = KINDS.get(kind) if isinstance(kind, str) else None
        if known is None:
            kinds = ", ".join(KINDS)
            if kind is None:
                message = f"{name} has no kind; expected kind = one of {kinds}"
            else:
                shown = f'"{kind}"' if isinstance(kind, str) else _kind_of(kind)
                message = f"{name} has unknown kind {shown}; expected one of {kinds}"
                if isinstance(kind, str):
                    message += _did_you_mean(kind, KINDS)
            self.report(file, file.line(path + ("kind",)), message)
            return None
        keys = schema.step_keys(known.kind)
        table = self.check_table(file, raw, path, keys, f"{name} ({kind})")
        if table is None:
            return None
        if known.takes_answer and "id" not in raw:
            self.report(
                file,
                file.line(path),
                f"{name} ({kind}) has no id; expected an id, since its answer is saved under it",
            )
            return None
        gate = self.gate(file, path, table)
        if any(key.required and key.name not in table for key in keys.values()):
            return None
        common: dict[str, Any] = {"id": table.get("id", f"{kind}-{index + 1}"), "gate": gate}

        def complain(key: str, message: str) -> None:
            self.report(file, file.line(path + (key,)), message)

        step = known.build(table, common, complain, name)
        if step is not None:
            self.flags_raised |= step.raises
        return step

    # ----- across the whole program -------------------------------------

    def claim_id(self, noun: str, id_: object, file: _File, line: int) -> None:
        """Report an id already used by another module or exercise anywhere in the program."""
        if not isinstance(id_, str):
            return
        seen = self.modules_seen if noun == "module" else self.exercises_seen
        first = seen.setdefault(id_, Source(file.label, line))
        if first != Source(file.label, line):
            self.report(
                file,
                line,
                f'duplicate {noun} id "{id_}"; already used at {first}; '
                "expected ids unique across the program",
            )

    def check_flags(self) -> None:
        for flag, file, path in self.flags_used:
            if flag not in self.flags_raised:
                known = f"; flags in this program: {', '.join(sorted(self.flags_raised))}"
                self.report(
                    file,
                    file.line(path),
                    f'flag "{flag}" is never raised by any step; expected a flag named in a '
                    f"step's flags table{known if self.flags_raised else ''}"
                    f"{_did_you_mean(flag, self.flags_raised)}",
                )

    def check_day_budget(self, program: Program, file: _File) -> None:
        budget = program.max_minutes_per_day
        if budget is None:
            return
        cases: list[tuple[str, frozenset[str]]] = [("with no flags raised", frozenset())]
        cases += [
            (f'with "{flag}" raised', frozenset({flag})) for flag in sorted(self.flags_raised)
        ]
        for day in range(1, program.days + 1):
            for label, flags in cases:
                total = sum(exercise.minutes for exercise in program.exercises_on(day, flags))
                if total > budget:
                    self.report(
                        file,
                        file.line(("max_minutes_per_day",)),
                        f"day {day} adds up to {total} minutes {label}; "
                        f"expected at most {budget} (max_minutes_per_day)",
                    )
                    break


def _program_order(module: Module) -> tuple[int, int]:
    """Modules in the order a user meets them: by the week they lead, then by first day.

    A module that leads no week (an intake, say) comes first among its peers.
    """
    first_day = min((exercise.days[0] for exercise in module.exercises if exercise.days), default=0)
    return (min(module.weeks, default=0), first_day)


def _describe(noun: str, raw: object) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f'{noun} "{raw["id"]}"'
    return f"[[{noun}]]"


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _unknown_key(name: str, keys: dict[str, Field], what: str) -> str:
    hint = _did_you_mean(name, keys)
    if hint:
        return f'unknown key "{name}" in {what}{hint}'
    return f'unknown key "{name}" in {what}; expected one of: {", ".join(keys)}'


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


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
