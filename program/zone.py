"""The user's time zone, captured when reminder times are set, and read back as a tzinfo.

Storing the zone with the times means a reminder set for 20:00 in London stays
20:00 London time after a DST change, and is shown in local time if the user
travels. A zone is kept in the form the system accepts in `TZ`: a tz database
name (`Europe/London`, `EST5EDT`) or a POSIX TZ rule (`CET-1CEST,M3.5.0,M10.5.0/3`).
`zone_named` is the one rule for which zones those are: reminders, `remind set`
and `import` all ask it.
"""

from __future__ import annotations

import io
import os
import struct
from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

MAX_NAME = 255
"""Longer than any tz database name or POSIX rule a system uses."""


def local_zone_name() -> str:
    """The zone to keep with reminder times: `TZ` when the system would accept it, else tzlocal's.

    Empty when the zone cannot be told; reminders then follow the clock's current offset.
    """
    configured = os.environ.get("TZ", "")
    for candidate in _tz_candidates(configured):
        if zone_named(candidate) is not None:
            return candidate
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name() or ""
    except Exception:  # an unknown or broken zone setup must never stop a command
        return ""
    return name if zone_named(name) is not None else ""


def _tz_candidates(configured: str) -> list[str]:
    """What `TZ` names: itself (without glibc's leading ':'), or a zoneinfo file's name."""
    name = configured.lstrip(":")
    if not name:
        return []
    marker = "/zoneinfo/"
    if name.startswith("/") and marker in name:
        return [name.rpartition(marker)[2]]
    return [] if name.startswith("/") else [name]


@lru_cache(maxsize=64)
def zone_named(name: str) -> tzinfo | None:
    """The zone `name` stands for, or None when the system would not accept it."""
    if not name or len(name) > MAX_NAME or not name.isascii() or not name.isprintable():
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # unknown, malformed, or a folder such as `Europe`
        pass
    return _posix_rule(name)


class PosixRule(ZoneInfo):
    """A zone given as a POSIX TZ rule: it has no tz database name a calendar would know."""


def _posix_rule(rule: str) -> tzinfo | None:
    """A POSIX TZ rule as a zone, read by zoneinfo itself.

    A TZif file (RFC 8536) with no transitions and `rule` as its footer makes
    zoneinfo apply the rule at every moment, exactly as it applies the footer of
    a tz database file; zoneinfo refuses a rule it cannot read (`garbage`).
    """
    one_type = struct.pack(">6l", 0, 0, 0, 0, 1, 4) + struct.pack(">lbb", 0, 0, 0) + b"UTC\0"
    block = b"TZif2" + bytes(15) + one_type
    try:
        footer = b"\n" + rule.encode() + b"\n"
        return PosixRule.from_file(io.BytesIO(block + block + footer), key=rule)
    except (ValueError, OSError):
        return None
