"""Export and import: a faithful round-trip, and malformed files refused without harm."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from state import EnteredAnswer, ImportRejected, Store

LATER = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)


def fill(store: Store, now: datetime) -> None:
    """One of everything, with awkward values."""
    store.enrol("burnout-recovery", date(2025, 3, 1), 4, now)
    store.pause(date(2025, 3, 5))
    store.resume(date(2025, 3, 8))
    store.pause(date(2025, 3, 20))
    local = timezone(timedelta(hours=-5))
    store.save_answer("checkin", 1, "energy", 4, now)
    store.save_answer("checkin", 1, "closeness", 7, now + timedelta(seconds=1))
    store.save_answer(
        "sitting", 9, "noticed", "We 'laughed'; 50% less tense.\n", now.astimezone(local)
    )
    store.save_answer("workload", 12, "map", {"laundry": {"who": "me", "drain": 3}}, now)
    store.save_answer("workload", 12, "done", [True, None, 1.5, "x"], now)
    store.save_answer("gone", 2, "old-step", "from an exercise since removed", now)
    store.complete("checkin", 1, now)
    store.skip("sitting", 9, "away for work", now)
    store.set_position("workload", 12, 2, now)
    store.set_setting("reminder", {"time": "20:30:00", "days": ["mon", "wed"]})
    store.set_setting("partner", "Sam")
    store.claim_delivery("daily:2025-03-10", now, "desktop")
    store.claim_delivery("daily:2025-03-11", now + timedelta(days=1), "in-app")
    first = store.add_one_off(now + timedelta(hours=2), "call Relate", now)
    store.add_one_off(now + timedelta(hours=1), "ask about Saturday", now)
    store.mark_one_off_delivered(first)
    store.enter_answers(
        [
            EnteredAnswer("checkin", 1, "energy", 6, "Sam", now),
            EnteredAnswer("checkin", 2, "words", "a long day\n\x1b[31m", "", now.astimezone(local)),
        ]
    )


def without_time(export: dict[str, Any]) -> dict[str, Any]:
    trimmed = dict(export)
    trimmed.pop("exported_at")
    return trimmed


def test_export_has_the_documented_shape(store: Store, now: datetime) -> None:
    fill(store, now)
    data = store.export_data(LATER)
    assert list(data) == [
        "format", "version", "exported_at", "enrolment", "answers", "outcomes",
        "position", "settings", "deliveries", "one_offs", "entered_answers",
    ]  # fmt: skip
    assert data["format"] == "replenish-export"
    assert data["version"] == 2
    assert data["exported_at"] == LATER.isoformat()
    assert data["enrolment"] == {
        "program_id": "burnout-recovery",
        "start_date": "2025-03-01",
        "day_start_hour": 4,
        "enrolled_at": now.isoformat(),
        "pauses": [
            {"started_on": "2025-03-05", "resumed_on": "2025-03-08"},
            {"started_on": "2025-03-20", "resumed_on": None},
        ],
    }
    assert isinstance(data["answers"], list) and len(data["answers"]) == 6
    assert data["position"] == {
        "exercise_id": "workload",
        "day": 12,
        "step_index": 2,
        "at": now.isoformat(),
    }
    assert json.loads(json.dumps(data)) == data


def test_round_trip_into_another_store(tmp_path: Path, now: datetime) -> None:
    with Store.open(tmp_path / "one") as one:
        fill(one, now)
        exported = one.export_data()
    with Store.open(tmp_path / "two") as two:
        two.save_answer("will-be", 1, "replaced", "x", now)
        two.import_data(json.loads(json.dumps(exported)))
        again = two.export_data()
        assert without_time(again) == without_time(exported)
        assert two.answers() == one_answers(tmp_path / "one")
        enrolment = two.enrolment()
        assert enrolment is not None and enrolment.paused
        assert [r.text for r in two.one_offs()] == ["ask about Saturday"]
        assert [a.day for a in two.search_answers("50%")] == [9], "search index rebuilt"
        assert two.entered_answers() == one_entered(tmp_path / "one")
        assert [(e.value, e.name) for e in two.entered_answers()] == [
            (6, "Sam"), ("a long day\n\x1b[31m", "")
        ]


def one_entered(folder: Path) -> list[Any]:
    with Store.open(folder) as store:
        return list(store.entered_answers())


def test_a_version_1_export_without_entered_answers_still_imports(
    tmp_path: Path, now: datetime
) -> None:
    with Store.open(tmp_path / "one") as one:
        fill(one, now)
        exported = one.export_data()
    assert isinstance(exported, dict)
    exported["version"] = 1
    del exported["entered_answers"]
    with Store.open(tmp_path / "two") as two:
        two.import_data(exported)
        assert len(two.answers()) == 6 and two.entered_answers() == []


def one_answers(folder: Path) -> list[Any]:
    with Store.open(folder) as store:
        return list(store.answers())


def test_round_trip_of_an_empty_store(tmp_path: Path, now: datetime) -> None:
    with Store.open(tmp_path / "one") as one:
        exported = one.export_data()
    assert exported["enrolment"] is None and exported["position"] is None
    with Store.open(tmp_path / "two") as two:
        fill(two, now)
        two.import_data(exported)
        assert without_time(two.export_data()) == without_time(exported)
        assert two.enrolment() is None and two.answers() == []


def test_one_off_ids_survive_and_new_ones_do_not_collide(store: Store, now: datetime) -> None:
    fill(store, now)
    exported = store.export_data()
    store.import_data(exported)
    ids = [r.id for r in store.one_offs(include_delivered=True)]
    new = store.add_one_off(now, "fresh", now)
    assert new not in ids


# ---------------------------------------------------------------- malformed imports

Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Mutation:
    """A mutation that sets data[path] (dotted, with [i]) to `value`."""

    def apply(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return apply


def _delete(path: str) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        head, _, key = path.rpartition(".")
        target: Any = data
        for part in head.replace("[", ".").replace("]", "").split(".") if head else []:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[key]

    return apply


def _append_copy(list_name: str, index: int) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        data[list_name].append(copy.deepcopy(data[list_name][index]))

    return apply


BAD = [
    pytest.param(
        _set("answers[3].day", "3"), "answers[3].day: expected an integer", id="answers[3].day"
    ),
    pytest.param(
        _set("answers[0].day", True), "answers[0].day: expected an integer", id="bool day"
    ),
    pytest.param(
        _set("outcomes[0].day", -1),
        "outcomes[0].day: expected an integer at least 0",
        id="negative day",
    ),
    pytest.param(
        _set("answers[1].saved_at", "2025-03-10T09:00:00"),
        "answers[1].saved_at: expected a date and time with a UTC offset",
        id="naive time",
    ),
    pytest.param(
        _set("deliveries[0].delivered_at", "yesterday"),
        "deliveries[0].delivered_at: expected an ISO 8601",
        id="bad time",
    ),
    pytest.param(
        _set("enrolment.start_date", "2025-02-30"),
        "enrolment.start_date: expected a date as YYYY-MM-DD",
        id="bad date",
    ),
    pytest.param(
        _set("enrolment.start_date", "20250301"),
        "enrolment.start_date: expected a date",
        id="compact date",
    ),
    pytest.param(
        _set("enrolment.day_start_hour", 24),
        "enrolment.day_start_hour: expected an integer at least 0 and at most 23",
        id="hour",
    ),
    pytest.param(
        _set("enrolment.pauses[0].resumed_on", "2025-03-01"),
        "enrolment.pauses[0].resumed_on: expected a date on or after started_on",
        id="pause order",
    ),
    pytest.param(
        _set("enrolment.pauses[0].resumed_on", None),
        "enrolment.pauses[0].resumed_on: only the last pause may be open",
        id="open pause first",
    ),
    pytest.param(
        _set("outcomes[1].kind", "maybe"),
        'outcomes[1].kind: expected "done" or "skipped"',
        id="kind",
    ),
    pytest.param(
        _delete("answers[2].step_id"), "answers[2].step_id: missing field", id="missing field"
    ),
    pytest.param(
        _set("position.colour", "red"), "position.colour: unexpected field", id="unknown field"
    ),
    pytest.param(
        _set("answers[0].exercise_id", ""),
        "answers[0].exercise_id: expected a non-empty string",
        id="empty id",
    ),
    pytest.param(
        _set("answers[4].value", float("nan")),
        "answers[4].value: expected a finite number",
        id="nan value",
    ),
    pytest.param(
        _set("answers[3].value", {"a": [1, {2, 3}]}),
        "answers[3].value.a[1]: expected null",
        id="nested bad value",
    ),
    pytest.param(_set("answers", {"0": {}}), "answers: expected a list", id="answers not a list"),
    pytest.param(
        _set("answers[0]", "text"), "answers[0]: expected an object", id="answer not an object"
    ),
    pytest.param(
        _append_copy("answers", 0),
        "answers[6]: same exercise_id, day and step_id as answers[0]",
        id="duplicate answer",
    ),
    pytest.param(
        _append_copy("outcomes", 1),
        "outcomes[2]: same exercise_id and day as outcomes[1]",
        id="duplicate outcome",
    ),
    pytest.param(
        _append_copy("deliveries", 0),
        "deliveries[2].key: same key as deliveries[0]",
        id="duplicate delivery",
    ),
    pytest.param(
        _append_copy("one_offs", 0),
        "one_offs[2].id: same id as one_offs[0]",
        id="duplicate one-off",
    ),
    pytest.param(
        _set("one_offs[0].delivered", 1),
        "one_offs[0].delivered: expected true or false",
        id="one-off delivered",
    ),
    pytest.param(_set("settings", []), "settings: expected an object", id="settings"),
    pytest.param(
        _set("settings.", 1), 'settings[""]: expected a non-empty string key', id="setting key"
    ),
    pytest.param(
        _set("format", "something-else"), 'format: expected "replenish-export"', id="format"
    ),
    pytest.param(
        _set("version", 3), "version: this export was made by a newer Replenish", id="newer version"
    ),
    pytest.param(_delete("version"), "version: missing field", id="missing version"),
    pytest.param(_delete("one_offs"), "one_offs: missing field", id="missing list"),
    pytest.param(
        _delete("entered_answers"), "entered_answers: missing field", id="missing entered"
    ),
    pytest.param(_set("extra", 1), "extra: unexpected field", id="extra top field"),
    pytest.param(_set("exported_at", 5), "exported_at: expected a string", id="exported_at"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD)
def test_malformed_import_is_rejected_and_changes_nothing(
    tmp_path: Path, now: datetime, mutate: Mutation, message: str
) -> None:
    with Store.open(tmp_path / "source") as source:
        fill(source, now)
        data = source.export_data(LATER)
    mutate(data)
    with Store.open(tmp_path / "target") as target:
        target.enrol("mine", date(2025, 1, 1), 3, now)
        target.save_answer("mine", 1, "s", "precious", now)
        before = target.export_data(LATER)
        with pytest.raises(ImportRejected) as caught:
            target.import_data(data)
        assert message in str(caught.value)
        assert "Nothing was changed" in str(caught.value)
        assert target.export_data(LATER) == before


@pytest.mark.parametrize("data", [None, [], "text", 42], ids=repr)
def test_non_object_imports_are_rejected(store: Store, data: object) -> None:
    with pytest.raises(ImportRejected, match="expected a JSON object at the top level"):
        store.import_data(data)


def test_later_error_rejects_the_whole_import(tmp_path: Path, now: datetime) -> None:
    """Every section is checked before any write: a bad last field still changes nothing."""
    with Store.open(tmp_path / "source") as source:
        fill(source, now)
        data = source.export_data(LATER)
    one_offs: Any = data["one_offs"]
    one_offs[-1]["text"] = None
    with Store.open(tmp_path / "target") as target:
        target.save_answer("mine", 1, "s", "precious", now)
        with pytest.raises(ImportRejected, match=r"one_offs\[1\]\.text: expected a string"):
            target.import_data(data)
        assert [a.value for a in target.answers()] == ["precious"]


def test_an_import_that_adds_keeps_an_entered_answer_already_here(
    tmp_path: Path, now: datetime
) -> None:
    with Store.open(tmp_path / "one") as one:
        fill(one, now)
        exported = one.export_data()
    with Store.open(tmp_path / "two") as two:
        two.enter_answers([EnteredAnswer("checkin", 1, "energy", 2, "Sam", now)])
        merged = two.import_data(exported, replace=False)
        assert (merged.added.entered, merged.kept.entered) == (1, 1)
        assert [e.value for e in two.entered_answers()] == [2, "a long day\n\x1b[31m"]
