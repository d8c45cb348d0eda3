"""Where two partners' workload maps differ, each difference one calm question to talk about.

Pure: two revealed `grid` answers in, questions out; no store, no screen. What one
partner calls "me" the other calls "my partner", so the partner's map is first read
from this side (`from_this_side`); then only the cells both answered and that differ
are kept. There are no totals, no counts and no score here, by design: a map is two
views to talk about, never a verdict on who does more. The rows a user added are
their own and never travel (`GridStep.shared_value`), so only the program's rows are
compared. How draining a task feels is each one's own experience, not a view of who
holds it, so it is never set against the other's.
"""

from __future__ import annotations

from msgspec import Struct

from program.content.steps import ROLES, GridAnswer, GridStep

SWAPPED = {"me": "partner", "partner": "me", "both": "both", "neither": "neither"}
"""Who holds a cell, said from the other side of the pair."""

_ING = {"notice": "noticing", "plan": "planning", "do": "doing"}
_BASE = {"notice": "notice", "plan": "plan", "do": "do"}
_THIRD = {"notice": "notices", "plan": "plans", "do": "does"}


class Difference(Struct, frozen=True):
    """One task where the two maps differ: the parts (roles) that differ the same way,
    who holds them as this side sees it, and as the partner sees it, from this side."""

    row: str
    roles: tuple[str, ...]
    mine: str
    theirs: str

    def question(self, partner: str) -> str:
        """The difference as one question to talk about, with the partner's name as given."""
        ing = _joined([_ING[role] for role in self.roles])
        if (self.mine, self.theirs) == ("me", "partner"):
            base = _joined([_BASE[role] for role in self.roles])
            return (
                f"{self.row}: you both think you {base} it. What does that look like for "
                "each of you?"
            )
        if (self.mine, self.theirs) == ("partner", "me"):
            third = _joined([_THIRD[role] for role in self.roles])
            return (
                f"{self.row}: you each think the other one {third} it. What might each of "
                "you be doing there that the other does not see?"
            )
        mine = {
            "me": f"you see yourself {ing} it",
            "partner": f"you see {partner} {ing} it",
            "both": f"you see {ing} it as shared",
            "neither": f"you think no one is {ing} it",
        }[self.mine]
        theirs = {
            "me": f"{partner} sees you {ing} it",
            "partner": f"{partner} sees themselves {ing} it",
            "both": f"{partner} sees it as shared",
            "neither": f"{partner} thinks no one is {ing} it",
        }[self.theirs]
        return f"{self.row}: {mine}; {theirs}. How does it look from each side?"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def from_this_side(answer: GridAnswer) -> dict[str, dict[str, str]]:
    """The partner's map as this side says it: their "me" is "partner" here, and back."""
    return {
        row: {
            role: SWAPPED[who]
            for role, who in given.items()
            if role in ROLES and isinstance(who, str)
        }
        for row, given in answer.cells.items()
    }


def differences(step: GridStep, mine: object, theirs: object) -> tuple[Difference, ...]:
    """Where this side's map (`mine`) and the partner's (`theirs`, as they saved it) differ,
    in the order of the program's rows; one `Difference` for each row and way of differing
    (the roles that differ alike go together). A cell either side left empty is no
    difference: there is nothing to compare."""
    own = GridAnswer.read(mine).cells
    other = from_this_side(GridAnswer.read(theirs))
    found: list[Difference] = []
    for row in step.rows:
        here, there = own.get(row, {}), other.get(row, {})
        ways: dict[tuple[str, str], list[str]] = {}
        for role in ROLES:
            a, b = here.get(role), there.get(role)
            if isinstance(a, str) and isinstance(b, str) and a != b:
                ways.setdefault((a, b), []).append(role)
        found.extend(Difference(row, tuple(roles), a, b) for (a, b), roles in ways.items())
    return tuple(found)
