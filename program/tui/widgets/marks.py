"""Ticked or not, chosen or not, in the characters themselves: never by colour alone.

Textual draws every checkbox, radio button and selection-list item as `▐X▌` or `▐●▌`,
ticked or not; only the mark's colour differs, which NO_COLOR, a monochrome terminal
and a screen reader all lose. These draw `[x]` / `[ ]` and `(•)` / `( )` instead, in
the same three cells and with the same styles.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.selection_list import SelectionType

TICKED, UNTICKED = "[x]", "[ ]"
CHOSEN, UNCHOSEN = "(•)", "( )"


def _marked(button: Checkbox | RadioButton, mark: str) -> Content:
    """The button drawn as `mark` then its label, as Textual lays a toggle button out."""
    label = button.label.pad(1, 1).stylize_before(button.get_visual_style("toggle--label"))
    return Content.assemble((mark, button.get_visual_style("toggle--button")), label)


class Tick(Checkbox):
    """A checkbox that reads `[x]` when ticked and `[ ]` when not."""

    def render(self) -> Content:
        return _marked(self, TICKED if self.value else UNTICKED)


class Pick(RadioButton):
    """A radio button that reads `(•)` when chosen and `( )` when not."""

    def render(self) -> Content:
        return _marked(self, CHOSEN if self.value else UNCHOSEN)


class TickList(SelectionList[SelectionType]):
    """A selection list whose items read `[x]` when ticked and `[ ]` when not.

    Textual's line is kept as it is drawn (styles, the option each cell belongs to for
    clicks) and only its three mark characters are replaced; the brackets take the
    line's own colours, so they are as readable as the words beside them.
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 4 or segments[0].text != Checkbox.BUTTON_LEFT:
            return line
        left, inner, _, gap, *rest = segments
        index = inner.style.meta.get("option") if inner.style else None
        if not isinstance(index, int):
            return line
        ticked = self.get_option_at_index(index).value in self.selected
        mark = TICKED if ticked else UNTICKED
        bracket = (gap.style or Style()) + Style.from_meta(left.style.meta if left.style else {})
        return Strip(
            [
                Segment(mark[0], bracket),
                Segment(mark[1], inner.style),
                Segment(mark[2], bracket),
                gap,
                *rest,
            ],
            line.cell_length,
        )
