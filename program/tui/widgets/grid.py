"""A grid step: the workload map, one row a task, four cells a row, saved cell by cell.

Keyboard first: the arrows move between cells, 1-4 choose (and go on to the next
cell), Space steps through the choices, Delete clears a cell (and, on an empty row of
the user's own, the row). `a` adds a row in the user's own words. Only a window of
rows is drawn, kept around the cursor, so any number of rows fits 80x24; the cell
under the cursor reads `[Both]`, the row has `›`: never colour alone.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import DescendantBlur
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from program.content.model import GridStep
from program.content.steps import DRAIN, DRAIN_WORDS, MAX_ROW_LABEL, ROLES, WHO, GridAnswer
from program.tui.literal import LiteralInput, shown
from program.tui.messages import MoveOn
from program.tui.widgets.base import Save, StepView
from state import JSONValue

COLUMNS = (*ROLES, DRAIN)
HEADINGS = {"notice": "Notices", "plan": "Plans", "do": "Does", DRAIN: "Draining"}
ASKED = {
    "notice": "Who notices it?",
    "plan": "Who plans it?",
    "do": "Who does it?",
    DRAIN: "How draining is it?",
}
WHO_WORDS = {"me": "Me", "partner": "Partner", "both": "Both", "neither": "Neither"}
LABEL_WIDTH = 34
CELL = 10
SHOWN_ROWS = 8
"""Rows drawn at once: with the prompt, the headings and the hints, a step fits 80x24."""
UNSET = "·"


def choices_of(column: str) -> tuple[str | int, ...]:
    """What a cell of `column` may hold, in the order keys 1-4 choose them."""
    return tuple(range(1, len(DRAIN_WORDS) + 1)) if column == DRAIN else WHO


def cell_words(column: str, value: str | int | None) -> str:
    if value is None:
        return UNSET
    if column == DRAIN and isinstance(value, int):
        return DRAIN_WORDS[value - 1]
    return WHO_WORDS.get(str(value), UNSET)


class GridTable(Widget, can_focus=True):
    """The rows and cells of a grid, with a cursor; it says each change (`Changed`)."""

    DEFAULT_CSS = """
    GridTable {
        height: auto;
        width: 100%;

        & > .grid-cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: bold;
        }
        &:focus > .grid-cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"grid-cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("home", "edge(0)", "First cell", show=False),
        Binding("end", "edge(1)", "Last cell", show=False),
        Binding("1", "choose(0)", "Me", show=False),
        Binding("2", "choose(1)", "Partner", show=False),
        Binding("3", "choose(2)", "Both", show=False),
        Binding("4", "choose(3)", "Neither", show=False),
        Binding("space", "cycle", "Change", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
        Binding("enter", "move_on", "Next", show=False),
    ]

    class Changed(Message):
        """The answer changed (a cell chosen or cleared, a row removed)."""

    class Moved(Message):
        """The cursor moved: the words under the grid follow it."""

    def __init__(self, step: GridStep, answer: GridAnswer, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step = step
        self.cells: dict[str, dict[str, str | int]] = {
            row: dict(given) for row, given in answer.cells.items()
        }
        self.added: list[str] = list(answer.added)
        self.row, self.column, self.top = 0, 0, 0
        self._start_at_first_gap()

    # ----- the answer ---------------------------------------------------------

    @property
    def rows(self) -> tuple[str, ...]:
        return self.step.row_labels(self.answer)

    @property
    def answer(self) -> GridAnswer:
        given = {row: cells for row, cells in self.cells.items() if cells}
        return GridAnswer(given, tuple(self.added))

    def value_at(self, row: int, column: int) -> str | int | None:
        return self.cells.get(self.rows[row], {}).get(COLUMNS[column])

    def _start_at_first_gap(self) -> None:
        """Coming back to the step: the cursor waits at the first cell not answered yet."""
        for row in range(len(self.rows)):
            for column in range(len(COLUMNS)):
                if self.value_at(row, column) is None:
                    self.row, self.column = row, column
                    self._scroll()
                    return

    def add_row(self, label: str) -> None:
        self.added.append(label)
        self.row, self.column = len(self.rows) - 1, 0
        self._changed()

    # ----- keys ------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        self.row = min(max(self.row + rows, 0), len(self.rows) - 1)
        self.column = min(max(self.column + columns, 0), len(COLUMNS) - 1)
        self._moved()

    def action_edge(self, end: int) -> None:
        self.column = (len(COLUMNS) - 1) * end
        self._moved()

    def action_choose(self, index: int) -> None:
        """Keys 1-4: this cell takes that choice, and the cursor goes on to the next cell."""
        self._set(choices_of(COLUMNS[self.column])[index])
        if self.column < len(COLUMNS) - 1:
            self.column += 1
        elif self.row < len(self.rows) - 1:
            self.row, self.column = self.row + 1, 0
        self._moved()

    def action_cycle(self) -> None:
        """Space: the next choice for this cell (after the last, the cell is empty again)."""
        choices = choices_of(COLUMNS[self.column])
        now = self.value_at(self.row, self.column)
        at = choices.index(now) + 1 if now in choices else 0
        self._set(choices[at] if at < len(choices) else None)

    def action_clear(self) -> None:
        """Delete: the cell is empty again; on a row of the user's own with nothing left in
        it, the row goes."""
        label = self.rows[self.row]
        if self.value_at(self.row, self.column) is not None:
            self._set(None)
        elif label in self.added and not self.cells.get(label):
            self.added.remove(label)
            self.cells.pop(label, None)
            self.row = min(self.row, len(self.rows) - 1)
            self._changed()

    def action_move_on(self) -> None:
        self.post_message(MoveOn())

    def _set(self, value: str | int | None) -> None:
        label, column = self.rows[self.row], COLUMNS[self.column]
        given = self.cells.setdefault(label, {})
        if value is None:
            given.pop(column, None)
        else:
            given[column] = value
        self._changed()

    def _changed(self) -> None:
        self._scroll()
        self.refresh(layout=True)
        self.post_message(self.Changed())

    def _moved(self) -> None:
        self._scroll()
        self.refresh()
        self.post_message(self.Moved())

    def _scroll(self) -> None:
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + SHOWN_ROWS:
            self.top = self.row - SHOWN_ROWS + 1
        self.top = max(0, min(self.top, len(self.rows) - SHOWN_ROWS))

    # ----- drawing ------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()  # the cursor cell's style follows the focus

    def on_blur(self) -> None:
        self.refresh()

    def render(self) -> Content:
        heading = Content(" " * (LABEL_WIDTH + 3)) + Content(
            "".join(HEADINGS[column].ljust(CELL) for column in COLUMNS)
        )
        lines = [Content.styled(heading.plain, "bold")]
        rows = self.rows
        own = set(self.added)
        cursor_style = self.get_visual_style("grid-cursor")
        for index in range(self.top, min(self.top + SHOWN_ROWS, len(rows))):
            label = rows[index]
            here = index == self.row
            name = shown(label + (" *" if label in own else ""))
            line = Content("› " if here else "  ") + name.truncate(
                LABEL_WIDTH - 1, ellipsis=True, pad=True
            )
            line += Content(" ")
            for column_index, column in enumerate(COLUMNS):
                words = cell_words(column, self.cells.get(label, {}).get(column))
                if here and column_index == self.column:
                    cell = Content.styled(f"[{words}]", cursor_style)
                    line += cell + Content(" " * (CELL - len(words) - 2))
                else:
                    line += Content(f" {words}".ljust(CELL))
            lines.append(line)
        return Content("\n").join(lines)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 1 + min(len(self.rows), SHOWN_ROWS)


class GridView(StepView):
    """The prompt, the grid, where the cursor is in words, and a box for a row of one's own."""

    DEFAULT_CSS = """
    GridView {
        #grid-where {
            height: 1;
        }
        #grid-add {
            display: none;
        }
        &.-adding #grid-add {
            display: block;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_row", "Add your own", show=False),
    ]

    def __init__(self, step: GridStep, value: JSONValue, save: Save) -> None:
        answer = GridAnswer.read(value)
        super().__init__(answer.value() if value is not None else None, save)
        self.step = step
        self.table = GridTable(step, answer, id="grid")
        self.note = ""
        """A word about the last try to add a row (why it could not be), shown once."""

    def compose(self) -> ComposeResult:
        yield Static(shown(self.step.prompt), classes="step-prompt")
        yield self.table
        yield Static(self._where(), id="grid-where")
        yield LiteralInput(
            placeholder="A task of your own, then Enter (Esc: no new row)",
            max_length=MAX_ROW_LABEL,
            id="grid-add",
        )
        yield Static(Content(self._hint()), id="grid-hint", classes="step-hint")

    def _hint(self) -> str:
        keys = "↑↓←→ move · 1 Me  2 Partner  3 Both  4 Neither (draining: 1-4) · Space changes"
        more = " · a adds your own row" if self.step.add_own else ""
        return f"{keys}{more} · Delete clears · Enter moves on. Saved as you go."

    def _where(self) -> Content:
        table = self.table
        rows = table.rows
        if self.note:
            return Content(self.note)
        column = COLUMNS[table.column]
        value = table.value_at(table.row, table.column)
        asked = ASKED[column]
        said = f"{cell_words(column, value)}. Saved." if value is not None else "Not answered."
        above, below = table.top, max(len(rows) - table.top - SHOWN_ROWS, 0)
        more = []
        if above:
            more.append(f"↑ {above} more")
        if below:
            more.append(f"↓ {below} more")
        tail = f"  ({', '.join(more)})" if more else ""
        return Content(f"Row {table.row + 1} of {len(rows)}: {asked} {said}{tail}")

    def initial_focus(self) -> Widget | None:
        return self.table

    def _show_where(self) -> None:
        self.query_one("#grid-where", Static).update(self._where())

    def on_grid_table_changed(self, event: GridTable.Changed) -> None:
        event.stop()
        self.note = ""
        self.save(self.table.answer.value())
        self._show_where()

    def on_grid_table_moved(self, event: GridTable.Moved) -> None:
        event.stop()
        self.note = ""
        self._show_where()

    def action_add_row(self) -> None:
        if not self.step.add_own:
            return
        full = self.step.full_of_own(self.table.answer)
        if full:
            self.note = full
            self._show_where()
            return
        self.add_class("-adding")
        box = self.query_one("#grid-add", LiteralInput)
        box.value = ""
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#grid-add", LiteralInput)
        label = " ".join(box.typed.split())
        problem = self.step.label_problem(label, self.table.answer)
        if problem:
            self.note = problem
            self._show_where()
            return
        self._close_box()
        self.table.add_row(label)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        """Leaving the box for a new row (Esc, Tab, a click) closes it; nothing is added.
        (StepView's own handler, which saves, runs too: Textual calls each class's.)"""
        if isinstance(event.widget, Input) and self.has_class("-adding"):
            self.remove_class("-adding")

    def _close_box(self) -> None:
        self.remove_class("-adding")
        self.note = ""
        self.table.focus()
        self._show_where()
