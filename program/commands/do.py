"""`replenish do`: today's exercises as a plain conversation, one step after another.

For screen readers, ssh, `TERM=dumb` and piped input: lines in, lines out, no
cursor movement, no colour. It writes the same records as the app, through the
same service calls: each answer the moment it is given (under the same exercise,
day and step ids, with the same values: the step views of `program.plain` save
what the app's views save), the position on every step shown, the exercise done
when its last step is left. So the app resumes where `do` stopped and `do` where
the app did. The steps shown follow the flags raised, as in the app.

Stopping at any moment (quit, the end of input, Ctrl+C, a killed process) loses
nothing given, and the next `replenish do` starts at the same step.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from msgspec import Struct

from program.commands.base import UserError, add_command, open_service

if TYPE_CHECKING:
    from datetime import datetime

    from program.commands.base import Commands
    from program.content import Exercise, Step
    from program.plain.talk import Move, Talk
    from program.plain.views import PlainView
    from program.plan import Today
    from program.service import Replenish
    from program.when import ReminderHooks
    from state import JSONValue

STOPPED = "Stopped here. Your answers are saved; `replenish do` starts again at this step."


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    add_command(
        commands,
        common,
        "do",
        cmd_do,
        "today's exercises as a plain conversation (screen readers, ssh, TERM=dumb)",
        description=(
            "Today's exercises, one step after another, as plain lines: read, answer, "
            "press Enter. Every answer is saved as you give it; stop at any moment and "
            "`replenish do` starts again at the same step. The app and `do` share one record."
        ),
    )


def cmd_do(args: argparse.Namespace) -> int:
    import os

    from program.plain.talk import FdLines, Talk

    with open_service(args) as service:
        if service.enrolment() is None:
            raise UserError(
                "your plan has not begun yet; `replenish start` begins it, and "
                "`replenish today` shows what day 1 holds"
            )
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError):
            raise UserError("`do` reads answers from standard input, and there is none") from None
        marker = "> " if os.isatty(fd) else ""
        return Walk(service, Talk(FdLines(fd), sys.stdout, marker=marker)).run()


class Place(Struct, frozen=True):
    """An exercise on a program day, at a step (an index into the steps shown)."""

    exercise: Exercise
    day: int
    index: int = 0


class Walk:
    """Today's exercises through one conversation, the resumed one first."""

    def __init__(self, service: Replenish, talk: Talk) -> None:
        self.service = service
        self.talk = talk
        self.view: PlainView | None = None
        self._refused: str | None = None

    def run(self) -> int:
        """The whole walk; 0 when it ended or stopped as asked, 130 after Ctrl+C."""
        try:
            return self._walk()
        except KeyboardInterrupt:
            self.talk.say()
            self._stop()
            return 130

    def _walk(self) -> int:
        from program import plan, text
        from program.plain.talk import HELP, Move

        service, talk = self.service, self.talk
        today = service.today()
        assert today is not None, "cmd_do checks that the plan has begun"
        recalls = service.recalls_today(today)
        for line in text.today_lines(service.program, today, recalls):  # what `today` says
            talk.say(line)
        if today.status is plan.Status.NOT_STARTED or (
            today.status is plan.Status.FINISHED and not today.follow_on
        ):
            return 0
        talk.say()
        talk.say(HELP)
        resume = service.resume_point()
        place = Place(resume.exercise, resume.day, resume.step_index) if resume else None
        if place is not None:
            talk.say()
            talk.say(f"Picking up where you stopped: {text.titled(place.exercise)}.")
        elif not self._day_back(today):
            return 0
        for earlier in (False, True):
            while place := place or self._next_place(earlier):
                if self._exercise(place) is Move.QUIT:
                    self._stop()
                    return 0
                place = None
            if earlier:
                talk.say()
                talk.say("That is everything that was open. Thank you for this time.")
            elif not self._earlier_days_wanted():
                break
        return 0

    def _day_back(self, today: Today) -> bool:
        """On the first day back after quiet days, the one gentle practice first (as Today
        and `today` offer it); then the rest of the day only if it is wanted. False: stop."""
        from program.plain.talk import Move

        back = today.welcome_back
        if back is None or back.settled:
            return True
        if self._exercise(Place(back.exercise, back.day)) is Move.QUIT:
            self._stop()
            return False
        if self._next_place() is None:
            return True
        self.talk.say()
        return self._yes(
            "The rest of today is here whenever you like. Type yes to go on now; an empty "
            "line stops here."
        )

    def _earlier_days_wanted(self) -> bool:
        """Today is through: say so, and offer the earlier days still open, if any."""
        from program import text

        talk = self.talk
        current = self.service.today()
        day = current.today if current is not None else None
        talk.say()
        if day is not None and day.done:
            talk.say("Today is done. Thank you for showing up for yourself.")
        else:
            talk.say("Nothing else is waiting today.")
        waiting = [
            f"  - Day {open_day.day}: " + "; ".join(text.titled(due.exercise) for due in open_)
            for open_day in (current.catch_up if current is not None else ())
            if (open_ := [due for due in open_day.exercises if not due.settled])
        ]
        if not waiting:
            return False
        talk.say("A few earlier days are still open, if you would like them. No rush:")
        for line in waiting:
            talk.say(line)
        return self._yes("Type yes to do them now; an empty line stops here.")

    def _yes(self, question: str) -> bool:
        """Ask `question`; True only for a typed yes (an empty line or the end of input: no)."""
        reply = self.talk.ask(question)
        return isinstance(reply, str) and reply.strip().lower() in ("yes", "y")

    def _next_place(self, earlier: bool = False) -> Place | None:
        """The first exercise not yet done or set aside, as the plan stands now: of today,
        or (`earlier`) of the earlier days still open."""
        today = self.service.today()
        if today is None:
            return None
        days = today.catch_up if earlier else (today.today,) if today.today else ()
        for day in days:
            for due in day.exercises:
                if not due.settled:
                    return Place(due.exercise, due.day)
        return None

    def _stop(self) -> None:
        view = self.view
        if view is not None and view.unsaved is not None:
            from program.content.steps import words

            self.talk.say("These words could not be saved; copy them if you want to keep them:")
            self.talk.say(words(view.unsaved))
        self.talk.say(STOPPED)

    # ----- one exercise ------------------------------------------------------------

    def _exercise(self, place: Place) -> Move:
        """Walk one exercise from `place`; NEXT when it is done, ASIDE or QUIT otherwise."""
        from program import text
        from program.plain.talk import Move
        from program.plain.views import view_for

        service, talk = self.service, self.talk
        exercise, day = place.exercise, place.day
        steps = service.steps_on(exercise, day)
        index = min(max(place.index, 0), max(len(steps) - 1, 0))
        talk.say()
        talk.say(f"{text.titled(exercise)} · Day {day}")
        while steps:
            step = steps[index]
            self._write("note your place", partial(service.set_position, exercise.id, day, index))
            talk.say()
            talk.say(f"Step {index + 1} of {len(steps)}.")
            answers = service.answers(exercise.id, day)
            value = answers[step.id].value if step.id in answers else None
            recalled = service.recalled(step, day)
            if recalled is not None:
                talk.say(recalled.line)
            self.view = view_for(step, value, self._saver(exercise.id, day, step.id), self._hooks())
            move = self.view.run(talk)
            if move is Move.QUIT or (move is Move.ASIDE and self._set_aside(exercise, day)):
                return move
            self.view = None
            steps, index = self._refreshed(exercise, day, steps, index)
            if move is Move.NEXT:
                if index + 1 >= len(steps):
                    break
                index += 1
            elif move is Move.BACK:
                if index == 0:
                    talk.say("This is the first step.")
                index = max(index - 1, 0)
        return self._finish(exercise, day)

    def _refreshed(
        self, exercise: Exercise, day: int, steps: tuple[Step, ...], index: int
    ) -> tuple[tuple[Step, ...], int]:
        """The steps now, and where the current one is among them (`Replenish.steps_now`)."""
        return self.service.steps_now(exercise, day, steps, index)

    def _finish(self, exercise: Exercise, day: int) -> Move:
        from program.plain.talk import Move

        closing: list[str] = []
        while not self._write(
            "mark it done", lambda: closing.append(self.service.complete(exercise.id, day))
        ):
            if isinstance(self.talk.ask("Press Enter to try again, or type quit."), Move):
                return Move.QUIT
        self.talk.say()
        self.talk.say(f"Done: {exercise.title}. {closing[0]}")
        return Move.NEXT

    def _set_aside(self, exercise: Exercise, day: int) -> bool:
        """Ask for a private reason and set the exercise aside; False when the user keeps it."""
        from program.plain.talk import Move

        if exercise.until_done:  # the safety check: it waits until it is answered
            self.talk.say('This one waits until answered; "I\'d rather not say" is an answer.')
            return False
        reply = self.talk.ask(
            f"Set aside {exercise.title}? Type a reason if you like, or press Enter "
            "for none. Type keep to keep it."
        )
        if isinstance(reply, Move) or reply.strip().lower() == "keep":
            if isinstance(reply, Move) and reply is Move.QUIT:
                return True
            self.talk.say("Kept.")
            return False
        if not self._write(
            "set it aside", lambda: self.service.skip(exercise.id, day, reply.strip())
        ):
            return False
        self.talk.say("Set aside. It will not be asked of you again.")
        return True

    # ----- writing through the service ------------------------------------------------

    def _write(self, what: str, write: Callable[[], object]) -> bool:
        """Run one write; a refusal (a full disk) is said once until a write works again."""
        from state import StoreError

        try:
            write()
        except StoreError as error:
            if self._refused is None:
                self.talk.say(f"Could not {what}. {error}")
            self._refused = str(error)
            return False
        if self._refused is not None:
            self.talk.say("Saved now.")
        self._refused = None
        return True

    def _saver(self, exercise_id: str, day: int, step_id: str) -> Callable[[JSONValue], bool]:
        def save(value: JSONValue) -> bool:
            return self._write(
                "save that answer yet",
                lambda: self.service.save_answer(exercise_id, day, step_id, value),
            )

        return save

    def _hooks(self) -> ReminderHooks:
        from program.when import ReminderHooks

        def add(fire_at: datetime, words: str) -> int | None:
            made: list[int] = []
            if self._write(
                "set the reminder",
                lambda: made.append(self.service.add_one_off_reminder(fire_at, words)),
            ):
                return made[0]
            return None

        def cancel(reminder_id: int) -> bool:
            return self._write(
                "withdraw the reminder", lambda: self.service.retire_one_off(reminder_id)
            )

        return ReminderHooks(self.service.now, add, cancel)
