"""A report as CSV: one tidy table. Text from data is defused for spreadsheets (no cell runs as a formula)."""

from __future__ import annotations

import csv
import io

from roleplay.core.model import SEVERITIES
from roleplay.exports import wording as w
from roleplay.exports.report import Report
from roleplay.history.discernment import Discernment
from roleplay.text import vocabulary as v

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Data as a spreadsheet cell: a leading = + - @ would run as a formula, so it is quoted with '."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: Report) -> str:
    """One tidy table: section, key, name, measure, value. Keys and measures stay English for tools;
    names are in the report's language."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["section", "key", "name", "measure", "value"])

    def row(section: str, key: str, name: str, measure: str, value: object) -> None:
        shown = csv_text(value) if isinstance(value, str) else value
        out.writerow([section, csv_text(key), csv_text(name), measure, shown])

    scope = report.workshop.id if report.workshop else (report.trainee or "")
    row("report", scope, w.title(report), "generated_at", report.generated_at.isoformat())
    if report.workshop:
        row(
            "report",
            report.workshop.id,
            report.workshop.facilitator,
            "facilitator",
            report.workshop.facilitator,
        )
    for measure in (
        "calls",
        "finished",
        "abandoned",
        "in_progress",
        "trainees",
        "room_calls",
        "safe",
        "loss",
    ):
        row("summary", "", "", measure, getattr(report, measure))
    row("summary", "", "", "money_lost", report.money_lost)
    for level in SEVERITIES:
        row("severity", level, v.severity(level), "calls", report.severities[level])
    tests: list[tuple[str, Discernment]] = [("calls", report.discernment), ("behaviour", report.behaviour)]
    tests += [(phase, d) for phase, d in report.tests.items()]
    for key, d in tests:
        for measure, value in d.to_json().items():
            row("discernment", key, "", measure, value)
    if report.tests:
        change = report.d_prime_change
        row("discernment", "change", "", "d_prime_change", None if change is None else round(change, 3))
    for (first, then), pair in report.paired.items():  # the same residents (phones) in both tests
        key = f"{first}-{then}"
        for measure in ("residents", "improved", "same", "worse"):
            row("paired", key, "", measure, getattr(pair, measure))
        for phase, d in ((first, pair.before), (then, pair.after)):
            for measure, value in d.to_json().items():
                row("paired", key, phase, measure, value)
    for item in report.test_items:
        key = f"{item.phase}-{item.item}"
        for measure in ("said_scam", "said_not", "right"):
            row("test_item", key, v.say(item.title), measure, getattr(item, measure))
        row("test_item", key, v.say(item.title), "kind", item.kind)
    for flag in report.flags:
        name = v.say(flag.name)
        for measure in ("met", "spotted", "missed"):
            row("flag", flag.flag, name, measure, getattr(flag, measure))
        row("flag", flag.flag, name, "instead", v.say(flag.instead))
        for source in flag.sources:
            row("flag", flag.flag, name, "source", w.source_text(source))
    for s in report.scenarios:
        title = v.say(s.title)
        row("scenario", s.scenario, title, "kind", s.kind)
        for measure in (
            "calls",
            "finished",
            "abandoned",
            "safe",
            "loss",
            "judged",
            "judged_right",
            "acted",
            "acted_right",
        ):
            row("scenario", s.scenario, title, measure, getattr(s, measure))
        row("scenario", s.scenario, title, "money_lost", s.money_lost)
        row("scenario", s.scenario, title, "flags_spotted", s.spotted)
        row("scenario", s.scenario, title, "flags_missed", s.missed)
        row("scenario", s.scenario, title, "older_versions", s.older_versions)
    return buffer.getvalue()
