"""The program format: TOML folders in, a typed immutable model out.

Pure: reads files, never writes, imports no UI and no database.

The names load on first use: the model is all a plain command needs when the
program comes from the cache, and the validator (tomllib, difflib, the schema)
would otherwise be paid for by every `replenish nudge`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from program.content.loader import load_program, program_files, validate
    from program.content.model import (
        KINDS,
        ChecklistStep,
        ChoiceStep,
        Exercise,
        Flags,
        Gate,
        GridStep,
        Module,
        Notice,
        PlanStep,
        Program,
        ReadStep,
        ReflectStep,
        ScaleStep,
        Step,
        TimerStep,
    )
    from program.content.problems import Problem, ProgramError

_HOMES = {
    "load_program": "loader",
    "program_files": "loader",
    "validate": "loader",
    "Problem": "problems",
    "ProgramError": "problems",
}
"""Where each public name lives; the rest are in `model`."""

__all__ = [
    "KINDS",
    "ChecklistStep",
    "ChoiceStep",
    "Exercise",
    "Flags",
    "Gate",
    "GridStep",
    "Module",
    "Notice",
    "PlanStep",
    "Problem",
    "Program",
    "ProgramError",
    "ReadStep",
    "ReflectStep",
    "ScaleStep",
    "Step",
    "TimerStep",
    "load_program",
    "program_files",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"program.content.{_HOMES.get(name, 'model')}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
