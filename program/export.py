"""Export everything the user wrote (Markdown to read, JSON to keep) and import it back.

The JSON is exactly the store's own export, so an import round-trips it. The
Markdown names each exercise by its title in the program; answers to exercises
the program no longer has are still there, under their id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from program.service import Replenish
from state import Answer, JSONValue, StoreError
from state.paths import write_file


class ImportRefused(Exception):
    """An import that was not carried out; nothing was changed."""


def as_json(service: Replenish) -> str:
    return json.dumps(service.store.export_data(), indent=2, ensure_ascii=False) + "\n"


def as_markdown(service: Replenish) -> str:
    return "\n".join(_markdown_lines(service)) + "\n"


def _markdown_lines(service: Replenish) -> Iterator[str]:
    program = service.program
    yield f"# {program.title}: your answers"
    yield ""
    yield f"Exported {service.now():%A %d %B %Y at %H:%M}. This file holds your private words."
    enrolment = service.enrolment()
    if enrolment is not None:
        yield ""
        yield (
            f"Plan started on {enrolment.start_date:%d %B %Y}; "
            f"days begin at {enrolment.day_start_hour:02d}:00."
        )
        for pause in enrolment.pauses:
            until = f" until {pause.resumed_on:%d %B %Y}" if pause.resumed_on else " (still paused)"
            yield f"Paused on {pause.started_on:%d %B %Y}{until}."
    outcomes = {(item.exercise_id, item.day): item for item in service.store.outcomes()}
    by_day: dict[int, dict[str, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    for answer in service.store.answers():
        by_day[answer.day][answer.exercise_id].append(answer)
    for exercise_id, day in outcomes:
        by_day[day].setdefault(exercise_id, [])
    for day in sorted(by_day):
        yield ""
        yield f"## Day {day}"
        for exercise_id, answers in by_day[day].items():
            exercise = program.exercise(exercise_id)
            title = exercise.title if exercise else f"{exercise_id} (no longer in the program)"
            outcome = outcomes.get((exercise_id, day))
            state = ""
            if outcome is not None:
                state = " (done)" if outcome.kind == "done" else " (set aside)"
            yield ""
            yield f"### {title}{state}"
            if outcome is not None and outcome.kind == "skipped" and outcome.reason:
                yield ""
                yield f"Set aside because: {outcome.reason}"
            for answer in answers:
                step = exercise.step(answer.step_id) if exercise else None
                prompt = getattr(step, "prompt", "") or getattr(step, "label", "") or answer.step_id
                yield ""
                yield f"**{prompt}**"
                yield ""
                yield _answer_text(answer.value)
    settings = service.settings()
    yield ""
    yield "## Settings"
    yield ""
    yield f"Reminders: {settings.reminders.describe()}."
    if settings.partner_name:
        yield f"Partner: {settings.partner_name}"


def _answer_text(value: JSONValue) -> str:
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value) or "(nothing chosen)"
    if isinstance(value, dict):
        return "\n".join(f"- {key}: {item}" for key, item in value.items())
    if value is None or value == "":
        return "(left blank)"
    return str(value)


def export_problem(path: Path) -> str | None:
    """Why `path` cannot take an export, or None when it can."""
    if path.is_dir():
        return f"{path} is a folder; add a file name, like replenish-export.md"
    if not path.parent.is_dir():
        return f"There is no folder {path.parent}; choose a folder that exists"
    return None


def write_private(path: Path, content: str) -> None:
    """Write a file the user chose, only they can read (0600), through `state.paths.write_file`.

    A regular file is replaced atomically; a link is followed to its target; a
    named pipe or a device (a terminal, /dev/null) is written into, never replaced.
    """
    write_file(path.expanduser(), content, follow_link=True)


def import_json(service: Replenish, raw: str, replace: bool = False) -> str:
    """Bring back a JSON export; refuses (changing nothing) when it is malformed.

    Existing data is never overwritten unless `replace` is given.
    """
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); nothing was changed"
        ) from None
    existing = service.store.export_data()
    has_data = existing.get("enrolment") is not None or bool(existing.get("answers"))
    if has_data and not replace:
        raise ImportRefused(
            "this data folder already holds a plan and answers; nothing was changed. "
            "Export them first, then run import again with --replace to swap them"
        )
    try:
        service.store.import_data(data)
    except StoreError as error:
        raise ImportRefused(f"{error}; nothing was changed") from None
    answers = data.get("answers", []) if isinstance(data, dict) else []
    count = len(answers) if isinstance(answers, list) else 0
    return f"Imported {count} answer{'s' if count != 1 else ''}."
