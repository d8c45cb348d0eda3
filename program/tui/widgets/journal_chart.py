"""The daily check-in scores over the weeks: one labelled sparkline per scale, with words.

Bars alone say nothing to a screen reader or in monochrome, so every line also
says the latest score, the range and the number of days in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from program.journal import CheckinScale
from program.tui.literal import shown


def describe(scale: CheckinScale, points: list[tuple[int, int]]) -> str:
    """The series in words: latest score, lowest and highest, and over how many days."""
    if not points:
        return "No scores yet: the daily check-in adds one each day."
    values = [value for _, value in points]
    last_day, last = points[-1]
    low, high = min(values), max(values)
    days = len(points)
    span = f"from {low} to {high}" if low != high else f"always {low}"
    return (
        f"Latest {last} (day {last_day}), on a scale of {scale.low} to {scale.high}. "
        f"Over {days} day{'s' if days != 1 else ''} it went {span}. "
        f"Bars run from day {points[0][0]} (left) to day {last_day} (right)."
    )


def _mean(values: Sequence[float]) -> float:
    """Each bar is the average of the days it covers: a long plan is squeezed, not cherry-picked."""
    return sum(values) / len(values) if values else 0.0


class ScaleChart(Vertical):
    """One scale: its question, the sparkline, and the words."""

    def __init__(self, scale: CheckinScale, points: list[tuple[int, int]]) -> None:
        super().__init__(classes="scale-chart")
        self.scale = scale
        self.points = points

    def compose(self) -> ComposeResult:
        ends = ""
        if self.scale.low_label or self.scale.high_label:
            ends = f" ({self.scale.low} {self.scale.low_label} … {self.scale.high} "
            ends = f"{ends}{self.scale.high_label})".replace("  ", " ")
        yield Static(
            Content.assemble(shown(self.scale.label, "bold"), shown(ends, "$text-muted")),
            classes="scale-label",
        )
        yield Sparkline(
            [float(value) for _, value in self.points],
            summary_function=_mean,
            classes="scale-sparkline",
        )
        yield Static(shown(describe(self.scale, self.points)), classes="scale-words")


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
    }
    """

    async def show(
        self, scales: tuple[CheckinScale, ...], series: dict[str, list[tuple[int, int]]]
    ) -> None:
        """Replace whatever is shown with one chart per scale; done when they are mounted."""
        await self.remove_children()
        if not scales:
            await self.mount(
                Static("This program has no daily scale to chart.", classes="scale-words")
            )
            return
        await self.mount_all(ScaleChart(scale, series.get(scale.key, [])) for scale in scales)
