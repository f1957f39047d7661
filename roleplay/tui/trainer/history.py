"""The trainee's progress: calls played, outcomes, red flags met / spotted / missed, telling scams from real
calls over time, the recent calls (Enter opens one's debrief again), and the call to play next. Dismissed
with the scenario to play (c), or None (back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.text.progress import discernment_words, recommendation_reason
from roleplay.tui.render import Palette
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.widgets.bars import bar
from roleplay.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from roleplay.history.discernment import Discernment
    from roleplay.history.progress import CallSummary, Progress
    from roleplay.library.library import Library


def verdict_lines(d: Discernment) -> list[str]:
    """By the verdicts: hits and false alarms in words, then d′ and c for those who know them."""
    words = _(
        "Scam calls judged a scam: {hits} of {scams}. Real calls judged a scam: {alarms} of {reals}."
    ).format(hits=d.hits, scams=d.scam_calls, alarms=d.false_alarms, reals=d.real_calls)
    return [words, _measures(d)]


def behaviour_lines(d: Discernment) -> list[str]:
    """By behaviour (how each call ended): the same counts, in words about what the trainee did."""
    return [
        _("Scam calls you treated as scams: {hits} of {scams}.").format(hits=d.hits, scams=d.scam_calls),
        _("Real calls you treated as scams (hung up on, turned away): {alarms} of {reals}.").format(
            alarms=d.false_alarms, reals=d.real_calls
        ),
        _measures(d),
    ]


def _measures(d: Discernment) -> str:
    """In words, not d′ and c (those are for the officer's report and the JSON)."""
    return discernment_words(d.d_prime, d.criterion)


def recent_call_line(c: CallSummary) -> str:
    """One recent call in the list: when, which, and how it went."""
    when = c.started_at.astimezone().strftime("%m-%d %H:%M")
    if c.status != "finished":
        detail = _("not finished")
    else:
        detail = v.result(c.outcome, c.severity)
        if c.judged_right is not None:
            detail += _("; ") + (_("judged right") if c.judged_right else _("judged wrong"))
    return f"{when}  {v.say(c.title)}  {detail}"


class HistoryScreen(TrainerScreen[str | None]):
    BINDINGS = [  # noqa: RUF012
        Binding("c", "play_recommended", N_("Play the recommended call")),
        Binding("escape", "back", N_("Back")),
    ]

    class CallReopened(Message):
        """Show the debrief of this recorded call again."""

        def __init__(self, call_id: int) -> None:
            super().__init__()
            self.call_id = call_id

    def __init__(self, progress: Progress, library: Library) -> None:
        super().__init__()
        self.progress = progress
        self.library = library

    def compose(self) -> ComposeResult:
        p = self.progress
        yield Header(show_clock=False)
        with VerticalScroll(id="history"):
            if not p.calls:
                yield Static(Text(_("No calls recorded yet. Play one from the home screen.")))
            else:
                yield Static(self._summary(Palette(self.app.theme_variables)), classes="block first")
                yield Static(Text(_("Telling scams from real calls"), style="bold"), classes="block")
                yield Static(self._said_and_did(p))
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Your progress")
        self.sub_title = self.progress.trainee
        if self.progress.calls:
            # The rest a frame later: the whole screen at once kept the trainer from drawing for ~80 ms.
            self.call_after_refresh(self._mount_the_rest)

    def _mount_the_rest(self) -> None:
        self.query_one("#history", VerticalScroll).mount_all(self._the_rest())

    def _the_rest(self) -> list[Widget]:
        """Below the first screenful: the trends, the red flags, the next call, the recent calls."""
        p = self.progress
        palette = Palette(self.app.theme_variables)
        widgets: list[Widget] = []
        if len(p.timeline) > 1:
            widgets += [
                Static(Text(_("Scam calls spotted, day by day (share so far):"))),
                Sparkline([period.so_far.hit_rate for period in p.timeline], id="hit-trend"),
                Static(Text(_("Real calls taken for scams, day by day (share so far):"))),
                Sparkline([period.so_far.false_alarm_rate for period in p.timeline], id="alarm-trend"),
                Static(Text(_("Real calls you treated as scams, day by day (share so far):"))),
                Sparkline(
                    [period.acted_so_far.false_alarm_rate for period in p.timeline], id="acted-alarm-trend"
                ),
            ]
        widgets.append(Static(self._flags(palette), classes="block"))
        if p.recommendation:
            widgets.append(Static(self._recommendation(), classes="block"))
        if p.recent:
            heading = Text(_("Recent calls"), style="bold")
            heading.append("   " + _("Enter: see its debrief again"), style="dim")
            widgets += [
                Static(heading, classes="block"),
                OptionList(
                    *(Option(Text(recent_call_line(c)), id=str(c.id)) for c in p.recent),
                    id="recent-calls",
                    markup=False,
                ),
            ]
        return widgets

    @on(OptionList.OptionSelected, "#recent-calls")
    def _reopen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(self.CallReopened(int(event.option.id)))

    def _summary(self, palette: Palette) -> RenderableType:
        p = self.progress
        return Group(
            Text(
                _("Calls played: {calls} ({finished} finished, {abandoned} not finished).").format(
                    calls=p.calls, finished=p.finished, abandoned=p.abandoned
                )
            ),
            Text(_("Safe  ")) + bar(p.safe, p.finished, colour=palette.trainee),
            Text(_("Loss  ")) + bar(p.loss, p.finished, colour=palette.error),
            Text(_("Money that would have been lost: {money}").format(money=v.money(p.money_lost))),
        )

    @staticmethod
    def _said_and_did(p: Progress) -> RenderableType:
        """Discernment twice: by what the trainee said at the end of each call, and by what they did."""
        return Group(
            Text(_("By what you said (“was it a scam?”)")),
            *(Padding(Text(line), (0, 0, 0, 2)) for line in verdict_lines(p.discernment)),
            Text(_("By what you did (hung up, checked, or went along)")),
            *(Padding(Text(line), (0, 0, 0, 2)) for line in behaviour_lines(p.behaviour)),
        )

    def _flags(self, palette: Palette) -> RenderableType:
        rows: list[RenderableType] = [
            Text(_("Red flags: spotted out of met, most missed first"), style="bold")
        ]
        for stats in self.progress.flags:
            name = (
                v.say(self.library.catalog.flags[stats.flag].name)
                if stats.flag in self.library.catalog.flags
                else stats.flag
            )
            row = bar(stats.spotted, stats.met, width=12, colour=palette.trainee)
            row.append(f"  {name}")
            if stats.due_for_review:
                row.append("  " + _("(due for review)"), style=f"bold {palette.warning}")
            rows.append(row)
        return Group(*rows)

    def _recommendation(self) -> RenderableType:
        rec = self.progress.recommendation
        assert rec is not None
        return Group(
            Text(_("Next call: {title}").format(title=v.say(rec.title)), style="bold"),
            Text(recommendation_reason(rec, self.library.catalog)),
            Text(_("Press c to play it."), style="dim"),
        )

    def action_play_recommended(self) -> None:
        rec = self.progress.recommendation
        if rec is not None:
            self.dismiss(rec.scenario)

    def action_back(self) -> None:
        self.dismiss(None)
