"""Generated inputs for the benchmark: large program folders and a store with years of answers.

Everything is written into folders the caller owns (temporary ones), never the user's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

EXERCISES_PER_MODULE = 10
LONG_DAYS = 3650
"""Ten years: the longest plan the format allows, so every generated day is valid."""

_TEXT = (
    "Take a slow breath and notice where the day has left you. Nothing here needs fixing; "
    "this is only a few quiet minutes to see how you are, before anything else asks of you."
)


def _exercise(module: int, number: int) -> str:
    day = (module * EXERCISES_PER_MODULE + number) % LONG_DAYS + 1
    return f'''
[[exercise]]
id = "m{module:04d}-e{number:02d}"
title = "Exercise {number} of module {module}"
summary = "A short, gentle exercise generated for the benchmark."
day = {day}
minutes = 5

  [[exercise.step]]
  kind = "read"
  title = "Before you begin"
  text = """
{_TEXT}
"""

  [[exercise.step]]
  kind = "scale"
  id = "energy"
  prompt = "How much energy do you have right now?"
  min = 0
  max = 10
  min_label = "none"
  max_label = "plenty"

  [[exercise.step]]
  kind = "reflect"
  id = "noticed"
  prompt = "What did you notice?"
  placeholder = "A few words are enough."

  [[exercise.step]]
  kind = "timer"
  seconds = 120
  label = "Two quiet minutes."
'''


def write_program(folder: Path, modules: int) -> Path:
    """A valid program of `modules` modules with ten exercises each (four steps apiece)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.toml").write_text(
        f'id = "bench"\ntitle = "Benchmark program"\ndays = {LONG_DAYS}\n'
        'summary = "Generated to time the validator."\n',
        encoding="utf-8",
    )
    for module in range(modules):
        head = (
            f'id = "m{module:04d}"\ntitle = "Module {module}"\n'
            'summary = "Generated module for the benchmark."\n'
        )
        body = "".join(_exercise(module, number) for number in range(EXERCISES_PER_MODULE))
        (folder / f"m{module:04d}.toml").write_text(head + body, encoding="utf-8")
    return folder


JOURNAL_EXERCISE = "check-in"


def write_journal_program(folder: Path) -> Path:
    """A ten-year program with one daily check-in: energy, closeness and a reflection."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.toml").write_text(
        f'id = "journal-bench"\ntitle = "Ten years of check-ins"\ndays = {LONG_DAYS}\n',
        encoding="utf-8",
    )
    (folder / "daily.toml").write_text(
        f'''id = "daily"
title = "Every day"
summary = "One short check-in a day."

[[exercise]]
id = "{JOURNAL_EXERCISE}"
title = "Daily check-in"
daily = true
minutes = 2

  [[exercise.step]]
  kind = "scale"
  id = "energy"
  prompt = "How much energy do you have today?"

  [[exercise.step]]
  kind = "scale"
  id = "closeness"
  prompt = "How close do you feel today?"

  [[exercise.step]]
  kind = "reflect"
  id = "noticed"
  prompt = "What did you notice today?"
''',
        encoding="utf-8",
    )
    return folder


def journal_export(days: int, today: date) -> dict[str, object]:
    """An export (the store's public import format) with `days` days of daily answers."""
    start = today - timedelta(days=days - 1)
    answers: list[dict[str, object]] = []
    outcomes: list[dict[str, object]] = []
    for day in range(1, days + 1):
        _checkin(answers, outcomes, day, start)
    return _export("journal-bench", start, answers, outcomes)


def _saved_at(start: date, day: int, hour: int) -> str:
    at = datetime.combine(start + timedelta(days=day - 1), datetime.min.time(), UTC)
    return (at + timedelta(hours=hour)).isoformat()


def _checkin(
    answers: list[dict[str, object]], outcomes: list[dict[str, object]], day: int, start: date
) -> None:
    """Day `day`'s check-in: energy, closeness and a reflection, done at 20:00."""
    saved = _saved_at(start, day, 20)
    for step, value in (
        ("energy", day % 11),
        ("closeness", (day * 7) % 11),
        ("noticed", f"Day {day}: we laughed at dinner and I slept better ({day % 13})."),
    ):
        answers.append(
            {
                "exercise_id": JOURNAL_EXERCISE,
                "day": day,
                "step_id": step,
                "value": value,
                "saved_at": saved,
            }
        )
    outcomes.append(
        {"exercise_id": JOURNAL_EXERCISE, "day": day, "kind": "done", "reason": "", "at": saved}
    )


def _export(
    program_id: str,
    start: date,
    answers: list[dict[str, object]],
    outcomes: list[dict[str, object]],
) -> dict[str, object]:
    enrolled = datetime.combine(start, datetime.min.time(), UTC).isoformat()
    return {
        "format": "replenish-export",
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(),
        "enrolment": {
            "program_id": program_id,
            "start_date": start.isoformat(),
            "day_start_hour": 4,
            "enrolled_at": enrolled,
            "pauses": [],
        },
        "answers": answers,
        "outcomes": outcomes,
        "position": None,
        "settings": {},
        "deliveries": [],
        "one_offs": [],
    }


HISTORY_PROGRAM_DAYS = 7305
"""Twenty years, the longest plan the format allows: every history size is inside the plan,
so the same program serves 1 week and 20 years and only the history differs."""
EVENING_WORDS = "the evening was quiet"


def write_history_program(folder: Path) -> Path:
    """Twenty years of two daily exercises: the check-in (two scales and a reflection)
    and an evening note; both carry over, so every past day counts towards days done.
    A low energy raises a flag for its day alone (`scope = "day"`), as the bundled
    program's check-in does, so the day flags' reads are on every everyday path."""
    write_journal_program(folder)
    daily = folder / "daily.toml"
    text = daily.read_text(encoding="utf-8")
    daily.write_text(
        text.replace(
            '  id = "energy"\n',
            '  id = "energy"\n  scope = "day"\n  flags = { running-low = [0, 3] }\n',
            1,
        ),
        encoding="utf-8",
    )
    (folder / "program.toml").write_text(
        f'id = "history-bench"\ntitle = "Twenty years of days"\ndays = {HISTORY_PROGRAM_DAYS}\n',
        encoding="utf-8",
    )
    (folder / "evening.toml").write_text(
        """id = "evening"
title = "Evenings"
summary = "A line before sleep."

[[exercise]]
id = "evening"
title = "Evening note"
daily = true
minutes = 1

  [[exercise.step]]
  kind = "reflect"
  id = "line"
  prompt = "One line about today?"
""",
        encoding="utf-8",
    )
    return folder


def history_export(days: int, today: date) -> dict[str, object]:
    """`days` days of daily answers ending `today` (program day `days`): every earlier day
    done, both exercises answered; today is waiting, with nothing answered yet."""
    start = today - timedelta(days=days - 1)
    answers: list[dict[str, object]] = []
    outcomes: list[dict[str, object]] = []
    for day in range(1, days):
        _checkin(answers, outcomes, day, start)
        saved = _saved_at(start, day, 22)
        answers.append(
            {
                "exercise_id": "evening",
                "day": day,
                "step_id": "line",
                "value": f"Day {day}: {EVENING_WORDS}.",
                "saved_at": saved,
            }
        )
        outcomes.append(
            {"exercise_id": "evening", "day": day, "kind": "done", "reason": "", "at": saved}
        )
    return _export("history-bench", start, answers, outcomes)
