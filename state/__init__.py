"""Replenish's durable store: one private SQLite file, typed records, safe across processes.

Standard library only (platformdirs is imported lazily by `default_data_dir`), so
importing `state` stays cheap for the plain subcommands. Datetimes must be aware and
come back with the offset they were saved with; dates are plain `date`s.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # as in program.cli: no `typing` import for it
if TYPE_CHECKING:
    from typing import Any

    from .errors import (
        DataDirInvalid,
        ImportRejected,
        NotEnrolled,
        StoreBusy,
        StoreDamaged,
        StoreError,
        StoreNotPrivate,
        StoreRestoring,
        StoreRowUnreadable,
        StoreTooNew,
        StoreUnreadable,
        StoreWriteFailed,
    )
    from .paths import DB_NAME, default_data_dir, resolve_data_dir
    from .records import (
        Answer,
        Delivery,
        Enrolment,
        EnteredAnswer,
        Envelope,
        JSONValue,
        OneOffReminder,
        Outcome,
        OutcomeKind,
        Partner,
        Pause,
        Position,
        ShareChoice,
    )
    from .schema import LATEST_VERSION
    from .store import Store

_HOMES = {
    "DataDirInvalid": "errors",
    "ImportRejected": "errors",
    "NotEnrolled": "errors",
    "StoreBusy": "errors",
    "StoreDamaged": "errors",
    "StoreError": "errors",
    "StoreNotPrivate": "errors",
    "StoreRestoring": "errors",
    "StoreRowUnreadable": "errors",
    "StoreTooNew": "errors",
    "StoreUnreadable": "errors",
    "StoreWriteFailed": "errors",
    "DB_NAME": "paths",
    "default_data_dir": "paths",
    "resolve_data_dir": "paths",
    "LATEST_VERSION": "schema",
    "Store": "store",
}
"""Where each public name lives; the rest are in `records`. They load on first use: a plain
command (`validate`, say) asks only for `resolve_data_dir`, and the records, the schema and
the store cost it about 25 ms more."""

__all__ = [
    "DB_NAME",
    "LATEST_VERSION",
    "Answer",
    "DataDirInvalid",
    "Delivery",
    "Enrolment",
    "EnteredAnswer",
    "Envelope",
    "ImportRejected",
    "JSONValue",
    "NotEnrolled",
    "OneOffReminder",
    "Outcome",
    "OutcomeKind",
    "Partner",
    "Pause",
    "Position",
    "ShareChoice",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreNotPrivate",
    "StoreRestoring",
    "StoreRowUnreadable",
    "StoreTooNew",
    "StoreUnreadable",
    "StoreWriteFailed",
    "default_data_dir",
    "resolve_data_dir",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"state.{_HOMES.get(name, 'records')}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
