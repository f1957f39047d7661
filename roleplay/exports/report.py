"""Reports over the history: for a workshop's handout, a facilitator's records, or one's own practice.

Why it is built this way: the report is first a model (`Report`), built with a handful of SQL GROUP BY
queries — never by loading every call, so 100,000 recorded calls still report in well under a second — and
then rendered as Markdown, CSV or one self-contained HTML file (inline SVG charts, print CSS, no scripts, no
external resources) that prints as a handout. Every piece of text that comes from data (scenario titles,
flag names, advice, sources, nicknames) is escaped for the format it goes into: it is never trusted.
Labels go through gettext, so the report follows `roleplay --lang`.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from roleplay.core.model import SEVERITIES, Severity, Source, Text
from roleplay.history.clock import utc_now
from roleplay.history.files import scenario_hash
from roleplay.history.names import ROOM_PREFIX, normalise_workshop_id
from roleplay.history.progress import NO_JUDGEMENTS, Discernment, discernment_from_rows
from roleplay.history.records import Phase, Workshop
from roleplay.history.store import Store
from roleplay.library.library import Library
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _, language

Format = Literal["md", "html", "csv"]
FORMATS: tuple[Format, ...] = ("md", "html", "csv")
TOP_FLAGS = 10


# -- the model ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRow:
    flag: str
    name: Text
    met: int
    spotted: int
    missed: int
    instead: Text  # the catalog's advice: what to do instead
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ScenarioRow:
    scenario: str
    title: Text
    kind: str
    calls: int
    finished: int
    abandoned: int
    safe: int
    loss: int
    money_lost: int
    judged: int
    judged_right: int
    spotted: int
    missed: int
    older_versions: int  # calls recorded against another version of the scenario file


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    workshop: Workshop | None
    trainee: str | None
    calls: int
    finished: int
    abandoned: int
    in_progress: int
    trainees: int
    room_calls: int
    safe: int
    loss: int
    severities: dict[Severity, int]
    money_lost: int
    discernment: Discernment
    flags: tuple[FlagRow, ...]  # the most missed first
    scenarios: tuple[ScenarioRow, ...]
    tests: dict[Phase, Discernment] = field(default_factory=dict)  # workshops: the room before and after

    @property
    def d_prime_change(self) -> float | None:
        pre, post = self.tests.get("pre"), self.tests.get("post")
        if pre is None or post is None or pre.d_prime is None or post.d_prime is None:
            return None
        return post.d_prime - pre.d_prime


def build_report(
    store: Store,
    library: Library,
    *,
    workshop_id: str | None = None,
    trainee: str | None = None,
    top_flags: int = TOP_FLAGS,
    now: datetime | None = None,
) -> Report:
    """Aggregate the calls in scope (a workshop, a trainee, or all). Raises UnknownWorkshop.

    Three queries: one GROUP BY over the calls (it reads only the covering index `calls_for_reports`,
    and gives at most a few hundred groups, summed here), one over the flags met, one counting trainees.
    """
    workshop = store.workshop(workshop_id) if workshop_id is not None else None
    where, params = _scope(workshop.id if workshop else None, trainee)
    groups = store.rows(
        f"""SELECT scenario, scenario_hash, kind, status, outcome, severity, judged_scam, mode,
                   count(*) AS n, sum(lost) AS lost, sum(spotted) AS spotted, sum(missed) AS missed
            FROM calls AS c WHERE {where}
            GROUP BY scenario, scenario_hash, kind, status, outcome, severity, judged_scam, mode""",
        params,
    )
    trainees = store.rows(
        f"SELECT count(DISTINCT trainee) FROM calls AS c WHERE {where} AND trainee NOT LIKE '{ROOM_PREFIX}%'",
        params,
    )[0][0]
    totals: Counter[str] = Counter()
    severities: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
    judged: Counter[tuple[str, bool]] = Counter()
    for g in groups:
        n = g["n"]
        totals["calls"] += n
        totals[g["status"]] += n
        totals["room"] += n if g["mode"] == "room" else 0
        if g["status"] != "finished":
            continue
        totals["lost"] += g["lost"]
        totals[g["outcome"]] += n
        if g["severity"] in severities:
            severities[g["severity"]] += n
        if g["judged_scam"] is not None:
            judged[(g["kind"], bool(g["judged_scam"]))] += n
    tests: dict[Phase, Discernment] = {}
    if workshop is not None:
        from roleplay.workshop.session import phase_discernment

        for phase in ("pre", "post"):
            result = phase_discernment(store, workshop.id, phase)
            if result != NO_JUDGEMENTS:
                tests[phase] = result
    return Report(
        generated_at=now or utc_now(),
        workshop=workshop,
        trainee=trainee,
        calls=totals["calls"],
        finished=totals["finished"],
        abandoned=totals["abandoned"],
        in_progress=totals["in_progress"],
        trainees=trainees,
        room_calls=totals["room"],
        safe=totals["safe"],
        loss=totals["loss"],
        severities=severities,
        money_lost=totals["lost"],
        discernment=discernment_from_rows([(kind, said, n) for (kind, said), n in judged.items()]),
        flags=_flag_rows(store, library, where, params, top_flags),
        scenarios=_scenario_rows(store, library, groups),
        tests=tests,
    )


def _scope(workshop_id: str | None, trainee: str | None) -> tuple[str, list[Any]]:
    where, params = ["1"], []
    if workshop_id is not None:
        where.append("c.workshop_id = ?")
        params.append(normalise_workshop_id(workshop_id))
    if trainee is not None:
        where.append("c.trainee = ?")
        params.append(trainee)
    return " AND ".join(where), params


def _flag_rows(
    store: Store, library: Library, where: str, params: list[Any], top: int
) -> tuple[FlagRow, ...]:
    # Flags are stored for finished calls only; with no scope there is no need to join the calls.
    joined = "" if where == "1" else f"JOIN calls AS c ON c.id = f.call_id WHERE {where}"
    counts: dict[str, Counter[str]] = {}
    for r in store.rows(
        f"SELECT f.flag, f.status, count(*) AS n FROM call_flags AS f {joined} GROUP BY f.flag, f.status",
        params,
    ):
        counts.setdefault(r["flag"], Counter())[r["status"]] += r["n"]
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1]["missed"], -kv[1].total(), kv[0]))[:top]
    catalog = library.catalog
    out = []
    for flag_id, c in ranked:
        flag = catalog.flags.get(flag_id)
        if flag is None:  # a flag since removed from the catalog: still counted, with no advice to give
            name = Text(zh=flag_id, en=flag_id)
            out.append(FlagRow(flag_id, name, c.total(), c["spotted"], c["missed"], name, ()))
            continue
        sources = tuple(catalog.sources[s] for s in flag.sources if s in catalog.sources)
        out.append(FlagRow(flag_id, flag.name, c.total(), c["spotted"], c["missed"], flag.instead, sources))
    return tuple(out)


def _current_hash(library: Library, scenario_id: str) -> str | None:
    path = library.paths.get(scenario_id)
    try:
        return scenario_hash(path) if path else None
    except OSError:
        return None


def _scenario_rows(store: Store, library: Library, groups: list[Any]) -> tuple[ScenarioRow, ...]:
    """Per scenario, summed over its groups; calls recorded against another file version are counted."""
    current: dict[str, str | None] = {}
    sums: dict[str, Counter[str]] = {}
    kinds: dict[str, str] = {}
    for g in groups:
        scenario_id = g["scenario"]
        if scenario_id not in current:
            current[scenario_id] = _current_hash(library, scenario_id)
        kinds[scenario_id] = g["kind"]
        t = sums.setdefault(scenario_id, Counter())
        n = g["n"]
        t["calls"] += n
        t[g["status"]] += n
        if current[scenario_id] is not None and g["scenario_hash"] != current[scenario_id]:
            t["older"] += n
        if g["status"] != "finished":
            continue
        t[g["outcome"]] += n
        t["lost"] += g["lost"]
        t["spotted"] += g["spotted"]
        t["missed"] += g["missed"]
        if g["judged_scam"] is not None:
            t["judged"] += n
            t["judged_right"] += n if bool(g["judged_scam"]) == (g["kind"] == "scam") else 0
    out = [
        ScenarioRow(
            scenario_id,
            _scenario_title(store, library, scenario_id),
            kinds[scenario_id],
            calls=t["calls"],
            finished=t["finished"],
            abandoned=t["abandoned"],
            safe=t["safe"],
            loss=t["loss"],
            money_lost=t["lost"],
            judged=t["judged"],
            judged_right=t["judged_right"],
            spotted=t["spotted"],
            missed=t["missed"],
            older_versions=t["older"],
        )
        for scenario_id, t in sums.items()
    ]
    out.sort(key=lambda s: (-s.calls, s.scenario))
    return tuple(out)


def _scenario_title(store: Store, library: Library, scenario_id: str) -> Text:
    """The library's title; for a scenario no longer there, the title recorded with its calls."""
    if scenario_id in library.scenarios:
        return library.scenarios[scenario_id].title
    row = store.rows("SELECT title_zh, title_en FROM calls WHERE scenario = ? LIMIT 1", (scenario_id,))
    return Text(zh=row[0][0], en=row[0][1]) if row else Text(zh=scenario_id, en=scenario_id)


# -- shared wording -------------------------------------------------------------------------------------


def _title(report: Report) -> str:
    if report.workshop is not None:
        return _("Workshop report {id}").format(id=report.workshop.id)
    if report.trainee is not None:
        return _("Practice report: {trainee}").format(trainee=report.trainee)
    return _("Practice report: all calls")


def _kind(kind: str) -> str:
    return _("scam") if kind == "scam" else _("real call")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _section(key: str) -> str:
    """Section headings, translated when called (gettext cannot see `_()` inside an f-string)."""
    return {
        "calls": _("Calls and outcomes"),
        "discernment": _("Telling scams from real calls"),
        "flags": _("Red flags most missed"),
        "scenarios": _("Results by scenario"),
    }[key]


def _source_line(text: str) -> str:
    return _("Source: {source}").format(source=text)


def _source_text(source: Source) -> str:
    return f"{v.say(source.publisher)}, {v.say(source.title)}, {source.date}"


def _phase_label(phase: Phase) -> str:
    return _("Before (pre-test)") if phase == "pre" else _("After (post-test)")


def _discernment_cells(d: Discernment) -> list[str]:
    return [
        f"{d.hits}/{d.scam_calls}",
        f"{d.false_alarms}/{d.real_calls}",
        _number(d.d_prime),
        _number(d.criterion),
    ]


def _discernment_head() -> list[str]:
    return [_("Hits (scams judged a scam)"), _("False alarms (real calls judged a scam)"), "d′", "c"]


def _summary_pairs(report: Report) -> list[tuple[str, str]]:
    pairs = [
        (_("Calls"), str(report.calls)),
        (_("Finished"), str(report.finished)),
        (_("Abandoned"), str(report.abandoned)),
        (_("Ended safely"), str(report.safe)),
        (_("Ended in a loss"), str(report.loss)),
        (_("Money that would have been lost"), v.money(report.money_lost)),
        (_("Trainees"), str(report.trainees)),
    ]
    if report.room_calls:
        pairs.append((_("Calls played by the room"), str(report.room_calls)))
    return pairs


def _scope_line(report: Report) -> str:
    parts = [_("Generated {time}").format(time=report.generated_at.astimezone().strftime("%Y-%m-%d %H:%M"))]
    if report.workshop is not None:
        parts.append(_("Facilitator: {name}").format(name=report.workshop.facilitator))
        if report.workshop.title:
            parts.append(report.workshop.title)
    return " · ".join(parts)


# -- Markdown -------------------------------------------------------------------------------------------


def _older_note() -> str:
    return _("* Some calls were recorded against an older version of the scenario file.")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#])")


def md(text: str) -> str:
    """Data as Markdown text: every character Markdown would act on is escaped; lines become one."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(report: Report) -> str:
    out = [f"# {md(_title(report))}", "", md(_scope_line(report)), ""]
    out += [f"## {_section('calls')}", ""]
    out += _md_table(
        [_("Measure"), _("Value")], [[label, md(value)] for label, value in _summary_pairs(report)]
    )
    out += ["", _md_table_severities(report), ""]
    out += [f"## {_section('discernment')}", ""]
    rows = [[_("Calls judged"), *_discernment_cells(report.discernment)]]
    for phase, result in report.tests.items():
        rows.append([_phase_label(phase), *_discernment_cells(result)])
    out += _md_table(["", *_discernment_head()], rows)
    if report.tests:
        out += [
            "",
            _("Change in d′ from before to after: {change}").format(change=_signed(report.d_prime_change)),
        ]
    out += ["", f"## {_section('flags')}", ""]
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
        out += ["- " + _source_line(md(_source_text(s))) for s in flag.sources]
        out.append("")
    out += [f"## {_section('scenarios')}", ""]
    out += _md_table(_scenario_head(), [[md(c) for c in _scenario_cells(s)] for s in report.scenarios])
    if any(s.older_versions for s in report.scenarios):
        out += ["", md(_older_note())]
    return "\n".join(out) + "\n"


def _md_table_severities(report: Report) -> str:
    head = [v.severity(level) for level in SEVERITIES]
    return "\n".join(_md_table(head, [[str(report.severities[level]) for level in SEVERITIES]]))


def _scenario_head() -> list[str]:
    return [
        _("Scenario"),
        _("Kind"),
        _("Calls"),
        _("Safe"),
        _("Loss"),
        _("Money that would have been lost"),
        _("Judged right"),
        _("Flags spotted"),
        _("Flags missed"),
    ]


def _scenario_cells(s: ScenarioRow) -> list[str]:
    title = v.say(s.title) + (" *" if s.older_versions else "")
    return [
        title,
        _kind(s.kind),
        str(s.calls),
        str(s.safe),
        str(s.loss),
        v.money(s.money_lost),
        f"{s.judged_right}/{s.judged}",
        str(s.spotted),
        str(s.missed),
    ]


# -- CSV ------------------------------------------------------------------------------------------------

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
    row("report", scope, _title(report), "generated_at", report.generated_at.isoformat())
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
    tests: list[tuple[str, Discernment]] = [("calls", report.discernment)]
    tests += [(phase, d) for phase, d in report.tests.items()]
    for key, d in tests:
        for measure, value in d.to_json().items():
            row("discernment", key, "", measure, value)
    if report.tests:
        change = report.d_prime_change
        row("discernment", "change", "", "d_prime_change", None if change is None else round(change, 3))
    for flag in report.flags:
        name = v.say(flag.name)
        for measure in ("met", "spotted", "missed"):
            row("flag", flag.flag, name, measure, getattr(flag, measure))
        row("flag", flag.flag, name, "instead", v.say(flag.instead))
        for source in flag.sources:
            row("flag", flag.flag, name, "source", _source_text(source))
    for s in report.scenarios:
        title = v.say(s.title)
        row("scenario", s.scenario, title, "kind", s.kind)
        for measure in ("calls", "finished", "abandoned", "safe", "loss", "judged", "judged_right"):
            row("scenario", s.scenario, title, measure, getattr(s, measure))
        row("scenario", s.scenario, title, "money_lost", s.money_lost)
        row("scenario", s.scenario, title, "flags_spotted", s.spotted)
        row("scenario", s.scenario, title, "flags_missed", s.missed)
        row("scenario", s.scenario, title, "older_versions", s.older_versions)
    return buffer.getvalue()


# -- HTML -----------------------------------------------------------------------------------------------

e: Callable[[str], str] = html.escape  # every piece of data goes through this

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #ccc; --safe: #8fc79a; --exposed: #f2c94c;
  --partial: #e07b39; --major: #8e1b1b; --abandoned: #bdbdbd; --spotted: #8fc79a; --missed: #b3261e;
  --hit: #2f5d8a; --fa: #e07b39; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif;
  color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
  font-size: 16px; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 .3rem; }
.meta { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.cards b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.flag { border-left: 4px solid var(--missed); padding: .2rem 0 .2rem .8rem; margin: .8rem 0; }
.advice { font-weight: bold; }
.sources { color: var(--muted); font-size: .9rem; margin: .2rem 0 0; padding-left: 1.2rem; }
svg { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
svg text { font-family: inherit; font-size: 13px; fill: var(--ink); }
.legend { font-size: .9rem; color: var(--muted); }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin: 0 .3em 0 .8em; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  section, .flag, table, svg { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'"

# Dark fills take white numbers; the light ones keep the ink colour.
_TEXT_ON = dict.fromkeys(("var(--missed)", "var(--major)", "var(--partial)", "var(--hit)"), "#fff")

_SEVERITY_COLOURS: dict[str, str] = {
    "safe": "var(--safe)",
    "exposed": "var(--exposed)",
    "partial_loss": "var(--partial)",
    "major_loss": "var(--major)",
    "abandoned": "var(--abandoned)",
}


def _legend(items: list[tuple[str, str]]) -> str:
    return (
        '<p class="legend">'
        + "".join(
            f'<span class="swatch" style="background:{colour}"></span>{e(label)}' for label, colour in items
        )
        + "</p>"
    )


def _stacked_bars(rows: list[tuple[str, list[tuple[float, str, str]]]], title: str, width: int = 640) -> str:
    """Horizontal stacked bars, each with its label above: labels of any length and language fit.

    rows: (label, [(value, colour, what it is), …]). Values are written on the segments as well, so the
    chart reads without colour too (a black-and-white printer).
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


def _rate(part: int, whole: int) -> float:
    """The plain share in percent, for a chart (the corrected rates are for d′ only)."""
    return float(round(100 * part / whole)) if whole else 0.0


def _value_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


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
    title = _title(report)
    body: list[str] = [
        f"<header><h1>{e(title)}</h1><p class='meta'>{e(_scope_line(report))}</p></header>",
        "<section>",
        f"<h2>{e(_section('calls'))}</h2>",
        '<ul class="cards">',
        *(f"<li><b>{e(value)}</b>{e(label)}</li>" for label, value in _summary_pairs(report)),
        "</ul>",
    ]
    outcome_segments = [
        (float(report.severities[level]), _SEVERITY_COLOURS[level], v.severity(level)) for level in SEVERITIES
    ]
    outcome_segments.append((float(report.abandoned), _SEVERITY_COLOURS["abandoned"], _("abandoned")))
    body.append(_stacked_bars([(_("All calls"), outcome_segments)], _("Outcomes")))
    body.append(_legend([(what, colour) for _value, colour, what in outcome_segments]))
    body.append("</section>")

    body += ["<section>", f"<h2>{e(_section('discernment'))}</h2>"]
    rows = [[_("Calls judged"), *_discernment_cells(report.discernment)]]
    rows += [[_phase_label(phase), *_discernment_cells(d)] for phase, d in report.tests.items()]
    body.append(_html_table(["", *_discernment_head()], rows))
    if report.tests:
        body.append(
            "<p>"
            + e(
                _("Change in d′ from before to after: {change}").format(change=_signed(report.d_prime_change))
            )
            + "</p>"
        )
        hit, false_alarm = _("hit rate %"), _("false alarm rate %")
        bars: list[tuple[str, list[tuple[float, str, str]]]] = []
        for phase, d in report.tests.items():
            label = _phase_label(phase)
            bars.append((f"{label} · {hit}", [(_rate(d.hits, d.scam_calls), "var(--hit)", hit)]))
            bars.append(
                (
                    f"{label} · {false_alarm}",
                    [(_rate(d.false_alarms, d.real_calls), "var(--fa)", false_alarm)],
                )
            )
        body.append(_stacked_bars(bars, _("Before and after"), width=640))
        body.append(_legend([(_("hit rate %"), "var(--hit)"), (_("false alarm rate %"), "var(--fa)")]))
    body.append(
        "<p class='meta'>"
        + e(
            _(
                "d′ measures how well scams are told from real calls (0: not at all; higher is better). "
                "c below 0 means calling “scam” readily; above 0, trusting readily."
            )
        )
        + "</p></section>"
    )

    body += ["<section>", f"<h2>{e(_section('flags'))}</h2>"]
    if report.flags:
        body.append(
            _stacked_bars(
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
        body.append(_legend([(_("missed"), "var(--missed)"), (_("spotted"), "var(--spotted)")]))
        for f in report.flags:
            counts = _("met {met}, spotted {spotted}, missed {missed}").format(
                met=f.met, spotted=f.spotted, missed=f.missed
            )
            advice = _("What to do instead: {advice}").format(advice=v.say(f.instead))
            body.append(
                f"<div class='flag'><h3>{e(v.say(f.name))}</h3><p class='meta'>{e(counts)}</p>"
                f"<p class='advice'>{e(advice)}</p>"
            )
            if f.sources:
                body.append(
                    "<ul class='sources'>"
                    + "".join(f"<li>{e(_source_line(_source_text(s)))}</li>" for s in f.sources)
                    + "</ul>"
                )
            body.append("</div>")
    else:
        body.append("<p>" + e(_("No red flags met yet.")) + "</p>")
    body.append("</section>")

    body += ["<section>", f"<h2>{e(_section('scenarios'))}</h2>"]
    body.append(_html_table(_scenario_head(), [_scenario_cells(s) for s in report.scenarios], numeric_from=2))
    if any(s.older_versions for s in report.scenarios):
        body.append(f"<p class='meta'>{e(_older_note())}</p>")
    body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        # Even if something slipped through escaping, this page can run nothing and load nothing.
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


RENDERERS: dict[Format, Callable[[Report], str]] = {
    "md": render_markdown,
    "html": render_html,
    "csv": render_csv,
}


def render(report: Report, fmt: Format) -> str:
    return RENDERERS[fmt](report)
