"""Read a program folder, check every rule, and build the model.

All problems are collected before anything is built, so an author sees every
mistake in one run. Each message names the file and line it is about; `tomllib`
keeps no positions, so a file's lines are found (`reading.Document.line`) only
when one of its problems needs one: a valid program is never scanned for them.
No file's text is kept past its own checks: what is checked later (ids, flags,
recalls) keeps the file's label and the place, and an earlier file is read again,
once, only when a problem needs a line in it (`_Checker.line_in`).
Every step of the checking is linear in the size of the folder.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

from msgspec import Struct, field
from msgspec.structs import replace

from program.content import schema
from program.content.budget import MAX_FLAGS, days_over_budget
from program.content.fields import Field
from program.content.locate import KeyPath
from program.content.model import (
    Exercise,
    Module,
    Notice,
    Program,
    Retired,
    ThenAndNow,
    Variant,
    is_safety_step,
)
from program.content.problems import Problem, ProgramError, listed
from program.content.reading import Document, Table, read_toml, reread
from program.content.steps import KINDS, OPEN, PARTNER, Gate, ScaleStep, Step

PROGRAM_FILE = "program.toml"
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")
"""A `{name}` in a program's words: only `{partner}` is known, and only where it is allowed."""
MAX_HINTS = 100
"""How many "did you mean" hints one reading gives: each compares a name with every
candidate, and a hostile file can hold tens of thousands of unknown names."""
MAX_HINT_CANDIDATES = 1000
"""Beyond this many candidates (flags, say) no hint is looked for: a typo hides in a few."""
MAX_SHOWN = 60
"""How much of an id from the file a message repeats in each of its lines about it (and the
longest name a hint is looked for)."""
_STEP_WORDS = frozenset({"joint", "neutral", "recall", "recall_label", "scope", "shown"})
"""The keys any step may hold beyond kind, id, its gate, view and share. Most steps hold none
of them, and keep the Step's defaults without a check asked for each (8% of check_module)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside, and as it was after.

    A caller that keeps the program may pause it for as long: resumed while the
    program is young, its first passes walk all of it (0.28-0.37 s at 5,000 modules,
    against 0.04 s paused), and a program holds no cycles for it to free.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def program_files(folder: Path) -> list[Path]:
    """The TOML files that make up a program, in a stable order."""
    return sorted(
        path
        for path in folder.glob("*.toml")
        if not path.name.startswith(("_", ".")) and path.is_file()
    )


def not_read(folder: Path) -> list[str]:
    """What in `folder` looks meant for the program but is not read: one line for each.

    Modules are read only from the folder itself (see modules/README.md), so a
    subfolder, a folder or broken link named like a module, or a name ending in
    .TOML would be skipped without a word. Names starting with `_` or `.` are
    documented as set aside, and are not named.
    """
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []  # the checks say what is wrong with the folder itself
    lines = []
    for entry in entries:
        name = entry.name
        if name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            why = (
                "a folder; only the .toml files beside program.toml are read, not those in "
                f"folders (move its modules up beside program.toml, or name it _{name} to set "
                "it aside)"
            )
        elif name.endswith(".toml") and not entry.is_file():
            why = "not a regular file (a broken link, or a device or pipe); expected a TOML file"
        elif name.lower().endswith(".toml") and not name.endswith(".toml"):
            why = f"only names ending in .toml (lower case) are read; rename it {entry.stem}.toml"
        else:
            continue
        lines.append(f"{entry}: not read: {why}")
    return lines


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


Claim = tuple[str, KeyPath]
"""Where something was given: its file's label, and its place there (the line is found only
if a problem needs it). Not the file's `Document`: that would keep every file's text."""


class _Checker(Struct):
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    flags_raised: set[str] = field(default_factory=set)
    flags_used: list[tuple[str, str, KeyPath]] = field(default_factory=list)
    modules_seen: dict[str, Claim] = field(default_factory=dict)
    exercises_seen: dict[str, Claim] = field(default_factory=dict)
    hints_left: int = MAX_HINTS
    caution: str = ""
    concern: str = ""
    """The program's safety flags (`caution_flag`, `concern_flag`), once program.toml is read."""
    safety: frozenset[str] = frozenset()
    """Those of the two that are set, made once: every exercise and step asks for them."""
    every_day: tuple[int, ...] = ()
    """Days 1..N, one tuple shared by every daily exercise."""
    recalls: list[tuple[str, KeyPath, str, str, tuple[str, str], str]] = field(
        default_factory=list
    )
    """(file, place, step's name, its exercise's id, what it recalls, when it is shown):
    checked once every module is read, since the earlier answer may sit in another file."""
    scopes: dict[str, tuple[str, str, KeyPath]] = field(default_factory=dict)
    """Each flag's scope ("plan" or "day") where it is first raised: one flag, one scope."""
    shorts: list[tuple[str, KeyPath, str]] = field(default_factory=list)
    """Where an exercise has a short form: it needs the program's `short_flag`."""
    in_safety_check: bool = False
    """The exercise being read is a safety check (`safety = true`): no name in its words."""
    held: dict[str, Document] = field(default_factory=dict)
    """The files whose text is held, by label: program.toml, the module being checked, and
    any earlier one read again for a line (`line_in`)."""

    def report(self, file: Document | str, line: int, message: str) -> None:
        label = file.label if isinstance(file, Document) else file
        self.problems.append(Problem(label, line, message))

    def line_in(self, label: str, path: KeyPath) -> int:
        """The line of `path` in the file `label`, which is read again if it is no longer held
        (then kept: each file is read a second time at most once)."""
        document = self.held.get(label)
        if document is None:
            document = self.held[label] = reread(label)
        return document.line(path)

    def hint(self, name: str, choices: Collection[str]) -> str:
        """'; did you mean "x"?' for a name close to one of `choices`, while hints are left."""
        if self.hints_left <= 0 or len(name) > MAX_SHOWN or len(choices) > MAX_HINT_CANDIDATES:
            return ""
        self.hints_left -= 1
        close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
        return f'; did you mean "{close[0]}"?' if close else ""

    # ----- the whole folder ---------------------------------------------

    def run(self) -> Program | None:
        """Check the folder and build its program (None when it has problems).

        Nothing built here forms a reference cycle, so the cycle collector is paused:
        its passes over a growing heap made 5,000 modules take 18.0-18.5 s against
        12.3-13.5 s without them (wall clock, three runs each, in one loaded hour).
        """
        with collector_paused():
            return self.read_and_check()

    def read_and_check(self) -> Program | None:
        if not self.folder.is_dir():
            self.report(str(self.folder), 1, "is not a folder; expected a program folder")
            return None
        program_path = self.folder / PROGRAM_FILE
        module_paths = [path for path in program_files(self.folder) if path.name != PROGRAM_FILE]
        head_file: tuple[Document, Table] | None = None
        if not program_path.is_file():
            self.report(
                str(program_path), 1, "is missing; expected program.toml with id, title and days"
            )
        else:
            head_file = read_toml(program_path, self.report)
            if head_file is not None:
                self.held[head_file[0].label] = head_file[0]
        if not module_paths:
            self.report(
                str(program_path),
                1,
                "the folder has no module files; expected at least one *.toml module beside it",
            )
        head = self.check_program(*head_file) if head_file else None
        days = head["days"] if head and isinstance(head.get("days"), int) else None
        self.every_day = tuple(range(1, days + 1)) if days else ()
        modules = []
        for path in module_paths:  # one process: a pool was slower and broke unguarded scripts
            read = read_toml(path, self.report)
            if read is None:
                continue
            self.held[read[0].label] = read[0]
            module = self.check_module(*read, days)
            del self.held[read[0].label]  # its text is let go: 5,000 modules kept whole were
            if module is not None:  # about a third of the peak memory
                modules.append(module)
        self.check_flags()
        self.check_recalls(modules)
        then_and_now = None
        if head is not None and head_file is not None:
            self.check_day_keys(head_file[0], head, modules)
            then_and_now = self.check_then_and_now(head_file[0], head, modules)
        if head is None or head_file is None or self.problems:
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
            welcome=head.get("welcome", ""),
            caution_flag=self.caution,
            concern_flag=self.concern,
            variants=tuple(head["variants"]),
            retired=tuple(head["retired"]),
            short_flag=head.get("short_flag", ""),
            hard_day=head.get("hard_day", ""),
            welcome_back=head.get("welcome_back", ""),
            then_and_now=then_and_now,
        )
        self.check_day_budget(program, head_file[0])
        return None if self.problems else program

    # ----- tables and keys ---------------------------------------------

    def check_table(
        self, file: Document, data: object, path: KeyPath, keys: schema.Keys, what: str
    ) -> Table | None:
        """Check a table's keys and types; return the well-typed values (the table itself when
        all are: the parsed data is ours)."""
        if not isinstance(data, dict):
            self.report(file, file.line(path), f"{what} is {_kind_of(data)}; expected a table")
            return None
        left_out: set[str] = set()
        for name, value in data.items():
            key = keys.get(name)
            if key is None:
                self.report(file, file.line(path + (name,)), self.unknown_key(name, keys, what))
                left_out.add(name)
            elif key.type == "text" and type(value) is str and value and not value.isspace():
                continue  # the commonest values, checked without a call
            elif (
                key.type == "int"
                and type(value) is int
                and (key.low is None or key.low <= value)
                and (key.high is None or value <= key.high)
            ):
                continue
            elif not self.check_value(file, path + (name,), key, value, what):
                left_out.add(name)
        for key in () if keys.required_names <= data.keys() else keys.required:
            if key.name not in data:
                self.report(
                    file,
                    file.line(path),
                    f"{what} has no {key.name}; "
                    f"expected {key.name} = {schema.TYPE_WORDS[key.type]}",
                )
        if not left_out:
            return data
        return {name: value for name, value in data.items() if name not in left_out}

    def unknown_key(self, name: str, keys: schema.Keys, what: str) -> str:
        hint = self.hint(name, keys)
        if hint:
            return f'unknown key "{name}" in {what}{hint}'
        return f'unknown key "{name}" in {what}; expected one of: {", ".join(keys)}'

    def check_value(
        self, file: Document, path: KeyPath, key: Field, value: object, what: str
    ) -> bool:
        """One value against its key's type; the line is looked up only for a problem."""
        kind = key.type
        if kind == "text":
            if isinstance(value, str) and value and not value.isspace():
                return True
            if isinstance(value, str):
                message = f"{key.name} in {what} is empty; expected some text"
            else:
                message = self.wrong_type(key, value, what)
            self.report(file, file.line(path), message)
            return False
        if kind == "id":
            if isinstance(value, str) and schema.ID_PATTERN.match(value):
                return True
            shown = f'"{value}"' if isinstance(value, str) else _kind_of(value)
            message = f"{key.name} in {what} is {shown}; expected {schema.TYPE_WORDS[kind]}"
            self.report(file, file.line(path), message)
            return False
        if kind == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return self.check_range(file, path, key, value, what)
            self.report(file, file.line(path), self.wrong_type(key, value, what))
            return False
        if kind == "bool":
            if isinstance(value, bool):
                return True
            self.report(file, file.line(path), self.wrong_type(key, value, what))
            return False
        if kind in ("texts", "ints", "ids"):
            return self.check_array(file, path, key, value, what)
        if kind == "flags":
            return self.check_flags_table(file, path, value, what)
        if kind == "ranges":
            return self.check_ranges(file, path, value, what)
        if kind == "table":
            if isinstance(value, dict):
                return True
            self.report(file, file.line(path), self.wrong_type(key, value, what))
            return False
        if not isinstance(value, list) or not value:  # "tables"
            self.report(
                file, file.line(path), f"{key.name} in {what}: expected [[{key.name}]] tables"
            )
            return False
        return True

    @staticmethod
    def wrong_type(key: Field, value: object, what: str) -> str:
        return f"{key.name} in {what} is {_kind_of(value)}; expected {schema.TYPE_WORDS[key.type]}"

    def check_range(
        self, file: Document, path: KeyPath, key: Field, value: int, what: str
    ) -> bool:
        low = key.low if key.low is not None else -(2**31)
        high = key.high if key.high is not None else 2**31
        if low <= value <= high:
            return True
        bounds = f"{key.low}..{key.high}" if key.high is not None else f"at least {key.low}"
        self.report(file, file.line(path), f"{key.name} in {what} is {value}; expected {bounds}")
        return False

    def check_array(
        self, file: Document, path: KeyPath, key: Field, value: object, what: str
    ) -> bool:
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
            counts = Counter(value)
            twice = next(item for item in value if counts[item] > 1)
            self.report(
                file,
                file.line(path),
                f"{key.name} in {what} lists {twice!r} twice; expected each once",
            )
            return False
        return True

    def check_flags_table(self, file: Document, path: KeyPath, value: object, what: str) -> bool:
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

    def check_ranges(self, file: Document, path: KeyPath, value: object, what: str) -> bool:
        """A scale's `flags`: each flag an id, each range two integers."""
        expected = schema.TYPE_WORDS["ranges"]
        if not isinstance(value, dict) or not value:
            message = f"flags in {what} is {_kind_of(value)}; expected {expected}"
            self.report(file, file.line(path), message)
            return False
        for flag, bounds in value.items():
            good_bounds = (
                isinstance(bounds, list)
                and len(bounds) == 2
                and all(isinstance(item, int) and not isinstance(item, bool) for item in bounds)
            )
            if not schema.ID_PATTERN.match(flag) or not good_bounds:
                self.report(
                    file,
                    file.line(path),
                    f'flag "{_shown(flag)}" in {what} is not an id with [low, high]; '
                    f"expected {expected}",
                )
                return False
        return True

    # ----- program.toml ----------------------------------------------------

    def check_program(self, file: Document, data: Table) -> Table | None:
        head = self.check_table(file, data, (), schema.PROGRAM, "program.toml")
        if head is None:
            return None
        notices: list[Notice] = []
        for index, raw in enumerate(head.get("notice", [])):
            path: KeyPath = ("notice", index)
            notice = self.check_table(file, raw, path, schema.NOTICE, "[[notice]]")
            if notice is not None and "text" in notice:
                self.check_placeholders(file, path, notice, "[[notice]]")
                notices.append(Notice(notice["text"], self.gate(file, path, notice)))
        head["notices"] = notices
        self.check_placeholders(file, (), head, "program.toml", ("closings",))
        head["variants"] = self.variants(file, head, schema.PROGRAM_VARIANT, "program.toml")
        self.caution = head.get("caution_flag", "")
        self.concern = head.get("concern_flag", "")
        self.safety = frozenset(flag for flag in (self.caution, self.concern) if flag)
        for key in ("caution_flag", "concern_flag", "short_flag"):
            if key in head:
                self.flags_used.append((head[key], file.label, (key,)))
        if self.caution and self.caution == self.concern:
            self.report(
                file,
                file.line(("concern_flag",)),
                f'concern_flag and caution_flag are both "{self.caution}"; '
                "expected two different flags (concern raises caution too)",
            )
        retired: list[Retired] = []
        for index, raw in enumerate(head.get("retired", [])):
            path = ("retired", index)
            table = self.check_table(file, raw, path, schema.RETIRED, "[[retired]]")
            if table is None or not schema.RETIRED.required_names <= table.keys():
                continue
            flags = {flag: frozenset(options) for flag, options in table["flags"].items()}
            self.flags_raised.update(flags)
            retired.append(Retired(table["exercise"], table["step"], MappingProxyType(flags)))
        head["retired"] = retired
        return head

    def variants(
        self, file: Document, table: Table, keys: schema.Keys, where: str
    ) -> list[Variant]:
        """A table's `[[variant]]`s: each needs a gate and at least one of the words it replaces."""
        found: list[Variant] = []
        words_keys = [name for name in keys if name not in ("requires", "excludes")]
        for index, raw in enumerate(table.get("variant", [])):
            path: KeyPath = ("variant", index)
            variant = self.check_table(file, raw, path, keys, f"[[variant]] of {where}")
            if variant is None:
                continue
            gate = self.gate(file, path, variant)
            self.check_placeholders(
                file,
                path,
                variant,
                f"[[variant]] of {where}",
                ("closings",),
                bool(gate.requires & self.safety),
            )
            words = {
                name: tuple(value) if isinstance(value, list) else value
                for name, value in variant.items()
                if name in words_keys
            }
            if gate is OPEN or not words:
                missing = "requires or excludes" if gate is OPEN else ", ".join(words_keys)
                self.report(
                    file,
                    file.line(path),
                    f"[[variant]] of {where} has no {missing}; expected a variant to name "
                    f"the flags it is for and at least one of: {', '.join(words_keys)}",
                )
                continue
            found.append(Variant(gate, MappingProxyType(words)))
        return found

    def gate(self, file: Document, path: KeyPath, table: Table) -> Gate:
        requires, excludes = table.get("requires", ()), table.get("excludes", ())
        if not requires and not excludes:
            return OPEN
        for key, flags in (("requires", requires), ("excludes", excludes)):
            for flag in flags:
                self.flags_used.append((flag, file.label, path + (key,)))
        return Gate(frozenset(requires), frozenset(excludes))

    # ----- modules -------------------------------------------------------

    def check_module(self, file: Document, data: Table, days: int | None) -> Module | None:
        table = self.check_table(file, data, (), schema.MODULE, "a module")
        if table is None:
            return None
        self.claim_id("module", table.get("id"), file, ("id",))
        self.check_placeholders(file, (), table, "a module")
        module_id = table.get("id", "")
        exercises = [
            exercise
            for index, raw in enumerate(table.get("exercise", []))
            if (exercise := self.check_exercise(file, ("exercise", index), raw, module_id, days))
            is not None
        ]
        variants = self.variants(file, table, schema.MODULE_VARIANT, "a module")
        if not schema.MODULE.required_names <= table.keys():
            return None
        return Module(
            id=module_id,
            title=table["title"],
            summary=table["summary"],
            exercises=tuple(exercises),
            weeks=tuple(table.get("weeks", ())),
            variants=tuple(variants),
        )

    def check_exercise(
        self, file: Document, path: KeyPath, raw: object, module_id: str, days: int | None
    ) -> Exercise | None:
        name = _describe("exercise", raw)
        table = self.check_table(file, raw, path, schema.EXERCISE, name)
        if table is None:
            return None
        self.claim_id("exercise", table.get("id"), file, path)
        self.in_safety_check = table.get("safety") is True
        gate = self.gate(file, path, table)
        hidden = self.in_safety_check or bool(gate.requires & self.safety)
        self.check_placeholders(file, path, table, name, ("closing",), hidden)
        due = self.check_days(file, path, table, days, name)
        steps: list[Step] = []
        seen_steps: dict[str, KeyPath] = {}
        self.check_safety_rules(file, path, table, gate, name, gate)
        if table.get("until_done") and table.get("catch_up") is False:
            self.report(
                file,
                file.line(path + ("until_done",)),
                f"{name} says until_done = true and catch_up = false; expected one of them: "
                "until_done keeps it on Today until it is done, catch_up = false drops it "
                "after its day",
            )
        for index, raw_step in enumerate(table.get("step", [])):
            step_path = path + ("step", index)
            step = self.check_step(
                file, step_path, raw_step, index, f"step {index + 1} of {name}", gate
            )
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
            if step.recall is not None and isinstance(table.get("id"), str):
                where = f"step {index + 1} of {name}"
                place = step_path + ("recall",)
                recall = (file.label, place, where, table["id"], step.recall, step.shown)
                self.recalls.append(recall)
        self.check_repeats(file, path, steps, table, name)
        short = self.check_short(file, path, table, name, gate, seen_steps)
        if due is None or not schema.EXERCISE.required_names <= table.keys():
            return None
        full = Exercise(
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
            until_done=table.get("until_done", False),
            joint=table.get("joint", False),
            neutral=table.get("neutral", False),
            safety=table.get("safety", False),
            anytime=table.get("anytime", False),
            after_end=self.after_end_of(file, path, table, name),
        )
        exercise = full
        if short is not None:
            minutes, summary, short_steps = short
            exercise = replace(
                full, short=replace(full, minutes=minutes, summary=summary, steps=short_steps)
            )
        for form in (full, exercise.short) if exercise.short else (full,):
            for step in form.steps:
                if step.share != "never" and is_safety_step(self.safety, form, step):
                    self.report(
                        file,
                        file.line(seen_steps[step.id] + ("share",)),
                        f'step "{step.id}" of {name} is a safety step (part of a safety '
                        "check, or raising or shown under a safety flag), and a safety answer "
                        "never leaves the machine; expected no share",
                    )
        return exercise

    def check_short(
        self,
        file: Document,
        path: KeyPath,
        table: Table,
        name: str,
        gate: Gate,
        seen_steps: dict[str, KeyPath],
    ) -> tuple[int, str, tuple[Step, ...]] | None:
        """An exercise's `[exercise.short]`: (minutes, summary, steps), or None. Its step ids
        are unique beside the full form's: both save under the same exercise and day."""
        if "short" not in table:
            return None
        where = f"the short form of {name}"
        short_path = path + ("short",)
        self.shorts.append((file.label, short_path, name))
        short = self.check_table(file, table["short"], short_path, schema.SHORT, where)
        if short is None:
            return None
        self.check_placeholders(file, short_path, short, where)
        steps: list[Step] = []
        for index, raw in enumerate(short.get("step", [])):
            step_path = short_path + ("step", index)
            label = f"step {index + 1} of {where}"
            step = self.check_step(file, step_path, raw, index, label, gate)
            if step is None:
                continue
            if step.id in seen_steps:
                self.report(
                    file,
                    file.line(step_path),
                    f'duplicate step id "{step.id}" in {where}; already used at line '
                    f"{file.line(seen_steps[step.id])}; expected ids unique within an exercise, "
                    "its short form included",
                )
                continue
            seen_steps[step.id] = step_path
            steps.append(step)
        self.check_repeats(file, short_path, steps, table, where)
        if not schema.SHORT.required_names <= short.keys():
            return None
        return short["minutes"], short.get("summary", ""), tuple(steps)

    def after_end_of(self, file: Document, path: KeyPath, table: Table, name: str) -> str:
        """An exercise's `after_end`: one of `schema.AFTER_END`, never on a safety check (a
        check that came back every week for good would ask the hardest questions forever,
        and its answers belong to the plan's days), else "" with the problem reported."""
        if "after_end" not in table:
            return ""
        after_end = self.one_of(file, path, table, "after_end", schema.AFTER_END, name, "")
        if after_end and table.get("safety") is True:
            self.report(
                file,
                file.line(path + ("after_end",)),
                f"{name} is a safety check with after_end; expected a safety check to stay "
                "within the plan's days (remove after_end, or make a follow-on of its own)",
            )
            return ""
        return str(after_end)

    def check_days(
        self, file: Document, path: KeyPath, table: Table, days: int | None, name: str
    ) -> tuple[int, ...] | None:
        when = ("day", "days", "daily", "anytime", "after_end")
        given = [key for key in when if key in table]
        for flag_key in ("daily", "anytime"):
            if table.get(flag_key) is False:
                given.remove(flag_key)
        if len(given) != 1:
            found = "none" if not given else " and ".join(given)
            self.report(
                file,
                file.line(path),
                f"{name} gives {found} of day, days, daily, anytime, after_end; "
                "expected exactly one (day = 3, days = [3, 10], daily = true, anytime = true "
                'or after_end = "weekly")',
            )
            return None
        key = given[0]
        if key in ("anytime", "after_end"):
            return ()
        if key == "daily":
            return self.every_day
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

    def check_safety_rules(
        self, file: Document, path: KeyPath, table: Table, gate: Gate, name: str, outer: Gate
    ) -> None:
        """What is shown only under a safety flag has a title marked neutral (it may reach a
        shared screen); joint work is hidden by the concern flag (its own or its exercise's)."""
        if "title" in table and gate.requires & self.safety and not table.get("neutral"):
            flag = sorted(gate.requires & self.safety)[0]
            self.report(
                file,
                file.line(path + ("title",)),
                f'{name} is shown only under the safety flag "{flag}", and its title is not '
                "marked neutral; expected a title that gives nothing away, and neutral = true",
            )
        if table.get("joint"):
            if not self.concern:
                self.report(
                    file,
                    file.line(path + ("joint",)),
                    f"{name} is joint work, and program.toml declares no concern_flag; "
                    "expected concern_flag = the flag that hides joint work",
                )
            elif self.concern not in gate.excludes | outer.excludes:
                self.report(
                    file,
                    file.line(path + ("joint",)),
                    f'{name} is joint work and is not excluded by the concern flag; expected '
                    f'excludes = ["{self.concern}"]',
                )

    def check_step(
        self,
        file: Document,
        path: KeyPath,
        raw: object,
        index: int,
        name: str,
        outer: Gate = OPEN,
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
                    message += self.hint(kind, KINDS)
            self.report(file, file.line(path + ("kind",)), message)
            return None
        keys = schema.step_keys(known)
        what = f"{name} ({kind})"
        table = self.check_table(file, raw, path, keys, what)
        if table is None:
            return None
        if known.takes_answer and "id" not in raw:
            self.report(
                file,
                file.line(path),
                f"{what} has no id; expected an id, since its answer is saved under it",
            )
            return None
        gate = self.gate(file, path, table)
        view = table.get("view", "")
        if view and not self.check_view(file, path, view, known, what):
            return None
        if not keys.required_names <= table.keys():
            return None
        share = table.get("share", "never")
        if share != "never" and not self.check_share(file, path, share, known, what):
            return None
        step_id = table["id"] if "id" in table else f"{kind}-{index + 1}"
        self.check_safety_rules(file, path, table, gate, what, outer)
        self.check_placeholders(
            file,
            path,
            table,
            what,
            ("text", "title") if kind == "read" else (),
            self.in_safety_check or bool((gate.requires | outer.requires) & self.safety),
        )
        common: dict[str, object] = {"id": step_id, "gate": gate, "view": view, "share": share}
        if not table.keys().isdisjoint(_STEP_WORDS):  # else the Step's defaults hold
            common.update(
                joint=table.get("joint", False),
                neutral=table.get("neutral", False),
                recall=self.recall_of(file, path, table, what),
                recall_label=table.get("recall_label", ""),
                scope=self.scope_of(file, path, table, what),
                shown=self.shown_of(file, path, table, what),
            )

        def complain(key: str, message: str) -> None:
            self.report(file, file.line(path + (key,)), message)

        step = known.build(table, common, complain, name)
        raises = step.raises if step is not None else frozenset()
        if step is not None:
            self.check_scope(file, path, step, what)
        if raises and not raises <= self.flags_raised:
            for flag in sorted(raises - self.flags_raised):
                self.flags_raised.add(flag)
                if len(self.flags_raised) == MAX_FLAGS + 1:
                    complain(
                        "flags",
                        f'flag "{flag}" in {name} is the {MAX_FLAGS + 1}th this program raises; '
                        f"expected at most {MAX_FLAGS} different flags in a program",
                    )
        return step

    def check_share(
        self, file: Document, path: KeyPath, share: str, kind: type[Step], what: str
    ) -> bool:
        """A step's `share`: one of `schema.SHARES`, on a step that takes an answer, and
        `ask` on the user's own words (never sent without their seeing it first)."""
        if share not in schema.SHARES:
            self.report(
                file,
                file.line(path + ("share",)),
                f'share "{share}" in {what} is not one of: {", ".join(schema.SHARES)}'
                f"{self.hint(share, schema.SHARES)}",
            )
            return False
        if not kind.takes_answer:
            self.report(
                file,
                file.line(path + ("share",)),
                f"{what} saves no answer, so there is nothing to share; remove share",
            )
            return False
        if kind.own_words and share != "ask":
            self.report(
                file,
                file.line(path + ("share",)),
                f"{what} holds the user's own words and may not be shared "
                f'"{share}"; expected share = "ask" (they see exactly what would leave) '
                "or no share",
            )
            return False
        return True

    def check_view(
        self, file: Document, path: KeyPath, view: str, kind: type[Step], what: str
    ) -> bool:
        """A step's `view` must name a view there is, and the step must take an answer."""
        if view not in schema.VIEWS:
            self.report(
                file,
                file.line(path + ("view",)),
                f'view "{view}" in {what} is not a view of this format; expected one of: '
                f"{', '.join(schema.VIEWS)}{self.hint(view, schema.VIEWS)}",
            )
            return False
        if not kind.takes_answer:
            answering = ", ".join(name for name, step in KINDS.items() if step.takes_answer)
            self.report(
                file,
                file.line(path + ("view",)),
                f'{what} names view "{view}", but a {kind.kind} step saves no answer to show; '
                f"expected view only on steps that do ({answering})",
            )
            return False
        return True

    def scope_of(self, file: Document, path: KeyPath, table: Table, what: str) -> str:
        scope = table.get("scope", "plan")
        if scope in ("plan", "day"):
            return str(scope)
        self.report(
            file,
            file.line(path + ("scope",)),
            f'scope in {what} is "{_shown(str(scope))}"; expected "plan" (its flags hold from '
            'then on, the default) or "day" (for that program day only)',
        )
        return "plan"

    def check_placeholders(
        self,
        file: Document,
        path: KeyPath,
        table: Table,
        what: str,
        allowed: Collection[str] = (),
        safety: bool = False,
    ) -> None:
        """`{partner}` only in the words named `allowed` (a read step's text and title, a
        closing) and never in a safety step; any other `{name}` is a slip.

        Elsewhere the name would reach what a partner may glance at (titles go to
        notifications and the calendar), or change a saved answer (options, items), or
        sit beside a disclosure. A file with no brace costs one `in` for each value.
        """
        for key, value in table.items():
            if type(value) is str:  # the commonest value: one `in`, and no list made for it
                if "{" not in value:
                    continue
                texts = [value]
            elif type(value) is list:
                texts = value
            else:
                continue
            for text in texts:
                if not isinstance(text, str) or "{" not in text:
                    continue
                for found in PLACEHOLDER.finditer(text):
                    if found.group(0) != PARTNER:
                        message = (
                            f'{key} in {what} holds "{_shown(found.group(0))}", which this '
                            f"format does not fill in; expected {PARTNER} (the partner's "
                            "name) or no braces"
                        )
                    elif key not in allowed:
                        message = (
                            f"{key} in {what} holds {PARTNER}; expected it only in a read "
                            "step's text or title, or a closing (titles reach notifications, "
                            "options and items are saved as answers)"
                        )
                    elif safety:
                        message = (
                            f"{key} in {what} holds {PARTNER}, and it is a safety step; "
                            "expected no name beside a safety question or its answer"
                        )
                    else:
                        continue
                    self.report(file, file.line(path + (key,)), message)
                    break

    def shown_of(self, file: Document, path: KeyPath, table: Table, what: str) -> str:
        return self.one_of(file, path, table, "shown", schema.SHOWN, what, "always")

    def one_of(
        self,
        file: Document,
        path: KeyPath,
        table: Table,
        key: str,
        choices: Collection[str],
        what: str,
        default: str,
    ) -> str:
        """A key whose value is one word of `choices` (`default` when not given); a wrong one
        is reported at its line, with the choices and the closest, and `default` returned."""
        value = table.get(key, default)
        if value in choices:
            return str(value)
        self.report(
            file,
            file.line(path + (key,)),
            f'{key} in {what} is "{_shown(str(value))}"; expected one of: '
            f"{', '.join(choices)}{self.hint(str(value), choices)}",
        )
        return default

    def check_repeats(
        self, file: Document, path: KeyPath, steps: list[Step], table: Table, name: str
    ) -> None:
        """`shown = "first"`/`"again"` needs an exercise met more than once, and leaves a step
        to show both the first time and again (else the runner would open an empty exercise)."""
        marked = [step for step in steps if step.shown != "always"]
        if not marked:
            return
        days = table.get("days")
        repeats = bool(
            table.get("anytime") or table.get("daily") or (isinstance(days, list) and len(days) > 1)
        )
        if not repeats:
            self.report(
                file,
                file.line(path),
                f'{name} has a step with shown = "{marked[0].shown}" and is due on one day '
                "only, so it is never met again; expected days = [...] with two or more days, "
                "daily = true or anytime = true (or no shown)",
            )
        for again, when in ((False, "the first time"), (True, "again")):
            if not any(step.shown_when(again) for step in steps):
                self.report(
                    file,
                    file.line(path),
                    f"{name} shows no step {when}; expected at least one step with "
                    f'shown = "always" or "{"again" if again else "first"}"',
                )

    def check_scope(self, file: Document, path: KeyPath, step: Step, what: str) -> None:
        """A day scope needs a flag to hold; a flag has one scope; a safety flag never passes."""
        if step.scope == "day" and not step.raises:
            self.report(
                file,
                file.line(path + ("scope",)),
                f'{what} says scope = "day" and raises no flag; expected a flags table '
                "beside it (or no scope)",
            )
        for flag in sorted(step.raises):
            if step.scope == "day" and flag in self.safety:
                self.report(
                    file,
                    file.line(path + ("scope",)),
                    f'{what} raises the safety flag "{flag}" for one day only; expected a '
                    "safety flag to hold from then on (no scope)",
                )
            first = self.scopes.setdefault(flag, (step.scope, file.label, path))
            if first[0] != step.scope:
                self.report(
                    file,
                    file.line(path),
                    f'{what} raises "{flag}" with scope "{step.scope}", and it is raised with '
                    f'scope "{first[0]}" at {first[1]}:{self.line_in(first[1], first[2])}; '
                    "expected one scope for each flag",
                )

    def check_day_keys(self, file: Document, head: Table, modules: list[Module]) -> None:
        """`short_flag` is a day-scoped flag, and short forms have one to follow; `hard_day`
        names an `anytime` exercise of five minutes or less that is no joint work."""
        short_flag = head.get("short_flag", "")
        if short_flag and self.scopes.get(short_flag, ("day",))[0] != "day":
            self.report(
                file,
                file.line(("short_flag",)),
                f'short_flag "{short_flag}" is raised for the rest of the plan; expected a '
                'flag raised for one day (scope = "day"), so a hard day passes with it',
            )
        if not short_flag:
            for where, path, name in self.shorts:
                self.report(
                    where,
                    self.line_in(where, path),
                    f"{name} has a short form, and program.toml names no short_flag; expected "
                    'short_flag = the day-scoped flag that shows short forms',
                )
        for key in ("hard_day", "welcome_back"):  # both open a short practice done alone
            named = head.get(key)
            if named is None:
                continue
            exercise = next(
                (item for module in modules for item in module.exercises if item.id == named),
                None,
            )
            if exercise is None or not exercise.anytime or exercise.minutes > 5 or exercise.joint:
                found = (
                    "which is not in the program"
                    if exercise is None
                    else f"{exercise.minutes} minutes"
                    + (", anytime" if exercise.anytime else ", not anytime")
                    + (", joint" if exercise.joint else "")
                )
                self.report(
                    file,
                    file.line((key,)),
                    f'{key} names "{_shown(named)}", {found}; expected an exercise with '
                    "anytime = true, of 5 minutes or less, done alone",
                )

    def check_then_and_now(
        self, file: Document, head: Table, modules: list[Module]
    ) -> ThenAndNow | None:
        """`[then_and_now]`: its exercises come back (due on two days or more, the first
        before `from_day`), its scales are daily, and nothing in it is a safety answer (a
        disclosure is never shown again)."""
        raw = head.get("then_and_now")
        if raw is None:
            return None
        where = ("then_and_now",)
        table = self.check_table(file, raw, where, schema.THEN_AND_NOW, "[then_and_now]")
        if table is None or "from_day" not in table:
            return None
        from_day: int = table["from_day"]
        days = head.get("days")
        if isinstance(days, int) and from_day > days:
            self.report(
                file,
                file.line(where + ("from_day",)),
                f"from_day {from_day} in [then_and_now] is after the plan's last day ({days}); "
                f"expected a day from 2 to {days}",
            )
        exercises = {exercise.id: exercise for module in modules for exercise in module.exercises}
        compared: list[str] = []
        for index, exercise_id in enumerate(table.get("exercises", [])):
            path = where + ("exercises", index)
            exercise = exercises.get(exercise_id)
            problem = ""
            if exercise is None:
                problem = f"which is not in the program{self.hint(exercise_id, exercises)}"
            elif exercise.daily or exercise.anytime or len(exercise.days) < 2:
                problem = "which is not due on two or more days of its own"
            elif exercise.days[0] >= from_day:
                problem = f"first due on day {exercise.days[0]}, not before from_day {from_day}"
            elif any(is_safety_step(self.safety, exercise, step) for step in exercise.steps):
                problem = "which holds a safety answer"
            elif exercise_id in compared:
                problem = "named twice"
            if problem:
                self.report(
                    file,
                    file.line(path),
                    f'[then_and_now] names exercise "{_shown(exercise_id)}", {problem}; '
                    "expected an exercise due again later (like an intake on day 1 and in the "
                    "last week), with no safety step",
                )
            else:
                compared.append(exercise_id)
        scales: list[tuple[str, str]] = []
        for index, name in enumerate(table.get("scales", [])):
            path = where + ("scales", index)
            exercise_id, _, step_id = name.partition(".")
            exercise = exercises.get(exercise_id)
            step = exercise.step(step_id) if exercise is not None else None
            if exercise is None or step is None or not exercise.daily:
                problem = "which names no step of a daily exercise"
            elif not isinstance(step, ScaleStep):
                problem = f"a {step.kind} step"
            elif is_safety_step(self.safety, exercise, step):
                problem = "a safety step"
            elif (exercise_id, step_id) in scales:
                problem = "named twice"
            else:
                scales.append((exercise_id, step_id))
                continue
            self.report(
                file,
                file.line(path),
                f'[then_and_now] names scale "{_shown(name)}", {problem}; expected '
                '"exercise-id.step-id" of a scale step in an exercise with daily = true',
            )
        if not table.get("exercises") and not table.get("scales"):
            self.report(
                file,
                file.line(where),
                "[then_and_now] compares nothing; expected exercises = [...] or scales = [...]",
            )
        return ThenAndNow(from_day, tuple(compared), tuple(scales), table.get("text", ""))

    def recall_of(
        self, file: Document, path: KeyPath, table: Table, what: str
    ) -> tuple[str, str] | None:
        """A step's `recall = "exercise-id.step-id"` as its two ids (None when absent or
        malformed: a malformed one is reported, and the step kept without it)."""
        recall = table.get("recall")
        if recall is None:
            if "recall_label" in table:
                self.report(
                    file,
                    file.line(path + ("recall_label",)),
                    f"{what} has recall_label and no recall; expected recall = "
                    '"exercise-id.step-id" beside it',
                )
            return None
        parts = recall.split(".")
        if len(parts) == 2 and all(schema.ID_PATTERN.match(part) for part in parts):
            return parts[0], parts[1]
        self.report(
            file,
            file.line(path + ("recall",)),
            f'recall in {what} is "{_shown(recall)}"; expected "exercise-id.step-id", the ids '
            "of an earlier exercise and of one of its steps that takes an answer",
        )
        return None

    # ----- across the whole program -------------------------------------

    def check_recalls(self, modules: list[Module]) -> None:
        """Each recalled answer's exercise and step exist, the step takes an answer, and on
        every day the recalling step is shown the recalled exercise was due on an earlier one."""
        exercises = {exercise.id: exercise for module in modules for exercise in module.exercises}
        for label, path, what, own_id, (exercise_id, step_id), shown in self.recalls:
            earlier = exercises.get(exercise_id)
            if earlier is None:
                self.report(
                    label,
                    self.line_in(label, path),
                    f'recall in {what} names exercise "{_shown(exercise_id)}", which is not in '
                    f"the program; expected the id of an earlier exercise"
                    f"{self.hint(exercise_id, exercises)}",
                )
                continue
            step = earlier.step(step_id)
            answering = [item.id for item in earlier.steps if item.takes_answer]
            if step is None or not step.takes_answer:
                found = (
                    "which it does not have"
                    if step is None
                    else f"a {step.kind} step, which saves no answer"
                )
                self.report(
                    label,
                    self.line_in(label, path),
                    f'recall in {what} names step "{_shown(step_id)}" of "{exercise_id}", '
                    f"{found}; expected one of its steps that take an answer: "
                    f"{listed(answering) if answering else 'it has none'}",
                )
                continue
            if earlier.safety or step.raises & self.safety:  # a disclosure, never shown again
                self.report(
                    label,
                    self.line_in(label, path),
                    f'recall in {what} names "{exercise_id}.{step_id}", a safety step; '
                    "expected a step whose answer may be shown again (a safety answer is "
                    "never repeated on screen)",
                )
                continue
            own = exercises.get(own_id)
            if own is None or not own.days:
                continue
            first = earlier.days[0] if earlier.days else None
            # A step shown only again is never shown on its exercise's first day.
            days = own.days[1:] if shown == "again" else own.days
            too_soon = [day for day in days if first is None or first >= day]
            if too_soon:
                self.report(
                    label,
                    self.line_in(label, path),
                    f'recall in {what} shows an answer to "{exercise_id}" on day {too_soon[0]}, '
                    f"and that exercise is first due on day {first}; expected an exercise "
                    f'due before every day of "{own_id}"',
                )

    def claim_id(self, noun: str, id_: object, file: Document, path: KeyPath) -> None:
        """Report an id already used by another module or exercise anywhere in the program."""
        if not isinstance(id_, str):
            return
        seen = self.modules_seen if noun == "module" else self.exercises_seen
        first = seen.setdefault(id_, (file.label, path))
        if first != (file.label, path):
            label, first_path = first
            self.report(
                file,
                file.line(path),
                f'duplicate {noun} id "{id_}"; already used at {label}:'
                f"{self.line_in(label, first_path)}; expected ids unique across the program",
            )

    def check_flags(self) -> None:
        raised = sorted(self.flags_raised)
        known = f"; flags in this program: {listed(raised)}" if raised else ""
        for flag, label, path in self.flags_used:
            if flag not in self.flags_raised:
                self.report(
                    label,
                    self.line_in(label, path),
                    f'flag "{flag}" is never raised by any step; expected a flag named in a '
                    f"step's flags table{known}{self.hint(flag, raised)}",
                )

    def check_day_budget(self, program: Program, file: Document) -> None:
        budget = program.max_minutes_per_day
        for day, total, flag in days_over_budget(program, self.flags_raised):
            label = "with no flags raised" if flag is None else f'with "{flag}" raised'
            self.report(
                file,
                file.line(("max_minutes_per_day",)),
                f"day {day} adds up to {total} minutes {label}; "
                f"expected at most {budget} (max_minutes_per_day)",
            )


def _program_order(module: Module) -> tuple[int, int]:
    """Modules in the order a user meets them: by the week they lead, then by first day.

    A module that leads no week (an intake, say) comes first among its peers.
    """
    first_day = min((exercise.days[0] for exercise in module.exercises if exercise.days), default=0)
    return (min(module.weeks, default=0), first_day)


def _shown(text: str) -> str:
    """Text from the file as a message repeats it: a hostile id must not fill every line."""
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 1]}…"


def _describe(noun: str, raw: object) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f'{noun} "{_shown(raw["id"])}"'
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
