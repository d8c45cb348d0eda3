"""Writing an export from the Settings screen: where by default, and what can go wrong, in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from program import export
from program.service import Replenish

ExportFormat = Literal["md", "json"]


def default_export_path(today: date, kind: ExportFormat = "md") -> Path:
    """`~/replenish-export-YYYY-MM-DD.md` (or .json), expanded so the user sees where it goes."""
    return Path.home() / f"replenish-export-{today:%Y-%m-%d}.{kind}"


def suffix_for(path_text: str, kind: ExportFormat) -> str:
    """The same path with the other format's extension, if it had one of ours."""
    for known in (".md", ".json"):
        if path_text.endswith(known):
            return path_text[: -len(known)] + f".{kind}"
    return path_text


def export_to(service: Replenish, path: Path, kind: ExportFormat) -> None:
    """Write everything to `path` (0600, atomically); raises OSError with the system's reason."""
    content = export.as_json(service) if kind == "json" else export.as_markdown(service)
    export.write_private(path, content)
