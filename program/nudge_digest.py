"""`replenish nudge` and `replenish today` from precomputed answers, checked with `os.stat` alone.

`nudge` runs in every new shell, where Python's own start is most of the time
it may take: argparse, the program, the plan engine and SQLite would triple it,
and `today` pays the same for a text that changes once a plan day. So the full
paths (`cmd_nudge`, `cmd_today` in `program.commands.everyday`) leave
`<data dir>/nudge-digest` behind: a fingerprint of everything the answers
depend on, and one span of time (epoch seconds), from the run that wrote it
until the next plan day begins, in which its nudge line (or silence) and its
`today` text hold. This module only compares: if the fingerprint still matches
and the clock falls in the span, it prints the stored answer. Anything else (no
digest, a damaged or foreign one, a write since, a new plan day, a moved clock
or zone) sends the caller down the full path, which writes the next digest. No
date arithmetic and no time zones here; only os, sys and time are imported (a
test checks `sys.modules`).

`today` answers only until the end of the calendar day whose daily backup was
in place when the digest was written: the first `today` of a day runs in full
and takes the backup, as it always has.
"""

from __future__ import annotations

import os
import sys
import time

from program.filestamps import code_entries, folder_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

DIGEST_NAME = "nudge-digest"
HEADER = "replenish nudge digest 3"
"""First line of the file; bump the number when the layout or the meaning changes."""
END = "end"
"""Last line: a file cut short is never taken for a complete one."""
NOW_VARIABLE = "REPLENISH_DIGEST_NOW"
"""Test-only: epoch seconds to use as "now", in the fast path and the digest's writer alike."""
PINNED_CLOCK = "REPLENISH_NOW"
"""Pins the full path's clock (ISO date-time); while it is set no digest is read or written."""
COMMANDS = ("nudge", "today")
"""The commands the digest answers."""
DB_NAME = "replenish.db"
"""`state.DB_NAME`, repeated so the fast path need not import `state` (a test keeps them equal)."""
MAX_BYTES = 1 << 16

_HERE = os.path.dirname(os.path.realpath(__file__))
_CODE_ROOTS = (_HERE, os.path.join(os.path.dirname(_HERE), "state"))
"""The two packages, whole: every module the answers may depend on, this one included.
An upgrade rewrites them, and an edit in a checkout (`settings.py`, `service.py`,
`content/model.py`...) retires the digest like a new program does."""
_NOT_CODE = ("tui", "bundled")
"""Folders below them that the plain commands never run: the app, the installed program."""
_LOCALTIME = "/etc/localtime"

Span = tuple[int, int, int | None, str, int, str | None]
"""(from, until, due, line, today_until, today): `nudge` answers while from <= now < until,
its line once now >= due (never when due is None); `today` answers its text (None: not
known) while from <= now < today_until."""


# ----- the command line and the folders, as the full path resolves them -----------


def plain_options(argv: Sequence[str], command: str) -> dict[str, str] | None:
    """`--data-dir` and `--program` of a plain `command` line; None for anything else.

    The digest's own reading of the command line, without argparse (which costs a
    tenth of a plain command). Only `COMMAND` with the shared options in their plain
    spellings is understood; abbreviations, repeats, `--help` and the like return
    None, and argparse on the full path has the last word on them, its messages
    unchanged (a test checks both readings agree).
    """
    options: dict[str, str] = {}
    seen = False
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == command and not seen:
            seen = True
            continue
        name, equals, value = word.partition("=")
        if name not in ("--data-dir", "--program") or name in options:
            return None
        if not equals:
            if index >= len(words):
                return None
            value = words[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        options[name] = value
    return options if seen else None


def command_options(argv: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """(command, its `--data-dir` and `--program`) of a plain `nudge` or `today` line, else None."""
    for command in COMMANDS:
        if command in argv:
            options = plain_options(argv, command)
            if options is not None:
                return command, options
    return None


def data_folder(given: str | None) -> tuple[str, str]:
    """(folder, how it was chosen) as `Store.open` would choose it.

    `--data-dir`, else `$REPLENISH_HOME`, else the platform's user data folder.
    platformdirs costs more than this whole module, so its rule for Linux and
    macOS is repeated here (a test checks both agree); elsewhere it is imported.
    The environment it reads is part of "how", so a digest written under other
    variables never answers.
    """
    if given:
        return os.path.abspath(os.path.expanduser(given)), "arg"
    home = os.environ.get("REPLENISH_HOME")
    if home:
        return os.path.abspath(os.path.expanduser(home)), "env"
    user_home = os.environ.get("HOME")
    xdg = os.environ.get("XDG_DATA_HOME", "")
    how = f"default {user_home!r} {xdg!r}"
    simple = sys.platform.startswith("linux") or sys.platform == "darwin"
    if simple and (user_home is None or os.path.isabs(user_home)):
        if os.path.isabs(xdg):
            base = xdg
        elif sys.platform == "darwin":
            base = os.path.expanduser("~/Library/Application Support")
        else:
            base = os.path.expanduser("~/.local/share")
        if os.path.isabs(base):
            return os.path.abspath(os.path.join(base, "replenish")), how
    import platformdirs

    return os.path.abspath(platformdirs.user_data_dir("replenish")), how


def program_folder(given: str | None) -> str:
    """The program folder: `--program`, else the bundled one (as `program.paths` finds it)."""
    if given:
        return os.path.abspath(given)
    installed = os.path.join(_HERE, "bundled")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(_HERE), "modules")


# ----- the fingerprint ---------------------------------------------------------------


def _stamp(path: str, *, follow: bool = True) -> str:
    """Identity, size and modification time of `path`, or "-" when it does not exist."""
    try:
        st = os.stat(path, follow_symlinks=follow)
    except FileNotFoundError:
        return "-"
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def _localtime_stamp() -> str:
    """The system zone: /etc/localtime, the file and (when it is a link) where it points."""
    try:
        target = os.readlink(_LOCALTIME)
    except OSError:
        target = ""
    return f"{_stamp(_LOCALTIME, follow=False)} {target!r} {_stamp(_LOCALTIME)}"


def fingerprint(folder: str, how: str, program_dir: str) -> tuple[str, int]:
    """(what the answer depends on, as one line; the newest data file's modification, ns).

    The database and its WAL (every store write changes one of them), the
    program folder's files, the code, the zone (`TZ` and /etc/localtime) and how
    the data folder was chosen. OSError when the program folder cannot be listed.
    """
    db = os.path.join(folder, DB_NAME)
    entries = folder_entries(program_dir)
    code = [code_entries(root, _NOT_CODE) for root in _CODE_ROOTS]
    # The code is left out of `newest`: it changes by installs, not under a running command.
    newest = max((entry[2] for entry in entries), default=0)
    parts = [_stamp(db), _stamp(db + "-wal")]
    for part in parts:
        if part != "-":
            newest = max(newest, int(part.rsplit(":", 1)[1]))
    text = " | ".join(
        [
            HEADER,
            how,
            *parts,
            repr(program_dir),
            repr(entries),
            repr(code),
            repr(os.environ.get("TZ")),
            _localtime_stamp(),
        ]
    )
    return text, newest


# ----- the file ----------------------------------------------------------------------


def escape(text: str) -> str:
    """One line of the file for any text (a title may hold a newline or a tab)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def unescape(text: str) -> str:
    """`escape` undone."""
    if "\\" not in text:
        return text
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        code = next(chars, "")
        out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(code, "\\" + code))
    return "".join(out)


def render(fingerprint_text: str, span: Span) -> str:
    """The digest file's text: the header, the fingerprint, the span, the end mark."""
    start, until, due, line, today_until, today = span
    shown = "-" if today is None else "=" + escape(today)
    fields = [str(start), str(until), "-" if due is None else str(due), escape(line)]
    fields += [str(today_until), shown]
    return "\n".join([HEADER, escape(fingerprint_text), "\t".join(fields), END]) + "\n"


def answer_from(text: str, fingerprint_text: str, now: float, command: str = "nudge") -> str | None:
    """`command`'s answer at `now` ("" is a silent nudge); None when the digest cannot say."""
    lines = text.split("\n")
    if len(lines) != 5 or lines[0] != HEADER or lines[3:] != [END, ""]:
        return None
    if lines[1] != escape(fingerprint_text):
        return None
    fields = lines[2].split("\t")
    if len(fields) != 6:
        return None
    start, until, due, line, today_until, today = fields
    if command == "nudge":
        if not int(start) <= now < int(until):
            return None
        return "" if due == "-" or now < int(due) else unescape(line)
    if command == "today" and int(start) <= now < int(today_until) and today.startswith("="):
        return unescape(today[1:])
    return None


def private(st: os.stat_result) -> bool:
    """`state.paths.private_problem` as a yes or no (repeated: the fast path skips `state`;
    a test keeps them agreeing): ours, and nobody else may write to it."""
    geteuid = getattr(os, "geteuid", None)
    return (geteuid is None or st.st_uid == geteuid()) and not st.st_mode & 0o022


def read_digest(folder: str) -> str | None:
    """The digest's text if it is a small regular file of ours nobody else can write."""
    try:
        # O_NONBLOCK: a FIFO planted in its place must not hang a new shell.
        fd = os.open(os.path.join(folder, DIGEST_NAME), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        regular = (st.st_mode & 0o170000) == 0o100000
        if not (regular and private(st) and private(os.stat(folder))) or st.st_size > MAX_BYTES:
            return None  # a folder another user owns or may write is the full path's to refuse
        return os.read(fd, MAX_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def pinned_now() -> float | None:
    """`$REPLENISH_DIGEST_NOW` as epoch seconds; None when unset. ValueError when malformed."""
    raw = os.environ.get(NOW_VARIABLE)
    return None if raw is None else float(raw)


# ----- the fast path -----------------------------------------------------------------


def fast_answer(argv: Sequence[str]) -> bool:
    """Print a plain `nudge`'s or `today`'s answer from a current digest and return True;
    False to run in full.

    Never raises: whatever goes wrong, the full path answers instead.
    """
    if os.environ.get(PINNED_CLOCK):
        return False
    try:
        found = command_options(argv)
        if found is None:
            return False
        command, options = found
        folder, how = data_folder(options.get("--data-dir"))
        text = read_digest(folder)
        if text is None:
            return False
        pinned = pinned_now()
        now = time.time() if pinned is None else pinned
        expected, _ = fingerprint(folder, how, program_folder(options.get("--program")))
        answer = answer_from(text, expected, now, command)
    except Exception:  # a broken digest or environment is only a miss
        return False
    if answer is None:
        return False
    if answer or command == "today":
        from program.terminal import say

        say(answer)
    return True
