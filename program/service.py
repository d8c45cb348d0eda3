"""The service every edge (the app, the plain commands, the reminders) talks to.

It joins the three parts that know nothing of each other: the program (content),
the plan engine (pure rules) and the store (what the user did). Screens and
commands ask it questions in the program's terms and get typed records back;
none of them ever touches SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec.structs import replace

from program import clock, plan
from program.content import Exercise, Flags, Program, Step
from program.content.steps import PARTNER, PARTNER_WORDS, ReadStep, words
from program.paths import bundled_program_dir
from program.settings import Settings
from program.terminal import printable

if TYPE_CHECKING:
    from program.partner.exchange import Exchange, Pair, PartnerStatus, Ready, Report
    from program.partner.worksheet import Filled, Key, SheetStep

from state import (
    Answer,
    Enrolment,
    JSONValue,
    NotEnrolled,
    OneOffReminder,
    Outcome,
    Position,
    Store,
    StoreError,
)


def _program_for(folder: Path, data_dir: Path | None) -> tuple[Program, bool]:
    """The program from the cache in the data folder if still current, else parsed in full.

    Returns (program, came from the cache). Parsing and validating the TOML is
    most of a plain command's time; the cache makes `nudge` fit in a shell's start.
    """
    from program.content.cache import load_cached
    from state import resolve_data_dir

    program = load_cached(folder, resolve_data_dir(data_dir))
    if program is not None:
        return program, True
    from program.content import load_program

    return load_program(folder), False


_MARKDOWN_SIGNS = re.compile(r"[!-/:-@\[-`{-~]")
"""ASCII punctuation, which Markdown may read as marks: escaped in a name set into it."""


class Recalled(Struct, frozen=True):
    """An earlier answer a step shows again (its `recall` key): the words before it, the
    day it was given, and the answer as plain words (the user's own: shown literally)."""

    label: str
    day: int
    text: str

    @property
    def line(self) -> str:
        """The label and the answer: on one line, or the answer below when it has lines."""
        return f"{self.label}{chr(10) if chr(10) in self.text else ' '}{self.text}"


class Resume(Struct, frozen=True):
    """Where to pick up: an exercise on a day, at a step."""

    exercise: Exercise
    day: int
    step_index: int


class Replenish:
    """One user's plan: a program, their store, and a clock."""

    def __init__(
        self,
        program: Program,
        store: Store,
        now: Callable[[], datetime] = clock.now,
        *,
        backup: bool = False,
    ) -> None:
        self.program = program
        self.store = store
        self.now = now
        self._backup_on_close = backup
        self._seen: dict[frozenset[str], Program] = {}
        self._bases: dict[frozenset[str], str] = {}
        """`plan.tally_basis` by flags: worked out once a process (it reads every exercise)."""

    @classmethod
    def open(
        cls,
        program_dir: Path | None = None,
        data_dir: Path | None = None,
        now: Callable[[], datetime] = clock.now,
        *,
        backup: bool = True,
    ) -> Replenish:
        """Load the program (bundled by default) and open the store; either may raise.

        With `backup`, the first opening of a calendar day also takes the daily
        backup (a directory listing on every other run; never raises), and so may
        the closing (see `state.backup.backup_on_close`). `nudge` passes False:
        it runs in every new shell and must stay minimal.
        """
        folder = program_dir or bundled_program_dir()
        program, cached = _program_for(folder, data_dir)
        store = Store.open(data_dir)
        if not cached:
            from program.content.cache import save_cached

            save_cached(folder, store.data_dir, program)
        if backup:
            from state.backup import backup_on_open

            backup_on_open(store, now())
        return cls(program, store, now, backup=backup)

    def close(self) -> None:
        if self._backup_on_close:
            self._backup_on_close = False
            from state.backup import backup_on_close

            backup_on_close(self.store, self.now())
        self.store.close()

    def __enter__(self) -> Replenish:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- the plan ------------------------------------------------------

    def enrolment(self) -> Enrolment | None:
        return self.store.enrolment()

    def schedule(self) -> plan.Schedule | None:
        enrolment = self.store.enrolment()
        if enrolment is None:
            return None
        return plan.Schedule(
            start=enrolment.start_date,
            day_start_hour=enrolment.day_start_hour,
            pauses=tuple(
                plan.PauseSpan(pause.started_on, pause.resumed_on) for pause in enrolment.pauses
            ),
            begun_on=plan.plan_date(
                enrolment.enrolled_at.astimezone(self.now().tzinfo), enrolment.day_start_hour
            ),
        )

    def progress(
        self, first: int | None = None, last: int | None = None, flags: Flags | None = None
    ) -> plan.Progress:
        """What the user has done on program days `first`..`last` (every day when not given).

        The everyday paths ask only for the days they show, so a plan of many years is
        read as fast as a week's; only export and whole-history views read them all.
        `flags`: the plan's flags when the caller has just read them (`flags()`).
        """
        done: set[plan.ExerciseDay] = set()
        skipped: set[plan.ExerciseDay] = set()
        for outcome in self.store.outcomes(first, last):
            (done if outcome.kind == "done" else skipped).add((outcome.exercise_id, outcome.day))
        return plan.Progress(
            done=frozenset(done),
            skipped=frozenset(skipped),
            started=frozenset(self.store.answered_keys(first, last)),
            flags=self.flags() if flags is None else flags,
            day_flags=self.day_flags(first, last),
        )

    def day_flags(self, first: int | None = None, last: int | None = None) -> dict[int, Flags]:
        """Flags raised for one day only (`scope = "day"`) on days `first`..`last`, by day."""
        steps = self.program.day_flagging_steps()
        if not steps:
            return {}
        return self.program.day_flags_from(
            (answer.exercise_id, answer.step_id, answer.day, answer.value)
            for answer in self.store.answers_for_steps(steps, first, last)
        )

    def flags_on(self, day: int) -> Flags:
        """The flags that hold on program `day`: the plan's, and that day's own."""
        return self.flags() | self.day_flags(day, day).get(day, frozenset())

    def hard_day(self) -> tuple[str, int] | None:
        """(exercise id, program day) of the program's "hard day" practice, to open now: on
        the current day (day 1 before the plan begins). None when the program has none."""
        if not self.program.hard_day:
            return None
        schedule = self.schedule()
        day = 1 if schedule is None else plan.day_now(self.program, schedule, self.now())
        return self.program.hard_day, min(max(day, 1), self.program.days)

    def exercise_on(self, exercise_id: str, day: int) -> Exercise | None:
        """An exercise as it is shown on program `day` (its short form on a day that asks)."""
        exercise = self.program.exercise(exercise_id)
        return self.program.form_of(exercise, self.flags_on(day)) if exercise else None

    def state_of(self, exercise_id: str, day: int) -> plan.ExerciseState:
        """Where one exercise of one day stands (reads that day alone)."""
        return self.progress(day, day).state_of(exercise_id, day)

    def days_done_before(self, day: int, flags: frozenset[str]) -> int:
        """Program days before `day` that are done, from the store's running tally.

        The store keeps a verdict for each day with an outcome (`plan.past_day_done`,
        under `plan.tally_basis`), so this costs the same after twenty years as after a
        week; `plan.days_done` is the walk it agrees with.
        """
        program = self.program

        def judge(on: int, outcomes: Sequence[Outcome]) -> bool:
            kinds = {(outcome.exercise_id, on): outcome.kind for outcome in outcomes}
            progress = plan.Progress(
                done=frozenset(key for key, kind in kinds.items() if kind == "done"),
                skipped=frozenset(key for key, kind in kinds.items() if kind != "done"),
                flags=flags,
            )
            return plan.past_day_done(program, on, progress)

        basis = self._bases.get(flags)
        if basis is None:
            basis = self._bases[flags] = plan.tally_basis(program, flags)
        return self.store.days_done(basis, day, judge)

    def _judge_days(self) -> None:
        """Bring the tally up to date after a write to outcomes, so the next reader (a
        `nudge` in a new shell, say) only reads it; a failure only leaves that to it."""
        schedule = self.schedule()
        if schedule is None:
            return
        with suppress(StoreError):
            self.days_done_before(plan.day_now(self.program, schedule, self.now()), self.flags())

    def flags(self) -> frozenset[str]:
        """Flags raised by any saved answer; once raised they stay while the answer does."""
        flagging = self.program.flagging_steps()
        if not flagging:
            return frozenset()
        answers = self.store.answers_for_steps(flagging)
        return self.program.flags_from(
            (answer.exercise_id, answer.step_id, answer.value) for answer in answers
        )

    def seen(self, flags: frozenset[str] | None = None) -> Program:
        """The program as this user sees it: its `[[variant]]` words chosen by their flags
        (Help's support text, module titles and summaries, closings, the welcome)."""
        raised = self.flags() if flags is None else flags
        found = self._seen.get(raised)
        if found is None:
            found = self._seen[raised] = self.program.seen_with(raised)
        return found

    def safety_raised(self) -> bool:
        """Any of the program's safety flags (caution, concern) is raised."""
        return bool(self.flags() & self.program.safety_flags)

    def discreet(self) -> bool:
        """What is seen outside the app's own screen says nothing of the plan: unless the
        user asked for detail in Settings, and always once a safety flag is raised."""
        return not self.settings().detail_outside or self.safety_raised()

    def today(self) -> plan.Today | None:
        """Where the user stands now; None before they have started.

        Reads the few days on show (today and those offered to catch up) and the tally
        of days done: the same work after twenty years as after one week.
        """
        schedule = self.schedule()
        if schedule is None:
            return None
        now = self.now()
        current = plan.day_now(self.program, schedule, now)
        first = current - plan.CATCH_UP_DAYS
        progress = self._with_held(self.progress(first, current), first)
        raw = plan.program_day(schedule, plan.plan_date(now, schedule.day_start_hour))
        if raw > current and plan.follow_on_day(self.program, raw):
            progress = _merged(progress, self.progress(raw, raw, progress.flags))  # that day
        before = self.days_done_before(current, progress.flags)
        return plan.today(self.seen(progress.flags), schedule, progress, now, days_before=before)

    def _with_held(self, progress: plan.Progress, first: int) -> plan.Progress:
        """`progress` and the days before `first` of the exercises Today holds until done
        (`until_done`, `plan.held`): a day or two of the program's, read one by one, so
        this costs the same however long the history is."""
        days = sorted(
            {
                day
                for exercise in self.program.exercises
                if exercise.until_done
                for day in exercise.days
                if day < first
            }
        )
        if not days:
            return progress
        done, skipped, started = set(progress.done), set(progress.skipped), set(progress.started)
        for day in days:
            for outcome in self.store.outcomes(day, day):
                key = (outcome.exercise_id, outcome.day)
                (done if outcome.kind == "done" else skipped).add(key)
            started |= self.store.answered_keys(day, day)
        return plan.Progress(
            done=frozenset(done),
            skipped=frozenset(skipped),
            started=frozenset(started),
            flags=progress.flags,
            day_flags=progress.day_flags,
        )

    def version(self) -> tuple[object, ...]:
        """A value that changes whenever what a screen shows may have: a write by this or
        any other process, a new plan day. A screen shown again redraws only then."""
        return (self.store.changes(), plan.plan_date(self.now(), self.day_start_hour()))

    def preview(self) -> plan.DayPlan:
        """Day 1 as it will look, for someone who has not started yet."""
        flags = self.flags()
        return plan.day_plan(self.seen(flags), 1, plan.Progress(flags=flags), 1)

    def journey(
        self, first: int = 1, last: int | None = None
    ) -> tuple[tuple[int, plan.DayState], ...]:
        """Program days `first`..`last` (every day by default) and where each stands;
        only those days are read."""
        schedule = self.schedule()
        if schedule is None:
            return ()
        end = self.program.days if last is None else last
        progress = self.progress(first, end)
        return plan.journey(self.program, schedule, progress, self.now(), first, end)

    def day(self, day: int) -> plan.DayPlan:
        """Program `day` as it stands for this user (past, present or ahead)."""
        schedule = self.schedule()
        current = 1
        if schedule is not None:
            current = max(
                1, min(plan.day_now(self.program, schedule, self.now()), self.program.days)
            )
        progress = self.progress(day, day)
        return plan.day_plan(self.seen(progress.flags), day, progress, current)

    def start(self, on: date | None = None, day_start_hour: int | None = None) -> Enrolment:
        """Begin the plan on `on` (default today); ValueError for a date years away."""
        moment = self.now()
        hour = plan.DEFAULT_DAY_START_HOUR if day_start_hour is None else day_start_hour
        today = plan.plan_date(moment, hour)
        start = on or today
        plan.check_start(start, today)
        return self.store.enrol(self.program.id, start, hour, moment)

    def pause(self) -> None:
        self.store.pause(self._plan_date())

    def resume(self) -> None:
        self.store.resume(self._plan_date())

    def set_day_start_hour(self, hour: int) -> None:
        self.store.set_day_start_hour(hour)

    def day_start_hour(self) -> int:
        """The hour the user's plan day begins; before the plan has begun, the default."""
        enrolment = self.store.enrolment()
        return enrolment.day_start_hour if enrolment else plan.DEFAULT_DAY_START_HOUR

    def _plan_date(self) -> date:
        return plan.plan_date(self.now(), self.day_start_hour())

    # ----- answers and outcomes -------------------------------------------

    def save_answer(self, exercise_id: str, day: int, step_id: str, value: JSONValue) -> None:
        """Write one answer durably, now. Called the moment the user gives it."""
        self.store.save_answer(exercise_id, day, step_id, value, self.now())

    def answers(self, exercise_id: str, day: int) -> dict[str, Answer]:
        return self.store.answers_for(exercise_id, day)

    def met_before(self, exercise: Exercise, day: int) -> bool:
        """Whether the user meets `exercise` again on program `day`: it is done on an earlier
        day, so its steps with `shown = "first"` give way to those with `shown = "again"`."""
        marked = exercise.steps + (exercise.short.steps if exercise.short else ())
        if all(step.shown == "always" for step in marked):
            return False  # nothing to choose between: no read at all
        return self.store.done_before(exercise.id, day)

    def steps_on(self, exercise: Exercise, day: int) -> tuple[Step, ...]:
        """The steps of `exercise` shown on program `day`: by that day's flags, by whether it
        is met again, in the words of this user's plan (`personal`). The one place the app's
        runner, `replenish do` and `today` ask."""
        shown = exercise.steps_for(self.flags_on(day), self.met_before(exercise, day))
        return self.personal(shown)

    def steps_now(
        self, exercise: Exercise, day: int, steps: tuple[Step, ...], index: int
    ) -> tuple[tuple[Step, ...], int]:
        """After an answer: the steps shown now, and where the step at `index` of the earlier
        `steps` stands among them (`Exercise.steps_again`)."""
        fresh, position = exercise.steps_again(
            self.flags_on(day), steps, index, self.met_before(exercise, day)
        )
        return self.personal(fresh), position

    def personal(self, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        """`steps` with the partner's name where a read step says `{partner}` (the loader
        allows it nowhere else in a step): as data, never as Markdown or control codes."""
        if not any(
            isinstance(step, ReadStep) and PARTNER in step.text + step.title for step in steps
        ):
            return steps
        name = self.partner_words()
        literal = _MARKDOWN_SIGNS.sub(r"\\\g<0>", name)
        return tuple(
            replace(
                step,
                text=step.text.replace(PARTNER, literal),
                title=step.title.replace(PARTNER, name),
            )
            if isinstance(step, ReadStep)
            else step
            for step in steps
        )

    def partner_words(self) -> str:
        """How the program's `{partner}` reads for this user: the name they gave, on one
        line with every control character shown as text, or "your partner"."""
        name = " ".join(self.settings().partner_name.split())
        return printable(name) if name else PARTNER_WORDS

    def recalled(self, step: Step, day: int) -> Recalled | None:
        """The earlier answer `step` shows again on program `day`: the latest given before
        that day (None when it recalls nothing, or nothing was written then)."""
        if step.recall is None:
            return None
        exercise = self.program.exercise(step.recall[0])
        source = exercise.step(step.recall[1]) if exercise is not None else None
        for answer in reversed(self.store.answers_for_steps([step.recall])):
            said = ""
            if answer.day < day:
                shown = source.recalled_text(answer.value) if source else words(answer.value)
                said = shown.strip()
            if said:
                label = step.recall_label or f"On day {answer.day} you said:"
                return Recalled(label, answer.day, said)
        return None

    def recalls_today(self, today: plan.Today | None) -> dict[tuple[str, int], list[Recalled]]:
        """What the exercises still open today show again, by (exercise id, day): for the
        `today` text, so a follow-up names what was planned before it is opened."""
        found: dict[tuple[str, int], list[Recalled]] = {}
        if today is None or today.today is None:
            return found
        for due in today.today.exercises:
            if due.settled:
                continue
            for step in self.steps_on(due.exercise, due.day):
                recalled = self.recalled(step, due.day)
                if recalled is not None:
                    found.setdefault((due.exercise.id, due.day), []).append(recalled)
        return found

    def complete(self, exercise_id: str, day: int) -> str:
        """Mark an exercise done and return the warm line to show for it."""
        self.store.complete(exercise_id, day, self.now())
        self.store.clear_position()
        self._judge_days()
        exercise = self.program.exercise(exercise_id)
        closing = self.seen().closing_for(exercise, day) if exercise else "Done."
        return closing.replace(PARTNER, self.partner_words()) if PARTNER in closing else closing

    def skip(self, exercise_id: str, day: int, reason: str = "") -> None:
        """Set an exercise aside, with a reason only the user sees."""
        self.store.skip(exercise_id, day, reason, self.now())
        self._judge_days()

    def reopen(self, exercise_id: str, day: int) -> None:
        self.store.reopen(exercise_id, day)
        self._judge_days()

    def set_position(self, exercise_id: str, day: int, step_index: int) -> None:
        self.store.set_position(exercise_id, day, step_index, self.now())

    def resume_point(self) -> Resume | None:
        """The exercise and step the user left, if it still exists and is not finished."""
        position: Position | None = self.store.position()
        if position is None:
            return None
        exercise = self.exercise_on(position.exercise_id, position.day)
        if exercise is None:
            return None
        if self.state_of(exercise.id, position.day) in ("done", "skipped"):
            return None
        steps = self.steps_on(exercise, position.day)
        index = min(max(position.step_index, 0), max(len(steps) - 1, 0))
        return Resume(exercise, position.day, index)

    # ----- settings -------------------------------------------------------

    def settings(self) -> Settings:
        return Settings.from_values(self.store.settings())

    def save_settings(self, settings: Settings) -> None:
        self.store.set_settings(settings.to_values())

    # ----- one-off reminders (from plan steps) ------------------------------

    def add_one_off_reminder(self, fire_at: datetime, text: str) -> int:
        """Remember to remind the user once, at `fire_at`; returns the reminder's id."""
        return self.store.add_one_off(fire_at, text, self.now())

    def retire_one_off(self, reminder_id: int) -> None:
        """Take a one-off reminder off the schedule: sent, set aside as stale, or withdrawn."""
        self.store.mark_one_off_delivered(reminder_id)

    # ----- reminder deliveries (claimed before sending, so only one process sends) ----

    def pending_one_offs(self) -> list[OneOffReminder]:
        """One-off reminders not yet sent (nor withdrawn), by firing time."""
        return self.store.one_offs()

    def delivered_keys(self, among: Collection[str] | None = None) -> frozenset[str]:
        """Keys of every reminder already claimed by some process (of those `among`)."""
        return frozenset(delivery.key for delivery in self.store.deliveries(among))

    def claim_delivery(self, key: str, channel: str) -> bool:
        """Claim reminder `key` now; True for exactly one caller across all processes."""
        return self.store.claim_delivery(key, self.now(), channel)

    def release_delivery(self, key: str, channel: str) -> None:
        """Give back a claim whose sending failed, so another channel may deliver `key`."""
        self.store.release_delivery(key, channel)

    # ----- both partners ----------------------------------------------------

    def partner(self) -> Exchange:
        """This device's side of the pairing (`program.partner`), on this store and program."""
        from program.partner.exchange import Exchange

        return Exchange(self.store, self.program, self.now, self.flags, self.schedule)

    def partner_status(self) -> PartnerStatus | None:
        """Paired with whom, what is waiting, whether either side has paused; None unpaired."""
        if self.store.partner() is None:
            return None
        return self.partner().status()

    def revealed_pairs(self, exercise_id: str, step_id: str) -> list[Pair]:
        """Both partners' answers to one step, on each date both are in and revealed: those
        that came sealed from the partner's device, and those entered for the partner from a
        worksheet (marked `entered_for`), where this side answered too. On a date with both,
        the partner's own sealed answer is the one shown."""
        from program.partner.exchange import Pair

        found = (
            {} if self.store.partner() is None
            else {pair.on: pair for pair in self.partner().pairs(exercise_id, step_id)}
        )
        schedule = self.schedule()
        if schedule is None:
            return sorted(found.values(), key=lambda pair: pair.on)
        today = plan.plan_date(self.now(), schedule.day_start_hour)
        for entered in self.store.entered_answers(exercise_id=exercise_id, step_id=step_id):
            on = plan.date_of_day(schedule, entered.day, today)
            mine = self.store.answers_for(exercise_id, entered.day).get(step_id)
            if on is None or mine is None or on in found:
                continue
            found[on] = Pair(on, mine.value, entered.value, entered_for=entered.name)
        return sorted(found.values(), key=lambda pair: pair.on)

    def partner_name(self) -> str:
        """The partner's name: as their device gave it when paired, else as Settings has it
        ("" when neither says)."""
        paired = self.store.partner()
        if paired is not None and paired.name.strip():
            return paired.name
        return self.settings().partner_name.strip()

    # ----- the worksheet ----------------------------------------------------

    def worksheet_steps(self, week: int | None = None) -> tuple[int, list[SheetStep]]:
        """The week (this one by default) and its shared steps a worksheet asks, day by day,
        as this user's plan shows them. None of a safety step, ever."""
        from program.partner.worksheet import SheetStep, shared_on_page

        schedule = self.schedule()
        if schedule is None:
            raise NotEnrolled()
        today = plan.plan_date(self.now(), schedule.day_start_hour)
        current = max(1, min(plan.day_now(self.program, schedule, self.now()), self.program.days))
        chosen = plan.week_of(current) if week is None else week
        found: list[SheetStep] = []
        first = (chosen - 1) * 7 + 1
        for day in range(first, min(first + 7, self.program.days + 1)):
            on = plan.date_of_day(schedule, day, today)
            if on is None:
                continue
            flags = self.flags_on(day)
            for due in self.day(day).exercises:
                exercise = due.exercise
                for step in exercise.steps:
                    if step.gate.open_for(flags) and shared_on_page(self.program, exercise, step):
                        found.append(SheetStep(exercise, day, on, step))
        return chosen, found

    def worksheet_known(self) -> dict[Key, SheetStep]:
        """Every step a worksheet of this program may hold, on any plan day with a date."""
        from program.partner.worksheet import SheetStep, shared_on_page

        schedule = self.schedule()
        if schedule is None:
            raise NotEnrolled()
        today = plan.plan_date(self.now(), schedule.day_start_hour)
        found: dict[Key, SheetStep] = {}
        for exercise in self.program.exercises:
            steps = [s for s in exercise.steps if shared_on_page(self.program, exercise, s)]
            if not steps:
                continue
            for day in exercise.days:
                on = plan.date_of_day(schedule, day, today)
                if on is None:
                    continue
                for step in steps:
                    found[(exercise.id, day, step.id)] = SheetStep(exercise, day, on, step)
        return found

    def enter_for_partner(self, filled: list[Filled]) -> str:
        """Keep answers read from a filled worksheet as the partner's, marked as entered for
        them; returns the name they are entered under."""
        from state import EnteredAnswer

        name = self.partner_name()
        at = self.now()
        self.store.enter_answers(
            [
                EnteredAnswer(f.sheet.exercise.id, f.sheet.day, f.sheet.step.id, f.value, name, at)
                for f in filled
            ]
        )
        return name

    def ready_to_share(self) -> list[Ready]:
        """Answers to `ask` steps waiting for the user to share or keep them; [] unpaired."""
        if self.store.partner() is None:
            return []
        return self.partner().ready_to_share()

    def choose_share(self, ready: Ready, share: bool) -> None:
        """Share one answer exactly as it was shown (or keep it private, for good)."""
        self.partner().choose(ready, share)

    def partner_folder_linked(self) -> bool:
        """True when paired and a shared folder is linked: the app and the service sync then."""
        partner = self.store.partner()
        return partner is not None and partner.folder is not None

    def sync_partner_apart(self) -> Report:
        """Sync through the linked folder on a connection of its own to the same store.

        For a worker thread: the app's connection stays the app's (two threads in one
        connection would share its transactions); SQLite's locking orders the writes.
        """
        own = Replenish(self.program, Store.open(self.store.data_dir), self.now)
        try:
            return own.partner().sync()
        finally:
            own.store.close()


def _merged(first: plan.Progress, second: plan.Progress) -> plan.Progress:
    """Two reads of progress on different days, as one."""
    return plan.Progress(
        done=first.done | second.done,
        skipped=first.skipped | second.skipped,
        started=first.started | second.started,
        flags=first.flags | second.flags,
        day_flags={**first.day_flags, **second.day_flags},
    )
