"""Shared fixtures: every test gets its own private data folder, never the developer's.

Two ways to meet the command line, one `Cli` for both: in this process through
`program.cli.main` (the default: a `status` takes about 15 ms, against about 300
ms in a new interpreter on a loaded two-core machine), with
the environment, standard streams and working folder a subprocess would have;
or as a real subprocess (`Cli(..., process=True)`), for what only a process
shows: what it imports, its exit status on a signal or a closed pipe, a real
pty, an interpreter-level setting such as `PYTHONIOENCODING`.

A plan is begun one way everywhere: `enrolled(...)` (the service, begun), or the
`enrolled_service` fixture that also closes what it opened.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from program.service import Replenish

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small"
BUNDLED = ROOT / "modules"

CLI_TIMEOUT = 60.0
"""Seconds a command may take, in a process or in this one, before the test fails as a hang."""
OWN_VARIABLES = ("REPLENISH_", "PYTEST_")
"""This test run's variables, which a command must never see (only those a test sets)."""


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point REPLENISH_HOME at a fresh folder so nothing on this machine leaks in."""
    home = tmp_path / "home"
    monkeypatch.setenv("REPLENISH_HOME", str(home))
    monkeypatch.delenv("REPLENISH_NOW", raising=False)
    yield home


@functools.cache
def made_ahead() -> tuple[str, ...]:
    """The app's own AHEAD_MODES, as it is before any test changes it."""
    import program.tui.app as app_module

    return app_module.AHEAD_MODES


@pytest.fixture(autouse=True)
def no_screens_made_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app in a test makes no screen ahead unless the test asks (`screens_made_ahead`).

    The app makes F3-F5's screens unseen within a second of its first frame; a test
    that ends then (run_test closes the app directly, not through the app's `exit`,
    which waits for a screen half made) would close one half mounted, and what a test
    counts (reads, holds, rebuilds) would depend on the machine's speed. The real app
    makes them in the pty tests and the benchmark, and `screens_made_ahead` tests them.
    """
    import program.tui.app as app_module

    made_ahead()
    monkeypatch.setattr(app_module, "AHEAD_MODES", ())


@pytest.fixture
def screens_made_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app makes its screens ahead, at once: its timers shortened to a few ms."""
    import program.tui.app as app_module

    monkeypatch.setattr(app_module, "AHEAD_MODES", made_ahead())
    monkeypatch.setattr(app_module, "WARM_AFTER", 0.01)
    monkeypatch.setattr(app_module, "AHEAD_PAUSE", 0.02)


@pytest.fixture
def small_program() -> Path:
    return SMALL


# ----- a plan begun -------------------------------------------------------------------------

Now = datetime | Callable[[], datetime] | None
"""A fixed moment, a clock, or None for the real clock."""


def open_service(
    data: Path, program: Path = SMALL, now: Now = None, *, backup: bool = False
) -> Replenish:
    """The service on `data` and `program` (as the commands open it), on `now`."""
    clock: Callable[[], datetime] | None
    if isinstance(now, datetime):
        moment = now
        clock = lambda: moment  # noqa: E731 - a clock that stands still
    else:
        clock = now
    if clock is None:
        return Replenish.open(program_dir=program, data_dir=data, backup=backup)
    return Replenish.open(program_dir=program, data_dir=data, now=clock, backup=backup)


def enrolled(
    data: Path,
    program: Path = SMALL,
    *,
    start: date | None = None,
    now: Now = None,
    hour: int | None = None,
    backup: bool = False,
) -> Replenish:
    """The service on `data`, its plan begun on `start` (default: today by its clock),
    days beginning at `hour` (default: the program's). The caller closes it."""
    service = open_service(data, program, now, backup=backup)
    service.start(on=start, day_start_hour=hour)
    return service


@pytest.fixture
def enrolled_service(private_home: Path) -> Iterator[Callable[..., Replenish]]:
    """`enrolled(...)` on the test's data folder unless told another; each service made is
    closed when the test ends (closing twice is harmless)."""
    made: list[Replenish] = []

    def make(
        program: Path = SMALL,
        *,
        start: date | None = None,
        now: Now = None,
        hour: int | None = None,
        data: Path | None = None,
        backup: bool = False,
    ) -> Replenish:
        service = enrolled(
            data or private_home, program, start=start, now=now, hour=hour, backup=backup
        )
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


# ----- the command line -----------------------------------------------------------------------


@dataclass
class Result:
    """A command's exit status and output: as text (as `subprocess.run(text=True)` reads
    it: UTF-8, universal newlines) and as the very bytes written."""

    code: int
    out: str
    err: str
    out_bytes: bytes = b""
    err_bytes: bytes = b""

    @classmethod
    def of(cls, code: int, out: bytes, err: bytes) -> Result:
        return cls(code, _as_text(out), _as_text(err), out, err)


def command_env(values: Mapping[str, str | None]) -> dict[str, str]:
    """A child's environment: this one without the test run's own variables, plus `values`
    (None: left unset) and our code on the path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_VARIABLES)}
    env["PYTHONPATH"] = str(ROOT)
    for key, value in values.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@contextlib.contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """This process's environment as a child's would be (see `command_env`), with `TZ`
    applied to the C library's local time; everything put back afterwards."""
    saved = dict(os.environ)
    try:
        for key in [key for key in os.environ if key.startswith(OWN_VARIABLES)]:
            del os.environ[key]
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        time.tzset()
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()


def _as_text(raw: bytes) -> str:
    """What `subprocess.run(text=True)` makes of a child's output: UTF-8, universal newlines."""
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_main(
    argv: Sequence[str],
    env: Mapping[str, str | None],
    *,
    cwd: Path | None = None,
    input: str | None = None,
    timeout: float = CLI_TIMEOUT,
) -> Result:
    """`replenish ARGV` through `program.cli.main` in this process, as a subprocess meets it.

    The environment of `command_env(env)`; stdin at its end unless `input` is given; stdout
    and stderr pipes that are no terminal (UTF-8, strict and backslash-escaping, as
    Python sets up a pipe); `SystemExit` as the exit status and an escaped exception as
    the interpreter's traceback with status 1. Run in a thread and bounded in time, so a
    hang fails the test instead of stopping the suite.
    """
    from program.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    codes: list[int] = []

    def call() -> None:
        code = 1
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(argv))
                except SystemExit as leaving:
                    if leaving.code is None or isinstance(leaving.code, int):
                        code = leaving.code or 0
                    else:
                        print(leaving.code, file=sys.stderr)
                finally:
                    sys.stdout.flush()
        except BaseException:  # as the interpreter shows an exception nothing caught
            err.write("Traceback (most recent call last):\n" + traceback.format_exc())
        codes.append(code)

    with environment(env), contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stdin = stack.enter_context(_piped(input or ""))
        real_stdin, sys.stdin = sys.stdin, stdin
        try:
            worker = threading.Thread(target=call, name=f"replenish {' '.join(argv)}", daemon=True)
            worker.start()
            worker.join(timeout)
        finally:
            sys.stdin = real_stdin
    assert not worker.is_alive(), f"replenish {' '.join(argv)} did not end in {timeout} s"
    return Result.of(codes[0], out_bytes.getvalue(), err_bytes.getvalue())


@contextlib.contextmanager
def _piped(text: str) -> Iterator[io.TextIOWrapper]:
    """`text` on the read end of a real pipe, as a subprocess's stdin is: commands that
    read their file descriptor (`do`) meet what they would meet in a process. A writer
    thread feeds it, so input larger than the pipe's buffer cannot block the test."""
    read_end, write_end = os.pipe()
    data = text.encode("utf-8")

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), open(write_end, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=feed, name="stdin feeder", daemon=True)
    writer.start()
    with open(read_end, encoding="utf-8") as stdin:
        yield stdin
    writer.join(CLI_TIMEOUT)


def run_process(
    argv: Sequence[str],
    env: Mapping[str, str | None],
    *,
    cwd: Path | None = None,
    input: str | None = None,
    timeout: float = CLI_TIMEOUT,
) -> Result:
    """`replenish ARGV` as a real subprocess (`python -m program`), with `command_env(env)`."""
    done = subprocess.run(
        [sys.executable, "-m", "program", *argv],
        capture_output=True,
        env=command_env(env),
        cwd=cwd,
        input=None if input is None else input.encode(),
        timeout=timeout,
        check=False,
    )
    return Result.of(done.returncode, done.stdout, done.stderr)


@dataclass
class Cli:
    """`replenish` as a user types it, on the data folder `home`, the clock pinned to `now`
    (REPLENISH_NOW) when given, in zone `tz`: in this process, or as a subprocess when
    `process` (see the module doc)."""

    home: Path
    now: str | None = None
    tz: str = "UTC"
    process: bool = False

    def env(self, **extra: str | None) -> dict[str, str | None]:
        values: dict[str, str | None] = {
            "REPLENISH_HOME": str(self.home),
            "TZ": self.tz,
            "REPLENISH_NOW": self.now,
        }
        values.update(extra)
        return values

    def __call__(
        self, *args: str, input: str | None = None, cwd: Path | None = None, **extra: str
    ) -> Result:
        run = run_process if self.process else run_main
        return run(args, self.env(**extra), cwd=cwd, input=input)


@pytest.fixture
def cli(private_home: Path) -> Cli:
    return Cli(private_home)


@pytest.fixture
def cli_process(private_home: Path) -> Cli:
    """The same command line, each run a real subprocess."""
    return Cli(private_home, process=True)


HEAVY = ("textual", "apscheduler", "rich")


def heavy_modules_after(argv: list[str], home: Path) -> list[str]:
    """Run `replenish ARGV` in a fresh interpreter; return the heavy modules it imported.

    The plain commands must start in tens of milliseconds, so Textual and
    APScheduler may load only on the paths that draw a screen or schedule jobs.
    """
    code = (
        "import sys, io, contextlib\n"
        "from program.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    env = dict(os.environ, REPLENISH_HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    names: list[str] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return names
