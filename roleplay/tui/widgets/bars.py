"""Terminal charts drawn with block characters: readable in any terminal, on a projector, and in a capture."""

from __future__ import annotations

from rich.text import Text

FULL = "█"
EMPTY = "░"


def bar(part: int, whole: int, width: int = 20, colour: str = "") -> Text:
    """A horizontal bar of `part` out of `whole`, `width` cells long, followed by the figures."""
    filled = round(width * part / whole) if whole else 0
    text = Text()
    text.append(FULL * filled, style=colour)
    text.append(EMPTY * (width - filled), style="dim")
    text.append(f" {part}/{whole}")
    return text


def percent(value: float) -> str:
    return f"{round(100 * value)}%"
