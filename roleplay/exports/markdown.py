"""A report as Markdown. Text from data (scenario titles, flag names, advice, sources, nicknames) is
escaped: every character Markdown would act on."""

from __future__ import annotations

import re

from roleplay.core.model import SEVERITIES
from roleplay.exports import wording as w
from roleplay.exports.report import Report
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#])")


def md(text: str) -> str:
    """Data as Markdown text: every character Markdown would act on is escaped; lines become one."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(report: Report) -> str:
    out = [f"# {md(w.title(report))}", "", md(w.scope_line(report)), ""]
    out += [f"## {w.section('calls')}", ""]
    out += _md_table(
        [_("Measure"), _("Value")], [[label, md(value)] for label, value in w.summary_pairs(report)]
    )
    out += ["", _md_table_severities(report), ""]
    out += [f"## {w.section('discernment')}", ""]
    out += _md_table(["", *w.discernment_head()], w.discernment_rows(report))
    out += ["", md(w.discernment_note())]
    if report.tests:
        out += ["", w.change_line(report)]
        out += ["", *(md(w.paired_line(a, b, change)) for (a, b), change in report.paired.items())]
    out += ["", f"## {w.section('flags')}", ""]
    if not report.flags:
        out.append(_("No red flags met yet."))
    for flag in report.flags:
        out.append(
            f"### {md(v.say(flag.name))}"
            + " — "
            + _("met {met}, spotted {spotted}, missed {missed}").format(
                met=flag.met, spotted=flag.spotted, missed=flag.missed
            )
        )
        out += ["", _("What to do instead: {advice}").format(advice=md(v.say(flag.instead))), ""]
        out += ["- " + w.source_line(md(w.source_text(s))) for s in flag.sources]
        out.append("")
    if report.test_items:
        out += [f"## {w.section('test-items')}", ""]
        out += _md_table(
            w.test_items_head(), [[md(c) for c in w.test_item_cells(r)] for r in report.test_items]
        )
        out.append("")
    out += [f"## {w.section('scenarios')}", ""]
    out += _md_table(w.scenario_head(), [[md(c) for c in w.scenario_cells(s)] for s in report.scenarios])
    if any(s.older_versions for s in report.scenarios):
        out += ["", md(w.older_note())]
    return "\n".join(out) + "\n"


def _md_table_severities(report: Report) -> str:
    head = [v.severity(level) for level in SEVERITIES]
    return "\n".join(_md_table(head, [[str(report.severities[level]) for level in SEVERITIES]]))
