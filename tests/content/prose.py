"""The bundled program's prose, gathered per flag set, and the measures the content checks use.

Everything a user can read comes from the program: steps, titles, summaries, notices,
closings, Help's support text and the Welcome, each as the flags choose it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from program.content import Program

ROOT = Path(__file__).resolve().parents[2]
SEED_RUNS = ROOT / "tests" / "fixtures" / "seed-runs.txt"
SEEDS = ROOT.parent / "shared" / "seeds"
"""Where the seed articles sit beside a checkout (CI lays shared/ there), when they do."""
RUN = 6
_WORD = re.compile(r"[a-z0-9']+")


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def run_hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def runs_of(text: str) -> Iterator[tuple[str, str]]:
    """(hash, the run) for every run of `RUN` words in `text`."""
    found = words_of(text)
    for index in range(len(found) - RUN + 1):
        run = found[index : index + RUN]
        yield run_hash(run), " ".join(run)


def seed_runs() -> frozenset[str]:
    """The hashed six-word runs of the seeds (the fixture; the articles themselves are not
    copied into the repository)."""
    lines = SEED_RUNS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def syllables(word: str) -> int:
    """A plain English syllable count: vowel groups, less a silent final e."""
    word = word.strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of `text` (sentences end at . ! ? : or a line break)."""
    plain = re.sub(r"[*_`#>\[\]()]", " ", text)
    sentences = [part for part in re.split(r"[.!?:;]+|\n\s*[-\n]", plain) if words_of(part)]
    found = words_of(plain)
    if not found or not sentences:
        return 0.0
    per_sentence = len(found) / len(sentences)
    per_word = sum(syllables(word) for word in found) / len(found)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def prose(program: Program, flags: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of prose someone with `flags` can read."""
    seen = program.seen_with(flags)
    yield "program summary", seen.summary
    yield "support", seen.support
    yield "welcome", seen.welcome
    for index, line in enumerate(seen.closings):
        yield f"closing {index + 1}", line
    for notice in seen.notices_for(flags):
        yield "notice", notice.text
    if seen.then_and_now is not None:
        yield "then and now", seen.then_and_now.text
    for module in seen.modules:
        yield f"{module.id} title", module.title
        yield f"{module.id} summary", module.summary
    for exercise in seen.exercises:
        if not exercise.gate.open_for(flags):
            continue
        yield f"{exercise.id} title", exercise.title
        yield f"{exercise.id} summary", exercise.summary
        yield f"{exercise.id} closing", exercise.closing
        if exercise.short is not None:
            yield f"{exercise.id} short summary", exercise.short.summary
        forms = (exercise, exercise.short) if exercise.short else (exercise,)
        steps = {  # the first time and again (`shown`), in order, each step once
            step.id: step
            for form in forms
            for again in (False, True)
            for step in form.steps_for(flags, again)
        }
        for step in steps.values():
            where = f"{exercise.id}/{step.id}"
            for name in ("text", "title", "prompt", "label", "placeholder", "recall_label"):
                yield where, str(getattr(step, name, ""))
            for name in ("options", "items"):
                yield where, "\n- ".join(getattr(step, name, ()))
