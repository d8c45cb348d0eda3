"""Real APScheduler jobs on the real clock: reminders a second or two ahead, and what stops them."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from program.reminders.desk import SILENT
from program.reminders.in_app import InAppReminders
from program.reminders.runner import service_scheduler
from program.service import Replenish
from tests.reminders.helpers import (
    begin,
    key_for,
    moment_ahead,
    open_small,
    set_times,
    wait_until,
    wait_until_async,
)


def _claims(service: Replenish) -> dict[str, str]:
    return {delivery.key: delivery.channel for delivery in service.store.deliveries()}


async def _app_run(service: Replenish, settled: datetime, wake_seconds: float = 60.0) -> list[str]:
    """Run in-app reminders until a check after `settled` has planned a later moment."""
    delivered: list[str] = []
    reminders = InAppReminders(service, delivered.append, wake_seconds)
    reminders.start()
    try:

        def checked_after_settled() -> bool:
            planned = reminders.planned()
            return planned is not None and planned > settled

        await wait_until_async(checked_after_settled)
    finally:
        reminders.shutdown()
    return delivered


def test_a_reminder_due_while_the_app_runs_is_delivered_once(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    fire = moment_ahead(service)
    set_times(service, fire.time())
    delivered = asyncio.run(_app_run(service, fire))
    assert delivered == [
        "A few quiet minutes are waiting, about 6 min. Whenever you are ready."
    ]
    assert _claims(service) == {key_for(service, fire): "app"}


def test_no_reminder_when_today_is_done(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    today = service.today()
    assert today is not None and today.today is not None
    for due in today.today.exercises:
        service.complete(due.exercise.id, due.day)
    fire = moment_ahead(service)
    set_times(service, fire.time())
    assert asyncio.run(_app_run(service, fire)) == []
    assert _claims(service) == {}


def test_no_reminder_while_paused(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    service.pause()
    fire = moment_ahead(service)
    set_times(service, fire.time())
    assert asyncio.run(_app_run(service, fire)) == []
    assert _claims(service) == {}


def test_no_reminder_after_the_plan_has_ended(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service, days_ago=30)  # the small program has 14 days
    fire = moment_ahead(service)
    set_times(service, fire.time())
    assert asyncio.run(_app_run(service, fire)) == []
    assert _claims(service) == {}


def test_the_app_and_the_service_due_at_the_same_instant_deliver_once(tmp_path: Path) -> None:
    """Two schedulers, two connections to one store file, one reminder: exactly one delivery."""
    app_side = open_small(tmp_path)
    begin(app_side)
    fire = moment_ahead(app_side, 3)
    set_times(app_side, fire.time())
    service_side = open_small(tmp_path)
    sent_by_service: list[str] = []
    log = io.StringIO()
    def to_the_list(text: str) -> bool:
        sent_by_service.append(text)
        return True

    scheduler, jobs, _ = service_scheduler(service_side, [("a list", to_the_list)], log)
    threading.Thread(target=scheduler.start, daemon=True).start()
    try:
        delivered_in_app = asyncio.run(_app_run(app_side, fire))

        def service_checked_after_fire() -> bool:
            planned = jobs.planned()
            return planned is not None and planned > fire

        wait_until(service_checked_after_fire)
    finally:
        scheduler.shutdown(wait=True)
    assert len(delivered_in_app) + len(sent_by_service) == 1
    claims = _claims(app_side)
    assert list(claims) == [key_for(app_side, fire)]
    assert claims[key_for(app_side, fire)] == ("app" if delivered_in_app else "service")
    assert ("sent daily:" in log.getvalue()) == bool(sent_by_service)
    service_side.close()


def test_a_reminder_missed_while_all_was_off_comes_once_at_the_next_start(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    now = service.now().replace(microsecond=0)
    earlier, later = now - timedelta(minutes=30), now - timedelta(minutes=20)
    set_times(service, earlier.time(), later.time())
    first = asyncio.run(_app_run(service, now))
    assert first == [
        f"From {later:%H:%M} earlier: A few quiet minutes are waiting, about 6 min."
        " Still here whenever you are ready."
    ]
    # The older one is claimed silently: never a pile.
    assert _claims(service) == {key_for(service, earlier): SILENT, key_for(service, later): "app"}
    again = asyncio.run(_app_run(service, now))
    assert again == []


def test_a_one_off_reminder_is_delivered_once(tmp_path: Path) -> None:
    service = open_small(tmp_path)
    begin(service)
    fire = moment_ahead(service)
    ident = service.add_one_off_reminder(fire, "Call the sitter about Saturday")
    service.save_settings(replace(service.settings(), detail_outside=True))  # asked for detail
    # A later daily time to plan next: an hour on, read on the local clock at that moment
    # (astimezone), so that a DST change in between cannot make it the same instant.
    set_times(service, (fire + timedelta(hours=1)).astimezone().time())
    delivered = asyncio.run(_app_run(service, fire))
    assert delivered == ["Call the sitter about Saturday"]
    assert _claims(service) == {f"once:{ident}": "app"}
    assert service.pending_one_offs() == []
    assert asyncio.run(_app_run(service, fire)) == []


def test_the_wake_up_delivers_what_a_late_timer_would_have_missed(tmp_path: Path) -> None:
    """Suspend stand-in: the next-moment timer is lost (as if it still counted suspended time);
    the periodic wake-up reads the wall clock and delivers anyway."""
    service = open_small(tmp_path)
    begin(service)
    fire = moment_ahead(service)
    set_times(service, fire.time())

    async def scenario() -> list[str]:
        delivered: list[str] = []
        reminders = InAppReminders(service, delivered.append, wake_seconds=0.5)
        reminders.start()
        try:
            await wait_until_async(lambda: reminders.planned() == fire)
            scheduler = reminders._scheduler
            assert scheduler is not None
            # Push the timer far out, as a monotonic timer does after the laptop slept.
            scheduler.modify_job("replenish-next", next_run_time=fire + timedelta(hours=9))
            await wait_until_async(lambda: bool(delivered))
        finally:
            reminders.shutdown()
        return delivered

    delivered = asyncio.run(scenario())
    assert delivered == [
        "A few quiet minutes are waiting, about 6 min. Whenever you are ready."
    ]


def _service_run(service: Replenish, settled: datetime, log: io.StringIO) -> None:
    """Run the service's scheduler, whose one channel refuses everything, until a check
    after `settled` has planned a later moment."""
    refusing = [("a channel that refuses", lambda _: False)]
    scheduler, jobs, _ = service_scheduler(service, refusing, log)
    threading.Thread(target=scheduler.start, daemon=True).start()
    try:

        def checked_after_settled() -> bool:
            planned = jobs.planned()
            return planned is not None and planned > settled

        wait_until(checked_after_settled)
    finally:
        scheduler.shutdown(wait=True)


def test_a_reminder_no_channel_accepted_is_given_back_and_the_app_shows_it(
    tmp_path: Path,
) -> None:
    """A failed notify-send used to count as sent: the claim stayed, so the reminder never
    showed anywhere. Now it counts only once a channel accepted it."""
    service = open_small(tmp_path)
    begin(service)
    fire = moment_ahead(service)
    one_off = service.add_one_off_reminder(fire, "Call the sitter about Saturday")
    set_times(service, fire.time())
    log = io.StringIO()
    _service_run(open_small(tmp_path), fire, log)
    assert _claims(service) == {}  # given back, not counted as sent
    assert [pending.id for pending in service.pending_one_offs()] == [one_off]
    assert " sent " not in log.getvalue()
    assert log.getvalue().count("is due but no channel here took it") == 2
    assert "Saturday" not in log.getvalue()
    delivered = asyncio.run(_app_run(service, fire))
    assert delivered == [
        "A few quiet minutes are waiting, about 6 min. Whenever you are ready.",
        "A reminder you set in Replenish.",  # the user's words only when detail is asked for
    ]
    assert _claims(service) == {key_for(service, fire): "app", f"once:{one_off}": "app"}
    assert service.pending_one_offs() == []
