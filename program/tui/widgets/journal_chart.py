"""The daily check-in scores over the weeks: one labelled bar chart per scale, with words.

Bars alone say nothing to a screen reader or in monochrome, so every chart also says
the latest score, the lowest and highest, and over how many days, in plain words.
The bars stand on the scale's own range (0 to 10 is the full height, not the lowest
to the highest score so far: a single day of 3 drew a full-height bar).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from program.journal import TWO_VIEWS, CheckinScale, SharedScale
from program.tui.literal import shown

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom in eighths: none to full."""

MAX_BAR_WIDTH = 3
"""Columns a day's bar takes at most when few days are shown."""


def describe(scale: CheckinScale, points: list[tuple[int, int]]) -> str:
    """The series in words: the latest score, the lowest and highest, over how many days."""
    if not points:
        return "No scores yet: the daily check-in adds one each day."
    values = [value for _, value in points]
    first_day, last_day = points[0][0], points[-1][0]
    last = points[-1][1]
    low, high = min(values), max(values)
    days = len(points)
    latest = f"Latest {last} (day {last_day}), on a scale of {scale.low} to {scale.high}."
    if days == 1:
        return f"{latest} One day answered so far."
    spread = (
        f"the scores ranged from {low} to {high} (lowest to highest)"
        if low != high
        else f"every score was {low}"
    )
    return (
        f"{latest} Across the {days} days you answered, {spread}. "
        f"Bars run from day {first_day} (left) to day {last_day} (right); "
        f"a full bar is {scale.high}."
    )


def _mean(values: Sequence[float]) -> float:
    """Each bar is the average of the days it covers: a long plan is squeezed, not cherry-picked."""
    return sum(values) / len(values) if values else 0.0


def columns(values: Sequence[float], width: int) -> list[float]:
    """One value per column: each day a bar of up to MAX_BAR_WIDTH columns, or, with more
    days than columns, each column the average of the days it covers."""
    if not values or width <= 0:
        return []
    if len(values) <= width:
        repeat = max(1, min(MAX_BAR_WIDTH, width // len(values)))
        return [value for value in values for _ in range(repeat)]
    step = Fraction(len(values), width)
    return [
        _mean(values[int(step * column) : int(step * (column + 1))]) for column in range(width)
    ]


class ScaleBars:
    """`values` as bars from `low` (empty) to `high` (full height), `height` lines tall.

    Every answered day shows at least a sliver, so a day of `low` is still seen as
    answered; the words under the chart give the numbers."""

    def __init__(
        self, values: Sequence[float], low: int, high: int, height: int, style: Style
    ) -> None:
        self.values = values
        self.low = low
        self.high = high
        self.height = max(height, 1)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        shown = columns(self.values, width)
        extent = (self.high - self.low) or 1
        cells = self.height * 8
        levels = [
            max(1, min(cells, round((value - self.low) / extent * cells))) for value in shown
        ]
        for row in reversed(range(self.height)):
            line = "".join(EIGHTHS[max(0, min(8, level - row * 8))] for level in levels)
            yield Segment(line.ljust(width), self.style)
            if row:
                yield Segment.line()


class ScaleSparkline(Sparkline):
    """Textual's sparkline scales from the lowest to the highest value shown; this one
    draws on the scale's own range (`low` to `high`)."""

    def __init__(self, values: Sequence[float], low: int, high: int, classes: str = "") -> None:
        super().__init__(values, summary_function=_mean, classes=classes)
        self.low = low
        self.high = high

    def render(self) -> ScaleBars:
        style = self.get_component_rich_style("sparkline--max-color")
        return ScaleBars(list(self.data or []), self.low, self.high, self.size.height, style)


def describe_both(shared: SharedScale) -> str:
    """The two lines in words: on how many days both are in, and each one's latest."""
    days = len(shared.days)
    on, mine, theirs = shared.days[-1]
    return (
        f"On the {days} day{'s' if days != 1 else ''} you both checked in. "
        f"Latest ({on:%a %d %b}): you {mine}, {shared.partner} {theirs}. {TWO_VIEWS}"
        + (f" {shared.entered_words}" if shared.entered else "")
    )


class ScaleChart(Vertical):
    """One scale: its question, the sparkline, and the words; with a partner who shares it,
    both lines too, on the days both are in."""

    def __init__(
        self,
        scale: CheckinScale,
        points: list[tuple[int, int]],
        shared: SharedScale | None = None,
    ) -> None:
        super().__init__(classes="scale-chart")
        self.scale = scale
        self.points = points
        self.shared = shared if shared is not None and shared.days else None

    def compose(self) -> ComposeResult:
        ends = ""
        if self.scale.low_label or self.scale.high_label:
            ends = f" ({self.scale.low} {self.scale.low_label} … {self.scale.high} "
            ends = f"{ends}{self.scale.high_label})".replace("  ", " ")
        yield Static(
            Content.assemble(shown(self.scale.label, "bold"), shown(ends, "$text-muted")),
            classes="scale-label",
        )
        yield ScaleSparkline(
            [float(value) for _, value in self.points],
            self.scale.low,
            self.scale.high,
            classes="scale-sparkline",
        )
        yield Static(shown(describe(self.scale, self.points)), classes="scale-words")
        if self.shared is None:
            return
        for who, values in (
            ("You", [mine for _, mine, _ in self.shared.days]),
            (self.shared.partner, [theirs for _, _, theirs in self.shared.days]),
        ):
            yield Static(shown(who), classes="scale-who")
            yield ScaleSparkline(
                [float(value) for value in values],
                self.scale.low,
                self.scale.high,
                classes="scale-sparkline-both",
            )
        yield Static(shown(describe_both(self.shared)), classes="scale-words")


class CheckinChart(Vertical):
    """Empty until the screen has painted; then filled once with every scale."""

    DEFAULT_CSS = """
    CheckinChart {
        height: auto;
        min-height: 5;

        .scale-chart {
            height: auto;
            margin-bottom: 1;
        }
        .scale-label {
            height: auto;
        }
        .scale-sparkline {
            height: 3;
        }
        .scale-words {
            height: auto;
            color: $text-muted;
        }
        .scale-who {
            height: auto;
            margin-top: 1;
        }
        .scale-sparkline-both {
            height: 2;
        }
    }
    """

    async def show(
        self,
        scales: tuple[CheckinScale, ...],
        series: dict[str, list[tuple[int, int]]],
        shared: tuple[SharedScale, ...] = (),
    ) -> None:
        """Replace whatever is shown with one chart per scale; done when they are mounted."""
        await self.remove_children()
        if not scales:
            await self.mount(
                Static("This program has no daily scale to chart.", classes="scale-words")
            )
            return
        both = {found.key: found for found in shared}
        await self.mount_all(
            ScaleChart(scale, series.get(scale.key, []), both.get(scale.key)) for scale in scales
        )
