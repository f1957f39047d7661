"""The workshop's report on the projector: the same figures as `roleplay report --workshop ID`, as charts,
and a key that writes the printable HTML handout next to where the presenter was started. Built on the
history thread; written on a worker thread.

Why it reads the record again (r): residents' calls on their own terminals keep arriving while the room
looks at the report, and the report is a function of the record, never kept as prose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from roleplay.core.model import SEVERITIES
from roleplay.exports.formats import render
from roleplay.exports.report import Report, build_report
from roleplay.history.discernment import NO_JUDGEMENTS
from roleplay.history.errors import StoreError
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.presenter.presenter import Presenter
from roleplay.tui.presenter.results import change_line, d_prime_text, rate_bars
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.render import Palette
from roleplay.tui.widgets.barchart import BarRow, Bars, Segment, row
from roleplay.tui.widgets.keys_footer import KeysFooter

SHOWN_FLAGS = 5  # on screen; the handout lists them all


if TYPE_CHECKING:
    from roleplay.history.store import Store


def handout_path(workshop_id: str, folder: Path | None = None) -> Path:
    return (folder or Path.cwd()) / f"workshop-{workshop_id}-report.html"


def report_job(presenter: Presenter) -> Callable[[Store], Report]:
    """A history job: the workshop's report, as `roleplay report --workshop ID` builds it."""
    library, workshop_id = presenter.workshop.library, presenter.id

    def build(store: Store) -> Report:
        return build_report(store, library, workshop_id=workshop_id)

    return build


class WorkshopReportScreen(PresenterScreen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("w", "write_handout", N_("Write the handout (HTML)")),
        Binding("r", "reload", N_("Read again")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, presenter: Presenter, report: Report | None, problem: str | None = None) -> None:
        """`report` as read just now, or None and why it could not be."""
        super().__init__()
        self.presenter = presenter
        self.report = report
        self._problem = problem

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="ws-report"):
            if self.report is None:
                yield Static(Text(self._problem or ""), classes="block first")
            else:
                palette = Palette(self.app.theme_variables)
                for index, block in enumerate(self._blocks(self.report, palette)):
                    yield Static(block, classes="block" if index else "block first")
        yield Static("", id="ws-notice")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()

    def composed(self) -> None:
        self.title = _("Workshop report {id}").format(id=self.presenter.id)
        workshop = self.presenter.workshop.workshop
        self.sub_title = " · ".join(filter(None, [workshop.facilitator, workshop.title]))
        self.query_one("#ws-report", VerticalScroll).focus()

    # -- the content

    def _blocks(self, report: Report, palette: Palette) -> list[RenderableType]:
        return [
            self._summary(report),
            self._outcomes(report, palette),
            self._tests(report, palette),
            self._flags(report, palette),
            self._money(report, palette),
        ]

    @staticmethod
    def _heading(text: str) -> Text:
        return Text(text, style="bold underline")

    def _summary(self, report: Report) -> RenderableType:
        figures = [
            (_("Calls"), str(report.calls)),
            (_("Played by the room"), str(report.room_calls)),
            (_("Residents who played on their own"), str(report.trainees)),
            (_("Ended safely"), str(report.safe)),
            (_("Ended in a loss"), str(report.loss)),
            (_("Not finished"), str(report.abandoned + report.in_progress)),
        ]
        line = Table.grid(padding=(0, 4))
        for _column in range(3):
            line.add_column()
        cells = [Text.assemble((value, "bold"), " ", label) for label, value in figures]
        for start in range(0, len(cells), 3):
            line.add_row(*cells[start : start + 3])
        return Group(self._heading(_("Calls and outcomes")), line)

    def _outcomes(self, report: Report, palette: Palette) -> RenderableType:
        colours = {
            "safe": palette.trainee,
            "exposed": palette.warning,
            "partial_loss": palette.error,
            "major_loss": f"bold {palette.error}",
        }
        rows = [row(v.severity(level), report.severities[level], colours[level]) for level in SEVERITIES]
        rows.append(row(_("not finished"), report.abandoned + report.in_progress, "dim"))
        if not report.calls:
            return Group(self._heading(_("Outcomes")), Text(_("No calls yet.")))
        return Group(self._heading(_("Outcomes")), Bars(rows, max_label=32))

    def _tests(self, report: Report, palette: Palette) -> RenderableType:
        heading = self._heading(_("Telling scams from real calls: before and after"))
        pre, post = report.tests.get("pre"), report.tests.get("post")
        if pre is None and post is None:
            return Group(heading, Text(_("No test answers yet.")))
        parts: list[RenderableType] = [heading]
        before, after = pre or NO_JUDGEMENTS, post or NO_JUDGEMENTS
        parts.append(rate_bars(before, after, palette))
        parts.append(
            Text(
                _("d′ before: {before}   d′ after: {after}").format(
                    before=d_prime_text(before.d_prime), after=d_prime_text(after.d_prime)
                )
            )
        )
        parts.append(change_line(before, after, palette))
        return Group(*parts)

    def _flags(self, report: Report, palette: Palette) -> RenderableType:
        heading = self._heading(_("Red flags most missed"))
        if not report.flags:
            return Group(heading, Text(_("No red flags met yet.")))
        rows = []
        for flag in report.flags[:SHOWN_FLAGS]:
            note = Text(
                _("missed {missed} · spotted {spotted}").format(missed=flag.missed, spotted=flag.spotted)
            )
            segments = (Segment(flag.missed, palette.error), Segment(flag.spotted, palette.trainee, "▒"))
            advice = Text(_("What to do instead: {advice}").format(advice=v.say(flag.instead)))
            rows.append(BarRow(Text(v.say(flag.name), style="bold"), segments, note, advice))
        legend = Text("█ " + _("missed") + "   ▒ " + _("spotted"), style="dim")
        parts: list[RenderableType] = [heading, Bars(rows, labels_above=True), legend]
        if len(report.flags) > SHOWN_FLAGS:
            more = _("{count} more in the handout (w).").format(count=len(report.flags) - SHOWN_FLAGS)
            parts.append(Text(more, style="dim"))
        return Group(*parts)

    def _money(self, report: Report, palette: Palette) -> RenderableType:
        total = _("Money that would have been lost: {money}").format(money=v.money(report.money_lost))
        parts: list[RenderableType] = [self._heading(_("Money")), Text(total, style=f"bold {palette.error}")]
        lost = [s for s in report.scenarios if s.money_lost > 0]
        if lost:
            parts.append(
                Bars(
                    [row(v.say(s.title), s.money_lost, palette.error, v.money(s.money_lost)) for s in lost],
                    max_label=30,
                )
            )
        return Group(*parts)

    # -- keys

    def action_write_handout(self) -> None:
        if self.report is not None:
            self._write_handout(self.report)

    @work(group="handout")
    async def _write_handout(self, report: Report) -> None:
        """The HTML handout, written whole or not at all, in the folder the presenter was started from."""
        from roleplay.exports.files import write_file

        path = handout_path(self.presenter.id)
        try:
            await asyncio.to_thread(lambda: write_file(path, render(report, "html")))
        except StoreError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(_("The handout was written to {path}").format(path=path))

    def action_reload(self) -> None:
        self._reload()

    @work(exclusive=True, group="report")
    async def _reload(self) -> None:
        try:
            self.report, self._problem = await self.presenter.history.run(report_job(self.presenter)), None
        except HistoryFailed as exc:
            self.report, self._problem = None, exc.problem
        await self.recompose()
        self.composed()
        self._say(_("Read again from the record."))

    def _say(self, message: str, *, problem: bool = False) -> None:
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(problem, "-problem")

    def action_back(self) -> None:
        self.dismiss(None)
