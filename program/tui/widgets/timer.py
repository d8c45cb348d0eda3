"""A timer step: a countdown with a progress bar that can be paused; rings the bell at the end.

Time is read from a monotonic clock (`clock`, injectable so tests need not wait for
real seconds), so a slow frame never stretches the countdown. The screen changes once
a second, on the second the countdown shows, and not more often: each change is news
to a screen reader. When it runs to the end, `True` is saved under the step's id.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from time import monotonic

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Markdown, ProgressBar, Static

from program.content.model import TimerStep
from program.tui.widgets.base import Save, StepView
from state import JSONValue

Clock = Callable[[], float]
"""Seconds from some fixed moment, never going back (time.monotonic)."""

EARLY = 0.002
"""Seconds a tick may come before its moment and still count as on time."""


def clock_words(seconds: float) -> str:
    """`4:05` for what a countdown shows: whole seconds, rounded up (0:01 until it is over;
    a tick a moment early still shows the second it was meant for)."""
    whole = max(math.ceil(seconds - EARLY), 0)
    return f"{whole // 60}:{whole % 60:02d}"


def until_next_second(left: float) -> float:
    """Seconds until the countdown's shown second changes (at most 1)."""
    fraction = left - math.floor(left)
    return fraction if fraction > EARLY else 1.0


class TimerView(StepView):
    DEFAULT_CSS = """
    TimerView {
        #timer-row {
            height: 3;
            margin-top: 1;
        }
        #timer-bar {
            width: 1fr;
            height: 1;
            margin: 1 0 0 2;
        }
        #timer-bar Bar {
            width: 1fr;
        }
        #timer-left {
            margin-top: 1;
        }
    }
    """

    def __init__(
        self, step: TimerStep, value: JSONValue, save: Save, clock: Clock = monotonic
    ) -> None:
        super().__init__(value, save)
        self.step = step
        self.clock = clock
        self.elapsed = float(step.seconds) if value is True else 0.0
        self.running = False
        self._last_tick = 0.0
        self._ticker: Timer | None = None
        self.button = Button("Start", id="timer-toggle", variant="primary")
        self.bar = ProgressBar(
            total=step.seconds, show_eta=False, show_percentage=False, id="timer-bar"
        )

    @property
    def finished(self) -> bool:
        return self.elapsed >= self.step.seconds

    def compose(self) -> ComposeResult:
        yield Static(Content(self.step.label), classes="step-prompt")
        if self.step.text:
            yield Markdown(self.step.text, classes="step-text")
        with Horizontal(id="timer-row"):
            yield self.button
            yield self.bar
        yield Static(id="timer-left")

    def on_mount(self) -> None:
        self._show()

    def initial_focus(self) -> Widget | None:
        return self.button

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button is not self.button:
            return
        event.stop()
        if self.finished:
            self.elapsed = 0.0  # once more, from the start
        if self.running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        self.running = True
        self._last_tick = self.clock()
        self._show()
        self._tick_soon()

    def pause(self) -> None:
        self._tick()
        self._stop_ticking()
        self.running = False
        self._show()

    def _tick_soon(self) -> None:
        """The next tick, when the countdown's shown second changes."""
        left = self.step.seconds - self.elapsed
        self._ticker = self.set_timer(until_next_second(left), self._tick)

    def _stop_ticking(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        if not self.running:
            return
        moment = self.clock()
        self.elapsed += moment - self._last_tick
        self._last_tick = moment
        if self.finished:
            self._finish()
        else:
            self._show()
            self._tick_soon()

    def _finish(self) -> None:
        self._stop_ticking()
        self.running = False
        self.elapsed = float(self.step.seconds)
        self.app.bell()
        self.save(True)
        self._show()

    def _show(self) -> None:
        self.bar.update(progress=min(self.elapsed, self.step.seconds))
        left = self.step.seconds - self.elapsed
        if self.finished:
            words, label = "✓ Time is up. Well done.", "Again"
        elif self.running:
            words, label = f"▶ {clock_words(left)} left", "Pause"
        elif self.elapsed > 0:
            words, label = f"⏸ Paused, {clock_words(left)} left", "Resume"
        else:
            words, label = f"{clock_words(left)}, not started yet", "Start"
        self.button.label = label
        self.query_one("#timer-left", Static).update(Content(words))

    def on_unmount(self) -> None:
        self._stop_ticking()
