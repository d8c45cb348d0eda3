"""The program format: TOML folders in, a typed immutable model out.

Pure: reads files, never writes, imports no UI and no database.
"""

from program.content.loader import load_program, program_files, validate
from program.content.model import (
    AnyStep,
    ChecklistStep,
    ChoiceStep,
    Exercise,
    Flags,
    Gate,
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

__all__ = [
    "AnyStep",
    "ChecklistStep",
    "ChoiceStep",
    "Exercise",
    "Flags",
    "Gate",
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
