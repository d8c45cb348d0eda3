"""Themes by the names people read ("Tokyo Night", not `tokyo-night`), and the palette's
list of them. Whichever way a theme is chosen (Settings, the palette, the light/dark
toggle), the app keeps it in the settings (`ReplenishApp._theme_chosen`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

BASIC_THEMES = ("textual-dark", "textual-light")
"""Listed first: the app's own dark and light."""

TITLES = {
    "textual-dark": "Dark",
    "textual-light": "Light",
    "ansi-dark": "Terminal colours, dark",
    "ansi-light": "Terminal colours, light",
}


def theme_title(name: str) -> str:
    """`tokyo-night` -> `Tokyo Night`; the app's own two are Dark and Light."""
    return TITLES.get(name) or " ".join(word.capitalize() for word in name.split("-"))


def ordered(names: Iterable[str]) -> list[str]:
    """The app's dark and light first, then the others by name."""
    available = set(names)
    return [name for name in BASIC_THEMES if name in available] + sorted(
        available - set(BASIC_THEMES), key=theme_title
    )


class ThemeChoices(Provider):
    """The palette's list of themes, by their readable names (Textual's shows `nord`)."""

    def _choices(self) -> list[tuple[str, Callable[[], None]]]:
        def choose(name: str) -> None:
            self.app.theme = name

        return [
            (theme_title(name), partial(choose, name))
            for name in ordered(self.app.available_themes)
        ]

    async def discover(self) -> Hits:
        for title, callback in self._choices():
            yield DiscoveryHit(title, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback in self._choices():
            if (match := matcher.match(title)) > 0:
                yield Hit(match, matcher.highlight(title), callback)
