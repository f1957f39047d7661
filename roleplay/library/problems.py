"""A problem found in a data file, said as `FILE:LINE: message — hint`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    hint: str = ""
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.level == "warning" else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}{hint}"


class LoadError(Exception):
    """A file could not be loaded. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class UnknownScenario(LoadError):
    """An id that names no scenario of the library (a typo, most often): `close` is the nearest id, if any."""

    def __init__(self, name: str, close: str | None) -> None:
        hint = f"did you mean '{close}'?" if close else "see `roleplay list`"
        super().__init__([Problem("<command line>", 1, f"no scenario called '{name}'", hint)])
        self.name = name
        self.close = close


def display_path(path: Path) -> str:
    """A path as short as it can be said: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # not below it; a symlink loop (RuntimeError before 3.13)
        return str(path)
