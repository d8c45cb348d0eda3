"""Styles cannot leak: how a screen looks never depends on which screens were opened before.

Textual makes a stylesheet global once it is loaded, so a rule written for one screen
(`.field-label` in Settings) used to restyle another (a plan step's labels) after the
first had been visited. Every screen and dialog is opened in turn, twice, in both
orders; each widget's computed style and size must be the same every time it is shown.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.color import Color
from textual.command import CommandPalette
from textual.css import stylesheet as stylesheet_module
from textual.css.model import SelectorType
from textual.css.parse import parse
from textual.css.tokenize import tokenize_values
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from program.tui.app import ReplenishApp
from program.tui.screens.help import HelpScreen
from program.tui.screens.journal import JournalScreen
from program.tui.screens.journey import JourneyScreen
from program.tui.screens.runner import ExerciseScreen
from program.tui.screens.set_aside import SetAsideScreen
from program.tui.screens.settings import SettingsScreen
from program.tui.screens.today import TodayScreen
from program.tui.screens.together import TogetherScreen
from program.tui.screens.unsaved import UnsavedScreen
from program.tui.screens.welcome import WelcomeScreen
from program.tui.widgets.journey_day import DayScreen
from tests.conftest import enrolled
from tests.tui.conftest import FIXED_NOW, SMALL, make_app, wait_for

Look = dict[str, tuple[tuple[str, ...], tuple[int, int]]]
"""Each widget on a screen (by its place in the tree) -> its computed CSS and its size."""


@dataclass(frozen=True)
class Visit:
    name: str
    kind: type[Screen[object]]
    open: Callable[[Pilot[None], ReplenishApp], Awaitable[object]]
    close: Callable[[Pilot[None], ReplenishApp], Awaitable[object]]


async def keys(pilot: Pilot[None], *pressed: str) -> None:
    await pilot.press(*pressed)


def press(*pressed: str) -> Callable[[Pilot[None], ReplenishApp], Awaitable[None]]:
    return lambda pilot, app: keys(pilot, *pressed)


async def pop(pilot: Pilot[None], app: ReplenishApp) -> None:
    app.pop_screen()


async def runner_at(app: ReplenishApp, exercise_id: str, step: int) -> None:
    app.open_exercise(exercise_id, 1, step)


async def unsaved(pilot: Pilot[None], app: ReplenishApp) -> None:
    app.push_screen(UnsavedScreen(lambda: None, "words", "The disk is full.", "~/words.txt"))


async def welcome(pilot: Pilot[None], app: ReplenishApp) -> None:
    app.push_screen(WelcomeScreen(app.service))


VISITS = (
    Visit("Today", TodayScreen, press("f2"), press("f2")),
    Visit("a scale step", ExerciseScreen, lambda p, a: runner_at(a, "check-in", 0), pop),
    Visit("a plan step", ExerciseScreen, lambda p, a: runner_at(a, "rest", 1), pop),
    Visit("a choice step", ExerciseScreen, lambda p, a: runner_at(a, "intake", 1), pop),
    Visit("Journey", JourneyScreen, press("f3"), press("f2")),
    Visit("a past day", DayScreen, press("f3", "enter"), press("escape", "f2")),
    Visit("Journal", JournalScreen, press("f4"), press("f2")),
    Visit("Settings", SettingsScreen, press("f5"), press("f2")),
    Visit("Together", TogetherScreen, press("ctrl+o"), press("f2")),
    Visit("Help", HelpScreen, press("f1"), press("escape")),
    Visit("set aside", SetAsideScreen, press("s"), press("escape")),
    Visit("unsaved words", UnsavedScreen, unsaved, pop),
    Visit("Welcome", WelcomeScreen, welcome, pop),
    Visit("command palette", CommandPalette, press("ctrl+p"), press("escape")),
)


def place(widget: Widget, screen: Screen[object]) -> str:
    """`TodayScreen/VerticalScroll#today-body/Static#heading`: stable between visits."""
    parts: list[str] = []
    node: Widget | None = widget
    while node is not None and node is not screen.parent:
        siblings = node.parent.children if isinstance(node.parent, Widget) else ()
        index = list(siblings).index(node) if node in siblings else 0
        parts.append(f"{type(node).__name__}#{node.id or index}")
        node = node.parent if isinstance(node.parent, Widget) else None
    return "/".join(reversed(parts))


def look_of(screen: Screen[object]) -> Look:
    widgets = [screen, *screen.walk_children(Widget)]
    return {
        place(widget, screen): (
            tuple(sorted(widget.styles.base.css_lines)),
            (widget.size.width, widget.size.height),
        )
        for widget in widgets
        if widget.display
    }


async def visit(pilot: Pilot[None], app: ReplenishApp, where: Visit) -> Look:
    await where.open(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, where.kind))
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    look = look_of(app.screen)
    await where.close(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    await pilot.pause()
    return look


async def every_screen(
    pilot: Pilot[None], app: ReplenishApp
) -> AsyncIterator[tuple[Visit, Screen[object]]]:
    """Each screen and dialog of VISITS in turn, open while the loop's body runs."""
    for where in VISITS:
        await where.open(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, where.kind))  # noqa: B023
        await pilot.pause()
        yield where, app.screen
        await where.close(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))


def changes(first: Look, later: Look) -> list[str]:
    lines: list[str] = []
    for widget in sorted(first.keys() & later.keys()):
        (css_before, size_before), (css_after, size_after) = first[widget], later[widget]
        if css_before != css_after or size_before != size_after:
            gone = sorted(set(css_before) - set(css_after))
            new = sorted(set(css_after) - set(css_before))
            lines.append(f"  {widget}: {size_before} -> {size_after}; lost {gone}; gained {new}")
    return lines


def started(data: Path) -> ReplenishApp:
    service = enrolled(data, SMALL, now=FIXED_NOW)
    service.close()
    return make_app(data, SMALL)


async def looks_stay_the_same(data: Path, order: tuple[Visit, ...]) -> list[str]:
    """Visit every screen in `order`, then all again: what changed on the second visit."""
    app = started(data)
    problems: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        first = [await visit(pilot, app, where) for where in order]
        for where, before in zip(order, first, strict=True):
            after = await visit(pilot, app, where)
            found = changes(before, after)
            if found:
                problems.append(f"{where.name} looks different after the other screens:")
                problems += found
    app.service.close()
    return problems


async def test_no_screen_changes_after_visiting_the_others(tmp_path: Path) -> None:
    """Both orders: a leak from a screen opened later shows in the first, from one opened
    earlier in the second."""
    problems = await looks_stay_the_same(tmp_path / "forward", VISITS)
    problems += await looks_stay_the_same(tmp_path / "backward", VISITS[::-1])
    assert not problems, "\n".join(problems)


async def test_a_plan_steps_labels_keep_one_line_after_settings(tmp_path: Path) -> None:
    """The case that was seen: Settings' `.field-label` (width 24, a row taller) used to
    restyle a plan step's "What" and "When" labels once Settings had been opened."""
    app = started(tmp_path / "data")
    plan_step = VISITS[2]
    async with app.run_test(size=(80, 24)) as pilot:
        await visit(pilot, app, VISITS[7])  # Settings
        await plan_step.open(pilot, app)
        await wait_for(pilot, lambda: bool(app.screen.query("#plan-what")))
        await pilot.pause()
        labels = [label for label in app.screen.query(".field-label") if label.display]
        assert len(labels) == 2
        for label in labels:
            assert label.outer_size.height == 1, label.styles.base.css_lines
            assert label.outer_size.width > 24, label.styles.base.css_lines
    app.service.close()


def our_styled_classes() -> list[type[DOMNode]]:
    """Every screen and widget class of the app that brings styles of its own."""
    import program.tui

    for module in pkgutil.walk_packages(program.tui.__path__, "program.tui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("program.tui") and (
            "DEFAULT_CSS" in cls.__dict__ or "CSS" in cls.__dict__ or "CSS_PATH" in cls.__dict__
        ):
            found.append(cls)
    return found


def test_every_rule_of_ours_is_nested_under_its_own_type() -> None:
    """What keeps the test above true for screens yet to be written: each class's rules
    sit in its DEFAULT_CSS under its own type name (Textual scopes only the last selector
    of a top-level `#a, #b` list, so the type comes first, always), and only the app
    loads a stylesheet by path."""
    classes = our_styled_classes()
    assert len(classes) >= 10
    variables = tokenize_values(BUILTIN_THEMES["textual-dark"].to_color_system().generate())
    for cls in classes:
        if cls is ReplenishApp:
            assert set(cls.__dict__) & {"CSS", "DEFAULT_CSS"} == set()
            continue
        assert "CSS" not in cls.__dict__ and "CSS_PATH" not in cls.__dict__, cls
        assert cls.__dict__.get("SCOPED_CSS", True), cls
        css = cls.__dict__["DEFAULT_CSS"]
        rules = list(parse(cls.__name__, css, ("", cls.__name__), variable_tokens=variables))
        assert rules, cls
        for rule in rules:
            assert not rule.errors, (cls, rule.errors)
            for selectors in rule.selector_set:
                first = selectors.selectors[0]
                assert (first.type, first.name) == (SelectorType.TYPE, cls.__name__), (
                    f"{cls.__name__}: {rule.css.splitlines()[0]} is not under {cls.__name__}"
                )


async def test_each_piece_of_css_is_parsed_once_per_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual parsed all of the CSS again on the first visit of each screen (twice for
    F3, F4 and F5, once for every dialog: about 50 to 135 pieces each time); now a piece
    is parsed once, when it is first needed, and again only for a new theme. (A piece
    whose priority changes, when a subclass of its widget first appears, is a new one.)"""
    parsed: list[tuple[str, str, object]] = []
    real_parse = stylesheet_module.parse

    def counted(scope: str, css: str, *args: object, **kwargs: object) -> object:
        parsed.append((scope, css, kwargs.get("tie_breaker")))
        return real_parse(scope, css, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stylesheet_module, "parse", counted)
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        for where in VISITS:
            await visit(pilot, app, where)
        again = [
            scope or css.split()[0]
            for scope, css, tie in parsed
            if parsed.count((scope, css, tie)) > 1
        ]
        assert not again, f"parsed more than once: {sorted(set(again))}"
        pieces = len(parsed)
        app.theme = "textual-light"
        await wait_for(pilot, lambda: len(parsed) > pieces)  # a new theme: parsed again
    app.service.close()


async def test_a_new_theme_restyles_every_screen(tmp_path: Path) -> None:
    """Rules kept between visits must still follow the theme: screens opened before the
    change (in other modes, and pushed ones) show its colours when next shown."""
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        looks = {where.name: await visit(pilot, app, where) for where in VISITS[:8]}
        app.theme = "textual-light"
        await pilot.pause()
        for where in VISITS[:8]:
            after = await visit(pilot, app, where)
            assert changes(looks[where.name], after), f"{where.name} kept the old theme"
            await where.open(pilot, app)
            await wait_for(pilot, lambda: isinstance(app.screen, where.kind))  # noqa: B023
            await pilot.pause()
            light = app.get_css_variables()["background"]
            assert app.screen.styles.background == Color.parse(light), where.name
            await where.close(pilot, app)
            await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    app.service.close()


async def test_a_return_to_a_screen_does_not_restyle_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F2-F5 back to a screen seen before applied the whole stylesheet to each of its
    widgets again (Textual's ScreenResume), about 40% of the key; the screen is styled
    already, so a return restyles only what changes (the focus). The looks tests above
    check that it still looks the same."""
    app = started(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        for where in (VISITS[4], VISITS[6], VISITS[7]):  # Journey, Journal, Settings
            await visit(pilot, app, where)
        styled: list[DOMNode] = []
        real_update = app.stylesheet.update_nodes

        def counted(nodes: Iterable[DOMNode], animate: bool = False) -> None:
            nodes = list(nodes)
            styled.extend(nodes)
            real_update(nodes, animate=animate)

        monkeypatch.setattr(app.stylesheet, "update_nodes", counted)
        for key, kind in (("f3", JourneyScreen), ("f4", JournalScreen), ("f5", SettingsScreen),
                          ("f2", TodayScreen)):  # fmt: skip
            styled.clear()
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, kind))  # noqa: B023
            await pilot.pause()
            widgets = len(list(app.screen.walk_children()))
            assert len(styled) < widgets / 4, f"{kind.__name__}: {len(styled)} of {widgets}"
    app.service.close()
