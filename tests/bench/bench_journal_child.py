"""Child process: open the app on a ten-year store, press F4, time until entries are shown.

Prints one line, ``<milliseconds> <peak RSS in KiB>``: the time from the key press
until the Journal screen holds its first page of entries (and has had a refresh),
and this whole process's peak resident memory, read with `resource`.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from pathlib import Path

TIMEOUT = 60.0


async def measure(program_dir: Path, data_dir: Path) -> float:
    from program.service import Replenish
    from program.tui.app import ReplenishApp
    from program.tui.screens.journal import JournalScreen
    from program.tui.widgets.journal_entries import JournalEntries

    service = Replenish.open(program_dir=program_dir, data_dir=data_dir)
    app = ReplenishApp(service)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("f4")
            while True:
                screen = app.screen
                if isinstance(screen, JournalScreen):
                    entries = screen.query(JournalEntries)
                    if entries and entries.first().entry_count > 0:
                        await pilot.pause()  # one refresh: the entries are drawn
                        return (time.perf_counter() - start) * 1000
                if time.perf_counter() - start > TIMEOUT:
                    raise SystemExit(f"the journal showed no entries within {TIMEOUT:.0f} s")
                await pilot.pause(0.005)
    finally:
        service.close()


def main() -> None:
    program_dir, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    elapsed = asyncio.run(measure(program_dir, data_dir))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{elapsed:.3f} {peak_kib}")


if __name__ == "__main__":
    main()
