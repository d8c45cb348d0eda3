"""Today: where the user stands, what is waiting, and a gentle way into it.

This is the first screen painted, so it imports only what it draws; the runner,
the set-aside question and Markdown (for notices) load when they are needed.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from program import plan, text, then_now
from program.service import Replenish
from program.text import WELCOME_BACK
from program.tui.literal import shown
from program.tui.messages import OpenExercise, OpenThenAndNow, TogglePause
from program.tui.screens.base import LiveScreen
from program.tui.stored import stored
from program.tui.widgets.footer import KeyFooter
from program.tui.words import state_label

CATCH_UP_WORDS = "A few earlier days are still open, if you would like them. No rush."
SHOW_ALL = "show-all"
"""The id of the entry that shows the whole day on the first day back (`plan.quiet_before`)."""
THEN_AND_NOW = "then-and-now"
"""The id of Today's entry for the then-and-now view, from the day the program offers it."""


def option_id(due: plan.DueExercise) -> str:
    return f"{due.exercise.id}@{due.day}"


def parse_option_id(ident: str) -> tuple[str, int]:
    exercise_id, _, day = ident.rpartition("@")
    return exercise_id, int(day)


def exercise_prompt(due: plan.DueExercise, show_day: bool = False) -> Content:
    """One line per exercise: its title (literally), minutes, and state in symbol and word."""
    optional = " (optional)" if due.exercise.optional and not due.settled else ""
    day = f"Day {due.day}: " if show_day else ""
    return Content.from_markup(
        "$state  $day$title · $minutes min$optional",
        state=state_label(due.state).ljust(13),
        day=day,
        title=due.exercise.title,
        minutes=str(due.exercise.minutes),
        optional=optional,
    )


class TodayScreen(LiveScreen):
    """The home screen: week and day, notices, exercises due, a few days to catch up."""

    DEFAULT_CSS = """
    TodayScreen {  /* one calm column; the list of exercises is what takes focus */
        align-horizontal: center;

        #today-body {
            padding: 0 1;
            max-width: 100;
        }
        #heading {
            text-style: bold;
            margin-top: 1;
        }
        #notices {
            height: auto;
        }
        #notices .notice {
            border-left: thick $warning;
            padding: 0 1;
            margin: 1 0 0 0;
        }
        #paused {
            height: auto;
            margin-top: 1;
            border: round $warning;
            padding: 0 1;
        }
        #paused-words {
            width: 1fr;
            padding-top: 1;
        }
        #summary {
            margin-top: 1;
        }
        #exercises {
            height: auto;
            max-height: 20;
            margin-top: 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("s", "set_aside", "Set aside"),
        # Out of the footer so it fits 80 columns with Quit; in Help and the palette.
        Binding("p", "pause_or_resume", "Pause/resume", show=False),
        Binding("f2", "app.open_mode('today')", "Today", show=False),  # already here
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self.sub_title = "Today"
        self.show_all = False
        """On the first day back after quiet days, the whole day was asked for."""
        """`service.version()` when the plan was last read."""

    def compose(self) -> ComposeResult:
        yield Header()
        body = VerticalScroll(id="today-body")
        body.can_focus = False  # the list of exercises takes the focus; nothing else scrolls
        with body:
            yield Static(id="heading")
            yield Vertical(id="notices")
            yield Horizontal(id="paused")  # filled the first time the plan is paused
            yield Static(id="summary")
            yield OptionList(id="exercises")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Read the plan again and redraw; keeps the highlighted exercise where it was."""
        self.read_now()
        today = self.service.today()
        heading = self.query_one("#heading", Static)
        summary = self.query_one("#summary", Static)
        options: list[Option | None] = []
        self._show_paused(bool(today and today.status is plan.Status.PAUSED))
        self._show_notices(today)
        if today is None or today.welcome_back is None:
            self.show_all = False  # asked for on one day back: the next one offers it again
        if today is None:
            heading.update(shown(self.service.program.title))
            summary.update(Content("Your plan has not begun yet."))
        elif today.status is plan.Status.NOT_STARTED:
            heading.update(Content(f"Your plan begins on {today.starts_on:%A %d %B %Y}."))
            summary.update(
                Content("Nothing is due before then. Rest is a fine way to spend the wait.")
            )
            options = [
                Option(
                    Content("Day 1 will hold: ").append(shown(due.exercise.title)), disabled=True
                )
                for due in self.service.preview().exercises
            ]
        elif today.status is plan.Status.FINISHED:
            heading.update(Content(text.after_end_heading(today)))
            summary.update(Content(self._after_end_words(today)))
            if today.today is not None:  # a follow-on day: the weekly check-in
                options.extend(
                    Option(exercise_prompt(due), id=option_id(due)) for due in today.today.exercises
                )
        elif today.welcome_back is not None and not self.show_all:
            heading.update(shown(self._heading_words(today)))  # a module title
            summary.update(Content(WELCOME_BACK))
            kept = [  # what Today holds until done (a safety check) is never put away
                due
                for due in (today.today.exercises if today.today else ())
                if due.exercise.until_done and not due.settled
            ]
            self._set_options(
                [
                    Option(exercise_prompt(today.welcome_back), id=option_id(today.welcome_back)),
                    *(Option(exercise_prompt(due), id=option_id(due)) for due in kept),
                    None,
                    Option(Content("Show everything that is open"), id=SHOW_ALL),
                ]
            )
            return
        else:
            heading.update(shown(self._heading_words(today)))  # a module title
            summary.update(Content(self._summary_words(today)))
            if today.today is not None:
                options.extend(
                    Option(exercise_prompt(due), id=option_id(due)) for due in today.today.exercises
                )
        if (
            today is not None
            and today.status is not plan.Status.NOT_STARTED
            and then_now.offered(self.service.program, today.day)
        ):
            words = "Then and now: where you began, beside where you are"
            options.extend([None, Option(Content(words), id=THEN_AND_NOW)])
        if today is not None and today.status is not plan.Status.NOT_STARTED:
            options.extend(self._catch_up_options(today))
        self._set_options(options)

    def _heading_words(self, today: plan.Today) -> str:
        parts = [f"Week {today.week} of {today.weeks}", f"Day {today.day}"]
        if today.today is not None and today.today.module is not None:
            parts.append(today.today.module.title)
        return " · ".join(parts)

    def _after_end_words(self, today: plan.Today) -> str:
        """Once the plan is over: days done, the follow-on if today holds it, when the next
        comes."""
        day = today.today
        words = [f"{today.days_done} days done."]
        if day is not None:
            words.append(text.follow_on_words(day))
            if not day.done:
                words.append("Enter opens it.")
        if day is None or day.done:
            words.append(text.next_follow_on_line(today))
        words.append("Everything you wrote is still here, in the Journal.")
        return " ".join(word for word in words if word)

    def _summary_words(self, today: plan.Today) -> str:
        day = today.today
        if day is None:
            return ""
        if day.done:
            return "Today is done. Thank you for showing up for yourself."
        return f"Today, about {day.minutes_left} minutes. Enter opens the highlighted exercise."

    def _catch_up_options(self, today: plan.Today) -> list[Option | None]:
        if not today.catch_up:
            return []
        options: list[Option | None] = [None, Option(Content(CATCH_UP_WORDS), disabled=True)]
        for day in today.catch_up:
            options.extend(
                Option(exercise_prompt(due, show_day=True), id=option_id(due))
                for due in day.exercises
                if not due.settled
            )
        return options

    def _set_options(self, options: list[Option | None]) -> None:
        exercises = self.query_one("#exercises", OptionList)
        previous = exercises.highlighted_option
        exercises.set_options(options)
        wanted = previous.id if previous is not None else None
        for index, option in enumerate(exercises.options):
            if option.disabled:
                continue
            if wanted is None or option.id == wanted:
                exercises.highlighted = index
                break
        else:
            exercises.action_first()
        exercises.focus()

    def _show_paused(self, paused: bool) -> None:
        """The paused row and its button are built only when needed: most days never show it,
        and the Button's styles cost the first frame several milliseconds."""
        row = self.query_one("#paused", Horizontal)
        if paused and not row.children:
            row.mount(
                Static(
                    "⏸ Your plan is paused. Nothing moves on while you rest.", id="paused-words"
                ),
                Button("Resume the plan", id="resume-plan", variant="primary"),
            )
        row.display = paused

    def _show_notices(self, today: plan.Today | None) -> None:
        notices = self.query_one("#notices", Vertical)
        texts = [notice.text.strip() for notice in (today.notices if today else ())]
        if [getattr(child, "source", None) for child in notices.children] == texts:
            return
        notices.remove_children()
        if texts:
            from textual.widgets import Markdown

            for source in texts:
                notices.mount(Markdown(source, classes="notice"))
        notices.display = bool(texts)

    # ----- actions ------------------------------------------------------------

    def _highlighted(self) -> tuple[str, int] | None:
        option = self.query_one("#exercises", OptionList).highlighted_option
        if option is None or option.id is None or option.id in (THEN_AND_NOW, SHOW_ALL):
            return None
        return parse_option_id(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == THEN_AND_NOW:
            self.post_message(OpenThenAndNow())
        elif event.option.id == SHOW_ALL:
            self.action_show_all()
        elif event.option.id is not None:
            self._open(*parse_option_id(event.option.id))

    def action_open(self) -> None:
        option = self.query_one("#exercises", OptionList).highlighted_option
        if option is not None and option.id == THEN_AND_NOW:
            self.post_message(OpenThenAndNow())
            return
        if option is not None and option.id == SHOW_ALL:
            self.action_show_all()
            return
        chosen = self._highlighted()
        if chosen is not None:
            self._open(*chosen)

    def _open(self, exercise_id: str, day: int) -> None:
        if self.service.state_of(exercise_id, day) == "skipped" and not stored(
            self.app, "open it again", lambda: self.service.reopen(exercise_id, day)
        ):
            return  # opening it again means: not set aside now
        self.post_message(OpenExercise(exercise_id, day))

    def action_set_aside(self) -> None:
        chosen = self._highlighted()
        if chosen is None:
            return
        exercise_id, day = chosen
        state = self.service.state_of(exercise_id, day)
        if state in ("done", "skipped"):
            self.notify(
                "That one is already " + ("done." if state == "done" else "set aside."),
                markup=False,
            )
            return
        exercise = self.service.program.exercise(exercise_id)
        if exercise is None:
            return
        if exercise.until_done:
            self.notify(
                "This one stays until it is answered. Every question has \"I'd rather not "
                'say", and that is an answer too.',
                markup=False,
            )
            return
        from program.tui.screens.set_aside import SetAsideScreen

        def set_aside(reason: str | None) -> None:
            if reason is None:
                return
            if stored(
                self.app, "set it aside", lambda: self.service.skip(exercise_id, day, reason)
            ):
                self.notify("Set aside. It will not be asked of you again.", markup=False)
                self.refresh_view()

        self.app.push_screen(SetAsideScreen(exercise.title), set_aside)

    def action_show_all(self) -> None:
        """The whole day and the days still open, on the first day back after quiet days."""
        self.show_all = True
        self.refresh_view()

    def action_pause_or_resume(self) -> None:
        self.post_message(TogglePause())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "resume-plan":
            event.stop()
            self.post_message(TogglePause())
