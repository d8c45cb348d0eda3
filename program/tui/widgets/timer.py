"""A timer step: a countdown with a progress bar that can be paused; rings the bell at the end.

Time is measured with a monotonic clock between ticks, so a slow frame never
stretches the countdown. When it runs to the end, `True` is saved under the step's id.
"""

from __future__ import annotations

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

TICK = 0.2


def clock_words(seconds: float) -> str:
    whole = max(round(seconds), 0)
    return f"{whole // 60}:{whole % 60:02d}"


class TimerView(StepView):
    DEFAULT_CSS = """
    TimerView {
        #timer-row {
            height: 3;
            margin-top: 1;
        }
        #timer-bar {
            width: auto;
            padding: 1 2;
        }
        #timer-left {
            width: 1fr;
            padding-top: 1;
        }
    }
    """

    def __init__(self, step: TimerStep, value: JSONValue, save: Save) -> None:
        super().__init__(value, save)
        self.step = step
        self.elapsed = float(step.seconds) if value is True else 0.0
        self.running = False
        self._last_tick = 0.0
        self._ticker: Timer | None = None
        self.button = Button("Start", id="timer-toggle", variant="primary")
        self.bar = ProgressBar(total=step.seconds, show_eta=False, id="timer-bar")

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
        self._last_tick = monotonic()
        self._ticker = self.set_interval(TICK, self._tick)
        self._show()

    def pause(self) -> None:
        self._tick()
        self.running = False
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._show()

    def _tick(self) -> None:
        if not self.running:
            return
        moment = monotonic()
        self.elapsed += moment - self._last_tick
        self._last_tick = moment
        if self.finished:
            self._finish()
        else:
            self._show()

    def _finish(self) -> None:
        self.running = False
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
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
            words, label = f"⏸ paused, {clock_words(left)} left", "Resume"
        else:
            words, label = f"{clock_words(left)}", "Start"
        self.button.label = label
        self.query_one("#timer-left", Static).update(Content(words))

    def on_unmount(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
