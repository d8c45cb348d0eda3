"""Helpers for app tests: a fixed clock, an app over a temporary store, bounded waiting."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from program.service import Replenish
from program.tui.app import ReplenishApp
from tests.conftest import BUNDLED, SMALL, open_service

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""A Monday morning: every test sees the same day."""


def make_service(
    data: Path, program: Path = BUNDLED, now: Callable[[], datetime] = lambda: FIXED_NOW
) -> Replenish:
    """The service an app test runs on (`tests.conftest.open_service`), on the fixed clock."""
    return open_service(data, program, now)


def make_app(
    data: Path, program: Path = BUNDLED, now: Callable[[], datetime] = lambda: FIXED_NOW
) -> ReplenishApp:
    return ReplenishApp(make_service(data, program, now))


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Poll until `condition` holds; a slow machine makes this slower, not red."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.05)


async def held_still(pilot: Pilot[None], timeout: float = 10.0) -> None:
    """Stop every cursor blinking, then wait until the picture holds still (the same in
    two looks a little apart): on a loaded machine a footer, a tab's underline or a
    notice can come a frame or two after the rest, and a snapshot must not race them."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen = None
    while True:
        await pilot.pause(0.05)
        now = pilot.app.export_screenshot()
        if now == seen:
            return
        if loop.time() > deadline:
            raise AssertionError(f"the screen kept changing for {timeout} s")
        seen = now


class Host(App[None]):
    """The smallest app that shows one screen, so a screen is tested on its own."""

    def __init__(self, make: Callable[[], Screen[object]]) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def drawn_text(widget: Widget) -> str:
    """Every character the widget draws in its visible region, line by line."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def screen_text(app: ReplenishApp) -> str:
    """Every character on screen now, as plain text (what a person would read)."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, color_system=None, file=io.StringIO())
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


__all__ = ["BUNDLED", "FIXED_NOW", "SMALL", "make_app", "make_service", "screen_text", "wait_for"]
