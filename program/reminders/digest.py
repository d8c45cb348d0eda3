"""Writes the nudge digest: `replenish nudge`'s and `today`'s answers until the next plan day.

The fast path (`program.nudge_digest`) can only compare numbers, so this works
out the one span of time in which the answers just computed hold: from now
until the next plan day begins, `combine(plan date + 1, day start hour)` in
local time, computed directly and checked against `plan.plan_date` on both
sides of the edge. Within it, `nudge` is silent until the first reminder of
the plan day (`times.nudge_due`) and shows its line after; `today`'s text
depends on the plan date alone. Both assume no further progress: any store
write changes the fingerprint. When the reminders have no zone of their own
they fall in the UTC offset of "now", so a span across a change of offset (a
DST night) is not written: the full path answers those hours.

`today` also takes the daily backup, which the fast path cannot: its text is
kept only up to the end of a calendar day whose backup is already in place, so
the first `today` of a day still runs in full. `nudge` records only its own
line (the next `today` runs in full anyway and records both). Keeping `today`
here pays: recording the text it has just printed costs under a millisecond,
and a repeated `today` then answers in about a seventh of the CPU time of the
full path (measured: 20 ms against 150 ms).

Written by `nudge` and `today`, only when nothing changed while they ran, and
never at the cost of the command: every failure here just leaves no digest.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from program import clock, plan
from program.nudge_digest import (
    DIGEST_NAME,
    MAX_BYTES,
    PINNED_CLOCK,
    Span,
    answer_from,
    data_folder,
    fingerprint,
    pinned_now,
    program_folder,
    render,
)
from program.reminders.times import nudge_due, own_zone
from program.service import Replenish
from state.backup import backup_due_on_open

SETTLED_NS = 1_000_000_000
"""A file modified this recently may change again within the same timestamp tick, unseen."""


def local(moment: float) -> datetime:
    """`moment` as the full path's clock (`clock.now`) shows it: local time, aware."""
    return datetime.fromtimestamp(moment).astimezone()


def first_moment(on: date, hour: int, before: Callable[[int], bool]) -> int | None:
    """Epoch seconds of the first local moment from which the wall clock reads `on`,
    `hour:00` or later, where `before(moment)` tells a moment still before that edge.

    Read with the system's own rules, the wall time gives one moment, or two on a DST
    night (`fold`): the first occurrence of a doubled time, the jump over a skipped
    one. Each is checked against `before` on both sides; None if neither is the edge.
    """
    wall = datetime.combine(on, clock_time(hour))
    candidates = sorted({math.ceil(wall.replace(fold=fold).timestamp()) for fold in (0, 1)})
    for moment in candidates:
        if before(moment - 1) and not before(moment):
            return moment
    return None


def span(
    service: Replenish, now: datetime, today: plan.Today | None, text: str | None
) -> Span | None:
    """The span from `now` to the next plan day in which the nudge's answers (`today` as the
    command computed it) and `text` (what `today` printed, or None) hold; None when no one
    span can say it (see the module doc)."""
    hour = service.day_start_hour()
    start = math.floor(now.timestamp())
    plan_date = plan.plan_date(now, hour)
    until = first_moment(
        plan_date + timedelta(days=1), hour, lambda at: plan.plan_date(local(at), hour) <= plan_date
    )
    if until is None:
        return None  # no edge where the plan engine puts it: let the full path answer
    reminders = service.settings().reminders
    if own_zone(reminders) is None and local(until - 1).utcoffset() != now.utcoffset():
        return None
    due, line = nudge_due(today, reminders, hour, now, service.discreet())
    due_at = None if due is None else math.ceil(due.timestamp())
    today_until = min(until, end_of_backup_day(service, now)) if text is not None else 0
    return start, until, due_at, line, today_until, text


def end_of_backup_day(service: Replenish, now: datetime) -> int:
    """The end of `now`'s calendar day (as the daily backup counts days) if no backup is
    due on opening (taken, or nothing to keep yet), else 0: `today` must run to take it."""
    if backup_due_on_open(service.store, now):
        return 0
    day = now.date()
    return first_moment(day + timedelta(days=1), 0, lambda at: local(at).date() <= day) or 0


class Draft:
    """One `nudge` or `today` run's digest: the fingerprint before, the answers, then the
    checks and write."""

    def __init__(self, data_dir: Path | None, program_dir: Path | None, pinned: float | None):
        self._pinned = pinned
        self._folder, self._how = data_folder(None if data_dir is None else str(data_dir))
        self._program = program_folder(None if program_dir is None else str(program_dir))
        self._before = fingerprint(self._folder, self._how, self._program)[0]
        self._text = ""

    @classmethod
    def begin(cls, data_dir: Path | None, program_dir: Path | None) -> Draft | None:
        """A draft, or None when no digest may be written (a pinned clock, a broken setup)."""
        if os.environ.get(PINNED_CLOCK):
            return None
        try:
            return cls(data_dir, program_dir, pinned_now())
        except Exception:  # an unreadable folder or a malformed test clock: just no digest
            return None

    def now(self) -> datetime:
        """The service's clock: the real one, or the test-only pinned epoch seconds."""
        return clock.now() if self._pinned is None else local(self._pinned)

    def record(
        self, service: Replenish, command: str, answer: str, today: plan.Today | None
    ) -> None:
        """Keep the span if the digest gives `command`'s `answer`, just printed; `today` is
        where the plan stood for it (`service.today()`, asked once by the command)."""
        try:
            now = service.now()
            found = span(service, now, today, answer if command == "today" else None)
            if found is None:
                return
            digest = render(self._before, found)
            agrees = answer_from(digest, self._before, now.timestamp(), command) == answer
            if agrees and len(digest.encode("utf-8")) <= MAX_BYTES:
                self._text = digest
        except Exception:  # the command's answer stands; only the digest is lost
            self._text = ""

    def finish(self, store_dir: Path, program_dir: Path) -> bool:
        """Write the digest if nothing changed meanwhile and the fast path would find it."""
        if not self._text:
            return False
        try:
            after, newest = fingerprint(self._folder, self._how, self._program)
            settled = time.time_ns() - newest >= SETTLED_NS
            found = os.path.samefile(self._folder, store_dir) and os.path.samefile(
                self._program, program_dir
            )
            if after != self._before or not settled or not found:
                return False
        except Exception:
            return False
        return write(self._folder, self._text)


def write(folder: str, text: str) -> bool:
    """Replace the digest atomically, 0600 from the first byte; False when it cannot."""
    from state.paths import write_file

    try:
        write_file(Path(folder) / DIGEST_NAME, text, durable=False)  # a cache: a loss is a miss
        return True
    except OSError:
        return False
