"""The Store: every durable fact Replenish keeps, behind typed methods (screens never see SQL)."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from . import checked
from .codec import (
    MAX_INT,
    date_text,
    dt_text,
    int_value,
    json_text,
    parse_date,
    parse_dt,
    parse_json,
    search_text,
    text_value,
)
from .db import MIN_SQLITE, configure, connect, transaction, translated
from .errors import (
    ImportRejected,
    NotEnrolled,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreRestoring,
    StoreUnreadable,
    StoreWriteFailed,
)
from .inuse import POLL_SECONDS, InUse, hold_exclusive, hold_shared, release
from .paths import (
    DB_NAME,
    check_db_files,
    ensure_private_dir,
    private_umask,
    resolve_data_dir,
    tighten_db_files,
)
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
from .schema import check_version, migrate
from .swap import finish, interrupted

if TYPE_CHECKING:
    # Loaded by export and import only: the plain commands skip them.
    from .transfer import Merged, Snapshot

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
_PAIRS_PER_QUERY = 400
"""(exercise_id, step_id) pairs per query: 800 parameters, well under every SQLite limit."""
RESTORE_WAIT_SECONDS = 10.0
"""How long an open waits out a restore in progress (a restore takes well under a second)."""

_ANSWER_COLUMNS = "exercise_id, day, step_id, value, saved_at"
_ANSWER_ORDER = "julianday(saved_at), saved_at, exercise_id, day, step_id"
_DELIVERY_ORDER = "julianday(delivered_at), delivered_at, key"
_TABLES = (
    "pause",
    "enrolment",
    "answer",
    "outcome",
    "position",
    "setting",
    "delivery",
    "one_off",
    "entered_answer",
)
"""What an export holds, so what an import with --replace puts in place of what is here."""
_PAIRING = ("partner", "envelope", "held_key", "share_choice")
"""What the pairing keeps: never exported (it is tied to this device's key), so an import
leaves it be; still data, for `holds_data`."""


def _describe_bad_header(head: bytes, size: int) -> str | None:
    """Why the first bytes cannot be a SQLite database, or None if they look right."""
    if head.startswith(SQLITE_MAGIC) or SQLITE_MAGIC.startswith(head):
        if size < HEADER_SIZE:
            return f"it is only {size} bytes long, shorter than a database header: it was cut short"
        return None
    if size < HEADER_SIZE:
        return f"it is only {size} bytes long and is not a SQLite database"
    if not any(head):
        return (
            "it begins with zero bytes where the database header should be"
            " (often left by a crash or a disk fault)"
        )
    text = ""
    for end in range(len(head), max(len(head) - 4, 0), -1):  # a character may straddle byte 100
        try:
            text = head[:end].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    if text and all(ch.isprintable() or ch.isspace() for ch in text):
        return "it contains text, not a SQLite database"
    return (
        "it does not begin with the SQLite header, so it is not a database"
        " (it may have been overwritten)"
    )


def inspect_existing(path: Path) -> None:
    """Refuse a file that is not ours to open, by reading only; never writes."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    except PermissionError:
        raise StoreUnreadable(path, "you do not have permission to look at it") from None
    if not stat.S_ISREG(st.st_mode):
        raise StoreUnreadable(path, "it is a folder or special file, not a regular file")
    if st.st_size == 0:
        return  # never written: nothing to lose, SQLite initialises it
    try:
        with path.open("rb") as handle:
            head = handle.read(HEADER_SIZE)
    except PermissionError:
        raise StoreUnreadable(path, "you do not have permission to read it") from None
    except OSError as exc:
        raise StoreUnreadable(path, f"it cannot be read ({exc.strerror})") from exc
    problem = _describe_bad_header(head, st.st_size)
    if problem:
        raise StoreDamaged(path, problem)


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's fast structural check, so damage is reported on open rather than mid-session."""
    messages = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    if messages != ["ok"]:
        raise StoreDamaged(path, "SQLite's integrity check failed (" + "; ".join(messages) + ")")


def holds_data(conn: sqlite3.Connection) -> bool:
    """True when any table of the store has a row (a file just created holds nothing)."""
    union = " UNION ALL ".join(f"SELECT 1 FROM {table}" for table in (*_TABLES, *_PAIRING))
    return bool(conn.execute(f"SELECT EXISTS ({union})").fetchone()[0])


def _like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (`\\` is the ESCAPE character)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _answer(row: tuple[str, int, str, str, str]) -> Answer:
    exercise_id, day, step_id, value, saved_at = row
    return Answer(exercise_id, day, step_id, parse_json(value), parse_dt(saved_at))


def _outcome(row: tuple[str, int, str, str, str]) -> Outcome:
    exercise_id, day, kind, reason, at = row
    checked: OutcomeKind = "done" if kind == "done" else "skipped"
    return Outcome(exercise_id, day, checked, reason, parse_dt(at))


def _position(row: tuple[str, int, int, str]) -> Position:
    return Position(row[0], row[1], row[2], parse_dt(row[3]))


Judge = Callable[[int, Sequence[Outcome]], bool]
"""Whether a program day, once behind the user, is done, given its outcomes (the plan's rule)."""

_OUTCOMES = "SELECT exercise_id, day, kind, reason, at FROM outcome"


def _day_range(first: int | None, last: int | None) -> tuple[int, int]:
    """`first`..`last` as the bounds of a BETWEEN, open ends meaning every day."""
    low = -MAX_INT if first is None else int_value(first, "first", -MAX_INT, MAX_INT)
    high = MAX_INT if last is None else int_value(last, "last", -MAX_INT, MAX_INT)
    return low, high


def _tally_count(conn: sqlite3.Connection, basis: str, before: int) -> int | None:
    """Days before `before` the tally counts done; None until every day is judged under `basis`."""
    if conn.execute("SELECT 1 FROM day_tally LIMIT 1").fetchone() is None:
        return 0  # no day has an outcome: none is done, whatever the basis (nothing to write)
    row = conn.execute("SELECT basis, done FROM tally WHERE id = 1").fetchone()
    if row is None or row[0] != basis:
        return None
    if conn.execute("SELECT 1 FROM day_tally WHERE done IS NULL LIMIT 1").fetchone():
        return None
    # Count whichever side of `before` holds fewer days: the few after it while the plan
    # runs, the plan's own before it once the weeks after the end pile up.
    (last,) = conn.execute("SELECT max(day) FROM day_tally").fetchone()
    if last - before < before:
        later = conn.execute(
            "SELECT count(*) FROM day_tally WHERE day >= ? AND done = 1", (before,)
        ).fetchone()[0]
        return int(row[1]) - int(later)
    earlier = conn.execute(
        "SELECT count(*) FROM day_tally WHERE day < ? AND done = 1", (before,)
    ).fetchone()[0]
    return int(earlier)


def _outcomes_by_day(conn: sqlite3.Connection, days: Sequence[int]) -> dict[int, list[Outcome]]:
    found: dict[int, list[Outcome]] = {day: [] for day in days}
    wanted = json_text(list(days), "days")
    for row in conn.execute(
        f"{_OUTCOMES} WHERE day IN (SELECT value FROM json_each(?)) ORDER BY day, exercise_id",
        (wanted,),
    ):
        found[row[1]].append(_outcome(row))
    return found


def _judge_days(conn: sqlite3.Connection, basis: str, judge: Judge) -> None:
    """Give every unjudged day its verdict (every day, under a new `basis`); in a write."""
    row = conn.execute("SELECT basis FROM tally WHERE id = 1").fetchone()
    if row is None or row[0] != basis:
        conn.execute("DELETE FROM day_tally")
        conn.execute("INSERT OR REPLACE INTO tally (id, basis, done) VALUES (1, ?, 0)", (basis,))
        conn.execute("INSERT INTO day_tally (day) SELECT DISTINCT day FROM outcome")
    days = [day for (day,) in conn.execute("SELECT day FROM day_tally WHERE done IS NULL")]
    outcomes = _outcomes_by_day(conn, days)
    conn.executemany(
        "UPDATE day_tally SET done = ? WHERE day = ?",
        [(int(judge(day, outcomes[day])), day) for day in days],
    )


def _recount(conn: sqlite3.Connection, basis: str, before: int, judge: Judge) -> int:
    """The tally's answer without writing: kept verdicts where they hold, the rest judged."""
    row = conn.execute("SELECT basis FROM tally WHERE id = 1").fetchone()
    kept: dict[int, bool] = {}
    if row is not None and row[0] == basis:
        kept = {
            day: bool(done)
            for day, done in conn.execute(
                "SELECT day, done FROM day_tally WHERE day < ? AND done IS NOT NULL", (before,)
            )
        }
    days = [
        day
        for (day,) in conn.execute("SELECT DISTINCT day FROM outcome WHERE day < ?", (before,))
        if day not in kept
    ]
    outcomes = _outcomes_by_day(conn, days)
    return sum(kept.values()) + sum(judge(day, outcomes[day]) for day in days)


def _hold_folder(folder: Path, path: Path) -> int | None:
    """A shared hold on the folder for as long as the store is open (see `state.inuse`)."""
    try:
        with private_umask():
            return hold_shared(folder, wait=RESTORE_WAIT_SECONDS)
    except InUse:
        raise StoreRestoring(path) from None
    except PermissionError:
        # Someone else's lock file (an old `sudo replenish`): open without the hold and
        # let the checks that follow say what is wrong with the folder; restore refuses.
        return None


def _finish_restore(folder: Path, path: Path) -> None:
    """Complete or undo a restore that was killed midway, before SQLite reads the file.

    Under the exclusive hold, so exactly one process does it while nobody has the
    file open; one that waited finds the journal gone and simply goes on.
    """
    deadline = time.monotonic() + RESTORE_WAIT_SECONDS
    while interrupted(folder):
        try:
            with private_umask():
                hold = hold_exclusive(folder, wait=0)
        except InUse:
            if time.monotonic() > deadline:
                raise StoreRestoring(path) from None
            time.sleep(POLL_SECONDS)
            continue
        except PermissionError:
            hold = None  # someone else's lock file: the checks that follow say what is wrong
        try:
            finish(folder)
        finally:
            release(hold)


class Store:
    """One SQLite file, one connection, one lock: safe from worker threads and other processes."""

    path: Path
    data_dir: Path

    def __init__(
        self, conn: sqlite3.Connection, path: Path, data_dir: Path, hold: int | None = None
    ) -> None:
        """Use `Store.open`; this only wraps an already checked and migrated connection."""
        self._conn: sqlite3.Connection | None = conn
        self._hold = hold
        self._lock = threading.Lock()
        self._wrote = False
        self._writes = 0
        self.path = path
        self.data_dir = data_dir

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Store:
        """Open (creating if needed) the store in `data_dir`, refusing damaged or too-new files."""
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StoreError(
                f"Replenish needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer, "
                f"but this Python uses SQLite {sqlite3.sqlite_version}."
            )
        folder = resolve_data_dir(data_dir)
        ensure_private_dir(folder)
        path = folder / DB_NAME
        hold = _hold_folder(folder, path)
        try:
            if interrupted(folder):  # one stat; true only after a restore was killed midway
                release(hold)
                hold = None
                _finish_restore(folder, path)
                hold = _hold_folder(folder, path)
            check_db_files(path)  # another user's file, or one others may write, is never opened
            inspect_existing(path)
            with private_umask(), translated(path):
                conn = connect(path)
                try:
                    with transaction(conn, write=False):  # version and schema read as one
                        version = check_version(conn, path)  # before any write: a bad file
                        if not checked.unchanged(folder, path):  # stays as it is
                            _quick_check(conn, path)
                    configure(conn)
                    migrate(conn, path, found=version)
                except BaseException:
                    conn.close()
                    raise
            tighten_db_files(path)
        except BaseException:
            release(hold)
            raise
        return cls(conn, path, folder, hold)

    def close(self) -> None:
        """Close the connection (SQLite folds the WAL back into the file), then the hold."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                checked.note(self.data_dir, self.path)
            release(self._hold)
            self._hold = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("this Store has been closed")
        return self._conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for reads that span several statements."""
        with self._lock, translated(self.path), transaction(self._live(), write=False) as conn:
            yield conn

    @contextmanager
    def _writing(self, *, news: bool = True) -> Iterator[sqlite3.Connection]:
        """A short BEGIN IMMEDIATE transaction; committed (and fsynced) when the block ends.

        `news=False` for what only keeps a derived figure current (the tally): it is
        nothing the user saved, so it is no reason for a backup at close.
        """
        with self._lock, translated(self.path), transaction(self._live(), write=True) as conn:
            yield conn
        self._writes += 1
        if news:
            self._wrote = True

    def changes(self) -> tuple[int, int]:
        """A value that differs whenever anything was committed since it was last read, by
        this store or by another process (SQLite's `data_version` counts the others')."""
        with self._lock, translated(self.path):
            version = int(self._live().execute("PRAGMA data_version").fetchone()[0])
        return self._writes, version

    @property
    def wrote(self) -> bool:
        """True once this store has committed a write (so a backup at close has news to keep)."""
        return self._wrote

    def holds_data(self) -> bool:
        """True when anything at all has been saved (an untouched new file holds nothing)."""
        with self._reading() as conn:
            return holds_data(conn)

    def schema_version(self) -> int:
        """The migration level of the file (PRAGMA user_version)."""
        with self._reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------ enrolment

    @staticmethod
    def _load_enrolment(conn: sqlite3.Connection) -> Enrolment | None:
        row = conn.execute(
            "SELECT program_id, start_date, day_start_hour, enrolled_at FROM enrolment WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        pauses = tuple(
            Pause(parse_date(started), None if resumed is None else parse_date(resumed))
            for started, resumed in conn.execute(
                "SELECT started_on, resumed_on FROM pause ORDER BY seq"
            )
        )
        return Enrolment(row[0], parse_date(row[1]), row[2], pauses, parse_dt(row[3]))

    @staticmethod
    def _last_pause(conn: sqlite3.Connection) -> tuple[int, str, str | None] | None:
        if conn.execute("SELECT 1 FROM enrolment WHERE id = 1").fetchone() is None:
            raise NotEnrolled()
        row = conn.execute(
            "SELECT seq, started_on, resumed_on FROM pause ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def enrolment(self) -> Enrolment | None:
        """The plan in progress, with its pauses, or None before the user starts."""
        with self._reading() as conn:
            return self._load_enrolment(conn)

    def enrol(
        self,
        program_id: str,
        start_date: date,
        day_start_hour: int,
        at: datetime,
        *,
        clear_progress: bool = False,
    ) -> Enrolment:
        """Start (or restart) the plan; answers are always kept.

        `clear_progress=True` also forgets outcomes and the resume position, which a
        restart from day 1 usually wants; it is opt-in because the store never drops
        data on its own.
        """
        values = (
            text_value(program_id, "program_id"),
            date_text(start_date, "start_date"),
            int_value(day_start_hour, "day_start_hour", 0, 23),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            conn.execute("DELETE FROM enrolment")  # pauses go with it (ON DELETE CASCADE)
            conn.execute(
                "INSERT INTO enrolment (id, program_id, start_date, day_start_hour, enrolled_at)"
                " VALUES (1, ?, ?, ?, ?)",
                values,
            )
            if clear_progress:
                conn.execute("DELETE FROM outcome")
                conn.execute("DELETE FROM position")
            enrolment = self._load_enrolment(conn)
        assert enrolment is not None
        return enrolment

    def set_day_start_hour(self, hour: int) -> None:
        """Change the hour at which a new program day begins (0-23)."""
        int_value(hour, "hour", 0, 23)
        with self._writing() as conn:
            cursor = conn.execute("UPDATE enrolment SET day_start_hour = ? WHERE id = 1", (hour,))
            if cursor.rowcount == 0:
                raise NotEnrolled()

    def pause(self, on: date) -> None:
        """Pause the plan from `on`; nothing happens if it is already paused."""
        day = date_text(on, "on")
        with self._writing() as conn:
            last = self._last_pause(conn)
            if last is not None:
                if last[2] is None:
                    return
                if day < last[2]:
                    raise ValueError(f"cannot pause on {day}, before the last resume on {last[2]}")
            conn.execute("INSERT INTO pause (enrolment_id, started_on) VALUES (1, ?)", (day,))

    def resume(self, on: date) -> None:
        """End the running pause on `on`; nothing happens if the plan is not paused."""
        day = date_text(on, "on")
        with self._writing() as conn:
            last = self._last_pause(conn)
            if last is None or last[2] is not None:
                return
            if day < last[1]:
                raise ValueError(f"cannot resume on {day}, before the pause began on {last[1]}")
            conn.execute("UPDATE pause SET resumed_on = ? WHERE seq = ?", (day, last[0]))

    # ------------------------------------------------------------ answers

    def save_answer(
        self, exercise_id: str, day: int, step_id: str, value: JSONValue, at: datetime
    ) -> None:
        """Keep the current value of one step; durable (fsynced) when this returns."""
        row = (
            text_value(exercise_id, "exercise_id"),
            int_value(day, "day"),
            text_value(step_id, "step_id"),
            json_text(value, "value"),
            search_text(value),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            self._put_answer(conn, row)

    @staticmethod
    def _put_answer(conn: sqlite3.Connection, row: tuple[object, ...]) -> None:
        conn.execute(
            "INSERT INTO answer (exercise_id, day, step_id, value, search_text, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (exercise_id, day, step_id) DO UPDATE SET"
            " value = excluded.value, search_text = excluded.search_text,"
            " saved_at = excluded.saved_at",
            row,
        )

    def answers_for(self, exercise_id: str, day: int) -> dict[str, Answer]:
        """The answers of one exercise on one day, by step id."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answer WHERE exercise_id = ? AND day = ?"
                f" ORDER BY {_ANSWER_ORDER}",
                (exercise_id, day),
            ).fetchall()
        return {answer.step_id: answer for answer in map(_answer, rows)}

    def answers(self) -> list[Answer]:
        """Every answer, oldest first (including exercises the program no longer has)."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answer ORDER BY {_ANSWER_ORDER}"
            ).fetchall()
        return [_answer(row) for row in rows]

    def answered_keys(
        self, first: int | None = None, last: int | None = None
    ) -> set[tuple[str, int]]:
        """(exercise_id, day) pairs with at least one answer: "started" without loading values.

        Only days `first`..`last` when given (read through the index by day).
        """
        low, high = _day_range(first, last)
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT DISTINCT exercise_id, day FROM answer WHERE day BETWEEN ? AND ?",
                (low, high),
            ).fetchall()
        return {(exercise_id, day) for exercise_id, day in rows}

    def answers_for_steps(
        self,
        step_ids: Collection[tuple[str, str]],
        first: int | None = None,
        last: int | None = None,
    ) -> list[Answer]:
        """Answers to the given (exercise_id, step_id) steps, by day: all days' (charts,
        flags), or only days `first`..`last` when given (through the index by step and day,
        so a window costs the same however long the history is)."""
        low, high = _day_range(first, last)
        pairs = sorted(set(step_ids))
        for pair in pairs:
            if not (len(pair) == 2 and all(isinstance(part, str) for part in pair)):
                raise TypeError(f"step_ids must be (exercise_id, step_id) str pairs, got {pair!r}")
        rows: list[tuple[str, int, str, str, str]] = []
        with self._reading() as conn:
            for start in range(0, len(pairs), _PAIRS_PER_QUERY):
                chunk = pairs[start : start + _PAIRS_PER_QUERY]
                values = ", ".join(["(?, ?)"] * len(chunk))
                params = [part for pair in chunk for part in pair]
                # Joined, not `(exercise_id, step_id) IN (VALUES ...)`: SQLite reads a row
                # value IN through the day index alone, so every answer of every step was
                # read when no window was given (the flags, on every everyday path).
                rows += conn.execute(
                    f"SELECT {_ANSWER_COLUMNS} FROM (VALUES {values}) AS wanted"
                    " CROSS JOIN answer ON exercise_id = wanted.column1"
                    " AND step_id = wanted.column2 WHERE day BETWEEN ? AND ?",
                    [*params, low, high],
                ).fetchall()
        found = [_answer(row) for row in rows]
        found.sort(key=lambda a: (a.day, a.saved_at, a.exercise_id, a.step_id))
        return found

    def latest_answers_for_steps(
        self, step_ids: Collection[tuple[str, str]], days: int
    ) -> list[Answer]:
        """Answers to these steps on the `days` program days up to the latest one answered, by day.

        A chart of recent weeks reads only those weeks, however many years came before.
        """
        pairs = sorted(set(step_ids))
        for pair in pairs:
            if not (len(pair) == 2 and all(isinstance(part, str) for part in pair)):
                raise TypeError(f"step_ids must be (exercise_id, step_id) str pairs, got {pair!r}")
        int_value(days, "days")
        if not pairs or days < 1:
            return []
        wanted: list[JSONValue] = [[exercise_id, step_id] for exercise_id, step_id in pairs]
        with self._reading() as conn:
            # Each step's latest day is found in its index, so years before are never read.
            rows = conn.execute(
                "WITH wanted (exercise_id, step_id) AS"
                " (SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')"
                "  FROM json_each(?) AS j),"
                " latest (day) AS (SELECT MAX((SELECT MAX(day) FROM answer AS a"
                "  WHERE a.exercise_id = w.exercise_id AND a.step_id = w.step_id))"
                "  FROM wanted AS w)"
                f" SELECT {_ANSWER_COLUMNS} FROM answer"
                " WHERE (exercise_id, step_id) IN (SELECT exercise_id, step_id FROM wanted)"
                " AND day > (SELECT day FROM latest) - ?",
                (json_text(wanted, "step_ids"), days),
            ).fetchall()
        found = [_answer(row) for row in rows]
        found.sort(key=lambda a: (a.day, a.saved_at, a.exercise_id, a.step_id))
        return found

    def search_answers(self, text: str, limit: int = 200, offset: int = 0) -> list[Answer]:
        """Text answers containing `text` (any case; `%` and `_` are literal), newest first."""
        pattern = _like_pattern(text_value(text, "text", allow_empty=True).casefold())
        int_value(limit, "limit")
        int_value(offset, "offset")
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answer"
                " WHERE search_text LIKE ? ESCAPE '\\'"
                " ORDER BY julianday(saved_at) DESC, saved_at DESC, exercise_id, day, step_id"
                " LIMIT ? OFFSET ?",
                (pattern, limit, offset),
            ).fetchall()
        return [_answer(row) for row in rows]

    def answers_page(
        self,
        step_ids: Collection[tuple[str, str]],
        text: str = "",
        limit: int = 100,
        offset: int = 0,
    ) -> list[Answer]:
        """One page of non-blank answers to these steps, latest day first: feeds the journal.

        `text` matches like `search_answers` (any case, `%` and `_` literal); an answer
        that is not a string (a plan's what/when) matches on any text inside it, ASCII
        case-insensitively. The order is total, so pages never overlap or skip a row.
        """
        pairs = sorted(set(step_ids))
        for pair in pairs:
            if not (len(pair) == 2 and all(isinstance(part, str) for part in pair)):
                raise TypeError(f"step_ids must be (exercise_id, step_id) str pairs, got {pair!r}")
        pattern = _like_pattern(text_value(text, "text", allow_empty=True).casefold())
        int_value(limit, "limit")
        int_value(offset, "offset")
        if not pairs:
            return []
        wanted: list[JSONValue] = [[exercise_id, step_id] for exercise_id, step_id in pairs]
        # Unsearched, the page is read from the latest day back and stops when it is full
        # (0.5 ms with twenty years of answers, against 40 ms sorting them all); a search
        # reads every day anyway, and its planner's choice is best for a rare word.
        by_day = "" if text.strip() else " INDEXED BY answer_by_day"
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answer{by_day}"
                " WHERE (exercise_id, step_id) IN"
                " (SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')"
                "  FROM json_each(?) AS j)"
                " AND value NOT IN ('\"\"', 'null', '[]', '{}')"
                " AND (? = '%%' OR search_text LIKE ? ESCAPE '\\'"
                "  OR (search_text IS NULL AND EXISTS (SELECT 1 FROM json_tree(answer.value) AS t"
                "   WHERE t.type = 'text' AND t.atom LIKE ? ESCAPE '\\')))"
                " ORDER BY day DESC, julianday(saved_at) DESC, saved_at DESC, exercise_id, step_id"
                " LIMIT ? OFFSET ?",
                (json_text(wanted, "step_ids"), pattern, pattern, pattern, limit, offset),
            ).fetchall()
        return [_answer(row) for row in rows]

    # ------------------------------------------------------------ outcomes

    def complete(self, exercise_id: str, day: int, at: datetime) -> None:
        """Mark done; overrides a skip, and keeps the first completion time if already done."""
        row = (text_value(exercise_id, "exercise_id"), int_value(day, "day"), dt_text(at, "at"))
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO outcome (exercise_id, day, kind, reason, at)"
                " VALUES (?, ?, 'done', '', ?)"
                " ON CONFLICT (exercise_id, day) DO UPDATE SET"
                " kind = 'done', reason = '', at = excluded.at WHERE outcome.kind <> 'done'",
                row,
            )

    def skip(self, exercise_id: str, day: int, reason: str, at: datetime) -> None:
        """Mark skipped with a reason; a done exercise stays done."""
        row = (
            text_value(exercise_id, "exercise_id"),
            int_value(day, "day"),
            text_value(reason, "reason", allow_empty=True),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO outcome (exercise_id, day, kind, reason, at)"
                " VALUES (?, ?, 'skipped', ?, ?)"
                " ON CONFLICT (exercise_id, day) DO UPDATE SET"
                " reason = excluded.reason, at = excluded.at WHERE outcome.kind = 'skipped'",
                row,
            )

    def reopen(self, exercise_id: str, day: int) -> None:
        """Forget the outcome so the exercise is open again; its answers stay."""
        text_value(exercise_id, "exercise_id")
        int_value(day, "day")
        with self._writing() as conn:
            conn.execute(
                "DELETE FROM outcome WHERE exercise_id = ? AND day = ?", (exercise_id, day)
            )

    def outcomes(self, first: int | None = None, last: int | None = None) -> list[Outcome]:
        """Every outcome (only on days `first`..`last` when given), by day then exercise id."""
        low, high = _day_range(first, last)
        with self._reading() as conn:
            rows = conn.execute(
                f"{_OUTCOMES} WHERE day BETWEEN ? AND ? ORDER BY day, exercise_id", (low, high)
            ).fetchall()
        return [_outcome(row) for row in rows]

    def done_before(self, exercise_id: str, day: int) -> bool:
        """Whether the exercise is done on some program day before `day` (one look in the
        outcome's own index, however long the history)."""
        text_value(exercise_id, "exercise_id")
        int_value(day, "day")
        with self._reading() as conn:
            row = conn.execute(
                "SELECT 1 FROM outcome WHERE exercise_id = ? AND day < ? AND kind = 'done'"
                " LIMIT 1",
                (exercise_id, day),
            ).fetchone()
        return row is not None

    # ------------------------------------------------------------ the tally of days done

    def days_done(self, basis: str, before: int, judge: Judge) -> int:
        """How many days before program day `before` are done, from the running tally.

        The store cannot tell a done day (that is the plan's rule), so it keeps the
        verdicts it is given: `judge(day, outcomes of that day)` says whether a day is
        done once it is behind the user, and `basis` names everything else a verdict
        depends on (the program, the flags). Reading costs the same with twenty years of
        answers as with one week; a day whose outcomes changed since its verdict is
        judged first (and the verdict kept), and a new `basis` judges every day again.
        When the verdicts cannot be kept (a full disk, a file it may not write, a
        long lock) they are worked out and not kept: the count is right either way.
        """
        int_value(before, "before", -MAX_INT, MAX_INT)
        with self._reading() as conn:
            found = _tally_count(conn, basis, before)
        if found is not None:
            return found
        try:
            with self._writing(news=False) as conn:
                _judge_days(conn, basis, judge)
                found = _tally_count(conn, basis, before)
        except (StoreBusy, StoreUnreadable, StoreWriteFailed):
            with self._reading() as conn:
                return _recount(conn, basis, before, judge)
        assert found is not None, "every day was just judged"
        return found

    # ------------------------------------------------------------ position

    def set_position(self, exercise_id: str, day: int, step_index: int, at: datetime) -> None:
        """Remember the step on screen, so a closed terminal resumes there."""
        row = (
            text_value(exercise_id, "exercise_id"),
            int_value(day, "day"),
            int_value(step_index, "step_index"),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            self._put_position(conn, row)

    @staticmethod
    def _put_position(conn: sqlite3.Connection, row: tuple[object, ...]) -> None:
        conn.execute(
            "INSERT INTO position (id, exercise_id, day, step_index, at) VALUES (1, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET exercise_id = excluded.exercise_id,"
            " day = excluded.day, step_index = excluded.step_index, at = excluded.at",
            row,
        )

    def clear_position(self) -> None:
        """Forget the resume point (e.g. when an exercise is finished)."""
        with self._writing() as conn:
            conn.execute("DELETE FROM position")

    def position(self) -> Position | None:
        """Where the user was, or None."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT exercise_id, day, step_index, at FROM position WHERE id = 1"
            ).fetchone()
        return None if row is None else _position(row)

    # ------------------------------------------------------------ settings

    def setting(self, key: str, default: JSONValue = None) -> JSONValue:
        """One setting, or `default` when it was never set."""
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return default if row is None else parse_json(row[0])

    def set_setting(self, key: str, value: JSONValue) -> None:
        """Set one setting to any JSON value."""
        self.set_settings({key: value})

    def set_settings(self, values: Mapping[str, JSONValue]) -> None:
        """Set several settings in one transaction: all of them are saved, or none."""
        rows = [
            (text_value(key, "key"), json_text(value, "value")) for key, value in values.items()
        ]
        with self._writing() as conn:
            for row in rows:
                self._put_setting(conn, row)

    @staticmethod
    def _put_setting(conn: sqlite3.Connection, row: tuple[str, str]) -> None:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            row,
        )

    def settings(self) -> dict[str, JSONValue]:
        """All settings, by key."""
        with self._reading() as conn:
            rows = conn.execute("SELECT key, value FROM setting ORDER BY key").fetchall()
        return {key: parse_json(value) for key, value in rows}

    # ------------------------------------------------------------ reminder deliveries

    def claim_delivery(self, key: str, at: datetime, channel: str) -> bool:
        """Claim the right to send reminder `key`: True for exactly one caller in any process."""
        row = (
            text_value(key, "key"),
            dt_text(at, "at"),
            text_value(channel, "channel", allow_empty=True),
        )
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO delivery (key, delivered_at, channel) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO NOTHING",
                row,
            )
            return cursor.rowcount == 1

    def release_delivery(self, key: str, channel: str) -> bool:
        """Give back `channel`'s claim on `key` (nothing reached the user), so another
        channel may claim and send it; True when the claim was there to give back."""
        with self._writing() as conn:
            cursor = conn.execute(
                "DELETE FROM delivery WHERE key = ? AND channel = ?", (key, channel)
            )
            return cursor.rowcount == 1

    def deliveries(self, keys: Collection[str] | None = None) -> list[Delivery]:
        """Every claimed delivery (or those of `keys`, read by key), oldest first.

        A daily reminder leaves one a day: the reminders ask only for today's keys.
        """
        where, params = "", ""
        if keys is not None:
            wanted = json_text([text_value(key, "key") for key in keys], "keys")
            where, params = " WHERE key IN (SELECT value FROM json_each(?))", wanted
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT key, delivered_at, channel FROM delivery{where}"
                f" ORDER BY {_DELIVERY_ORDER}",
                (params,) if where else (),
            ).fetchall()
        return [Delivery(key, parse_dt(at), channel) for key, at, channel in rows]

    # ------------------------------------------------------------ one-off reminders

    def add_one_off(self, fire_at: datetime, text: str, at: datetime) -> int:
        """Schedule a one-off reminder; returns its id."""
        row = (
            dt_text(fire_at, "fire_at"),
            text_value(text, "text", allow_empty=True),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO one_off (fire_at, text, created_at) VALUES (?, ?, ?)", row
            )
            ident = cursor.lastrowid
        assert ident is not None
        return ident

    def one_offs(self, include_delivered: bool = False) -> list[OneOffReminder]:
        """One-off reminders by firing time; pending ones only unless asked."""
        where = "" if include_delivered else " WHERE delivered = 0"
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, fire_at, text, created_at, delivered FROM one_off"
                f"{where} ORDER BY julianday(fire_at), id"
            ).fetchall()
        return [OneOffReminder(i, parse_dt(f), t, parse_dt(c), bool(d)) for i, f, t, c, d in rows]

    def mark_one_off_delivered(self, id: int) -> bool:
        """Mark sent; True only for the first caller, so two notifiers never both fire it."""
        with self._writing() as conn:
            cursor = conn.execute(
                "UPDATE one_off SET delivered = 1 WHERE id = ? AND delivered = 0", (id,)
            )
            return cursor.rowcount == 1

    # ------------------------------------------------------------ partner

    def partner(self) -> Partner | None:
        """The paired partner, or None."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT device, name, public_key, folder, paired_at FROM partner WHERE id = 1"
            ).fetchone()
        return None if row is None else Partner(row[0], row[1], row[2], row[3], parse_dt(row[4]))

    def pair(self, device: str, name: str, public_key: bytes, at: datetime) -> None:
        """Pair with a partner (in place of any earlier one, whose envelopes go with it)."""
        values = (
            text_value(device, "device"),
            text_value(name, "name", allow_empty=True),
            bytes(public_key),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            self._unpair(conn)
            conn.execute(
                "INSERT INTO partner (id, device, name, public_key, paired_at)"
                " VALUES (1, ?, ?, ?, ?)",
                values,
            )

    def set_partner_folder(self, folder: str | None) -> None:
        """The folder the envelopes travel through (None: by hand only)."""
        with self._writing() as conn:
            conn.execute("UPDATE partner SET folder = ? WHERE id = 1", (folder,))

    def unpair(self) -> None:
        """Forget the partner, every envelope sent or received, every held key, and every
        choice to share (a choice was made for this partner, not for the next one)."""
        with self._writing() as conn:
            self._unpair(conn)

    @staticmethod
    def _unpair(conn: sqlite3.Connection) -> None:
        for table in ("partner", "envelope", "held_key", "share_choice"):
            conn.execute(f"DELETE FROM {table}")

    def envelopes(self, device: str) -> list[Envelope]:
        """Every envelope kept from `device` (this one's or the partner's), by seq."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT device, seq, body, at FROM envelope WHERE device = ? ORDER BY seq",
                (device,),
            ).fetchall()
        return [Envelope(d, seq, body, parse_dt(at)) for d, seq, body, at in rows]

    def add_envelope(self, device: str, seq: int, body: bytes, at: datetime) -> bytes | None:
        """Keep an envelope; returns the body already kept under (device, seq), if any
        (then nothing is written: an envelope is written once, never changed)."""
        values = (
            text_value(device, "device"),
            int_value(seq, "seq", 1),
            bytes(body),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            row = conn.execute(
                "SELECT body FROM envelope WHERE device = ? AND seq = ?", values[:2]
            ).fetchone()
            if row is not None:
                return bytes(row[0])
            conn.execute("INSERT INTO envelope (device, seq, body, at) VALUES (?, ?, ?, ?)", values)
        return None

    def held_keys(self) -> dict[str, bytes]:
        """The fresh keys of answers committed to, by topic."""
        with self._reading() as conn:
            rows = conn.execute("SELECT topic, key FROM held_key").fetchall()
        return {topic: bytes(key) for topic, key in rows}

    def hold_key(self, topic: str, key: bytes, at: datetime) -> None:
        """Keep the fresh key of a commitment (the first one for `topic` stays)."""
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO held_key (topic, key, at) VALUES (?, ?, ?)"
                " ON CONFLICT (topic) DO NOTHING",
                (text_value(topic, "topic"), bytes(key), dt_text(at, "at")),
            )

    def share_choices(self) -> dict[str, ShareChoice]:
        """What the user chose for each answer to an `ask` step, by topic."""
        with self._reading() as conn:
            rows = conn.execute("SELECT topic, choice, value, at FROM share_choice").fetchall()
        return {
            topic: ShareChoice(
                topic, choice == "share", None if value is None else parse_json(value),
                parse_dt(at),
            )
            for topic, choice, value, at in rows
        }

    def choose_share(self, topic: str, value: JSONValue | None, at: datetime) -> bool:
        """Share `value` for `topic` (None: keep it private). The first choice stands:
        returns False, writing nothing, when one was already made."""
        values = (
            text_value(topic, "topic"),
            "keep" if value is None else "share",
            None if value is None else json_text(value, "value"),
            dt_text(at, "at"),
        )
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO share_choice (topic, choice, value, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (topic) DO NOTHING",
                values,
            )
            return cursor.rowcount == 1

    def entered_answers(
        self,
        first: int | None = None,
        last: int | None = None,
        *,
        exercise_id: str | None = None,
        step_id: str | None = None,
    ) -> list[EnteredAnswer]:
        """Answers entered for the partner, on plan days `first`..`last` (all when None),
        of one exercise and step when given."""
        low = 1 if first is None else first
        high = 2**62 if last is None else last
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT exercise_id, day, step_id, value, name, at FROM entered_answer"
                " WHERE day BETWEEN ? AND ? AND exercise_id = coalesce(?, exercise_id)"
                " AND step_id = coalesce(?, step_id) ORDER BY day, exercise_id, step_id",
                (low, high, exercise_id, step_id),
            ).fetchall()
        return [
            EnteredAnswer(e, day, s, parse_json(v), name, parse_dt(at))
            for e, day, s, v, name, at in rows
        ]

    def enter_answers(self, entered: Sequence[EnteredAnswer]) -> None:
        """Keep answers entered for the partner, all or none (a later entry of the same
        step on the same day replaces the earlier: it is the page the user typed last)."""
        values = [
            (
                text_value(a.exercise_id, "exercise_id"),
                int_value(a.day, "day", 1),
                text_value(a.step_id, "step_id"),
                json_text(a.value, "value"),
                text_value(a.name, "name", allow_empty=True),
                dt_text(a.at, "at"),
            )
            for a in entered
        ]
        with self._writing() as conn:
            conn.executemany(
                "INSERT INTO entered_answer (exercise_id, day, step_id, value, name, at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (exercise_id, day, step_id) DO UPDATE"
                " SET value = excluded.value, name = excluded.name, at = excluded.at",
                values,
            )

    # ------------------------------------------------------------ export / import

    def _snapshot(self, conn: sqlite3.Connection) -> Snapshot:
        answers = conn.execute(f"SELECT {_ANSWER_COLUMNS} FROM answer ORDER BY {_ANSWER_ORDER}")
        outcomes = conn.execute(
            "SELECT exercise_id, day, kind, reason, at FROM outcome ORDER BY day, exercise_id"
        )
        position = conn.execute("SELECT exercise_id, day, step_index, at FROM position").fetchone()
        settings = conn.execute("SELECT key, value FROM setting ORDER BY key")
        deliveries = conn.execute(
            f"SELECT key, delivered_at, channel FROM delivery ORDER BY {_DELIVERY_ORDER}"
        )
        one_offs = conn.execute(
            "SELECT id, fire_at, text, created_at, delivered FROM one_off ORDER BY id"
        )
        entered = conn.execute(
            "SELECT exercise_id, day, step_id, value, name, at FROM entered_answer"
            " ORDER BY day, exercise_id, step_id"
        )
        from .transfer import Snapshot

        return Snapshot(
            enrolment=self._load_enrolment(conn),
            answers=tuple(_answer(row) for row in answers.fetchall()),
            outcomes=tuple(map(_outcome, outcomes.fetchall())),
            position=None if position is None else _position(position),
            settings={key: parse_json(value) for key, value in settings.fetchall()},
            deliveries=tuple(Delivery(k, parse_dt(at), c) for k, at, c in deliveries.fetchall()),
            one_offs=tuple(
                OneOffReminder(i, parse_dt(f), t, parse_dt(c), bool(d))
                for i, f, t, c, d in one_offs.fetchall()
            ),
            entered=tuple(
                EnteredAnswer(e, day, step, parse_json(v), name, parse_dt(at))
                for e, day, step, v, name, at in entered.fetchall()
            ),
        )

    def export_data(self, at: datetime | None = None) -> dict[str, JSONValue]:
        """Everything, as one JSON-serialisable dict read from one consistent snapshot."""
        exported_at = datetime.now(UTC) if at is None else at
        dt_text(exported_at, "at")
        with self._reading() as conn:
            snapshot = self._snapshot(conn)
        from .transfer import to_export

        return to_export(snapshot, exported_at)

    def import_data(self, data: object, *, replace: bool = True) -> Merged:
        """Bring in an export (parsed JSON, or a Snapshot already checked), all or nothing.

        The whole export is checked before anything is written. `replace` puts it in
        place of everything; otherwise only what the store lacks is added and
        nothing already here changes (see `state.merge`).
        """
        from .merge import merge_snapshot
        from .transfer import Counts, Merged, Snapshot, from_export

        snapshot = data if isinstance(data, Snapshot) else from_export(data)
        try:
            with self._writing() as conn:
                if not replace:
                    return merge_snapshot(conn, snapshot)
                for table in _TABLES:
                    conn.execute(f"DELETE FROM {table}")
                self._write_snapshot(conn, snapshot)
        except sqlite3.IntegrityError as exc:
            raise ImportRejected("", f"the data breaks a rule of the store ({exc})") from exc
        s = snapshot
        every = Counts(
            int(s.enrolment is not None),
            len(s.answers),
            len(s.outcomes),
            int(s.position is not None),
            len(s.settings),
            len(s.deliveries),
            len(s.one_offs),
            len(s.entered),
        )
        return Merged(added=every, kept=Counts())

    def _write_snapshot(self, conn: sqlite3.Connection, snap: Snapshot) -> None:
        if snap.enrolment is not None:
            e = snap.enrolment
            conn.execute(
                "INSERT INTO enrolment (id, program_id, start_date, day_start_hour, enrolled_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (
                    e.program_id,
                    date_text(e.start_date, "start_date"),
                    e.day_start_hour,
                    dt_text(e.enrolled_at, "enrolled_at"),
                ),
            )
            conn.executemany(
                "INSERT INTO pause (enrolment_id, started_on, resumed_on) VALUES (1, ?, ?)",
                [
                    (p.started_on.isoformat(), p.resumed_on and p.resumed_on.isoformat())
                    for p in e.pauses
                ],
            )
        for a in snap.answers:
            self._put_answer(
                conn,
                (
                    a.exercise_id,
                    a.day,
                    a.step_id,
                    json_text(a.value, "value"),
                    search_text(a.value),
                    dt_text(a.saved_at, "saved_at"),
                ),
            )
        conn.executemany(
            "INSERT INTO outcome (exercise_id, day, kind, reason, at) VALUES (?, ?, ?, ?, ?)",
            [(o.exercise_id, o.day, o.kind, o.reason, dt_text(o.at, "at")) for o in snap.outcomes],
        )
        if snap.position is not None:
            p = snap.position
            self._put_position(conn, (p.exercise_id, p.day, p.step_index, dt_text(p.at, "at")))
        for key, value in snap.settings.items():
            self._put_setting(conn, (key, json_text(value, "value")))
        conn.executemany(
            "INSERT INTO delivery (key, delivered_at, channel) VALUES (?, ?, ?)",
            [(d.key, dt_text(d.delivered_at, "delivered_at"), d.channel) for d in snap.deliveries],
        )
        conn.executemany(
            "INSERT INTO one_off (id, fire_at, text, created_at, delivered) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    r.id,
                    dt_text(r.fire_at, "fire_at"),
                    r.text,
                    dt_text(r.created_at, "created_at"),
                    int(r.delivered),
                )
                for r in snap.one_offs
            ],
        )
        conn.executemany(
            "INSERT INTO entered_answer (exercise_id, day, step_id, value, name, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.exercise_id, e.day, e.step_id, json_text(e.value, "value"), e.name,
                 dt_text(e.at, "at"))
                for e in snap.entered
            ],
        )
