"""The reminder service exchanges with the partner while a folder is linked: at start,
then on its own clock, in its own threads; a missing folder is a log line, then a retry."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

from program.reminders.runner import PARTNER_JOB, service_scheduler
from tests.reminders.helpers import wait_until
from tests.tui.test_together import check_in, paired


def test_the_service_syncs_at_start_and_every_few_seconds_and_survives_a_lost_folder(
    tmp_path: Path,
) -> None:
    alex, sam, shared = paired(tmp_path)
    check_in(alex, 3, 8)
    log = io.StringIO()
    scheduler, _jobs, _quiet = service_scheduler(alex, [], log, partner_seconds=0.3)
    job = scheduler.get_job(PARTNER_JOB)
    assert job is not None and job.trigger.interval.total_seconds() == 0.3
    threading.Thread(target=scheduler.start, daemon=True).start()
    try:
        wait_until(lambda: any(shared.rglob("*.env")))  # at start: Alex's half is out
        check_in(sam, 9, 2)
        sam.partner().sync()
        # On the service's clock: Sam's half and key come in, Alex's key goes out.
        wait_until(lambda: bool(alex.revealed_pairs("check-in", "energy")))
        assert [(p.mine, p.theirs) for p in alex.revealed_pairs("check-in", "energy")] == [
            (3, 9)
        ]
        # Alex's key is written to the folder just after Alex's store has Sam's half.
        wait_until(lambda: bool(sam.partner().sync() and sam.revealed_pairs("check-in", "energy")))
        assert [(p.mine, p.theirs) for p in sam.revealed_pairs("check-in", "energy")] == [
            (9, 3)
        ]
        shutil.rmtree(shared)  # the drive is unplugged
        wait_until(lambda: "could not exchange with the partner" in log.getvalue())
        assert scheduler.running and scheduler.get_job(PARTNER_JOB) is not None
    finally:
        scheduler.shutdown(wait=True)
    said = log.getvalue()
    assert "exchanged with the partner: 1 received" in said
    assert "Sam" not in said and "Alex" not in said and "private" not in said
    alex.close()
    sam.close()

