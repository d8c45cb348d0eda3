"""The Journey: every week as a row of days, each with a symbol that says where it stands,
and the modules with what each is for. A past day opens what was written on it.

Open days are "open", never "missed": a tired person needs a map, not a tally.

The grid holds `WINDOW_WEEKS` weeks at a time, around today when it opens; moving past
its first or last row brings the next week in. Only the days in the grid are read, so a
plan of twenty years opens, and moves, as quickly as one of six weeks.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from program import journal, plan
from program.plan import DayState
from program.service import Replenish
from program.tui.literal import shown
from program.tui.screens.base import LiveScreen
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.journey_day import DayScreen
from program.tui.widgets.reading import ReadingScroll

SYMBOL: dict[DayState, str] = {
    "done": "✓",
    "skipped": "–",
    "paused": "‖",
    "ahead": "·",
    "today": "▸",
    "open": "○",
}
WORD: dict[DayState, str] = {
    "done": "done",
    "skipped": "set aside",
    "paused": "paused",
    "ahead": "ahead",
    "today": "today",
    "open": "open",
}
CELL_STYLE: dict[DayState, str] = {
    "done": "bold",
    "skipped": "",
    "paused": "bold italic",
    "ahead": "dim",
    "today": "bold reverse",
    "open": "",
}
LEGEND = "   ".join(
    f"{SYMBOL[state]} {WORD[state]}"
    for state in ("done", "today", "open", "skipped", "paused", "ahead")
)
OPENABLE: frozenset[DayState] = frozenset({"done", "skipped", "paused", "today", "open"})
WINDOW_WEEKS = 12
"""Weeks in the grid at once: what the screen shows (the grid is at most 14 rows high)."""
AHEAD_WEEKS = 2
"""Weeks shown after today's when the grid opens, so what comes next is in sight."""


def cell(day: int, state: DayState) -> Text:
    """A day in the grid: symbol and number, so no state rests on colour."""
    return Text(f"{SYMBOL[state]} {day}", style=CELL_STYLE[state])


class WeekGrid(DataTable[Text]):
    """The weeks on show; moving past the first or last row (or a page) asks for more."""

    class Beyond(Message):
        """The cursor was asked to go `weeks` weeks past the rows on show."""

        def __init__(self, grid: WeekGrid, weeks: int) -> None:
            super().__init__()
            self.grid = grid
            self.weeks = weeks

        @property
        def control(self) -> WeekGrid:
            return self.grid

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.Beyond(self, -1))
        else:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.post_message(self.Beyond(self, 1))
        else:
            super().action_cursor_down()

    def action_page_up(self) -> None:
        self.post_message(self.Beyond(self, -WINDOW_WEEKS))

    def action_page_down(self) -> None:
        self.post_message(self.Beyond(self, WINDOW_WEEKS))


class JourneyScreen(LiveScreen):
    """The weeks and the modules; Enter (or a click) on a day shows what was written."""

    DEFAULT_CSS = """
    JourneyScreen {  /* the grid of weeks on top, the modules under it, all in one scroll */
        #journey-body {
            padding: 0 1;
        }
        #journey-where {
            text-style: bold;
            height: auto;
            margin-top: 1;
        }
        #journey-legend {
            color: $text-muted;
            height: auto;
            margin-bottom: 1;
        }
        #journey-grid {
            height: auto;
            max-height: 14;
            width: auto;
            max-width: 100%;
        }
        #journey-day-words {
            height: auto;
            margin: 1 0;
        }
        .journey-heading {
            text-style: bold underline;
            height: auto;
        }
        #journey-modules {
            height: auto;
            margin-bottom: 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_day", "Open day"),
        Binding("escape", "app.open_mode('today')", "Back", show=False),
        Binding("f3", "app.open_mode('journey')", "Journey", show=False),  # already here
    ]

    def __init__(self, service: Replenish) -> None:
        super().__init__()
        self.service = service
        self.states: dict[int, DayState] = {}
        """Where each day in the grid stands (only the days on show are read)."""
        self.first_week = 1
        """The week in the grid's first row."""

    def compose(self) -> ComposeResult:
        yield Header()
        with ReadingScroll(id="journey-body"):
            yield Static(id="journey-where")
            yield Static(LEGEND, id="journey-legend")
            yield WeekGrid(id="journey-grid", cursor_type="cell", show_header=False)
            yield Static(id="journey-day-words")
            yield Static("The modules", classes="journey-heading")
            yield Static(id="journey-modules")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.title = "Journey"
        grid = self.query_one("#journey-grid", DataTable)
        grid.add_columns(*(f"{number}" for number in range(1, 8)))
        self.query_one("#journey-modules", Static).update(self._modules())
        self.refresh_view()
        grid.focus()

    def refresh_view(self) -> None:
        """Read where the plan stands and show the weeks around today, cursor on today."""
        where = self.query_one("#journey-where", Static)
        self.read_now()
        today = self.service.today()
        if today is None:
            self.states = {}
            self.query_one("#journey-grid", DataTable).clear()
            where.update("The plan has not begun yet. Today shows how to begin.")
            return
        where.update(
            f"Week {today.week} of {today.weeks}, day {today.day} of {today.days}. "
            f"{today.days_done} day{'s' if today.days_done != 1 else ''} done so far."
        )
        self._show_weeks(today.week + AHEAD_WEEKS - WINDOW_WEEKS + 1, today.day)

    def _show_weeks(self, first_week: int, cursor_day: int) -> None:
        """Fill the grid with `WINDOW_WEEKS` weeks from `first_week` (kept within the plan)
        and put the cursor on `cursor_day`."""
        weeks = plan.week_of(self.service.program.days)
        self.first_week = max(1, min(first_week, weeks - WINDOW_WEEKS + 1))
        last_week = min(self.first_week + WINDOW_WEEKS - 1, weeks)
        first_day = (self.first_week - 1) * 7 + 1
        self.states = dict(self.service.journey(first_day, last_week * 7))
        grid = self.query_one("#journey-grid", DataTable)
        grid.clear()
        for week in range(self.first_week, last_week + 1):
            start = (week - 1) * 7 + 1
            cells = [
                cell(day, self.states[day]) if day in self.states else Text("")
                for day in range(start, start + 7)
            ]
            grid.add_row(*cells, key=str(week), label=Text(f"Week {week}"))
        row = plan.week_of(cursor_day) - self.first_week
        grid.cursor_coordinate = Coordinate(max(row, 0), (cursor_day - 1) % 7)
        self._describe(self._day_at(grid.cursor_coordinate))

    @on(WeekGrid.Beyond, "#journey-grid")
    def _beyond(self, event: WeekGrid.Beyond) -> None:
        """Bring in the weeks the cursor was asked to go to, the cursor on the same weekday."""
        event.stop()
        grid = self.query_one("#journey-grid", DataTable)
        coordinate = grid.cursor_coordinate
        week = self.first_week + coordinate.row + event.weeks
        weeks = plan.week_of(self.service.program.days)
        week = max(1, min(week, weeks))
        if week == self.first_week + coordinate.row:
            return  # the first or the last week already
        first = self.first_week if event.weeks in (-1, 1) else self.first_week + event.weeks
        if week < first:
            first = week
        elif week >= first + WINDOW_WEEKS:
            first = week - WINDOW_WEEKS + 1
        self._show_weeks(first, (week - 1) * 7 + coordinate.column + 1)

    def _modules(self) -> Content:
        parts: list[Content | str] = []
        for module in self.service.program.modules:
            if parts:
                parts.append("\n\n")
            weeks = ""
            if module.weeks:
                listed = ", ".join(str(week) for week in module.weeks)
                weeks = f" (week{'s' if len(module.weeks) > 1 else ''} {listed})"
            parts += [shown(module.title, "bold"), weeks, "\n", shown(module.summary.strip())]
        return Content.assemble(*parts)

    def _day_at(self, coordinate: Coordinate) -> int | None:
        day = (self.first_week - 1 + coordinate.row) * 7 + coordinate.column + 1
        return day if day in self.states else None

    def _date_of(self, day: int) -> date | None:
        schedule = self.service.schedule()
        if schedule is None:
            return None
        return plan.date_of_day(
            schedule, day, plan.plan_date(self.service.now(), schedule.day_start_hour)
        )

    def _describe(self, day: int | None) -> None:
        words = self.query_one("#journey-day-words", Static)
        if day is None:
            words.update("")
            return
        state = self.states[day]
        when = self._date_of(day)
        dated = f", {when:%A %d %B}" if when else ""
        hint = (
            "Enter (or a second click) shows what you wrote."
            if state in OPENABLE
            else "It will be waiting when it comes."
        )
        words.update(f"Day {day}{dated}: {SYMBOL[state]} {WORD[state]}. {hint}")

    @on(DataTable.CellHighlighted, "#journey-grid")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._describe(self._day_at(event.coordinate))

    @on(DataTable.CellSelected, "#journey-grid")
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.open_day(self._day_at(event.coordinate))

    def action_open_day(self) -> None:
        grid = self.query_one("#journey-grid", DataTable)
        self.open_day(self._day_at(grid.cursor_coordinate))

    def open_day(self, day: int | None) -> None:
        """Show what was answered on `day`; a day still ahead only says so."""
        if day is None:
            return
        if self.states[day] not in OPENABLE:
            self.notify(
                f"Day {day} is still ahead. It will be waiting when it comes.", markup=False
            )
            return
        self.app.push_screen(DayScreen(journal.day_record(self.service, day)))
