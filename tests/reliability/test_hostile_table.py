"""Every plain command against a table of hostile arguments, environments and files.

For each row and each command the row names: a message (never a traceback),
a non-zero exit where the input is refused, no hang (every run is bounded in
time), and, where refused, the data folder exactly as it was (every entry's
kind, mode, owner and bytes compared before and after). Runs go in-process
through `program.cli.main` (fast); only what needs a process of its own runs
as one: a FIFO that would hang a read, /dev/zero that would fill the memory.

CLI-level rows (malformed REPLENISH_NOW, odd --data-dir values, encodings) join
this table from the command-line side.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from state.checked import NOTE_NAME
from tests.conftest import ROOT, SMALL, run_main

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOW = "2026-12-01T09:00:00+00:00"
LIMIT_SECONDS = 30.0
"""Far above any run here (each takes well under a second): only a hang reaches it."""

Prepare = Callable[[Path, Path], None]
"""(data folder, scratch folder): make the row's hostile thing."""


@dataclass(frozen=True)
class Run:
    """One command of a row; `{f}` in its words is the row's hostile file in the scratch folder."""

    argv: tuple[str, ...]
    refused: bool = True
    words: str | None = None  # default: the row's


@dataclass(frozen=True)
class Row:
    id: str
    runs: tuple[Run, ...]
    words: str
    prepare: Prepare = lambda home, scratch: None
    started: bool = True
    process: bool = False
    limits: dict[int, int] = field(default_factory=dict)


def _cmds(*argvs: str, refused: bool = True) -> tuple[Run, ...]:
    return tuple(Run(tuple(argv.split()), refused) for argv in argvs)


# ----- the hostile things -------------------------------------------------------------------


def _export_file(home: Path, scratch: Path, change: Callable[[dict[str, object]], None]) -> None:
    data = json.loads((home.parent / "export.json").read_text())
    change(data)
    (scratch / "f").write_text(json.dumps(data))


def _write(content: bytes) -> Prepare:
    return lambda home, scratch: (scratch / "f").write_bytes(content)


def _fifo(home: Path, scratch: Path) -> None:
    os.mkfifo(scratch / "f")


def _folder(home: Path, scratch: Path) -> None:
    (scratch / "f").mkdir()


def _sparse(home: Path, scratch: Path) -> None:
    with (scratch / "f").open("wb") as handle:
        handle.truncate(50 << 30)


def _loop(home: Path, scratch: Path) -> None:
    (scratch / "f").symlink_to(scratch / "f")


def _zero(home: Path, scratch: Path) -> None:
    (scratch / "f").symlink_to("/dev/zero")


def _under_a_file(home: Path, scratch: Path) -> None:
    (scratch / "a-file").write_text("not a folder")


def _value(change: Callable[[dict[str, object]], None]) -> Prepare:
    return lambda home, scratch: _export_file(home, scratch, change)


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _pause_9999(data: dict[str, object]) -> None:
    enrolment = data["enrolment"]
    assert isinstance(enrolment, dict)
    enrolment["pauses"] = [{"started_on": "9999-12-31", "resumed_on": None}]


def _deep_answer(data: dict[str, object]) -> None:
    answers = data["answers"]
    assert isinstance(answers, list)
    answers[0]["value"] = _nested(900)


def _zone_europe(data: dict[str, object]) -> None:
    settings = data["settings"]
    assert isinstance(settings, dict)
    settings["reminder.timezone"] = "Europe"


def _empty(data: dict[str, object]) -> None:
    data.update(enrolment=None, answers=[], outcomes=[], position=None, settings={})
    data.update(deliveries=[], one_offs=[])


def _foreign_folder(home: Path, scratch: Path) -> None:
    os.chown(home, 65534, 65534)


def _shared_folder(home: Path, scratch: Path) -> None:
    home.chmod(0o777)


def _shared_db(home: Path, scratch: Path) -> None:
    (home / "replenish.db").chmod(0o666)


def _planted_wal(home: Path, scratch: Path) -> None:
    (scratch / "victim.txt").write_text("the victim's own file\n")
    (home / "replenish.db-wal").symlink_to(scratch / "victim.txt")


def _folder_is_a_file(home: Path, scratch: Path) -> None:
    shutil.rmtree(home)
    home.write_text("a file where the data folder goes")


# ----- the table ------------------------------------------------------------------------------

EVERY_COMMAND = (
    *_cmds(
        "start",
        "today",
        "status",
        "nudge",
        "export",
        "export --format json -o {scratch}/out.json",
        "import {scratch}/../export.json",
        "restore --latest",
        "remind show",
        "remind set 20:30",
        "remind off",
        "remind ics {scratch}/out.ics",
    ),
    Run(("validate",), refused=False),  # reads only the program folder: nothing to refuse
)


def _but(
    runs: tuple[Run, ...], command: str, *, refused: bool = True, words: str = ""
) -> tuple[Run, ...]:
    """`runs` with `command`'s expectation changed."""
    return tuple(
        Run(run.argv, refused, words or None) if run.argv[0] == command else run for run in runs
    )


ON_A_BAD_FILE = _but(EVERY_COMMAND, "restore", refused=False)
"""Restore is the remedy for a data file that cannot be trusted: it sets that file aside
(renamed, untouched) and brings a backup back, so it is not refused there."""
IMPORTS = _cmds("import {scratch}/f", "import --replace {scratch}/f")
CANNOT_READ = "cannot read {scratch}/f"

TABLE = [
    # --- import: what it reads
    Row("import deep JSON", IMPORTS, "nests lists or objects far deeper",
        _write(b"[" * 200_000 + b"]" * 200_000)),
    Row("import a 5000-digit number", IMPORTS, "a number of 5000 digits",
        _write(b'{"format": "replenish-export", "version": ' + b"7" * 5000 + b"}")),
    Row("import not UTF-8", IMPORTS, "not UTF-8 text", _write(b"\xff\xfe\x00{")),
    Row("import cut short", IMPORTS, "not valid JSON (line 1", _write(b'{"format": "rep')),
    Row("import a folder", IMPORTS, f"{CANNOT_READ}: it is a folder", _folder),
    Row("import a missing file", IMPORTS, CANNOT_READ),
    Row("import a 50 GB sparse file", IMPORTS, "larger than 32 MB", _sparse),
    Row("import a link to itself", IMPORTS, CANNOT_READ, _loop),
    Row("import a FIFO", IMPORTS, "not a regular file", _fifo, process=True),
    Row("import /dev/zero", IMPORTS, "not a regular file", _zero, process=True,
        limits={resource.RLIMIT_AS: 2 << 30}),
    # --- import: values that would crash later
    Row("import an open pause dated 9999-12-31", IMPORTS,
        "enrolment.pauses[0].started_on: expected a date from", _value(_pause_9999)),
    Row("import an answer nested 900 deep", IMPORTS, "nested at most 16 deep",
        _value(_deep_answer)),
    Row("import a zone named Europe", IMPORTS, "expected a time zone this system knows",
        _value(_zone_europe)),
    Row("import --replace an empty export", _cmds("import --replace {scratch}/f"),
        "holds no plan and no answers", _value(_empty)),
    # --- export -o and remind ics: what they write into
    Row("write into a FIFO nobody reads",
        _cmds("export -o {scratch}/f", "export --format json -o {scratch}/f",
              "remind ics {scratch}/f"),
        "nothing is reading from it", _fifo),
    Row("write onto a folder",
        _cmds("export -o {scratch}/f", "remind ics {scratch}/f"), "{scratch}/f", _folder),
    Row("write under a file", _cmds("export -o {scratch}/a-file/out.md",
                                    "remind ics {scratch}/a-file/out.ics"),
        "{scratch}/a-file", _under_a_file),
    # --- start: a first day years away
    Row("start on 9999-12-31", _cmds("start --on 9999-12-31"), "more than 5 years from today",
        started=False),
    Row("start on 0001-01-01", _cmds("start --on 0001-01-01"), "more than 5 years from today",
        started=False),
    Row("start on 2026-02-30", _cmds("start --on 2026-02-30"), "is not a date", started=False),
    # --- the data folder: another user's, or open to others
    Row("a data folder another user owns", EVERY_COMMAND, "belongs to another user",
        _foreign_folder),
    Row("a data folder anyone may write", EVERY_COMMAND, "(mode 0777)", _shared_folder),
    Row("a data file anyone may write", ON_A_BAD_FILE, "replenish.db: other users may write",
        _shared_db),
    Row("a link planted as the WAL", ON_A_BAD_FILE, "replenish.db-wal: it is a symbolic link",
        _planted_wal),
    Row("a file where the data folder goes",
        _but(EVERY_COMMAND, "restore", words="there is no backup"), "not a folder",
        _folder_is_a_file),
]  # fmt: skip


# ----- running ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[bool, Path]]:
    """A started data folder (answers, reminders, a backup) and a not-yet-started one."""
    made: dict[bool, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPLENISH_NOW", NOW)
        patch.setenv("TZ", "UTC")
        for started in (True, False):
            home = tmp_path_factory.mktemp("template") / "home"
            argvs = [["remind", "set", "20:30"], ["status"]]
            if started:
                argvs[1:1] = [["start"]]
            for argv in argvs:
                assert _main([*argv, *_data(home)])[0] == 0
            if started:
                from state import Store

                with Store.open(home) as store:
                    store.save_answer("check-in", 1, "words", "private words", _now())
                export = home.parent / "export.json"
                argv = ["export", "--format", "json", "-o", str(export), *_data(home)]
                assert _main(argv)[0] == 0
            made[started] = home
        yield made


def _now() -> object:
    from datetime import datetime

    return datetime.fromisoformat(NOW)


def _data(home: Path) -> list[str]:
    return ["--data-dir", str(home)]


def _main(argv: list[str]) -> tuple[int, str, str]:
    """`main(argv)` in this process (`run_main`: in a thread, so even a hang here fails the
    test instead of stopping it), on the data folder the line names."""
    home = argv[argv.index("--data-dir") + 1]
    env = {"REPLENISH_HOME": home, "REPLENISH_NOW": NOW, "TZ": "UTC"}
    done = run_main([*argv, "--program", str(SMALL)], env, timeout=LIMIT_SECONDS)
    return done.code, done.out, done.err


def _process(argv: list[str], limits: dict[int, int]) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPLENISH_", "PYTEST_"))}
    env.update(PYTHONPATH=str(ROOT), REPLENISH_NOW=NOW, TZ="UTC")

    def limited() -> None:
        for which, value in limits.items():
            resource.setrlimit(which, (value, value))

    try:
        done = subprocess.run(
            [sys.executable, "-m", "program", *argv, "--program", str(SMALL)],
            capture_output=True,
            text=True,
            env=env,
            timeout=LIMIT_SECONDS,
            preexec_fn=limited if limits else None,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"replenish {' '.join(argv)} hung")
    return done.returncode, done.stdout, done.stderr


def snapshot(folder: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `folder` (and the folder itself): kind, mode, owner, content."""
    if not folder.is_dir() or folder.is_symlink():
        return {".": (folder.lstat().st_mode, folder.read_bytes() if folder.is_file() else b"")}
    found: dict[str, tuple[object, ...]] = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        if path.name == NOTE_NAME:  # the check note follows the file's identity, not its data
            continue
        st = path.lstat()
        if stat.S_ISREG(st.st_mode):
            content: object = path.read_bytes()
        elif stat.S_ISLNK(st.st_mode):
            content = os.readlink(path)
        else:
            content = None
        found[str(path.relative_to(folder))] = (st.st_mode, st.st_uid, content)
    return found


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_hostile_table(
    row: Row, templates: dict[bool, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if row.prepare is _foreign_folder and not IS_ROOT:
        pytest.skip("giving a folder to another user needs root (CI runs as root)")
    monkeypatch.setenv("REPLENISH_NOW", NOW)  # also keeps the nudge digest out of the way
    monkeypatch.setenv("TZ", "UTC")
    for index, run in enumerate(row.runs):
        base = tmp_path / str(index)
        home, scratch = base / "home", base / "scratch"
        scratch.mkdir(parents=True)
        shutil.copytree(templates[row.started], home, symlinks=True)
        shutil.copy(templates[True].parent / "export.json", base / "export.json")
        row.prepare(home, scratch)
        fill = {"scratch": str(scratch), "home": str(home)}
        argv = [word.format(**fill) for word in run.argv]
        before = snapshot(home)
        began = time.monotonic()
        if row.process:
            code, out, err = _process([*argv, "--data-dir", str(home)], row.limits)
        else:
            code, out, err = _main([*argv, "--data-dir", str(home)])
        took = time.monotonic() - began
        shown = f"{row.id}: replenish {' '.join(run.argv)} -> {code}\n{out}{err}"
        assert "Traceback" not in out + err, shown
        assert took < LIMIT_SECONDS, shown
        words = (run.words or row.words).format(**fill)
        if run.refused:
            assert code != 0, shown
            assert err.startswith("replenish: ") and words in err, shown
            assert snapshot(home) == before, shown
        else:
            assert code == 0, shown
