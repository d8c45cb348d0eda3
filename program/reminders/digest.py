"""Writes the nudge digest: `replenish nudge`'s and `today`'s answers over the coming plan days.

The fast path (`program.nudge_digest`) can only compare numbers, so this works
out the spans of time in which one answer holds. A span ends where the plan day
changes (`plan.plan_date` of the local time) or where the local UTC offset does
(without a zone of their own, reminders fall in the offset of "now"). Both are
found by asking those same functions, an hour at a time and then bisecting to
the second, so the spans agree with the full path across DST nights without
date arithmetic of their own. Each span's answers are `times.nudge_due` and
`text.today_text` at its start, assuming no further progress: any store write
changes the fingerprint. `today`'s text depends on the plan date alone (no time
of day), so the same spans serve it.

`today` also takes the daily backup, which the fast path cannot: its texts are
kept only up to the end of a calendar day whose backup is already in place, so
the first `today` of a day still runs in full.

Written by `nudge` and `today`, only when nothing changed while they ran, and
never at the cost of the command: every failure here just leaves no digest.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from program import clock, plan, text
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
from program.reminders.times import nudge_due
from program.service import Replenish
from state.backup import has_backup_on

DAYS = 14
"""Plan days covered from today's on; after them the full path answers and writes anew."""
STEP = 3600
"""Probe hourly: a plan day and a stretch of one UTC offset both last longer."""
SETTLED_NS = 1_000_000_000
"""A file modified this recently may change again within the same timestamp tick, unseen."""
MAX_SPANS = 4 * DAYS

Key = tuple[date, timedelta | None]


def local(moment: float) -> datetime:
    """`moment` as the full path's clock (`clock.now`) shows it: local time, aware."""
    return datetime.fromtimestamp(moment).astimezone()


def _edge_after(key: Callable[[int], Key], start: int) -> int:
    """The first second after `start` whose key differs from `start`'s."""
    same = key(start)
    low, high = start, start + STEP
    while key(high) == same:
        low, high = high, high + STEP
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if key(middle) == same else (low, middle)
    return high


def _edge_before(key: Callable[[int], Key], moment: int) -> int:
    """The first second of the stretch around `moment` that shares its key."""
    same = key(moment)
    low, high = moment - STEP, moment
    while key(low) == same:
        low, high = low - STEP, low
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if key(middle) == same else (middle, high)
    return high


def spans(service: Replenish, now: datetime, today_until: int = 0) -> list[Span]:
    """What `nudge` answers from the start of today's plan day over the next `DAYS` days,
    and what `today` shows in those of the spans that begin before `today_until`."""
    schedule = service.schedule()
    progress = service.progress() if schedule is not None else None
    reminders = service.settings().reminders
    hour = schedule.day_start_hour if schedule is not None else plan.DEFAULT_DAY_START_HOUR
    preview: str | None = None

    def key(moment: int) -> Key:
        shown = local(moment)
        return plan.plan_date(shown, hour), shown.utcoffset()

    start = _edge_before(key, math.floor(now.timestamp()))
    first_day = key(start)[0]
    found: list[Span] = []
    while (key(start)[0] - first_day).days < DAYS and len(found) < MAX_SPANS:
        until = _edge_after(key, start)
        moment = local(start)
        today = None
        if schedule is not None and progress is not None:
            today = plan.today(service.program, schedule, progress, moment)
        due, line = nudge_due(today, reminders, hour, moment)
        if due is None:
            line = ""
        shown: str | None = None
        if start < today_until and today is not None:
            shown = text.today_text(service.program, today, None)
        elif start < today_until:
            preview = preview or text.today_text(service.program, None, service.preview())
            shown = preview
        due_at = None if due is None else math.ceil(due.timestamp())
        found.append((start, until, due_at, line, shown))
        start = until
    return _merged(found)


def end_of_backup_day(service: Replenish, now: datetime) -> int:
    """The end of `now`'s calendar day (as the daily backup counts days) if its backup
    is in place, else 0: until then `today` has to run in full to take it."""
    if not has_backup_on(service.store.data_dir, now.date()):
        return 0
    return _edge_after(lambda moment: (local(moment).date(), None), math.floor(now.timestamp()))


def _merged(found: list[Span]) -> list[Span]:
    """Neighbouring spans with the same answer as one (a week of silence is one line)."""
    merged: list[Span] = []
    for span in found:
        if merged and merged[-1][1] == span[0] and merged[-1][2:] == span[2:]:
            merged[-1] = (merged[-1][0], span[1], *span[2:])
        else:
            merged.append(span)
    return merged


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

    def record(self, service: Replenish, command: str, answer: str) -> None:
        """Work out the spans; keep them only if they give `command`'s answer just computed."""
        try:
            now = service.now()
            today_until = end_of_backup_day(service, now)
            found = spans(service, now, today_until)
            digest = render(self._before, found, today_until)
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
