"""The Journal: its queries (program/journal.py) on many answers, and the screen in a Pilot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, Sparkline

from program import journal
from program.content import load_program
from program.service import Replenish
from program.tui.screens.journal import JournalScreen
from program.tui.widgets import journal_entries
from program.tui.widgets.journal_entries import JournalEntries
from state import Store
from tests.tui.conftest import Host, drawn_text, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = ROOT / "modules"
START = date(2025, 3, 3)
NOW = datetime(2025, 4, 10, 12, 0, tzinfo=UTC)  # day 39 of the bundled plan
HOSTILE = "[bold]x[/] $HOME \x1b[31m"


def long_program(folder: Path, days: int) -> Path:
    """A program of `days` days with a daily check-in (two scales, a reflection) and a plan."""
    folder.mkdir(parents=True)
    (folder / "program.toml").write_text(
        f'id = "long"\ntitle = "Long"\ndays = {days}\n', encoding="utf-8"
    )
    (folder / "daily.toml").write_text(
        """id = "daily"
title = "Every day"
summary = "A check-in."

[[exercise]]
id = "check-in"
title = "Daily check-in"
daily = true
minutes = 2

  [[exercise.step]]
  kind = "scale"
  id = "energy"
  prompt = "Energy?"

  [[exercise.step]]
  kind = "reflect"
  id = "noticed"
  prompt = "What did you notice?"

[[exercise]]
id = "next"
title = "Next step"
days = [2, 5]
minutes = 2

  [[exercise.step]]
  kind = "plan"
  id = "when"
  prompt = "When?"
""",
        encoding="utf-8",
    )
    return folder


def open_service(tmp_path: Path, program_dir: Path = BUNDLED, now: datetime = NOW) -> Replenish:
    service = Replenish(load_program(program_dir), Store.open(tmp_path / "data"), now=lambda: now)
    service.start(on=START)
    return service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Replenish]:
    opened = open_service(tmp_path)
    yield opened
    opened.close()


def entry_texts(screen: JournalScreen) -> list[str]:
    entries = screen.query_one(JournalEntries)
    return [str(entries.get_option_at_index(index).prompt) for index in range(entries.option_count)]


# ----------------------------------------------------------------- the queries


def test_reflections_page_through_many_days_without_gaps_or_repeats(tmp_path: Path) -> None:
    days = 730
    service = open_service(tmp_path, long_program(tmp_path / "long", days), NOW + timedelta(700))
    for day in range(1, days + 1):
        service.save_answer("check-in", day, "energy", day % 11)
        service.save_answer("check-in", day, "noticed", f"note for day {day}")
    service.save_answer("next", 2, "when", {"what": "A walk", "when": "Sunday"})
    seen: list[tuple[int, str]] = []
    offset = 0
    while page := journal.reflections(service, "", limit=100, offset=offset):
        assert len(page) <= 100
        seen += [(entry.day, entry.prompt) for entry in page]
        offset += len(page)
    assert len(seen) == days + 1
    assert len(set(seen)) == len(seen), "no entry twice"
    assert [day for day, _ in seen] == sorted([*range(1, days + 1), 2], reverse=True)
    plan_entry = journal.reflections(service, "walk")
    assert [(e.day, e.exercise_title, e.prompt, e.text) for e in plan_entry] == [
        (2, "Next step", "When?", "A walk\nWhen: Sunday")
    ]
    found = journal.reflections(service, "DAY 7", limit=5)
    assert [e.day for e in found] == [730, 729, 728, 727, 726]
    rest = journal.reflections(service, "day 7", limit=100, offset=5)
    assert [e.day for e in found + rest] == sorted(
        (d for d in range(1, days + 1) if f"{d}".startswith("7")), reverse=True
    )
    service.close()


def test_entries_carry_the_date_each_day_began_even_across_a_pause(tmp_path: Path) -> None:
    clock = [datetime(2025, 3, 7, 12, 0, tzinfo=UTC)]  # day 5
    service = Replenish(load_program(BUNDLED), Store.open(tmp_path / "data"), now=lambda: clock[0])
    service.start(on=START)
    service.pause()  # paused on day 5 (7 March)
    clock[0] = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
    service.resume()  # resumed 12 March: day 6
    service.save_answer("check-in", 4, "words", "before the pause")
    service.save_answer("check-in", 6, "words", "after the pause")
    entries = journal.reflections(service)
    assert [(e.day, e.date) for e in entries] == [(6, date(2025, 3, 12)), (4, date(2025, 3, 6))]
    assert entries[0].exercise_title == "Daily check-in"
    service.close()


def test_checkin_series_and_workload_rows(service: Replenish) -> None:
    assert [scale.key for scale in journal.checkin_scales(service.program)] == [
        "energy",
        "closeness",
    ]
    for day, (energy, closeness) in enumerate([(3, 5), (4, 6), (7, 2)], start=1):
        service.save_answer("check-in", day, "energy", energy)
        service.save_answer("check-in", day, "closeness", closeness)
    service.save_answer("check-in", 4, "energy", "not a number")  # ignored, never a crash
    assert journal.checkin_series(service) == {
        "energy": [(1, 3), (2, 4), (3, 7)],
        "closeness": [(1, 5), (2, 6), (3, 2)],
    }
    service.save_answer("task-inventory", 16, "balance", "A bit uneven")
    service.save_answer("invisible-work", 15, "load-weight", 8)
    service.save_answer("invisible-work", 15, "reflect-ignored", "not a workload row")
    rows = journal.workload_rows(service)
    assert [(row.day, row.exercise_title, row.answer) for row in rows] == [
        (15, "The work nobody sees", "8"),
        (16, "Mapping the load", "A bit uneven"),
    ]


def test_the_workload_view_shows_the_steps_that_declare_it_wherever_they_are(
    tmp_path: Path,
) -> None:
    """No module id is special: steps say `view = "workload"`, in any module."""
    folder = tmp_path / "chores-program"
    folder.mkdir()
    (folder / "program.toml").write_text('id = "c"\ntitle = "C"\ndays = 7\n', encoding="utf-8")
    (folder / "chores.toml").write_text(
        """id = "chores"
title = "Chores"
summary = "Who does what."

[[exercise]]
id = "map"
title = "The map"
day = 1
minutes = 3

  [[exercise.step]]
  kind = "checklist"
  id = "mine"
  view = "workload"
  prompt = "Which do you do?"
  items = ["Cooking", "Bills"]

  [[exercise.step]]
  kind = "checklist"
  id = "private"
  prompt = "Not for the table"
  items = ["A", "B"]

  [[exercise.step]]
  kind = "reflect"
  id = "words"
  view = "workload"
  prompt = "In your words?"
""",
        encoding="utf-8",
    )
    service = open_service(tmp_path, folder)
    service.save_answer("map", 1, "mine", ["Bills"])
    service.save_answer("map", 1, "private", ["A"])
    service.save_answer("map", 1, "words", "Mostly me.")
    rows = journal.workload_rows(service)
    assert [(row.day, row.exercise_title, row.prompt, row.answer) for row in rows] == [
        (1, "The map", "Which do you do?", "Bills"),
        (1, "The map", "In your words?", "Mostly me."),
    ]
    service.close()


# ----------------------------------------------------------------- the screen


async def test_search_as_you_type_narrows_and_clearing_restores(service: Replenish) -> None:
    for day, words in enumerate(["a quiet walk", "tired again", "we laughed", "a long walk"], 1):
        service.save_answer("check-in", day, "words", words)
    app = Host(lambda: JournalScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        assert [text.splitlines()[-1] for text in entry_texts(screen)] == [
            "a long walk",
            "we laughed",
            "tired again",
            "a quiet walk",
        ]
        await pilot.press("ctrl+f", *"walk")
        await wait_for(pilot, lambda: len(entry_texts(screen)) == 2)
        assert [text.splitlines()[-1] for text in entry_texts(screen)] == [
            "a long walk",
            "a quiet walk",
        ]
        assert "2 entries with “walk”" in drawn_text(screen.query_one("#journal-status"))
        await pilot.press("space", *"nothing-like-this")
        await wait_for(pilot, lambda: len(entry_texts(screen)) == 0)
        assert "Nothing matches" in drawn_text(screen.query_one("#journal-status"))
        screen.query_one("#journal-search", Input).clear()
        await wait_for(pilot, lambda: len(entry_texts(screen)) == 4)


async def test_hostile_and_huge_text_shows_literally(service: Replenish) -> None:
    huge = ("All of this is mine. " * 5000)[:100_000] + "THE END"
    service.save_answer("check-in", 1, "words", huge)
    service.save_answer("check-in", 2, "words", HOSTILE)
    app = Host(lambda: JournalScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await pilot.pause()
        texts = entry_texts(screen)
        assert texts[0].endswith("[bold]x[/] $HOME ␛[31m")
        assert texts[1].endswith("THE END") and len(texts[1]) > 100_000
        drawn = drawn_text(screen.query_one(JournalEntries))
        assert "[bold]x[/] $HOME ␛[31m" in drawn
        assert "\x1b" not in drawn
        assert "All of this is mine." in drawn
        await pilot.press("ctrl+f", *"THE END", "enter")
        await wait_for(pilot, lambda: len(entry_texts(screen)) == 1)
        assert entry_texts(screen)[0].endswith("THE END")


async def test_the_journal_opens_on_a_few_screenfuls_not_a_hundred_entries(
    service: Replenish, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry loaded is built and wrapped before the first frame: one page is what a
    reader sees in the first few screens, and the rest loads as they come near its end."""
    for day in range(1, 121):
        service.save_answer("check-in", day, "words", f"words of day {day}")
    built: list[str] = []
    entry_content = journal_entries.entry_content

    def counted(entry: journal.JournalEntry) -> Content:
        built.append(entry.text)
        return entry_content(entry)

    monkeypatch.setattr(journal_entries, "entry_content", counted)
    app = Host(lambda: JournalScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await pilot.pause()
        rows = screen.query_one(JournalEntries).size.height
        screens = len(built) * 5 / rows  # an entry takes about five lines
        assert 2 <= screens <= 8, f"{len(built)} entries built: a few screenfuls, not {screens:.0f}"
        assert not screen.exhausted, "120 written: the rest come as the end nears"


async def test_pages_load_more_on_key_and_when_the_end_comes_near(service: Replenish) -> None:
    for day in range(1, 31):
        service.save_answer("check-in", day, "words", f"words of day {day}")
    app = Host(lambda: JournalScreen(service, page_size=10))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        assert len(entry_texts(screen)) == 10
        await pilot.press("ctrl+n")
        assert len(entry_texts(screen)) == 20
        screen.query_one(JournalEntries).focus()
        await pilot.press("end")  # the highlight reaches the last entry: the next page comes
        await wait_for(pilot, lambda: len(entry_texts(screen)) == 30)
        await pilot.press("ctrl+n")  # nothing more: nothing repeated
        days = [int(text.rsplit(" ", 1)[-1]) for text in entry_texts(screen)]
        assert days == list(range(30, 0, -1))


async def test_chart_and_workload_table_fill_when_their_tab_is_first_shown(
    service: Replenish, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day, (energy, closeness) in enumerate([(2, 8), (5, 6), (9, 7)], start=1):
        service.save_answer("check-in", day, "energy", energy)
        service.save_answer("check-in", day, "closeness", closeness)
    own = "[red]Cooking[/]"  # a row of the user's own in the map: shown as typed
    service.save_answer("task-inventory", 16, "map", {"cells": {own: {"do": "me"}}, "added": [own]})
    reads: list[str] = []

    def counting(name: str) -> Callable[..., object]:
        real = getattr(journal, name)

        def counted(*args: object) -> object:
            reads.append(name)
            return real(*args)

        return counted

    for name in ("checkin_series", "workload_rows"):
        monkeypatch.setattr(journal, name, counting(name))
    app = Host(lambda: JournalScreen(service))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        await pilot.pause()
        assert reads == [] and not screen.chart_loaded and not screen.table_loaded
        assert not list(screen.query(Sparkline)), "nothing read until the tab is shown"
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: screen.chart_loaded)
        assert reads == ["checkin_series"] and not screen.table_loaded
        sparklines = list(screen.query(Sparkline))
        assert [list(line.data or []) for line in sparklines] == [[2, 5, 9], [8, 6, 7]]
        await pilot.pause()
        words = "\n".join(drawn_text(widget) for widget in screen.query(".scale-words"))
        assert "Latest 9 (day 3)" in words and "from 2 to 9" in words
        intro = drawn_text(screen.query_one("#checkin .tab-intro"))
        assert "last 12 weeks" in intro
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: screen.table_loaded)
        table = screen.query_one("#workload-table", DataTable)
        await pilot.pause()
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "16",
            "Mapping the load",
            "[red]Cooking[/] (my own row)",
            "I do",
        ]
        assert reads == ["checkin_series", "workload_rows"], "each tab is read once"


def test_the_checkin_chart_reads_the_last_weeks_up_to_the_latest_score(tmp_path: Path) -> None:
    days = 400
    service = open_service(tmp_path, long_program(tmp_path / "long", days), NOW + timedelta(500))
    for day in range(1, 301):  # the scores stop on day 300, well before today
        service.save_answer("check-in", day, "energy", day % 11)
    series = journal.checkin_series(service)
    window = journal.CHART_WEEKS * 7
    assert series == {"energy": [(day, day % 11) for day in range(301 - window, 301)]}
    assert journal.checkin_series(service, weeks=1) == {
        "energy": [(day, day % 11) for day in range(294, 301)]
    }
    service.close()
