"""Help: the keys of the screen it was opened from, and where to find real support.

The key list is generated from the live bindings, so it can never drift from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Markdown, Static

from program.tui.widgets.dialog import ReadingDialog
from program.tui.widgets.reading import ReadingScroll

DANGER = "If you are in danger, contact your local emergency number."


def key_lines(app: App[object], bindings: Mapping[str, ActiveBinding]) -> list[tuple[str, str]]:
    """(keys, what they do) for the bindings a person would look for, without repeats; a
    binding's tooltip (what the footer has no room for) follows on a line of its own."""
    keys_for: dict[str, list[str]] = {}
    notes: dict[str, str] = {}
    for active in bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        if not (binding.show or isinstance(active.node, App | Screen)):
            continue  # a widget's own hidden keys (cursor moves) are not news
        keys = keys_for.setdefault(binding.description, [])
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
        if binding.tooltip:
            notes.setdefault(binding.description, binding.tooltip)
    lines: list[tuple[str, str]] = []
    for description, keys in keys_for.items():
        lines.append((", ".join(keys), description))
        if description in notes:
            lines.append(("", notes[description]))
    return lines


class HelpScreen(ReadingDialog):
    DEFAULT_CSS = """
    HelpScreen {
        #help {
            width: 76;
            height: 90%;
            padding: 0 2;
        }
        #danger {  /* first, and impossible to miss: bold and framed, not colour alone */
            text-style: bold;
            border: heavy $error;
            padding: 0 1;
            margin-top: 1;
        }
        .help-heading {
            text-style: bold underline;
            margin-top: 1;
        }
        #close-help {
            margin: 1 0;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
    ]

    def __init__(self, support: str, bindings: Mapping[str, ActiveBinding]) -> None:
        super().__init__()
        self.support = support
        self.bindings = dict(bindings)

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="help", classes="dialog"):
            yield Static(Content(DANGER), id="danger")
            yield Static(Content("Keys"), classes="help-heading")
            yield Static(self._keys(), id="help-keys")
            yield Static(Content("Support outside Replenish"), classes="help-heading")
            yield Markdown(self.support or "Replenish is not therapy.", id="support")
            yield Button("Close", id="close-help")

    def _keys(self) -> Content:
        rows = key_lines(self.app, self.bindings)
        width = max((len(keys) for keys, _ in rows), default=0)
        return Content("\n").join(
            Content.assemble((keys.ljust(width), "bold"), "  ", description)
            for keys, description in rows
        )

    def on_mount(self) -> None:
        """The keys and support to read, scrolled with the arrows (Close when it all fits)."""
        self.call_after_refresh(self.focus_reading, "#help", "#close-help")
