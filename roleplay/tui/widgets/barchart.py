"""Horizontal bar charts drawn with block characters, for the presenter's summaries and the workshop report.

Why a Rich renderable and not a widget: a chart is part of a block of text (a heading, the bars, a note
under them), so it goes into a `Static` or a `RichLog` like any other renderable, and it measures the width
it is given when it is drawn, so the same chart fills 80 or 200 columns. Each row may stack several segments
(missed, then spotted); the numbers are written after the bar, so the chart reads without colour too (a
projector that washes colours out, a light theme). Labels come from data: they are `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.text import Text

FULL = "█"
PARTS = " ▏▎▍▌▋▊▉"  # eighths of a cell, for the end of a segment drawn in full blocks


@dataclass(frozen=True)
class Segment:
    """A part of a bar. `char` other than a full block tells segments apart without colour (whole cells)."""

    value: float
    style: str
    char: str = FULL


@dataclass(frozen=True)
class BarRow:
    """One bar: its label, its segments from the left, what is written after it, and an optional detail
    line under it (advice, the right answer), indented to where the bar starts."""

    label: Text
    segments: tuple[Segment, ...]
    note: Text
    detail: Text | None = None

    @property
    def total(self) -> float:
        return sum(max(s.value, 0.0) for s in self.segments)


def row(
    label: str | Text, value: float, style: str, note: str | Text | None = None, detail: Text | None = None
) -> BarRow:
    """A bar of one segment; its note is the value unless given."""
    shown = note if note is not None else _number(value)
    return BarRow(_text(label), (Segment(value, style),), _text(shown), detail)


def _text(value: str | Text) -> Text:
    return value if isinstance(value, Text) else Text(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


class Bars:
    """Bars scaled to `top` (default: the longest bar), labels in a column as wide as the longest one."""

    def __init__(
        self,
        rows: Sequence[BarRow],
        *,
        top: float | None = None,
        max_label: int = 36,
        max_width: int | None = None,
        labels_above: bool = False,
    ) -> None:
        """`max_width` keeps short tallies short (a bar across a whole wide screen is hard to compare);
        `labels_above` puts each label on a line of its own, for long ones (red-flag names)."""
        self.rows = tuple(rows)
        self.top = top
        self.max_label = max_label
        self.max_width = max_width
        self.labels_above = labels_above

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(20, options.max_width), options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            return
        width = min(options.max_width, self.max_width or options.max_width)
        if self.labels_above:
            label_width = 1  # the bar is indented under its label
        else:
            label_width = min(max(cell_len(r.label.plain) for r in self.rows), self.max_label, width // 3)
        note_width = max(cell_len(r.note.plain) for r in self.rows)
        bar_width = max(width - label_width - note_width - 3, 4)
        top = self.top or max(r.total for r in self.rows) or 1.0
        for bar in self.rows:
            if self.labels_above:
                yield bar.label
                line = Text(" " * label_width)
            else:
                line = bar.label.copy()
                line.truncate(label_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(self._bar(bar, top, bar_width))
            line.append(" ")
            line.append_text(bar.note)
            line.no_wrap = True
            yield line
            if bar.detail is not None:
                yield Padding(bar.detail, (0, 0, 0, label_width + 1))
            if self.labels_above and bar is not self.rows[-1]:
                yield Text("")

    @staticmethod
    def _bar(bar: BarRow, top: float, width: int) -> Text:
        """The segments, in eighths of a cell; a value above 0 never vanishes (it gets at least an eighth)."""
        out = Text()
        used = 0  # eighths drawn so far
        shown = [s for s in bar.segments if s.value > 0]
        for index, segment in enumerate(shown):
            eighths = max(1, round(min(segment.value, top) / top * width * 8))
            last = index == len(shown) - 1 and segment.char == FULL
            if not last:  # ends on a whole cell, so the next segment starts cleanly
                eighths = max(8, round(eighths / 8) * 8)
            eighths = min(eighths, width * 8 - used)
            whole, part = divmod(eighths, 8)
            out.append(segment.char * whole + (PARTS[part] if part else ""), style=segment.style)
            used += eighths
        out.append(" " * max(width - out.cell_len, 0))
        return out
