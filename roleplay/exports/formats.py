"""The formats a report is rendered in, and the one call that renders it.

Why a module of its own: each renderer reads the report's model, so the choice among them sits above both
and the model never imports what draws it.
"""

from __future__ import annotations

from typing import Literal

from roleplay.core.inert import inert
from roleplay.exports.html import render_html
from roleplay.exports.markdown import render_markdown
from roleplay.exports.report import Report
from roleplay.exports.spreadsheet import render_csv

Format = Literal["md", "html", "csv"]
FORMATS: tuple[Format, ...] = ("md", "html", "csv")


def render(report: Report, fmt: Format) -> str:
    """The report as Markdown, one self-contained HTML page, or CSV."""
    renderers = {"md": render_markdown, "html": render_html, "csv": render_csv}
    return inert(renderers[fmt](report))  # an old history's text may hold control characters
