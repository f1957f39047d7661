"""Charts for the HTML report: horizontal stacked bars as inline SVG, and their legend. Every label is
escaped; nothing is loaded or run."""

from __future__ import annotations

import html
from collections.abc import Callable

e: Callable[[str], str] = html.escape  # every piece of data goes through this

# A bar: its label, and its segments as (value, colour, what it is).
Bar = tuple[str, list[tuple[float, str, str]]]

# Dark fills take white numbers; the light ones keep the ink colour.
_TEXT_ON = dict.fromkeys(("var(--missed)", "var(--major)", "var(--partial)", "var(--hit)"), "#fff")


def legend(items: list[tuple[str, str]]) -> str:
    """A line of (label, colour) swatches."""
    return (
        '<p class="legend">'
        + "".join(
            f'<span class="swatch" style="background:{colour}"></span>{e(label)}' for label, colour in items
        )
        + "</p>"
    )


def stacked_bars(rows: list[Bar], title: str, width: int = 640) -> str:
    """Horizontal stacked bars, each with its label above: labels of any length and language fit.

    Values are written on the segments as well, so the chart reads without colour too (a black-and-white
    printer).
    """
    if not rows:
        return ""
    top = max((sum(value for value, _, _ in segments) for _, segments in rows), default=0) or 1
    row_height = 40
    height = row_height * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{e(title)}"><title>{e(title)}</title>'
    ]
    for i, (label, segments) in enumerate(rows):
        y = i * row_height
        parts.append(f'<text x="0" y="{y + 13}">{e(label)}</text>')
        x = 0.0
        for value, colour, what in segments:
            if value <= 0:
                continue
            w = value / top * (width - 60)
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 18}" width="{w:.1f}" height="16" style="fill:{colour}">'
                f"<title>{e(what)}: {e(_value_text(value))}</title></rect>"
            )
            if len(segments) > 1 and w > 24:  # one segment: its total, after the bar, says it already
                ink = _TEXT_ON.get(colour, "var(--ink)")
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + 31}" style="fill:{ink}">{e(_value_text(value))}</text>'
                )
            x += w
        total = sum(value for value, _, _ in segments)
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 31}">{e(_value_text(total))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def rate(part: int, whole: int) -> float:
    """The plain share in percent, for a chart (the corrected rates are for d′ only)."""
    return float(round(100 * part / whole)) if whole else 0.0


def _value_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
