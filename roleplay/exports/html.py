"""A report as one self-contained HTML file that prints as a handout: inline SVG charts, print CSS
(handout.css), no scripts and no external resources. Every piece of text from data is escaped."""

from __future__ import annotations

import functools
from importlib import resources

from roleplay.core.model import SEVERITIES
from roleplay.exports import wording as w
from roleplay.exports.charts import Bar, e, legend, rate, stacked_bars
from roleplay.exports.report import Report
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _, language

_CSP = "default-src 'none'; style-src 'unsafe-inline'"

_SEVERITY_COLOURS: dict[str, str] = {
    "safe": "var(--safe)",
    "exposed": "var(--exposed)",
    "partial_loss": "var(--partial)",
    "major_loss": "var(--major)",
    "abandoned": "var(--abandoned)",
}


@functools.cache
def _css() -> str:
    return resources.files("roleplay.exports").joinpath("handout.css").read_text(encoding="utf-8")


def _html_table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        css = ' class="n"' if i >= numeric_from else ""
        return f"<{tag}{css}>{e(text)}</{tag}>"

    out = ["<table><thead><tr>", *(cell("th", i, h) for i, h in enumerate(head)), "</tr></thead><tbody>"]
    for row in rows:
        out += ["<tr>", *(cell("td", i, c) for i, c in enumerate(row)), "</tr>"]
    out.append("</tbody></table>")
    return "".join(out)


def render_html(report: Report) -> str:
    lang = "zh-CN" if language() == "zh" else "en"
    title = w.title(report)
    figures = _("For the facilitator: the figures")
    body: list[str] = [
        *_residents(report, title),
        "<div class='officer'>",
        f"<header><h1>{e(figures)}</h1><p class='meta'>{e(title)} · {e(w.scope_line(report))}</p></header>",
        *_calls(report),
        *_discernment(report),
        *_flags(report),
        *_test_items(report),
        *_scenarios(report),
        "</div>",
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        # Even if something slipped through escaping, this page can run nothing and load nothing.
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>\n{_css()}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _residents(report: Report, title: str) -> list[str]:
    """The first page, to hand to each resident: what to remember, what this room missed, whom to call. No
    statistics: those are on the facilitator's pages after it."""
    remember, missed, numbers = _("Remember"), _("The red flags this room missed most"), _("Numbers to call")
    police = _("Already scammed, or being pressed right now: call the police at once.")
    line = _("Not sure? Ask the anti-fraud line. When 96110 calls you, answer and listen.")
    body = [
        "<section class='residents'>",
        f"<header><h1>{e(title)}</h1><p class='meta'>{e(w.scope_line(report))}</p></header>",
        f"<h2>{e(remember)}</h2>",
        "<ol class='remember'>",
        *(f"<li>{e(v.say(rule))}</li>" for rule in report.handout_rules),
        "</ol>",
    ]
    if report.most_missed:
        body.append(f"<h2>{e(missed)}</h2>")
        for f in report.most_missed:
            body.append(
                f"<div class='flag missed'><h3>{e(v.say(f.name))}</h3>"
                f"<p class='advice'>{e(v.say(f.instead))}</p></div>"
            )
    body += [
        f"<h2>{e(numbers)}</h2>",
        "<ul class='numbers'>",
        f"<li><b>110</b>{e(police)}</li>",
        f"<li><b>96110</b>{e(line)}</li>",
        "</ul>",
        "</section>",
    ]
    return body


def _calls(report: Report) -> list[str]:
    body = [
        "<section>",
        f"<h2>{e(w.section('calls'))}</h2>",
        '<ul class="cards">',
        *(f"<li><b>{e(value)}</b>{e(label)}</li>" for label, value in w.summary_pairs(report)),
        "</ul>",
    ]
    outcome_segments = [
        (float(report.severities[level]), _SEVERITY_COLOURS[level], v.severity(level)) for level in SEVERITIES
    ]
    outcome_segments.append((float(report.abandoned), _SEVERITY_COLOURS["abandoned"], _("abandoned")))
    body.append(stacked_bars([(_("All calls"), outcome_segments)], _("Outcomes")))
    body.append(legend([(what, colour) for _value, colour, what in outcome_segments]))
    body.append("</section>")
    return body


def _discernment(report: Report) -> list[str]:
    body = ["<section>", f"<h2>{e(w.section('discernment'))}</h2>"]
    body.append(_html_table(["", *w.discernment_head()], w.discernment_rows(report)))
    if report.tests:
        body.append("<p>" + e(w.change_line(report)) + "</p>")
        for (first, then), change in report.paired.items():
            body.append("<p>" + e(w.paired_line(first, then, change)) + "</p>")
        hit, false_alarm = _("hit rate %"), _("false alarm rate %")
        bars: list[Bar] = []
        for phase, d in report.tests.items():
            label = w.phase_label(phase)
            bars.append((f"{label} · {hit}", [(rate(d.hits, d.scam_calls), "var(--hit)", hit)]))
            bars.append(
                (
                    f"{label} · {false_alarm}",
                    [(rate(d.false_alarms, d.real_calls), "var(--fa)", false_alarm)],
                )
            )
        body.append(stacked_bars(bars, _("Before and after"), width=640))
        body.append(legend([(_("hit rate %"), "var(--hit)"), (_("false alarm rate %"), "var(--fa)")]))
    body.append("<p class='meta'>" + e(w.discernment_note()) + "</p></section>")
    return body


def _flags(report: Report) -> list[str]:
    body = ["<section>", f"<h2>{e(w.section('flags'))}</h2>"]
    if not report.flags:
        body.append("<p>" + e(_("No red flags met yet.")) + "</p>")
    else:
        body.append(
            stacked_bars(
                [
                    (
                        v.say(f.name),
                        [
                            (float(f.missed), "var(--missed)", _("missed")),
                            (float(f.spotted), "var(--spotted)", _("spotted")),
                        ],
                    )
                    for f in report.flags
                ],
                _("Red flags most missed"),
            )
        )
        body.append(legend([(_("missed"), "var(--missed)"), (_("spotted"), "var(--spotted)")]))
    for f in report.flags:
        counts = _("met {met}, spotted {spotted}, missed {missed}").format(
            met=f.met, spotted=f.spotted, missed=f.missed
        )
        advice = _("What to do instead: {advice}").format(advice=v.say(f.instead))
        # The border says which the room did more: missed (red), spotted (green), as often (neither).
        kind = "missed" if f.missed > f.spotted else "spotted" if f.spotted > f.missed else "even"
        body.append(
            f"<div class='flag {kind}'><h3>{e(v.say(f.name))}</h3><p class='meta'>{e(counts)}</p>"
            f"<p class='advice'>{e(advice)}</p>"
        )
        if f.sources:
            body.append(
                "<ul class='sources'>"
                + "".join(f"<li>{e(w.source_line(w.source_text(s)))}</li>" for s in f.sources)
                + "</ul>"
            )
        body.append("</div>")
    body.append("</section>")
    return body


def _test_items(report: Report) -> list[str]:
    if not report.test_items:
        return []
    rows = [w.test_item_cells(row) for row in report.test_items]
    return [
        "<section>",
        f"<h2>{e(w.section('test-items'))}</h2>",
        _html_table(w.test_items_head(), rows, numeric_from=4),
        "</section>",
    ]


def _scenarios(report: Report) -> list[str]:
    body = ["<section>", f"<h2>{e(w.section('scenarios'))}</h2>"]
    rows = [w.scenario_cells(s) for s in report.scenarios]
    body.append(_html_table(w.scenario_head(), rows, numeric_from=2))
    if any(s.older_versions for s in report.scenarios):
        body.append(f"<p class='meta'>{e(w.older_note())}</p>")
    body.append("</section>")
    return body
