"""One past day, read-only: each exercise, its state in words, and every answer as written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from program.journal import DayRecord
from program.tui.literal import shown
from program.tui.widgets.dialog import ReadingDialog
from program.tui.widgets.reading import ReadingScroll
from program.tui.words import state_label


def day_heading(record: DayRecord) -> str:
    when = f" · {record.date:%A %d %B %Y}" if record.date else ""
    return f"Day {record.day}{when}"


class DayScreen(ReadingDialog):
    """What was answered on a day. Nothing here can be edited: it is a record."""

    DEFAULT_CSS = """
    DayScreen {
        .dialog {
            width: 76;  /* a readable column, scrolling when a day held a lot */
            padding: 0 1;
        }
        .dialog-title {
            margin-bottom: 0;
        }
        .dialog-buttons {
            margin-top: 1;
        }
        #day-answers {
            height: auto;
            max-height: 1fr;
        }
        .day-exercise {
            margin-top: 1;
        }
        .day-prompt {
            color: $text-muted;
            padding-left: 2;
        }
        .day-answer {
            padding-left: 4;
        }
        .day-empty {
            color: $text-muted;
        }
    }
    """

    def __init__(self, record: DayRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(day_heading(self.record), classes="dialog-title")
            with ReadingScroll(id="day-answers"):
                if not self.record.exercises:
                    yield Static("Nothing was planned for this day.", classes="day-empty")
                for exercise in self.record.exercises:
                    yield Static(
                        Content.assemble(
                            shown(exercise.title, "bold"), f"  ({state_label(exercise.state)})"
                        ),
                        classes="day-exercise",
                    )
                    if not exercise.answers:
                        yield Static("No questions in this one.", classes="day-empty")
                    for step in exercise.answers:
                        yield Static(shown(step.prompt, "italic"), classes="day-prompt")
                        yield Static(
                            shown(step.text) if step.text else Content("(no answer)"),
                            classes="day-answer" if step.text else "day-answer day-empty",
                        )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close-day", variant="primary")

    def on_mount(self) -> None:
        """Focus the answers, so arrows and PageDown read on from the top (Close when they
        all fit)."""
        self.call_after_refresh(self.focus_reading, "#day-answers", "#close-day")
