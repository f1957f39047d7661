"""Writing an export or a report to a file: whole or not at all."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from roleplay.history.errors import StoreError


def write_file(path: Path, text: str, *, bom: bool = False) -> None:
    """Write whole or not at all (a temporary file, then a rename). Raises StoreError with one line.
    `bom`: begin with the UTF-8 byte order mark, by which spreadsheet programs (Excel on a Chinese Windows
    among them) know a CSV file is UTF-8 rather than the system's code page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"{path}: could not write the file: {exc.strerror or exc}") from None
