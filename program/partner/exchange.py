"""Pairing and the exchange: what this device sends, what it takes in, what is revealed.

Commit, then reveal: an answer to a step the program shares (`share = "together"`)
goes out, once its exercise is done, sealed under a fresh `SecretBox` key with a
commitment (BLAKE2b of the key and the sealed answer). The key follows only once
the partner's commitment for the same exercise, date and step has arrived, so
neither can read the other's answer before fixing their own, nor change it after:
the first commitment for a step stands, and a second is refused and reported.
Steps pair up by the date of each partner's own plan day, so partners in
different time zones, or whose days begin at different hours, compare the same day.

While a safety flag is raised on this side, or the plan is paused, it sends no answer
and no key, only a pause, which is all the partner sees ("Sam has paused sharing"):
an ordinary pause of the plan looks the same, so a pause never says why.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import cast

from msgspec import Struct, field
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import Box, PublicKey
from nacl.secret import SecretBox
from nacl.utils import random

from program import plan
from program.content import Program
from program.content.steps import Step
from program.partner.envelope import (
    MAX_ENVELOPE,
    NAME,
    Chain,
    Item,
    Refused,
    bundle,
    chain,
    file_name,
    ignored_name,
    open_envelope,
    seal,
    unbundle,
)
from program.partner.keys import (
    INVITATION,
    REPLY,
    DeviceKey,
    Invitation,
    PartnerError,
    fingerprint,
)
from state import JSONValue, Partner, Store
from state.paths import make_folders, read_file, write_file

INVITATION_LIMIT = 1 << 16
"""Bytes an invitation or a reply file may have; one is a few hundred."""

SAFETY_FLAGS = frozenset({"safety-concern"})
"""The flags that pause sharing when the program declares none of its own."""


def safety_flags(program: Program) -> frozenset[str]:
    """The program's safety flags (caution and concern), or `SAFETY_FLAGS` if it names none."""
    return program.safety_flags or SAFETY_FLAGS


def topic_of(exercise_id: str, on: date, step_id: str) -> str:
    """What a commitment is for: one step of one exercise on one date of the plan."""
    return f"{exercise_id}/{on.isoformat()}/{step_id}"


def commitment(key: bytes, sealed: bytes) -> str:
    return blake2b(key + sealed, digest_size=32, person=b"rpln-commitment").decode("ascii")


class Commit(Struct, frozen=True):
    commitment: str
    sealed: bytes


class Side(Struct):
    """What one device has said, read from its accepted envelopes in order."""

    commits: dict[str, Commit] = field(default_factory=dict)
    keys: dict[str, bytes] = field(default_factory=dict)
    paused: bool = False
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, items: Iterable[Item], who: str) -> Side:
        side = cls()
        for item in items:
            kind, topic = item.get("t"), item.get("topic")
            if kind == "pause":
                side.paused = True
            elif kind == "resume":
                side.paused = False
            elif kind == "commit" and isinstance(topic, str):
                try:
                    made = Commit(str(item["c"]), base64.b64decode(str(item["box"])))
                except (KeyError, binascii.Error):
                    side.problems.append(f"{who}'s answer for {_said(topic)} is damaged")
                    continue
                first = side.commits.setdefault(topic, made)
                if first != made:
                    side.problems.append(
                        f"{who} sent a second answer for {_said(topic)}; it was refused and "
                        "the first one stands"
                    )
            elif kind == "key" and isinstance(topic, str):
                try:
                    side.keys.setdefault(topic, base64.b64decode(str(item["k"])))
                except (KeyError, binascii.Error):
                    side.problems.append(f"{who}'s key for {_said(topic)} is damaged")
        return side


def _said(topic: str) -> str:
    exercise, _, rest = topic.partition("/")
    on, _, step = rest.partition("/")
    return f"{exercise} ({step}) on {on}"


class Pair(Struct, frozen=True):
    """Both partners' answers to one step on one date, revealed."""

    on: date
    mine: JSONValue
    theirs: JSONValue
    entered_for: str | None = None
    """When the user entered the partner's answer from a worksheet: the partner's name then
    ("" if none was known). None when it came sealed from the partner's own device."""

    @property
    def entered_words(self) -> str:
        """"entered for Sam", said wherever an entered answer is shown; "" for a sealed one."""
        if self.entered_for is None:
            return ""
        return f"entered for {self.entered_for or 'your partner'}"


class Report(Struct, frozen=True):
    """What one exchange did: envelopes taken in, already known, sent; what was wrong."""

    received: int = 0
    known: int = 0
    sent: int = 0
    problems: tuple[str, ...] = ()


class PartnerStatus(Struct, frozen=True):
    """Where the pairing stands, for `partner show` and the app."""

    name: str
    fingerprint: tuple[str, ...]
    folder: str | None
    last_received: datetime | None
    partner_paused: bool
    paused: bool
    waiting: tuple[str, ...]
    problems: tuple[str, ...]


class Exchange:
    """One device's side of the pairing, on its store; made by `Replenish.partner()`."""

    def __init__(
        self,
        store: Store,
        program: Program,
        now: Callable[[], datetime],
        flags: Callable[[], frozenset[str]],
        schedule: Callable[[], plan.Schedule | None],
    ) -> None:
        self.store = store
        self.program = program
        self.now = now
        self._flags = flags
        self._schedule = schedule

    # ----- pairing -------------------------------------------------------

    def key(self) -> DeviceKey | None:
        return DeviceKey.load(self.store.data_dir)

    def invite(self, name: str) -> Invitation:
        """This device's invitation (its key made now if it has none)."""
        paired = self.store.partner()
        if paired is not None:
            raise PartnerError(
                f"already paired with {paired.name}; `replenish partner leave` first"
            )
        key = self.key() or DeviceKey.create(self.store.data_dir, name)
        return Invitation(INVITATION, key.name, key.public)

    def join(self, text: str, name: str) -> tuple[Invitation | None, tuple[str, ...]]:
        """Accept an invitation (returns the reply to send back) or a reply (returns None)."""
        theirs = Invitation.parse(text)
        paired = self.store.partner()
        if paired is not None and paired.public_key != theirs.public:
            raise PartnerError(
                f"already paired with {paired.name}; `replenish partner leave` first"
            )
        key = self.key()
        if theirs.kind == REPLY and key is None:
            raise PartnerError(
                "this is a reply, but this device has invited nobody; "
                "`replenish partner invite` first"
            )
        if key is None:
            key = DeviceKey.create(self.store.data_dir, name)
        if theirs.public == key.public:
            raise PartnerError("this is this device's own invitation; give it to your partner")
        self.store.pair(theirs.device, theirs.name, theirs.public, self.now())
        words = fingerprint(key.public, theirs.public)
        reply = Invitation(REPLY, key.name, key.public) if theirs.kind == INVITATION else None
        return reply, words

    def invite_to(self, path: Path, name: str) -> Invitation:
        """`invite`, written to the file the user named (0600); OSError if it cannot be."""
        invitation = self.invite(name)
        write_file(path, invitation.armored(), chosen=True)
        return invitation

    def join_from(
        self, path: Path, name: str, reply_to: Path
    ) -> tuple[Path | None, tuple[str, ...]]:
        """`join` with the invitation or reply in `path`; a reply to send back is written to
        `reply_to` (returned; None when `path` held a reply). OSError if a file cannot be."""
        text = read_file(path, INVITATION_LIMIT).decode("utf-8", errors="replace")
        reply, words = self.join(text, name)
        if reply is None:
            return None, words
        write_file(reply_to, reply.armored(), chosen=True)
        return reply_to, words

    def leave(self) -> str | None:
        """Unpair: forget the partner, everything received and sent, and this device's key."""
        paired = self.store.partner()
        self.store.unpair()
        DeviceKey.forget(self.store.data_dir)
        return None if paired is None else paired.name

    def link(self, folder: Path) -> Path:
        """Exchange through `folder` from now on (this device's subfolder made in it)."""
        _partner, key, _box = self._paired()
        chosen = folder.expanduser().absolute()
        if not chosen.is_dir():
            raise PartnerError(f"{chosen} is not a folder; make it (or sync it) first")
        make_folders(chosen / key.device)
        self.store.set_partner_folder(str(chosen))
        return chosen

    def _paired(self) -> tuple[Partner, DeviceKey, Box]:
        partner = self.store.partner()
        key = self.key()
        if partner is None or key is None:
            raise PartnerError("not paired with a partner; `replenish partner invite` to begin")
        return partner, key, Box(key.secret, PublicKey(partner.public_key))

    # ----- what each side said ------------------------------------------------

    def _chain(self, box: Box, device: str, who: str) -> Chain:
        opened = []
        problems = []
        for envelope in self.store.envelopes(device):
            try:
                opened.append(open_envelope(box, envelope.body, device, who))
            except Refused as refused:  # kept once, then the key changed: say so
                problems.append(str(refused))
        found = chain(opened, who)
        found.problems[:0] = problems
        return found

    def _sides(self) -> tuple[Partner, DeviceKey, Box, Chain, Side, Side]:
        partner, key, box = self._paired()
        mine = self._chain(box, key.device, "this device")
        theirs = self._chain(box, partner.device, partner.name)
        return (
            partner,
            key,
            box,
            mine,
            Side.read(mine.items, "this device"),
            Side.read(theirs.items, partner.name),
        )

    def sharing_paused(self) -> bool:
        """True while a safety flag is raised on this side or the plan is paused: nothing is
        sent but a pause, the same in both cases (the partner must not learn which)."""
        if self._flags() & safety_flags(self.program):
            return True
        schedule = self._schedule()
        return schedule is not None and any(span.resumed_on is None for span in schedule.pauses)

    def _live_answers(self, shares: frozenset[str]) -> dict[str, Given]:
        """This side's answers, as they stand, to steps shared as `shares` in exercises
        done, by topic. A safety step is never among them, whatever the program says (the
        validator refuses `share` there; this holds even for a program it did not check)."""
        schedule = self._schedule()
        if schedule is None:
            return {}
        wanted = {
            (exercise.id, step.id): step
            for exercise in self.program.exercises
            for step in exercise.steps
            if step.share in shares and not self.program.is_safety_step(exercise, step)
        }
        # Through the index by step, then the outcomes of those answers' days alone: a
        # sync (every five minutes while a folder is linked) reads what may be shared,
        # never the whole history.
        answers = self.store.answers_for_steps(wanted)
        if not answers:
            return {}
        days = [answer.day for answer in answers]
        done = {
            (outcome.exercise_id, outcome.day)
            for outcome in self.store.outcomes(min(days), max(days))
            if outcome.kind == "done"
        }
        today = plan.plan_date(self.now(), schedule.day_start_hour)
        found: dict[str, Given] = {}
        for answer in sorted(answers, key=lambda a: (a.day, a.exercise_id, a.step_id)):
            if (answer.exercise_id, answer.day) not in done:
                continue
            on = plan.date_of_day(schedule, answer.day, today)
            if on is None:
                continue
            topic = topic_of(answer.exercise_id, on, answer.step_id)
            step = wanted[(answer.exercise_id, answer.step_id)]
            found[topic] = Given(topic, answer.exercise_id, answer.day, on, step, answer.value)
        return found

    def _shared_answers(self) -> dict[str, JSONValue]:
        """What may leave, by topic: answers to `together` steps of exercises done, and the
        answers to `ask` steps the user chose to share, exactly as they saw them then."""
        found = {topic: _leaving(given) for topic, given in self._live_answers(TOGETHER).items()}
        for topic, choice in self.store.share_choices().items():
            if choice.shared and choice.value is not None:
                found[topic] = choice.value
        return found

    # ----- `ask`: shown, then shared or kept ------------------------------------

    def ready_to_share(self) -> list[Ready]:
        """Answers to `ask` steps of exercises done that wait for the user's choice, each
        with exactly the words that would leave. An empty answer waits for nothing."""
        chosen = self.store.share_choices()
        found = []
        for topic, given in sorted(self._live_answers(ASK).items()):
            text = given.step.answer_text(given.value)
            if topic in chosen or not text.strip():
                continue
            found.append(Ready(given, text))
        return sorted(found, key=lambda ready: (ready.given.on, ready.given.topic))

    def choose(self, ready: Ready, share: bool) -> None:
        """Share (or keep private) one answer exactly as `ready` showed it. Refused when the
        answer changed since it was shown, or was chosen already (the first choice stands)."""
        now = {item.given.topic: item for item in self.ready_to_share()}
        current = now.get(ready.given.topic)
        if current is None:
            if ready.given.topic in self.store.share_choices():
                raise PartnerError(
                    f"your answer for {_said(ready.given.topic)} was already chosen; the "
                    "first choice stands"
                )
            raise PartnerError(f"no answer for {_said(ready.given.topic)} waits to be shared")
        if current.given.value != ready.given.value:
            raise PartnerError(
                f"your answer for {_said(ready.given.topic)} changed since it was shown; "
                "look at it again before you choose"
            )
        self.store.choose_share(ready.given.topic, ready.given.value if share else None, self.now())

    # ----- sending -------------------------------------------------------

    def _outgoing(self) -> int:
        """Seal what is new into one envelope (kept in the store); returns 1, or 0 if nothing."""
        _partner, key, box, mine, said, heard = self._sides()
        items: list[Item] = []
        paused = self.sharing_paused()
        if paused != said.paused:
            items.append({"t": "pause" if paused else "resume"})
        if not paused:
            held = self.store.held_keys()
            for topic, value in sorted(self._shared_answers().items()):
                if topic in said.commits:
                    continue
                if topic not in held:
                    self.store.hold_key(topic, random(SecretBox.KEY_SIZE), self.now())
                    held = self.store.held_keys()
                fresh = held[topic]
                sealed = bytes(
                    SecretBox(fresh).encrypt(json.dumps(value).encode(), encoder=RawEncoder)
                )
                said.commits[topic] = Commit(commitment(fresh, sealed), sealed)
                items.append(
                    {
                        "t": "commit",
                        "topic": topic,
                        "c": commitment(fresh, sealed),
                        "box": base64.b64encode(sealed).decode("ascii"),
                    }
                )
            for topic in sorted(said.commits):
                if topic in heard.commits and topic not in said.keys and topic in held:
                    items.append(
                        {"t": "key", "topic": topic, "k": base64.b64encode(held[topic]).decode()}
                    )
        if not items:
            return 0
        seq = len(mine.accepted) + 1
        body = seal(box, key.device, seq, mine.last_hash, items)
        self.store.add_envelope(key.device, seq, body, self.now())
        return 1

    def send_bundle(self) -> tuple[str, Report]:
        """Everything this device has sent, new news sealed first, as a text to paste."""
        sent = self._outgoing()
        _partner, key, _box = self._paired()
        bodies = [envelope.body for envelope in self.store.envelopes(key.device)]
        return bundle(bodies), Report(sent=sent)

    # ----- receiving -----------------------------------------------------

    def _take(self, found: Iterable[tuple[bytes, int | None]], problems: list[str]) -> Report:
        partner, _key, box = self._paired()
        received = known = 0
        for body, seq in found:
            try:
                opened = open_envelope(box, body, partner.device, partner.name, seq)
            except Refused as refused:
                problems.append(str(refused))
                continue
            kept = self.store.add_envelope(partner.device, opened.seq, body, self.now())
            if kept is None:
                received += 1
            elif kept == body:
                known += 1
            else:
                problems.append(
                    f"a second, different envelope {opened.seq} from {partner.name} arrived "
                    "(replayed or forked); the first is kept and the second was not used"
                )
        return Report(received=received, known=known, problems=tuple(problems))

    def receive_bundle(self, text: str) -> Report:
        """Take in the envelopes of a pasted bundle, then seal any keys now due."""
        bodies = unbundle(text)
        if bodies is None:
            raise PartnerError(
                "no envelopes found; expected the lines from "
                "-----BEGIN REPLENISH ENVELOPES----- to -----END REPLENISH ENVELOPES-----"
            )
        report = self._take(((body, None) for body in bodies), [])
        return self._finish(report)

    def sync(self) -> Report:
        """Exchange through the linked folder: take in the partner's, write this device's."""
        partner, key, _box = self._paired()
        if partner.folder is None:
            raise PartnerError("no folder is linked; `replenish partner link FOLDER` first")
        folder = Path(partner.folder)
        if not folder.is_dir():
            raise PartnerError(f"the linked folder {folder} is not there (a drive not plugged in?)")
        problems: list[str] = []
        report = self._take(self._read_folder(folder / partner.device, problems), problems)
        report = self._finish(report)
        make_folders(folder / key.device)
        for envelope in self.store.envelopes(key.device):
            target = folder / key.device / file_name(envelope.seq)
            if not target.exists():  # written once, never changed
                write_file(target, envelope.body)
        return report

    def _read_folder(self, folder: Path, problems: list[str]) -> list[tuple[bytes, int | None]]:
        if not folder.is_dir():
            return []
        found: list[tuple[bytes, int | None]] = []
        for path in sorted(folder.iterdir()):
            name = path.name
            if ignored_name(name):
                continue
            matched = NAME.match(name)
            if matched is None:
                if name.endswith(".env"):
                    problems.append(f"{path} is not named as an envelope is; ignored")
                continue
            try:
                found.append((read_file(path, MAX_ENVELOPE), int(matched.group(1))))
            except OSError as error:
                problems.append(f"{path} could not be read ({error.strerror or error})")
        return found

    def _finish(self, report: Report) -> Report:
        """After taking in: the chain's and the answers' problems, and any keys now due."""
        sent = self._outgoing()
        status = self.status()
        problems = list(dict.fromkeys((*report.problems, *status.problems)))
        return Report(report.received, report.known, sent, tuple(problems))

    # ----- what the user sees -------------------------------------------------

    def status(self) -> PartnerStatus:
        partner, key, box, _mine, said, heard = self._sides()
        theirs = self._chain(box, partner.device, partner.name)
        problems = [*theirs.problems, *heard.problems]
        held = self.store.held_keys()
        current = {t: _leaving(given) for t, given in self._live_answers(TOGETHER | ASK).items()}
        fixed = {t: c.value for t, c in self.store.share_choices().items() if c.shared}
        for topic, commit in said.commits.items():
            fixed[topic] = _opened(held.get(topic), commit)
        for topic, first in sorted(fixed.items()):
            if topic in current and first is not _DAMAGED and current[topic] != first:
                problems.append(
                    f"your answer for {_said(topic)} was already shared; the change stays on "
                    "this machine and your partner sees the first"
                )
        waiting = []
        for topic in sorted(said.commits.keys() | heard.commits.keys()):
            if topic not in heard.commits:
                waiting.append(f"waiting for {partner.name}'s half: {_said(topic)}")
            elif topic not in said.commits:
                waiting.append(f"{partner.name}'s half is in, yours is not: {_said(topic)}")
            elif topic not in heard.keys:
                waiting.append(f"waiting for {partner.name}'s key: {_said(topic)}")
        received = self.store.envelopes(partner.device)
        return PartnerStatus(
            name=partner.name,
            fingerprint=fingerprint(key.public, partner.public_key),
            folder=partner.folder,
            last_received=max((e.at for e in received), default=None),
            partner_paused=heard.paused,
            paused=self.sharing_paused(),
            waiting=tuple(waiting),
            problems=tuple(problems),
        )

    def pairs(self, exercise_id: str, step_id: str) -> list[Pair]:
        """Both answers to one step, for each date on which both are in and revealed."""
        _partner, _key, _box, _mine, said, heard = self._sides()
        held = self.store.held_keys()
        found = []
        for topic, theirs in heard.commits.items():
            exercise, _, rest = topic.partition("/")
            on, _, step = rest.partition("/")
            if (exercise, step) != (exercise_id, step_id) or topic not in said.keys:
                continue
            mine = said.commits.get(topic)
            their_key = heard.keys.get(topic)
            if mine is None or their_key is None:
                continue
            if commitment(their_key, theirs.sealed) != theirs.commitment:
                continue  # a key that does not open what was committed reveals nothing
            value, own = _opened(their_key, theirs), _opened(held.get(topic), mine)
            if value is _DAMAGED or own is _DAMAGED:
                continue
            try:
                found.append(Pair(date.fromisoformat(on), own, value))
            except ValueError:
                continue
        return sorted(found, key=lambda pair: pair.on)


TOGETHER = frozenset({"together"})
ASK = frozenset({"ask"})


class Given(Struct, frozen=True):
    """One answer of this side to a shared step: where it belongs, and its value now."""

    topic: str
    exercise_id: str
    day: int
    on: date
    step: Step
    value: JSONValue


class Ready(Struct, frozen=True):
    """An answer to an `ask` step waiting for the user's choice, and the words that would
    leave (the step's own reading of the value, shown literally and in full)."""

    given: Given
    text: str

    @property
    def id(self) -> str:
        """A short name for the command line: it changes when the answer does, so sharing
        by it can only send what `partner show` printed."""
        seen = f"{self.given.topic}\n{json.dumps(self.given.value, sort_keys=True)}"
        return blake2b(seen.encode(), digest_size=4, person=b"rpln-ask").decode("ascii")


_DAMAGED: JSONValue = {"damaged": True}


def _leaving(given: Given) -> JSONValue:
    """What of an answer may leave, as its step's kind decides (`Step.shared_value`: a grid
    under `together` keeps back the rows the user added; under `ask`, all of it, as shown)."""
    return cast("JSONValue", given.step.shared_value(given.value))


def _opened(key: bytes | None, commit: Commit) -> JSONValue:
    """The answer a commitment holds, opened with its key (`_DAMAGED` if it cannot be)."""
    if key is None or commitment(key, commit.sealed) != commit.commitment:
        return _DAMAGED
    try:
        value: JSONValue = json.loads(SecretBox(key).decrypt(commit.sealed, encoder=RawEncoder))
    except (CryptoError, ValueError):
        return _DAMAGED
    return value
