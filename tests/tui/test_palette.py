"""The command palette offers nothing that writes the user's words where others can read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandList, CommandPalette

from program.tui.app import ReplenishApp
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, wait_for


def reflection_on_screen(data: Path, words: str) -> ReplenishApp:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.save_answer("check-in", 1, "words", words)
    service.set_position("check-in", 1, 2)
    service.close()
    return make_app(data, SMALL)


def listed(app: ReplenishApp) -> list[str]:
    """What the palette's list shows now, one entry per line of text."""
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_palette_has_no_screenshot_and_no_action_writes_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's built-in Screenshot wrote an SVG of the screen, a reflection on it, 0644
    into ~/Downloads; nothing in the app may write one, by palette, action or key."""
    home = tmp_path / "user"
    downloads = home / "Downloads"
    downloads.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = reflection_on_screen(tmp_path / "data", "what I never told anyone")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Export answers")  # the list is read right: a real entry shows
        await wait_for(pilot, lambda: any("Export answers" in entry for entry in listed(app)))
        await pilot.press("ctrl+a", "ctrl+k", *"Screenshot")
        await wait_for(
            pilot,
            lambda: all("Export" not in entry for entry in listed(app))
            and bool(listed(app))
            and not app.screen.query_one(CommandList).has_class("--populating"),
        )
        await app.workers.wait_for_complete()
        assert not [entry for entry in listed(app) if "screenshot" in entry.lower()]
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" in titles
        assert not [title for title in titles if "screenshot" in title.lower()]
        # Nothing else takes one either: the action (as a key binding or a link would
        # call it) and the delivery method write nothing, anywhere.
        await app.run_action("screenshot")
        assert app.deliver_screenshot() is None
        await pilot.pause(0.3)
    app.service.close()
    assert list(downloads.iterdir()) == []
    assert not list(tmp_path.rglob("*.svg"))


def ours(node: object, binding: Binding) -> bool:
    """A binding the app's own code declares (not Textual's Tab, ctrl+p, ctrl+q)."""
    return any(
        (binding.key, binding.action) in {(b.key, b.action) for b in vars(cls).get("BINDINGS", ())}
        for cls in type(node).__mro__
        if cls.__module__.startswith("program.")
    )


async def test_every_action_of_every_screen_has_a_palette_entry(tmp_path: Path) -> None:
    """The palette offered the app's screens and a few actions, but not Set aside, Back,
    Next, Search or Open day: every bound action of the app and of the screen it was
    opened from is an entry now, under the words the footer and Help use."""
    from tests.tui.test_styles import every_screen, started

    app = started(tmp_path / "data")
    missing: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        async for where, screen in every_screen(pilot, app):
            offered = {command.title for command in app.get_system_commands(screen)}
            for active in screen.active_bindings.values():
                binding = active.binding
                if active.node not in (app, screen) or not ours(active.node, binding):
                    continue
                if binding.action.startswith(("app.open_mode", "open_mode")):
                    wanted = binding.description  # Today, Journey...: the app's entries
                elif binding.action.endswith("pause_or_resume"):
                    wanted = "Resume the plan" if "Resume" in offered else "Pause the plan"
                else:
                    wanted = binding.description
                if wanted not in offered and binding.key != "escape":
                    missing.append(f"{where.name}: {binding.description} ({binding.key})")
    app.service.close()
    assert not missing, missing


async def test_next_from_the_palette_moves_on_a_step(tmp_path: Path) -> None:
    service = enrolled(tmp_path / "data", SMALL, now=FIXED_NOW)
    service.set_position("check-in", 1, 0)
    service.close()
    app = make_app(tmp_path / "data", SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#scale")))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Next")
        await wait_for(pilot, lambda: any(entry.startswith("Next") for entry in listed(app)))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "Step 2 of 3" in str(app.screen.query_one("#runner-progress").render())
        )
    app.service.close()
