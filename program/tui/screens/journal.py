"""The Journal: everything the user wrote, newest first and searchable; the check-in chart;
the workload answers as a table.

It opens on one page of reflections; the chart and the table are read (in a worker)
only when their tab is first shown, and the chart reads only its last weeks, so a
journal of many years opens as fast as a week's.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from msgspec import Struct
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)

from program import journal
from program.service import Replenish
from program.tui.literal import LiteralInput, shown, shown_text
from program.tui.screens.base import LiveScreen
from program.tui.widgets.footer import KeyFooter
from program.tui.widgets.journal_chart import CheckinChart
from program.tui.widgets.journal_entries import JournalEntries

SEARCH_PAUSE = 0.2
"""Seconds of quiet typing before the search runs: one query per pause, not per key."""

NEAR_END = 5
"""Load the next page when the highlight comes this close to the last entry."""


WORKLOAD_COLUMNS = (("Day", 4), ("Exercise", 16), ("Question", 24), ("Answer", 24))

TAB_GROUPS = ("journal-chart", "journal-workload")
"""The worker groups that read a tab's content when it is first shown."""


class ChartData(Struct, frozen=True):
    """What the Check-in tab reads when it is first shown."""

    scales: tuple[journal.CheckinScale, ...]
    series: dict[str, list[tuple[int, int]]]
    shared: tuple[journal.SharedScale, ...] = ()
    """The scales shared with the partner, with the days both are in (none unpaired)."""


class JournalScreen(LiveScreen):
    """Reflections (paged, searchable), check-in chart, workload table."""

    DEFAULT_CSS = """
    JournalScreen {  /* reflections fill the height; the chart and table have their own tabs */
        #journal-tabs {
            height: 1fr;
        }
        #journal-tabs TabPane {
            padding: 0 1;
        }
        #journal-status {
            color: $text-muted;
            height: auto;
            padding: 0 1;
        }
        #journal-entries {
            height: 1fr;
            border: none;
        }
        #journal-entries > .option-list--option {
            padding: 0 1;
        }
        .tab-intro {
            color: $text-muted;
            height: auto;
            margin-bottom: 1;
        }
        #workload-table {
            height: 1fr;
        }
        #workload-empty {
            display: none;
            height: auto;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_search", "Find"),
        # More loads by itself as the list nears its end: out of the footer, so it fits.
        Binding("ctrl+n", "load_more", "More", show=False),
        Binding("ctrl+t", "next_tab", "Next tab"),
        # "b" for before: out of the footer so it fits; in Help and the palette.
        Binding("ctrl+b", "app.then_and_now", "Then and now", show=False),
        Binding("escape", "app.open_mode('today')", "Back", show=False),
        Binding("f4", "app.open_mode('journal')", "Journal", show=False),  # already here
    ]

    def __init__(self, service: Replenish, page_size: int = journal.PAGE_SIZE) -> None:
        super().__init__()
        self.service = service
        self.page_size = page_size
        self.search = ""
        self.loaded = 0
        self.exhausted = False
        self.chart_loaded = False
        self.table_loaded = False
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="journal-tabs"):
            with TabPane("Reflections", id="reflections"):
                yield LiteralInput(
                    placeholder="Search what you wrote (type to narrow)",
                    id="journal-search",
                )
                yield Static(id="journal-status")
                yield JournalEntries(id="journal-entries")
            with TabPane("Check-in", id="checkin"):
                yield Static(
                    f"Your daily check-in scores over the last {journal.CHART_WEEKS} weeks "
                    "you answered, oldest on the left. Each bar is a day "
                    "(or the average of several days when there are many).",
                    classes="tab-intro",
                )  # the chart is mounted when the tab is first shown
            with TabPane("Workload", id="workload"):
                yield Static(
                    "What you noted about who holds what, as you answered it.",
                    classes="tab-intro",
                )  # the table is mounted when the tab is first shown
                yield Static(
                    "Nothing noted yet. Your answers in the workload steps will show here.",
                    id="workload-empty",
                )
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.title = "Journal"
        self._load_page(replace=True)
        self.query_one("#journal-search", Input).focus()  # opened to find something: type
        self.watch(self.query_one(JournalEntries), "scroll_y", self._scrolled, init=False)

    def refresh_view(self) -> None:
        """Show what was written since the journal was last on view (it lives on between
        visits; reading its first page twice at opening cost the first paint). The chart
        and the table are read again when their tab is next shown."""
        self._load_page(replace=True)
        self.chart_loaded = self.table_loaded = False
        self._fill_tab(self.query_one(TabbedContent).active)

    # ----- reflections ------------------------------------------------------

    def _load_page(self, *, replace: bool) -> None:
        """Read one more page (or the first one again) for the current search."""
        offset = 0 if replace else self.loaded
        if replace:
            self.read_now()
        entries = journal.reflections(self.service, self.search, self.page_size, offset)
        self.loaded = offset + len(entries)
        self.exhausted = len(entries) < self.page_size
        self.query_one(JournalEntries).show(entries, replace=replace)
        self._show_status()

    def _show_status(self) -> None:
        status = self.query_one("#journal-status", Static)
        count = self.loaded
        plural = "y" if count == 1 else "ies"
        if count == 0 and not self.search:
            message = Content(
                "Nothing written yet. What you write in reflections and plans appears here."
            )
        elif count == 0:
            message = Content.assemble("Nothing matches “", shown(self.search), "”.")
        else:
            found = (
                Content.assemble(f"{count} entr{plural} with “", shown(self.search), "”")
                if self.search
                else Content(f"{count} entr{plural}, newest first")
            )
            more = "." if self.exhausted else "; more load as you reach the end (ctrl+n)."
            message = Content.assemble(found, more)
        status.update(message)

    @on(Input.Changed, "#journal-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE, self._run_search)

    def _run_search(self) -> None:
        self._search_timer = None
        wanted = self.query_one("#journal-search", LiteralInput).typed
        if wanted.strip() == self.search:
            return
        self.search = wanted.strip()
        self._load_page(replace=True)

    @on(Input.Submitted, "#journal-search")
    def _search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._run_search()
        self.query_one(JournalEntries).focus()

    @on(OptionList.OptionHighlighted, "#journal-entries")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= event.option_list.option_count - NEAR_END:
            self.action_load_more()

    def _scrolled(self, scroll_y: float) -> None:
        entries = self.query_one(JournalEntries)
        if entries.max_scroll_y and scroll_y >= entries.max_scroll_y - 1:
            self.action_load_more()

    def action_load_more(self) -> None:
        if not self.exhausted:
            self._load_page(replace=False)

    def action_focus_search(self) -> None:
        self.query_one(TabbedContent).active = "reflections"
        self.query_one("#journal-search", Input).focus()

    def action_next_tab(self) -> None:
        """The next tab, from anywhere on the screen. Focus goes to the row of tabs first:
        left in a pane that is hidden (the search box), it was moved back into that pane,
        which showed it again, so the key seemed to do nothing."""
        tabs = self.query_one(TabbedContent)
        tabs.query_one(Tabs).focus()
        order = ["reflections", "checkin", "workload"]
        tabs.active = (
            order[(order.index(tabs.active) + 1) % len(order)] if tabs.active else order[0]
        )

    # ----- when their tab is first shown: chart and table -----------------------

    @property
    def extras_loaded(self) -> bool:
        """No tab's content is still being read: the chart and table show all that was asked.

        Nothing is read for them until their tab is shown, so right after opening this
        is already true; a test waits on it to know the screen has settled.
        """
        return not any(
            worker.node is self and worker.group in TAB_GROUPS and not worker.is_finished
            for worker in self.workers
        )

    @on(TabbedContent.TabActivated, "#journal-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._fill_tab(event.pane.id or "")

    def _fill_tab(self, tab: str) -> None:
        """Read the Check-in or Workload tab's answers unless they are already shown."""
        if tab == "checkin" and not self.chart_loaded:
            self._read_chart()
        elif tab == "workload" and not self.table_loaded:
            self._read_workload()

    @work(exclusive=True, group=TAB_GROUPS[0])
    async def _read_chart(self) -> None:
        """Read the check-in scores off the UI thread, then chart them."""
        found = self.query("#checkin-chart").results(CheckinChart)
        chart = next(found, None)
        if chart is None:  # first shown: the chart's widgets cost the journal's opening nothing
            chart = CheckinChart(id="checkin-chart")
            await self.query_one("#checkin", TabPane).mount(chart)
            chart.loading = True
        data = await asyncio.to_thread(self._gather_chart)
        await chart.show(data.scales, data.series, data.shared)
        chart.loading = False
        self.chart_loaded = True

    def _gather_chart(self) -> ChartData:
        return ChartData(
            scales=journal.checkin_scales(self.service.program),
            series=journal.checkin_series(self.service),
            shared=journal.shared_checkins(self.service),
        )

    @work(exclusive=True, group=TAB_GROUPS[1])
    async def _read_workload(self) -> None:
        """Read the workload answers off the UI thread, then fill the table."""
        table = next(self.query("#workload-table").results(DataTable), None)
        if table is None:  # first shown: mounted now, not when the journal opens
            table = DataTable(id="workload-table", zebra_stripes=True, cursor_type="row")
            await self.query_one("#workload", TabPane).mount(table)
            for label, width in WORKLOAD_COLUMNS:  # fixed widths, rows wrap: fits 80 columns
                table.add_column(label, width=width)
            table.loading = True
        rows = await asyncio.to_thread(journal.workload_rows, self.service)
        table.clear()
        for row in rows:
            table.add_row(
                Text(str(row.day)),
                shown_text(row.exercise_title),
                shown_text(row.prompt),
                shown_text(row.answer),
                height=None,
            )
        # Said under the headings, not in the table: a 16-column cell cut it to "Nothing noted ye".
        table.display = bool(rows)
        empty = self.query_one("#workload-empty", Static)
        empty.display = not rows
        table.loading = False
        self.table_loaded = True
