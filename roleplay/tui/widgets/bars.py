"""A bar drawn with block characters: a share of a whole, with the numbers after it."""

from __future__ import annotations

from rich.text import Text

FULL = "█"
EMPTY = "░"


def bar(part: int, whole: int, *, width: int = 20, colour: str = "") -> Text:
    """`part` of `whole` as a bar of `width` cells, then "part/whole" (so it reads without colour too)."""
    filled = min(width, round(width * part / whole)) if whole > 0 else 0
    text = Text()
    text.append(FULL * filled, style=colour)
    text.append(EMPTY * (width - filled), style="dim")
    text.append(f" {part}/{whole}")
    return text
