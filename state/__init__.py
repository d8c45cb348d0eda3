"""Replenish's durable store: one private SQLite file, typed records, safe across processes.

Standard library only (platformdirs is imported lazily by `default_data_dir`), so
importing `state` stays cheap for the plain subcommands. Datetimes must be aware and
come back with the offset they were saved with; dates are plain `date`s.
"""

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
