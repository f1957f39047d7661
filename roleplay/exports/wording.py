"""The words every format of a report shares: its title, section headings, labels, table heads and cells.
Labels go through gettext when called, so a report follows `roleplay --lang`."""

from __future__ import annotations

from roleplay.core.model import Source
from roleplay.exports.report import Report, ScenarioRow, TestItemRow
from roleplay.history.discernment import Discernment
from roleplay.history.records import Phase
from roleplay.history.workshops import PairedChange
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _


def title(report: Report) -> str:
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


def change_line(report: Report) -> str:
    """How the room's d′ changed from the test before to the test after."""
    return _("Change in d′ from before to after: {change}").format(change=_signed(report.d_prime_change))


def section(key: str) -> str:
    """Section headings, translated when called (gettext cannot see `_()` inside an f-string)."""
    return {
        "calls": _("Calls and outcomes"),
        "discernment": _("Telling scams from real calls"),
        "flags": _("Red flags most missed"),
        "scenarios": _("Results by scenario"),
        "test-items": _("The room's answer to each test item"),
    }[key]


def source_line(text: str) -> str:
    return _("Source: {source}").format(source=text)


def source_text(source: Source) -> str:
    return f"{v.say(source.publisher)}, {v.say(source.title)}, {v.source_date(source.date)}"


def phase_label(phase: Phase) -> str:
    return {
        "pre": _("Before (pre-test)"),
        "post": _("After (post-test)"),
        "follow": _("Weeks later (follow-up)"),
    }[phase]


def paired_line(first: Phase, then: Phase, change: PairedChange) -> str:
    """How the residents who answered both tests on their phones changed, each against themself."""
    return _(
        "{label}: the same {count} residents on their phones; {improved} got more right, {same} the same, "
        "{worse} fewer."
    ).format(
        label=f"{phase_label(first)} → {phase_label(then)}",
        count=change.residents,
        improved=change.improved,
        same=change.same,
        worse=change.worse,
    )


def discernment_cells(d: Discernment) -> list[str]:
    return [
        f"{d.hits}/{d.scam_calls}",
        f"{d.false_alarms}/{d.real_calls}",
        _number(d.d_prime),
        _number(d.criterion),
    ]


def discernment_head() -> list[str]:
    return [
        _("Hits (scam calls taken for a scam)"),
        _("False alarms (real calls taken for a scam)"),
        "d′",
        "c",
    ]


def discernment_rows(report: Report) -> list[list[str]]:
    """The discernment table's rows: the calls by the verdict and by what was done, then the room's tests."""
    rows = [
        [_("Calls, by the verdict (“was it a scam?”)"), *discernment_cells(report.discernment)],
        [
            _("Calls, by what was done (hung up, checked, or went along)"),
            *discernment_cells(report.behaviour),
        ],
    ]
    rows += [[phase_label(phase), *discernment_cells(d)] for phase, d in report.tests.items()]
    for (first, then), change in report.paired.items():
        for phase, d in ((first, change.before), (then, change.after)):
            label = _("{test}, the same {count} residents (phones)").format(
                test=phase_label(phase), count=change.residents
            )
            rows.append([label, *discernment_cells(d)])
    return rows


def discernment_note() -> str:
    return _(
        "d′ measures how well scams are told from real calls (0: not at all; higher is better). "
        "c below 0 means calling “scam” readily; above 0, trusting readily. By what was done, hanging up on "
        "a real call (a bank's or 96110's warning) counts as a false alarm."
    )


def summary_pairs(report: Report) -> list[tuple[str, str]]:
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


def scope_line(report: Report) -> str:
    parts = [_("Generated {time}").format(time=report.generated_at.astimezone().strftime("%Y-%m-%d %H:%M"))]
    if report.workshop is not None:
        parts.append(_("Facilitator: {name}").format(name=report.workshop.facilitator))
        if report.workshop.title:
            parts.append(report.workshop.title)
    return " · ".join(parts)


def older_note() -> str:
    return _("* Some calls were recorded against an older version of the scenario file.")


def scenario_head() -> list[str]:
    return [
        _("Scenario"),
        _("Kind"),
        _("Calls"),
        _("Safe"),
        _("Loss"),
        _("Money that would have been lost"),
        _("Judged right"),
        _("Did right"),
        _("Flags spotted"),
        _("Flags missed"),
    ]


def scenario_cells(s: ScenarioRow) -> list[str]:
    name = v.say(s.title) + (" *" if s.older_versions else "")
    return [
        name,
        _kind(s.kind),
        str(s.calls),
        str(s.safe),
        str(s.loss),
        v.money(s.money_lost),
        f"{s.judged_right}/{s.judged}",
        f"{s.acted_right}/{s.acted}",
        str(s.spotted),
        str(s.missed),
    ]


def test_items_head() -> list[str]:
    return [_("Test"), _("Item"), _("Excerpt from"), _("It was"), _("Said scam"), _("Said not"), _("Right")]


def test_item_cells(row: TestItemRow) -> list[str]:
    total = row.said_scam + row.said_not
    share = f"{round(100 * row.right / total)}%" if total else "–"
    return [
        phase_label(row.phase),
        str(row.item),
        v.say(row.title),
        _kind(row.kind),
        str(row.said_scam),
        str(row.said_not),
        share,
    ]
