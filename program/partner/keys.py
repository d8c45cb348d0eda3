"""This device's key pair, the invitation that carries its public half, and the fingerprint.

One Curve25519 key pair per device, no separate signing key: with two parties,
`Box`'s authenticator (a MAC under the key the two share) already proves that an
envelope was sealed by one of the two devices, and the sender id sealed inside it
says which (an envelope that claims to be ours is refused). A signature would only
add proof to a third party, which nobody here needs.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path

from msgspec import Struct
from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey

from program.partner.words import WORDS
from state.paths import read_file, write_file

KEY_FILE = "partner.key"
"""This device's secret key, in the data folder, 0600."""
FORMAT = 1
_ENCODER = base64.b64encode
_MAX_NAME = 80
_KEY_FILE_LIMIT = 4096
_BEGIN = "-----BEGIN REPLENISH {}-----"
_END = "-----END REPLENISH {}-----"
INVITATION = "INVITATION"
REPLY = "REPLY"


def device_name(given: str | None = None) -> str:
    """The name the partner sees for this device: as given, else the login name."""
    if given:
        return given
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "partner"


class PartnerError(Exception):
    """Something about pairing or the exchange the user can act on; one plain message."""


def device_id(public: bytes) -> str:
    """A device's name in the shared folder: 16 hex digits of a hash of its public key."""
    return blake2b(public, digest_size=8, person=b"rpln-device").decode("ascii")


class DeviceKey(Struct, frozen=True):
    """This device: its secret key and the name it calls itself in an invitation."""

    secret: PrivateKey
    name: str

    @property
    def public(self) -> bytes:
        return bytes(self.secret.public_key)

    @property
    def device(self) -> str:
        return device_id(self.public)

    @classmethod
    def load(cls, data_dir: Path) -> DeviceKey | None:
        """The key kept in the data folder, or None before the first invitation."""
        path = data_dir / KEY_FILE
        try:
            raw = read_file(path, _KEY_FILE_LIMIT, private=True)
        except FileNotFoundError:
            return None
        try:
            held = json.loads(raw)
            secret = PrivateKey(base64.b64decode(held["secret"], validate=True))
            name = str(held["name"])
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise PartnerError(
                f"{path} is damaged, so this device cannot open envelopes; "
                "`replenish partner leave` and pair again"
            ) from exc
        return cls(secret, name)

    @classmethod
    def create(cls, data_dir: Path, name: str) -> DeviceKey:
        """A new key pair, written 0600 before anything uses it."""
        key = cls(PrivateKey.generate(), clean_name(name))
        held = {"v": FORMAT, "secret": _ENCODER(bytes(key.secret)).decode(), "name": key.name}
        write_file(data_dir / KEY_FILE, json.dumps(held) + "\n")
        return key

    @staticmethod
    def forget(data_dir: Path) -> None:
        (data_dir / KEY_FILE).unlink(missing_ok=True)


def clean_name(name: str) -> str:
    """A device's name as kept: one line, no controls, at most 80 characters."""
    one_line = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return one_line[:_MAX_NAME] or "partner"


class Invitation(Struct, frozen=True):
    """What one device tells the other to pair: its public key and name (an invitation or the
    reply to one; the same fields)."""

    kind: str
    name: str
    public: bytes

    @property
    def device(self) -> str:
        return device_id(self.public)

    def armored(self) -> str:
        lines = [
            _BEGIN.format(self.kind),
            f"version: {FORMAT}",
            f"name: {self.name}",
            f"key: {_ENCODER(self.public).decode()}",
            f"device: {self.device}",
            _END.format(self.kind),
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Invitation:
        """The invitation or reply in `text` (anything around the armor is ignored)."""
        found = re.search(
            r"-----BEGIN REPLENISH (INVITATION|REPLY)-----(.*?)-----END REPLENISH \1-----",
            text,
            re.S,
        )
        if found is None:
            raise PartnerError(
                "no invitation or reply found; expected the lines from "
                "-----BEGIN REPLENISH INVITATION----- to -----END REPLENISH INVITATION-----"
            )
        fields: dict[str, str] = {}
        for line in found.group(2).splitlines():
            key, sep, value = line.strip().partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        if fields.get("version") != str(FORMAT):
            raise PartnerError(
                f"the {found.group(1).lower()} is of version {fields.get('version')!r}; "
                f"this Replenish reads version {FORMAT}"
            )
        try:
            public = base64.b64decode(fields.get("key", ""), validate=True)
        except binascii.Error:
            public = b""
        if len(public) != PublicKey.SIZE:
            raise PartnerError(
                "the key in it is damaged (cut short or changed); ask for it again"
            )
        if fields.get("device") != device_id(public):
            raise PartnerError("its device line does not match its key: it was changed")
        return cls(found.group(1), clean_name(fields.get("name", "")), public)


def fingerprint(one: bytes, other: bytes) -> tuple[str, ...]:
    """Six words from both public keys, the same on both sides (the keys sorted first)."""
    first, second = sorted((one, other))
    digest = blake2b(
        first + second, digest_size=6, person=b"rpln-fingerprnt", encoder=RawEncoder
    )
    return tuple(WORDS[byte] for byte in digest)

