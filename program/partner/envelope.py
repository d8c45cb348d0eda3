"""Sealed envelopes: the one format both partners exchange, and the checks on the way in.

An envelope is one line of compact JSON (UTF-8, ending in a newline), written once:

    {"v":1,"from":"<device>","seq":3,"prev":"<64 hex>","box":"<base64>"}

`from` is the sender's device id, `seq` counts that device's envelopes from 1,
`prev` is the BLAKE2b-256 of the previous envelope's bytes (64 zeros for the
first), and `box` is a PyNaCl `Box` (Curve25519, XSalsa20-Poly1305, a random
nonce) from the sender to the partner, holding `{"v","from","seq","prev","items"}`.
The header is sealed inside again, so a header changed, or an envelope copied
under another device's or seq's name, no longer matches what was sealed.

In a folder, each device writes only its own subfolder, one file per envelope
named `000003.env`, under a temporary name first and then renamed. A reader
takes what it finds: anything a sync tool made (`*.sync-conflict-*`, "conflicted
copy"), a half-written temporary (`.*`, `*.tmp`) is ignored.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Sequence

from msgspec import Struct, field
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import Box

from state import JSONValue

FORMAT = 1
NO_PREVIOUS = "0" * 64
MAX_ENVELOPE = 1 << 20
"""Bytes an envelope may have; one holds a day's few answers, a few hundred bytes."""
NAME = re.compile(r"(\d{6,})\.env\Z")
_BUNDLE_BEGIN = "-----BEGIN REPLENISH ENVELOPES-----"
_BUNDLE_END = "-----END REPLENISH ENVELOPES-----"

Item = dict[str, JSONValue]
"""One thing an envelope carries (a commitment, a key, a pause), as JSON."""


def file_name(seq: int) -> str:
    return f"{seq:06d}.env"


def digest(body: bytes) -> str:
    """The hash an envelope is chained by (BLAKE2b-256, hex)."""
    return blake2b(body, digest_size=32).decode("ascii")


def ignored_name(name: str) -> bool:
    """A file a sync tool or a half-finished write left: never read, never reported."""
    lowered = name.lower()
    return (
        name.startswith(".")
        or lowered.endswith((".tmp", ".part", "~"))
        or "conflict" in lowered  # Syncthing's .sync-conflict-, Dropbox's "conflicted copy"
    )


class Opened(Struct, frozen=True):
    """An envelope whose seal and header checked out: its place in the chain and what it holds."""

    seq: int
    prev: str
    hash: str
    body: bytes
    items: tuple[Item, ...]


def seal(box: Box, sender: str, seq: int, prev: str, items: Sequence[Item]) -> bytes:
    """The bytes of a new envelope."""
    header: dict[str, JSONValue] = {"v": FORMAT, "from": sender, "seq": seq, "prev": prev}
    inner = json.dumps({**header, "items": list(items)}, separators=(",", ":"))
    sealed = box.encrypt(inner.encode("utf-8"), encoder=RawEncoder)
    outer = {**header, "box": base64.b64encode(bytes(sealed)).decode("ascii")}
    return (json.dumps(outer, separators=(",", ":")) + "\n").encode("ascii")


class Refused(Exception):
    """Why an envelope was not taken, in words for the user (`who` is the partner's name)."""


def open_envelope(box: Box, body: bytes, sender: str, who: str, seq: int | None = None) -> Opened:
    """Check and open one envelope from `sender`; Refused with the reason otherwise.

    `seq` is the number its file name gives, when it came from a folder.
    """
    where = f"envelope {seq}" if seq is not None else "an envelope"
    try:
        outer = json.loads(body.decode("ascii"))
        if not isinstance(outer, dict) or not body.endswith(b"\n"):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        raise Refused(
            f"{where} from {who} is cut short or damaged; nothing in it was used"
        ) from None
    if outer.get("v") != FORMAT:
        raise Refused(
            f"{where} from {who} is of format {outer.get('v')!r}; this Replenish reads "
            f"format {FORMAT} (update both copies)"
        )
    number, prev = outer.get("seq"), outer.get("prev")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise Refused(f"{where} from {who} has no proper number; nothing in it was used")
    where = f"envelope {number}"
    if outer.get("from") != sender:
        raise Refused(f"{where} in {who}'s folder was not written by {who}'s device; ignored")
    if seq is not None and seq != number:
        raise Refused(
            f"the file for envelope {seq} from {who} holds envelope {number}: files were "
            "renamed, reordered or replayed; nothing in it was used"
        )
    try:
        sealed = base64.b64decode(str(outer.get("box", "")), validate=True)
        inner = json.loads(box.decrypt(sealed, encoder=RawEncoder).decode("utf-8"))
    except (binascii.Error, CryptoError, ValueError, UnicodeDecodeError):
        raise Refused(
            f"{where} from {who} was altered, or not sealed by {who}'s device for this one; "
            "nothing in it was used"
        ) from None
    header = {"v": FORMAT, "from": sender, "seq": number, "prev": prev}
    if not isinstance(inner, dict) or {k: inner.get(k) for k in header} != header:
        raise Refused(f"the outside of {where} from {who} was changed; nothing in it was used")
    items = inner.get("items")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise Refused(f"{where} from {who} holds nothing this Replenish reads")
    return Opened(number, str(prev), digest(body), body, tuple(items))


class Chain(Struct):
    """A device's envelopes in order, as far as they join up: `accepted` from seq 1 on,
    each naming the hash of the one before; `problems` say where the chain stops."""

    accepted: list[Opened] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def items(self) -> Iterable[Item]:
        for envelope in self.accepted:
            yield from envelope.items

    @property
    def last_hash(self) -> str:
        return self.accepted[-1].hash if self.accepted else NO_PREVIOUS


def chain(opened: Iterable[Opened], who: str) -> Chain:
    """The accepted prefix of a device's envelopes (one per seq, whatever order they came in).

    A gap, or an envelope that does not name the one before it, stops the chain there:
    nothing after it is merged, and the problem says so.
    """
    by_seq = {envelope.seq: envelope for envelope in opened}
    result = Chain()
    expected_prev = NO_PREVIOUS
    seq = 1
    while seq in by_seq:
        envelope = by_seq[seq]
        if envelope.prev != expected_prev:
            result.problems.append(
                f"envelope {seq} from {who} does not follow envelope {seq - 1} "
                f"(one of them was replaced or replayed); nothing from {seq} on was used"
            )
            return result
        result.accepted.append(envelope)
        expected_prev = envelope.hash
        seq += 1
    later = sorted(number for number in by_seq if number > seq)
    if later:
        span = f"{later[0]}" if len(later) == 1 else f"{later[0]}-{later[-1]}"
        result.problems.append(
            f"envelope {seq} from {who} has not arrived (or was removed); "
            f"{span} wait{'s' if len(later) == 1 else ''} for it"
        )
    return result


def bundle(bodies: Iterable[bytes]) -> str:
    """Envelopes as a text to paste into any message: one line each, between two markers."""
    lines = [_BUNDLE_BEGIN, *(body.decode("ascii").rstrip("\n") for body in bodies), _BUNDLE_END]
    return "\n".join(lines) + "\n"


def unbundle(text: str) -> list[bytes] | None:
    """The envelopes in a pasted bundle; a line a mail program broke is joined up again.

    None when there is no bundle in `text` at all. A bundle that was cut short keeps
    the envelopes before the cut (the last, broken one
    is returned as it is, and refused as cut short when it is opened).
    """
    start = text.find(_BUNDLE_BEGIN)
    if start < 0:
        return None
    body = text[start + len(_BUNDLE_BEGIN) :]
    end = body.find(_BUNDLE_END)
    if end >= 0:
        body = body[:end]
    found: list[bytes] = []
    buffer = ""
    for line in body.splitlines():
        piece = "".join(line.split()).lstrip(">")  # quoted replies and stray spaces
        if not piece:
            continue
        if piece.startswith("{") and buffer:
            found.append(buffer.encode("utf-8"))
            buffer = ""
        buffer += piece
        if buffer.endswith("}"):
            found.append((buffer + "\n").encode("utf-8"))
            buffer = ""
    if buffer:
        found.append(buffer.encode("utf-8"))
    return found
