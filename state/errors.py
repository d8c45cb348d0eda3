"""Store failures; each `str()` is a sentence a user can act on, so callers may print it as is."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every failure the store reports on purpose."""


class StoreDamaged(StoreError):
    """The data file exists but cannot be trusted; it is never modified."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"Replenish cannot use its data file {path}: {detail}. "
            "The file has been left untouched. Move it somewhere safe (do not delete it: "
            f"it may still be recoverable, for example with `sqlite3 {path} .recover`), "
            "then start Replenish again to begin a new file; if you kept an export, "
            "importing it brings your answers back. With a daily backup, "
            "`replenish restore --latest` does this for you: it sets the file aside "
            "(renamed, kept) and brings the newest backup back; `replenish doctor` checks "
            "everything."
        )


class StoreRowUnreadable(StoreError, ValueError):
    """A stored value the code never writes (a hand edit, another program): the row is named by
    `doctor`; every command says so instead of stopping with a traceback. A ValueError too, so
    the checks that read values from outside (`state.codec.read_date`) treat it as a bad value."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"Replenish cannot read part of its data file: {what} is stored in a form Replenish "
            "never writes (the file may have been changed by hand or by another program). "
            "Nothing was changed. `replenish doctor` names the row and how to remove just it; "
            "`replenish restore --latest` brings back the newest backup instead."
        )


class StoreTooNew(StoreError):
    """The file was written by a newer Replenish; an older one must not touch it."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"The data file {path} was written by a newer version of Replenish "
            f"(data format {found}; this version understands up to {supported}). "
            "It has been left untouched; update Replenish to open it."
        )


class StoreUnreadable(StoreError):
    """The file or folder exists but this user may not read or write it."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"Replenish cannot open {path}: {detail}. Nothing was changed. "
            "Check that the folder and the file belong to you and that you may read "
            "and write them (for example `chmod 700` on the folder, `chmod 600` on the file)."
        )


class StoreNotPrivate(StoreError):
    """A data folder or file another user owns or may write: using it could show them everything."""

    def __init__(self, path: Path, detail: str, fix: str) -> None:
        self.path = path
        self.detail = detail
        self.fix = fix
        super().__init__(f"Replenish will not use {path}: {detail}. Nothing was changed. {fix}")


class DataDirInvalid(StoreError):
    """The data folder named (by `--data-dir` or `$REPLENISH_HOME`) cannot be a folder at all."""

    def __init__(self, given: str, detail: str) -> None:
        self.given = given
        self.detail = detail
        super().__init__(
            f"Replenish cannot use {given!r} as its data folder: {detail}. Nothing was changed; "
            "give the folder's full path (with --data-dir or $REPLENISH_HOME)."
        )


class StoreBusy(StoreError):
    """Another process held the write lock for longer than the busy timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The data file {path} stayed locked by another Replenish process for more "
            "than five seconds, so nothing was saved this time. Try again in a moment."
        )


class StoreRestoring(StoreError):
    """A restore held the data folder for longer than an open is willing to wait."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The data file {path} is being restored from a backup by another Replenish "
            "command. Nothing was changed; try again in a moment."
        )


class StoreWriteFailed(StoreError):
    """The operating system refused a write (disk full, I/O error)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"Replenish could not save to {path}: {detail}. Everything saved before is "
            "still there; check the free disk space and try again."
        )


class NotEnrolled(StoreError):
    """An operation needs a started plan and there is none."""

    def __init__(self) -> None:
        super().__init__("No plan has been started yet; start the plan first.")


class ImportRejected(StoreError):
    """An import file is malformed; nothing was changed."""

    def __init__(self, field: str, detail: str) -> None:
        self.field = field
        self.detail = detail
        where = f"{field}: " if field else ""
        super().__init__(
            f"Cannot import: {where}{detail}. Nothing was changed; your current data is as it was."
        )
