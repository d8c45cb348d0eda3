"""Round-trips of every Store method, against a real file in a temporary folder."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from state import (
    Answer,
    Delivery,
    Enrolment,
    NotEnrolled,
    OneOffReminder,
    Outcome,
    Pause,
    Position,
    Store,
)

PARIS = timezone(timedelta(hours=1))


def later(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)


# ---------------------------------------------------------------- enrolment


def test_no_enrolment_before_start(store: Store) -> None:
    assert store.enrolment() is None


def test_enrol_round_trips(store: Store, now: datetime) -> None:
    made = store.enrol("burnout", date(2025, 3, 10), 4, now)
    expected = Enrolment("burnout", date(2025, 3, 10), 4, (), now)
    assert made == expected
    assert store.enrolment() == expected
    assert not expected.paused


def test_enrol_keeps_the_callers_offset(store: Store) -> None:
    at = datetime(2025, 3, 10, 22, 15, tzinfo=PARIS)
    store.enrol("p", date(2025, 3, 10), 0, at)
    enrolment = store.enrolment()
    assert enrolment is not None
    assert enrolment.enrolled_at == at
    assert enrolment.enrolled_at.utcoffset() == timedelta(hours=1)


def test_re_enrol_replaces_enrolment_and_pauses_but_keeps_answers(
    store: Store, now: datetime
) -> None:
    store.enrol("old", date(2025, 1, 1), 3, now)
    store.pause(date(2025, 1, 5))
    store.save_answer("intake", 0, "energy", 3, now)
    store.complete("intake", 0, now)
    store.set_position("intake", 0, 2, now)

    store.enrol("new", date(2025, 2, 1), 5, later(now, 1))

    assert store.enrolment() == Enrolment("new", date(2025, 2, 1), 5, (), later(now, 1))
    assert [a.value for a in store.answers()] == [3]
    assert len(store.outcomes()) == 1, "outcomes are kept unless asked"
    assert store.position() is not None


def test_re_enrol_can_clear_progress(store: Store, now: datetime) -> None:
    store.enrol("old", date(2025, 1, 1), 3, now)
    store.save_answer("intake", 0, "energy", 3, now)
    store.complete("intake", 0, now)
    store.set_position("intake", 0, 2, now)

    store.enrol("old", date(2025, 2, 1), 3, now, clear_progress=True)

    assert store.outcomes() == []
    assert store.position() is None
    assert len(store.answers()) == 1


def test_day_start_hour(store: Store, now: datetime) -> None:
    with pytest.raises(NotEnrolled):
        store.set_day_start_hour(5)
    store.enrol("p", date(2025, 1, 1), 0, now)
    store.set_day_start_hour(23)
    enrolment = store.enrolment()
    assert enrolment is not None and enrolment.day_start_hour == 23
    for bad in (-1, 24):
        with pytest.raises(ValueError, match="hour"):
            store.set_day_start_hour(bad)
    with pytest.raises(ValueError):
        store.enrol("p", date(2025, 1, 1), 24, now)


def test_pause_and_resume(store: Store, now: datetime) -> None:
    with pytest.raises(NotEnrolled):
        store.pause(date(2025, 1, 2))
    store.enrol("p", date(2025, 1, 1), 0, now)
    store.resume(date(2025, 1, 2))  # not paused: no-op
    store.pause(date(2025, 1, 3))
    store.pause(date(2025, 1, 4))  # already paused: no-op
    first = store.enrolment()
    assert first is not None
    assert first.pauses == (Pause(date(2025, 1, 3), None),)
    assert first.paused

    store.resume(date(2025, 1, 6))
    store.resume(date(2025, 1, 7))  # no-op
    store.pause(date(2025, 1, 9))
    store.resume(date(2025, 1, 9))
    final = store.enrolment()
    assert final is not None
    assert final.pauses == (
        Pause(date(2025, 1, 3), date(2025, 1, 6)),
        Pause(date(2025, 1, 9), date(2025, 1, 9)),
    )
    assert not final.paused


def test_pause_dates_must_not_go_backwards(store: Store, now: datetime) -> None:
    store.enrol("p", date(2025, 1, 1), 0, now)
    store.pause(date(2025, 1, 10))
    with pytest.raises(ValueError, match="before the pause began"):
        store.resume(date(2025, 1, 9))
    store.resume(date(2025, 1, 12))
    with pytest.raises(ValueError, match="before the last resume"):
        store.pause(date(2025, 1, 11))
    enrolment = store.enrolment()
    assert enrolment is not None
    assert enrolment.pauses == (Pause(date(2025, 1, 10), date(2025, 1, 12)),)


def test_dates_must_be_dates_not_datetimes(store: Store, now: datetime) -> None:
    with pytest.raises(TypeError, match="date"):
        store.enrol("p", now, 0, now)


# ---------------------------------------------------------------- answers

VALUES = [
    None,
    True,
    0,
    -7,
    2**60,
    3.25,
    "",
    'plain text with ünïcödé and "quotes" and\nnewlines',
    [1, "two", None, [3.5]],
    {"task": "laundry", "who": ["me", "you"], "drain": 4, "visible": False},
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:20] for v in VALUES])
def test_answer_values_round_trip(store: Store, now: datetime, value: object) -> None:
    store.save_answer("ex", 3, "step", value, now)  # type: ignore[arg-type]
    answer = store.answers_for("ex", 3)["step"]
    assert answer == Answer("ex", 3, "step", value, now)  # type: ignore[arg-type]
    assert type(answer.value) is type(value)


def test_save_answer_upserts_one_current_value(store: Store, now: datetime) -> None:
    store.save_answer("ex", 1, "noticed", "first", now)
    store.save_answer("ex", 1, "noticed", "second", later(now, 5))
    store.save_answer("ex", 2, "noticed", "other day", later(now, 6))
    assert store.answers_for("ex", 1) == {
        "noticed": Answer("ex", 1, "noticed", "second", later(now, 5))
    }
    assert len(store.answers()) == 2


def test_answers_for_is_scoped_to_exercise_and_day(store: Store, now: datetime) -> None:
    store.save_answer("a", 1, "x", 1, now)
    store.save_answer("a", 1, "y", 2, now)
    store.save_answer("a", 2, "x", 3, now)
    store.save_answer("b", 1, "x", 4, now)
    assert {k: v.value for k, v in store.answers_for("a", 1).items()} == {"x": 1, "y": 2}
    assert store.answers_for("zzz", 1) == {}


def test_answers_are_ordered_by_time_across_offsets(store: Store, now: datetime) -> None:
    # 10:00+01:00 is 09:00 UTC: earlier than 09:30 UTC although it sorts later as text.
    store.save_answer("a", 1, "late", "late", datetime(2025, 1, 1, 9, 30, tzinfo=UTC))
    store.save_answer("a", 1, "early", "early", datetime(2025, 1, 1, 10, 0, tzinfo=PARIS))
    store.save_answer("a", 1, "first", "first", datetime(2025, 1, 1, 8, 0, 0, 5, tzinfo=UTC))
    assert [a.step_id for a in store.answers()] == ["first", "early", "late"]


def test_answered_keys(store: Store, now: datetime) -> None:
    assert store.answered_keys() == set()
    store.save_answer("a", 1, "x", 1, now)
    store.save_answer("a", 1, "y", None, now)
    store.save_answer("a", 2, "x", "", now)
    store.save_answer("b", 1, "x", 4, now)
    assert store.answered_keys() == {("a", 1), ("a", 2), ("b", 1)}


def test_answers_for_steps(store: Store, now: datetime) -> None:
    for day in (3, 1, 2):
        store.save_answer("checkin", day, "energy", day * 2, later(now, day))
        store.save_answer("checkin", day, "closeness", day * 3, later(now, day))
        store.save_answer("other", day, "energy", -1, now)
    found = store.answers_for_steps([("checkin", "energy"), ("checkin", "energy")])
    assert [(a.day, a.value) for a in found] == [(1, 2), (2, 4), (3, 6)]
    both = store.answers_for_steps({("checkin", "energy"), ("checkin", "closeness")})
    assert [(a.day, a.step_id) for a in both] == [
        (1, "closeness"),
        (1, "energy"),
        (2, "closeness"),
        (2, "energy"),
        (3, "closeness"),
        (3, "energy"),
    ]
    assert store.answers_for_steps([]) == []
    assert store.answers_for_steps([("nope", "energy")]) == []


def test_answers_for_many_steps_are_chunked(store: Store, now: datetime) -> None:
    pairs = [(f"ex{i}", "s") for i in range(1000)]
    for i in range(0, 1000, 99):
        store.save_answer(f"ex{i}", i, "s", i, now)
    found = store.answers_for_steps(pairs)
    assert [a.day for a in found] == list(range(0, 1000, 99))


def test_answers_to_unknown_exercises_are_kept(data_dir: Path, now: datetime) -> None:
    with Store.open(data_dir) as store:
        store.save_answer("exercise-removed-from-program", 4, "s", "still mine", now)
    with Store.open(data_dir) as store:
        assert [a.value for a in store.answers()] == ["still mine"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        ({1: "x"}, "string keys"),
        ({"a": {1, 2}}, "set"),
        ((1, 2), "tuple"),
        (b"bytes", "bytes"),
    ],
)
def test_non_json_values_are_refused(
    store: Store, now: datetime, value: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.save_answer("ex", 1, "s", value, now)  # type: ignore[arg-type]
    assert store.answers() == []


def test_bad_keys_are_refused(store: Store, now: datetime) -> None:
    with pytest.raises(ValueError):
        store.save_answer("", 1, "s", 1, now)
    with pytest.raises(ValueError):
        store.save_answer("ex", 1, "", 1, now)
    with pytest.raises(ValueError):
        store.save_answer("ex", -1, "s", 1, now)
    with pytest.raises(TypeError):
        store.save_answer("ex", True, "s", 1, now)
    with pytest.raises(TypeError):
        store.save_answer("ex", "1", "s", 1, now)  # type: ignore[arg-type]
    assert store.answers() == []


# ---------------------------------------------------------------- search


def test_search_is_case_insensitive_and_newest_first(store: Store, now: datetime) -> None:
    store.save_answer("a", 1, "r", "We LAUGHED at the cat", now)
    store.save_answer("a", 2, "r", "laughing felt strange", later(now, 1))
    store.save_answer("a", 3, "r", "nothing funny", later(now, 2))
    store.save_answer("a", 4, "r", ["laugh inside a list is not a text answer"], later(now, 3))
    store.save_answer("a", 5, "r", "ÉTÉ was LONG: Straße", later(now, 4))
    found = store.search_answers("laugh")
    assert [a.day for a in found] == [2, 1]
    assert [a.day for a in store.search_answers("été")] == [5]
    assert [a.day for a in store.search_answers("STRASSE")] == [5]
    assert [a.day for a in store.search_answers("")] == [5, 3, 2, 1]


def test_search_treats_percent_and_underscore_literally(store: Store, now: datetime) -> None:
    store.save_answer("a", 1, "r", "about 50% of the chores", now)
    store.save_answer("a", 2, "r", "about 500 of the chores", now)
    store.save_answer("a", 3, "r", "snake_case", now)
    store.save_answer("a", 4, "r", "snakeXcase", now)
    store.save_answer("a", 5, "r", r"back\slash", now)
    assert [a.day for a in store.search_answers("50%")] == [1]
    assert [a.day for a in store.search_answers("%")] == [1]
    assert [a.day for a in store.search_answers("e_c")] == [3]
    assert [a.day for a in store.search_answers("_")] == [3]
    assert [a.day for a in store.search_answers("\\")] == [5]


def test_search_pages(store: Store, now: datetime) -> None:
    for day in range(10):
        store.save_answer("a", day, "r", f"note {day}", later(now, day))
    assert [a.day for a in store.search_answers("note", limit=3)] == [9, 8, 7]
    assert [a.day for a in store.search_answers("note", limit=3, offset=8)] == [1, 0]
    assert store.search_answers("note", limit=0) == []
    with pytest.raises(ValueError):
        store.search_answers("note", limit=-1)


def test_answers_page_filters_steps_orders_by_day_and_pages(store: Store, now: datetime) -> None:
    for day in range(1, 8):
        store.save_answer("a", day, "r", f"note {day}", later(now, 10 - day))  # saved in reverse
        store.save_answer("a", day, "scale", day, now)
        store.save_answer("b", day, "r", f"other {day}", now)
    store.save_answer("a", 8, "r", "", now)  # a blank reflection is not a journal entry
    store.save_answer("c", 3, "plan", {"what": "A WALK together", "when": "Sunday"}, now)
    steps = [("a", "r"), ("c", "plan")]
    pages = [store.answers_page(steps, limit=3, offset=start) for start in range(0, 12, 3)]
    seen = [(a.exercise_id, a.day) for page in pages for a in page]
    expected = [("a", 7), ("a", 6), ("a", 5), ("a", 4), ("a", 3), ("c", 3), ("a", 2), ("a", 1)]
    assert seen == expected
    assert [len(page) for page in pages] == [3, 3, 2, 0]
    assert [a.day for a in store.answers_page(steps, "NOTE 2")] == [2]
    assert [a.exercise_id for a in store.answers_page(steps, "walk")] == ["c"]
    assert [a.exercise_id for a in store.answers_page(steps, "sunday")] == ["c"]
    assert store.answers_page(steps, "what") == [], "keys of a plan answer are not its words"
    assert store.answers_page(steps, "50%") == []
    assert store.answers_page([], "note") == []
    with pytest.raises(ValueError):
        store.answers_page(steps, limit=-1)
    with pytest.raises(TypeError):
        store.answers_page([("a",)])  # type: ignore[list-item]


def test_answers_page_takes_many_steps_in_one_query(store: Store, now: datetime) -> None:
    steps = [(f"e{index}", "r") for index in range(2000)]
    store.save_answer("e1999", 4, "r", "last of many", now)
    assert [a.exercise_id for a in store.answers_page(steps)] == ["e1999"]


# ---------------------------------------------------------------- outcomes


def test_complete_skip_reopen(store: Store, now: datetime) -> None:
    store.skip("a", 1, "too tired", now)
    assert store.outcomes() == [Outcome("a", 1, "skipped", "too tired", now)]
    store.skip("a", 1, "away", later(now, 1))
    assert store.outcomes() == [Outcome("a", 1, "skipped", "away", later(now, 1))]
    store.complete("a", 1, later(now, 2))
    assert store.outcomes() == [Outcome("a", 1, "done", "", later(now, 2))]
    store.skip("a", 1, "late skip", later(now, 3))
    store.complete("a", 1, later(now, 4))
    assert store.outcomes() == [Outcome("a", 1, "done", "", later(now, 2))], "done stays first done"
    store.save_answer("a", 1, "s", "kept", now)
    store.reopen("a", 1)
    assert store.outcomes() == []
    assert list(store.answers_for("a", 1)) == ["s"]
    store.reopen("a", 1)  # nothing to reopen: fine


def test_outcomes_are_ordered_by_day(store: Store, now: datetime) -> None:
    store.complete("b", 2, now)
    store.complete("a", 2, now)
    store.skip("z", 1, "", now)
    assert [(o.day, o.exercise_id, o.kind) for o in store.outcomes()] == [
        (1, "z", "skipped"),
        (2, "a", "done"),
        (2, "b", "done"),
    ]


# ---------------------------------------------------------------- position


def test_position(store: Store, now: datetime) -> None:
    assert store.position() is None
    store.set_position("a", 1, 0, now)
    store.set_position("b", 2, 3, later(now, 1))
    assert store.position() == Position("b", 2, 3, later(now, 1))
    store.clear_position()
    assert store.position() is None
    with pytest.raises(ValueError):
        store.set_position("b", 2, -1, now)


# ---------------------------------------------------------------- settings


def test_settings(store: Store) -> None:
    assert store.setting("reminder") is None
    assert store.setting("reminder", "20:00") == "20:00"
    store.set_setting("reminder", {"time": "20:30:00", "days": ["mon", "tue"]})
    store.set_setting("partner", "Sam")
    store.set_setting("partner", "Alex")
    store.set_setting("shell_nudge", False)
    assert store.setting("reminder") == {"time": "20:30:00", "days": ["mon", "tue"]}
    assert store.setting("shell_nudge", True) is False
    assert store.settings() == {
        "partner": "Alex",
        "reminder": {"time": "20:30:00", "days": ["mon", "tue"]},
        "shell_nudge": False,
    }
    with pytest.raises(ValueError):
        store.set_setting("", 1)


def test_several_settings_are_saved_together_or_not_at_all(store: Store) -> None:
    store.set_settings({"reminder.on": True, "theme": "textual-light"})
    assert store.settings() == {"reminder.on": True, "theme": "textual-light"}
    with pytest.raises(ValueError):
        store.set_settings({"theme": "textual-dark", "bad": float("nan")})
    assert store.settings() == {"reminder.on": True, "theme": "textual-light"}


# ---------------------------------------------------------------- deliveries and one-offs


def test_claim_delivery_once(store: Store, now: datetime) -> None:
    assert store.claim_delivery("daily:2025-03-10", now, "desktop") is True
    assert store.claim_delivery("daily:2025-03-10", later(now, 1), "in-app") is False
    assert store.claim_delivery("daily:2025-03-11", later(now, 2), "in-app") is True
    assert store.deliveries() == [
        Delivery("daily:2025-03-10", now, "desktop"),
        Delivery("daily:2025-03-11", later(now, 2), "in-app"),
    ]


def test_one_offs(store: Store, now: datetime) -> None:
    late = store.add_one_off(later(now, 120), "call the counsellor", now)
    soon = store.add_one_off(later(now, 30), "ask about Saturday", now)
    assert late != soon
    assert store.one_offs() == [
        OneOffReminder(soon, later(now, 30), "ask about Saturday", now, False),
        OneOffReminder(late, later(now, 120), "call the counsellor", now, False),
    ]
    assert store.mark_one_off_delivered(soon) is True
    assert store.mark_one_off_delivered(soon) is False
    assert store.mark_one_off_delivered(9999) is False
    assert [r.id for r in store.one_offs()] == [late]
    assert [(r.id, r.delivered) for r in store.one_offs(include_delivered=True)] == [
        (soon, True),
        (late, False),
    ]


# ---------------------------------------------------------------- times and lifecycle

NAIVE = datetime(2025, 3, 10, 9, 30)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.enrol("p", date(2025, 1, 1), 0, NAIVE),
        lambda s: s.save_answer("a", 1, "s", 1, NAIVE),
        lambda s: s.complete("a", 1, NAIVE),
        lambda s: s.skip("a", 1, "r", NAIVE),
        lambda s: s.set_position("a", 1, 0, NAIVE),
        lambda s: s.claim_delivery("k", NAIVE, "c"),
        lambda s: s.add_one_off(NAIVE, "t", datetime.now(UTC)),
        lambda s: s.add_one_off(datetime.now(UTC), "t", NAIVE),
        lambda s: s.export_data(NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(store: Store, call: object) -> None:
    assert callable(call)
    before = store.export_data(datetime.now(UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        call(store)
    after = store.export_data(datetime.now(UTC))
    before.pop("exported_at")
    after.pop("exported_at")
    assert before == after


def test_odd_second_offsets_are_stored_as_utc(store: Store) -> None:
    odd = timezone(timedelta(minutes=9, seconds=21))  # Paris local mean time, for example
    at = datetime(2025, 1, 1, 12, 0, tzinfo=odd)
    store.save_answer("a", 1, "s", 1, at)
    saved = store.answers()[0].saved_at
    assert saved == at
    assert saved.utcoffset() == timedelta(0)


def test_data_survives_reopening(data_dir: Path, now: datetime) -> None:
    with Store.open(data_dir) as store:
        store.enrol("p", date(2025, 1, 1), 4, now)
        store.save_answer("a", 1, "s", {"x": 1}, now)
        exported = store.export_data(now)
    with Store.open(data_dir) as store:
        assert store.export_data(now) == exported


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    store.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        store.answers()


def test_export_is_json_serialisable(store: Store, now: datetime) -> None:
    store.enrol("p", date(2025, 1, 1), 4, now)
    store.save_answer("a", 1, "s", {"x": [1, None]}, now)
    text = json.dumps(store.export_data(now), allow_nan=False)
    assert json.loads(text)["answers"][0]["value"] == {"x": [1, None]}


def test_latest_answers_for_steps_reads_only_the_last_days_answered(
    store: Store, now: datetime
) -> None:
    for day in range(1, 201):
        if day % 10:  # some days unanswered, and the newest answers come well before today
            store.save_answer("checkin", day, "energy", day % 11, later(now, day))
        store.save_answer("checkin", day, "closeness", 5, later(now, day))
    store.save_answer("other", 900, "energy", 1, now)
    found = store.latest_answers_for_steps([("checkin", "energy")], days=20)
    assert [(a.day, a.value) for a in found] == [
        (day, day % 11) for day in range(181, 201) if day % 10
    ]
    both = store.latest_answers_for_steps({("checkin", "energy"), ("checkin", "closeness")}, 2)
    assert [(a.day, a.step_id) for a in both] == [
        (199, "closeness"),
        (199, "energy"),
        (200, "closeness"),
    ]
    assert store.latest_answers_for_steps([("checkin", "energy")], days=0) == []
    assert store.latest_answers_for_steps([], days=5) == []
    assert store.latest_answers_for_steps([("nope", "energy")], days=5) == []
    with pytest.raises(TypeError):
        store.latest_answers_for_steps([("checkin",)], days=5)  # type: ignore[list-item]
