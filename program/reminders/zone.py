"""The user's IANA time zone name, captured when reminder times are set.

Storing the zone with the times means a reminder set for 20:00 in London stays
20:00 London time after a DST change, and is shown in local time if the user
travels. tzlocal knows every way a system records its zone.
"""

from __future__ import annotations

import os


def local_zone_name() -> str:
    """The system's IANA zone name (`Europe/London`), or "" when it cannot be told."""
    configured = os.environ.get("TZ", "").lstrip(":")
    if "/" in configured or configured == "UTC":
        return configured
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or ""
    except Exception:  # an unknown or broken zone setup must never stop a command
        return ""
