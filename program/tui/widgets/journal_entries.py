"""The list of reflections: one option per entry, pages appended as the reader nears the end."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from program.journal import JournalEntry
from program.tui.literal import shown


def entry_content(entry: JournalEntry) -> Content:
    """Day, date and exercise on one line, the prompt under it, then the words as written."""
    when = f"Day {entry.day}"
    if entry.date is not None:
        when += f" · {entry.date:%a %d %b %Y}"
    return Content.assemble(
        (when, "bold"),
        " · ",
        shown(entry.exercise_title, "bold"),
        "\n",
        shown(entry.prompt, "italic $text-muted"),
        "\n",
        shown(entry.text),
    )


class JournalEntries(OptionList):
    """Reflections, latest first; the screen adds pages, this only draws them."""

    def show(self, entries: list[JournalEntry], *, replace: bool) -> None:
        options: list[Option | None] = []
        for entry in entries:
            if options or (not replace and self.option_count):
                options.append(None)
            options.append(Option(entry_content(entry)))
        if replace:
            self.set_options(options)
            if options:
                self.highlighted = 0
        else:
            self.add_options(options)
