"""The systemd user unit that keeps `replenish remind run` going while the user is logged in.

It names only the command and the folders given on the command line: nothing
private, so the usual 0644 of a unit file is fine. Under systemd stdout and
stderr go to the journal, which others (the `adm` group) may read: the service
never writes a reminder's words to a stdout that is not a terminal, and the
unit sends stdout nowhere besides, keeping stderr (its log, reminders named by
key alone) for `journalctl --user -u replenish-remind`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

UNIT_NAME = "replenish-remind.service"
ENABLE_COMMAND = f"systemctl --user enable --now {UNIT_NAME}"


def unit_path() -> Path:
    """`$XDG_CONFIG_HOME/systemd/user/…`, by default under ~/.config."""
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "systemd" / "user" / UNIT_NAME


def replenish_command() -> list[str]:
    """How to start this very Replenish again: its `replenish` script, else `python -m program`."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "replenish" and script.is_file():
        return [str(script.resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "program"]


def systemd_quote(argument: str) -> str:
    """One ExecStart word: % and $ doubled (specifiers, variables), quoted when needed."""
    word = argument.replace("%", "%%").replace("$", "$$")
    if word and not any(char.isspace() or char in "\"'\\;" for char in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unit_text(command: Sequence[str]) -> str:
    exec_start = " ".join(systemd_quote(part) for part in command)
    return (
        "[Unit]\n"
        "Description=Replenish reminders\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={exec_start}\n"
        "Restart=on-failure\n"
        "RestartSec=30\n"
        "StandardOutput=null\n"
        "StandardError=journal\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def write_unit(text: str, path: Path) -> None:
    """Missing folders are made 0700 whatever the umask; the unit itself is the usual 0644."""
    from state.paths import make_folders, write_file

    make_folders(path.parent)
    write_file(path, text, mode=0o644, chosen=True)
