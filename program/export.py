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

from program.content.steps import answer_text
from program.service import Replenish
from program.settings import settings_problem
from state import Answer, EnteredAnswer, ImportRejected, StoreError
from state.paths import read_file, write_file
from state.transfer import MAX_BYTES, Counts, Merged, from_export, parse_export


class ImportRefused(Exception):
    """An import that was not carried out; nothing was changed."""


def as_json(service: Replenish) -> str:
    return json.dumps(service.store.export_data(), indent=2, ensure_ascii=False) + "\n"


def as_markdown(service: Replenish) -> str:
    return "\n".join(_markdown_lines(service)) + "\n"


def _markdown_lines(service: Replenish) -> Iterator[str]:
    program = service.program
    flags = service.flags()
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
    entered: dict[tuple[int, str], list[EnteredAnswer]] = defaultdict(list)
    for one in service.store.entered_answers():
        entered[(one.day, one.exercise_id)].append(one)
        by_day[one.day].setdefault(one.exercise_id, [])
    for day in sorted(by_day):
        yield ""
        yield f"## Day {day}"
        for exercise_id, answers in by_day[day].items():
            exercise = program.exercise(exercise_id)
            if exercise is None:
                title = f"{exercise_id} (no longer in the program)"
            elif not exercise.gate.open_for(flags):  # hidden by a flag now: its title too
                title = "An earlier exercise"
            else:
                title = exercise.title
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
                yield ""
                yield f"**{(step.question if step else '') or answer.step_id}**"
                yield ""
                yield answer_text(step, answer.value) or "(left blank)"
            for one in entered.get((day, exercise_id), []):
                step = exercise.step(one.step_id) if exercise else None
                yield ""
                yield (
                    f"**{(step.question if step else '') or one.step_id}**, "
                    f"entered for {one.name or 'your partner'}"
                )
                yield ""
                yield answer_text(step, one.value) or "(left blank)"
    yield from _partner_lines(service)
    if enrolment is not None:
        from program import then_now

        view = then_now.read(service)
        if view is not None:
            yield ""
            yield from then_now.markdown_lines(view)
    settings = service.settings()
    yield ""
    yield "## Settings"
    yield ""
    yield f"Reminders: {settings.reminders.describe()}."
    if settings.partner_name:
        yield f"Partner: {settings.partner_name}"


def _partner_lines(service: Replenish) -> Iterator[str]:
    """With whom you are paired, and why their shared answers are not here.

    The answers a partner's own device sent are their words, shown to you in the app;
    copying them into a file you may keep, print or pass on is theirs to choose (their
    own export holds them). What you entered for them from a worksheet exists only
    here, so it is in your export above, marked as theirs.
    """
    paired = service.store.partner()
    if paired is None:
        return
    yield ""
    yield "## Your partner"
    yield ""
    yield f"Paired with {paired.name} since {paired.paired_at:%d %B %Y}."
    yield (
        f"The answers {paired.name} shared with you are not in this file: they are "
        f"{paired.name}'s words, and {paired.name}'s own export holds them."
    )


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
    write_file(path.expanduser(), content, chosen=True)


def read_export(path: Path) -> bytes:
    """The bytes of the export at `path`: a regular file of at most `MAX_BYTES` (no pipe, no
    device), read before anything is opened, so a refusal touches nothing."""
    try:
        return read_file(path, MAX_BYTES)
    except OSError as error:
        raise ImportRefused(
            f"cannot read {path}: {error.strerror or error}; nothing was changed"
        ) from None


def import_json(service: Replenish, raw: str, replace: bool = False) -> str:
    """`import_bytes` for JSON text already in hand."""
    return import_bytes(service, raw.encode("utf-8", "surrogatepass"), replace=replace)


def import_bytes(service: Replenish, raw: bytes, *, replace: bool = False) -> str:
    """Bring back a JSON export and say what was done; refuses (changing nothing) when any
    part of it is malformed or holds a value the app would never have written.

    Without `replace`, nothing already here changes: only what is missing is added.
    With it, everything is replaced, after the current file has been set aside
    (copied, under the name `restore` uses) so nothing is lost either way.
    """
    try:
        snapshot = from_export(parse_export(raw))
        problem = settings_problem(snapshot.settings)
        if problem is not None:
            raise ImportRejected(f'settings["{problem[0]}"]', problem[1])
    except StoreError as error:
        raise ImportRefused(str(error)) from None
    store = service.store
    if not replace:
        merged = store.import_data(snapshot, replace=False)
        return "\n".join(_merge_words(merged))
    if snapshot.holds_nothing:
        raise ImportRefused(
            "this export holds no plan and no answers, so importing it with --replace would "
            f"only empty your data; nothing was changed. To start over, move the data folder "
            f"{store.data_dir} somewhere safe: the next command begins a new one"
        )
    lines = []
    current = store.export_data()
    if current["enrolment"] is not None or current["answers"] or current["outcomes"]:
        from state.backup import set_aside_copy

        kept = set_aside_copy(store.path, service.now())
        lines.append(f"Set aside (kept, not deleted): {kept}")
    merged = store.import_data(snapshot, replace=True)
    lines.append(f"Replaced everything with the export: {_listed(merged.added) or 'nothing'}.")
    return "\n".join(lines)


def _listed(counts: Counts) -> str:
    """'3 answers, 1 outcome and your plan': what the counts hold, in words."""
    parts = [
        _count(counts.answers, "answer"),
        _count(counts.outcomes, "outcome"),
        "your plan" if counts.plan else "",
        _count(counts.settings, "setting"),
        _count(counts.one_offs, "one-off reminder"),
        _entered_count(counts.entered),
        "where you were" if counts.position else "",
    ]
    shown = [part for part in parts if part]
    return ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else "".join(shown)


def _entered_count(number: int) -> str:
    return f"{_count(number, 'answer')} entered for your partner" if number else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}" if number else ""


def _merge_words(merged: Merged) -> list[str]:
    added, kept = _listed(merged.added), _listed(merged.kept)
    lines = [f"Imported {added}." if added else "Nothing new to import: all of it is already here."]
    if kept:
        lines.append(
            f"Kept as it was here (the export's version differs and was not used): {kept}. "
            "`replenish import --replace FILE` brings the export back whole, after setting "
            "your current file aside."
        )
    return lines
