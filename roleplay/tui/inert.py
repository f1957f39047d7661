"""Every text the trainer draws is inert: Rich and Textual drop only BEL, BS, VT, FF and CR from the text they
are given, so an ESC in a scenario, a nickname or an old history's record would reach the terminal (and set
its clipboard, title or screen). `make_rendering_inert` widens the table both use to every control
character `roleplay.core.inert` names, shown as U+FFFD; the escape sequences Textual itself writes do not
pass through it.
"""

from __future__ import annotations

import re

import rich.control
import textual.content

from roleplay.core.inert import CONTROL_CHARACTERS, REPLACEMENT

_RANGES = re.findall(r"(.)(?:-(.))?", CONTROL_CHARACTERS)


def _code_points() -> list[int]:
    points: list[int] = []
    for first, last in _RANGES:
        points += range(ord(first), ord(last or first) + 1)
    return points


def make_rendering_inert() -> None:
    """Called once, when the trainer is imported. Idempotent."""
    tables: list[dict[int, str | None]] = [
        rich.control._CONTROL_STRIP_TRANSLATE,  # type: ignore[list-item] # the same dict, values widened
        textual.content._CONTROL_STRIP_TRANSLATE,  # type: ignore[list-item]
    ]
    for table in tables:
        table.update(dict.fromkeys(_code_points(), REPLACEMENT))
