"""After a test: how the room answered. After the pre-test without the right answers; after the post-test,
before and after side by side, and then the right answers of both tests. Dismissed with "agenda" (Enter) or
"correct" (Esc: back to the test's last excerpt).

Why the answers wait for the post-test: the pre-test is a measurement of the room as it came in. Told the
answers at once, the room learns that half the excerpts were real calls and which kind of caller was which,
and the post-test then measures that memory rather than the skill the calls in between teach; the reveal after
the post-test is also the moment the room sees it has improved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from roleplay.exports.wording import phase_label
from roleplay.history.records import ALL_PHASES
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, ngettext
from roleplay.text.sentences import truth_sentence
from roleplay.tui.presenter.presenter import Presenter, phase_name
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.render import Palette
from roleplay.tui.widgets.barchart import BarRow, Bars, Segment, row
from roleplay.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from roleplay.core.quiz import QuizItem
    from roleplay.history.discernment import Discernment
    from roleplay.history.records import ExcerptAnswer, Phase
    from roleplay.history.store import Store
    from roleplay.history.workshops import PairedChange

NOT_CHAR = "▒"  # "said not a scam" is drawn apart from "said scam" without colour too


def percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{round(100 * part / whole)}%"


def hits_label() -> str:
    return _("Scams recognised (hits)")


def false_alarms_label() -> str:
    return _("Real calls called a scam (false alarms)")


def d_prime_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class RoomAnswers:
    """What the room answered in each test, how well it told scams from real calls in each, and each
    resident's change where their phone answered two tests (pre → post, post → follow-up)."""

    answers: dict[Phase, dict[int, ExcerptAnswer]]
    results: dict[Phase, Discernment]
    paired: dict[tuple[Phase, Phase], PairedChange]


def room_answers_job(presenter: Presenter) -> Callable[[Store], RoomAnswers]:
    """A history job: the workshop's test answers and results, read together."""
    workshop = presenter.workshop

    def read(store: Store) -> RoomAnswers:
        from roleplay.history.workshops import paired_change

        answers: dict[Phase, dict[int, ExcerptAnswer]] = {phase: {} for phase in ALL_PHASES}
        for answer in store.test_answers(workshop.workshop.id):
            answers[answer.phase][answer.item] = answer
        kinds: dict[tuple[str, int], str] = {
            (phase, i.number): i.kind for phase in ALL_PHASES for i in workshop.items(phase)
        }
        phones = store.device_answers(workshop.workshop.id)
        pairs: tuple[tuple[Phase, Phase], ...] = (("pre", "post"), ("post", "follow"))
        paired = {pair: paired_change(phones, kinds, *pair) for pair in pairs}
        results = {phase: workshop.results(phase) for phase in ALL_PHASES}
        return RoomAnswers(answers, results, paired)

    return read


class PhaseSummaryScreen(PresenterScreen[Literal["agenda", "correct"]]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "done", N_("Back to the agenda")),
        Binding("escape", "back", N_("Correct the last answer")),
    ]

    def __init__(self, presenter: Presenter, phase: Phase, record: RoomAnswers) -> None:
        super().__init__()
        self.presenter = presenter
        self.phase = phase
        self.record = record

    def compose(self) -> ComposeResult:
        palette = Palette(self.app.theme_variables)
        yield Header(show_clock=False)
        with VerticalScroll(id="ws-summary"):
            if self.phase == "pre":
                yield Static(self._answers("pre", palette, reveal=False), classes="block first")
                note = _(
                    "The right answers are shown after the post-test, "
                    "so the room's first guesses stay a fair measure."
                )
                yield Static(Text(note, style="italic"), classes="block")
            elif self.phase == "post":
                yield Static(self._comparison(palette, "pre", "post"), classes="block first")
                yield Static(self._answers("pre", palette, reveal=True), classes="block")
                yield Static(self._answers("post", palette, reveal=True), classes="block")
            else:  # the follow-up: what the room kept since the post-test
                yield Static(self._comparison(palette, "post", "follow"), classes="block first")
                yield Static(self._answers("follow", palette, reveal=True), classes="block")
            yield Static(
                Text(_("Enter: back to the agenda    Esc: correct the last answer"), style="dim"),
                classes="block",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = phase_name(self.phase)
        self.sub_title = {
            "pre": _("The room's answers"),
            "post": _("Before and after"),
            "follow": _("What the room kept"),
        }[self.phase]
        self.query_one("#ws-summary", VerticalScroll).focus()

    # -- content

    def _answers(self, phase: Phase, palette: Palette, *, reveal: bool) -> RenderableType:
        """Each excerpt and how the room split; with `reveal`, what it was and whether most were right."""
        items = self.presenter.workshop.items(phase)
        answers = self.record.answers[phase]
        heading = Text(_("{test}: how the room answered").format(test=phase_name(phase)), style="bold")
        if not answers:
            return Group(heading, Text(_("No answers yet.")))
        rows: list[BarRow] = []
        for item in items:
            answer = answers.get(item.number)
            if answer is None:
                rows.append(row(self._caller(item), 0, palette.caller, _("no answer")))
                continue
            note = Text(_("{scam} scam · {not_} not").format(scam=answer.said_scam, not_=answer.said_not))
            segments = (
                Segment(answer.said_scam, palette.warning),
                Segment(answer.said_not, palette.caller, NOT_CHAR),
            )
            detail = self._verdict(item, answer, palette) if reveal else None
            rows.append(BarRow(Text(self._caller(item)), segments, note, detail))
        legend = Text("█ " + _("said scam") + "   " + NOT_CHAR + " " + _("said not a scam"), style="dim")
        parts: list[RenderableType] = [heading, Bars(rows, max_label=32), legend]
        said_scam = sum(a.said_scam for a in answers.values())
        total = said_scam + sum(a.said_not for a in answers.values())
        overall = _("Overall the room said “scam” {share} of the time ({scam} of {total} answers).")
        parts.append(Text(overall.format(share=percent(said_scam, total), scam=said_scam, total=total)))
        return Group(*parts)

    @staticmethod
    def _caller(item: QuizItem) -> str:
        """The number first: it is what tells the excerpts apart when the label is cut short."""
        return f"{item.number}. {item.caller_number} {v.say(item.caller_name)}"

    def _verdict(self, item: QuizItem, answer: ExcerptAnswer, palette: Palette) -> Text:
        majority = None if answer.said_scam == answer.said_not else answer.said_scam > answer.said_not
        text = Text(truth_sentence(item.kind == "scam", majority), style="bold")
        if answer.said_scam != answer.said_not:
            right = (answer.said_scam > answer.said_not) == (item.kind == "scam")
            mark = " ✓ " + _("most were right") if right else " ✗ " + _("most were wrong")
            text.append(mark, style=f"bold {palette.trainee if right else palette.error}")
        else:
            text.append("  " + _("the room was split evenly"))
        flags = item.red_flags(self.presenter.workshop.library.catalog)
        if flags:  # the red flags that made it a scam, for the facilitator to talk through
            names = _("; ").join(v.say(flag.name) for flag in flags)  # a name may hold a comma
            text.append("\n" + _("Red flags: {names}").format(names=names), style=palette.warning)
        return text

    def _comparison(self, palette: Palette, first: Phase, then: Phase) -> RenderableType:
        pre, post = self.record.results[first], self.record.results[then]
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2), expand=False)
        table.add_column("")
        table.add_column(phase_label(first), justify="right")
        table.add_column(phase_label(then), justify="right")

        def share(part: int, whole: int) -> str:
            return _("{part} of {whole} ({percent})").format(
                part=part, whole=whole, percent=percent(part, whole)
            )

        table.add_row(hits_label(), share(pre.hits, pre.scam_calls), share(post.hits, post.scam_calls))
        table.add_row(
            false_alarms_label(),
            share(pre.false_alarms, pre.real_calls),
            share(post.false_alarms, post.real_calls),
        )
        table.add_row("d′", d_prime_text(pre.d_prime), d_prime_text(post.d_prime))
        heading = _("Before and after") if first == "pre" else _("What the room kept")
        parts: list[RenderableType] = [Text(heading, style="bold"), table, Text("")]
        parts.append(rate_bars(pre, post, palette, (short_name(first), short_name(then))))
        parts.append(Text(""))
        parts.append(change_line(pre, post, palette, since_post_test=first == "post"))
        paired = self.record.paired[(first, then)]
        if paired.residents:
            parts += [Text(""), paired_part(paired, first, then, palette)]
        return Group(*parts)

    # -- keys

    def action_done(self) -> None:
        self.dismiss("agenda")

    def action_back(self) -> None:
        self.dismiss("correct")


def paired_part(paired: PairedChange, first: Phase, then: Phase, palette: Palette) -> RenderableType:
    """Each resident who answered both tests on a phone, compared with themself: the same people before
    and after, so the change is not a different crowd's."""
    heading = Text(
        ngettext(
            "The same {count} resident in both tests (answered on a phone)",
            "The same {count} residents in both tests (answered on their phones)",
            paired.residents,
        ).format(count=paired.residents),
        style="bold",
    )
    table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2), expand=False)
    table.add_column("")
    table.add_column(phase_label(first), justify="right")
    table.add_column(phase_label(then), justify="right")
    a, b = paired.before, paired.after
    table.add_row(hits_label(), percent(a.hits, a.scam_calls), percent(b.hits, b.scam_calls))
    table.add_row(
        false_alarms_label(), percent(a.false_alarms, a.real_calls), percent(b.false_alarms, b.real_calls)
    )
    table.add_row("d′", d_prime_text(a.d_prime), d_prime_text(b.d_prime))
    table.add_row(_("c (below 0: quick to say scam)"), d_prime_text(a.criterion), d_prime_text(b.criterion))
    counts = _("{improved} got more right, {same} the same, {worse} fewer.").format(
        improved=paired.improved, same=paired.same, worse=paired.worse
    )
    return Group(heading, table, Text(counts, style=f"bold {palette.trainee}"))


def short_name(phase: Phase) -> str:
    return {"pre": _("Before"), "post": _("After"), "follow": _("Weeks later")}[phase]


def rate_bars(
    pre: Discernment, post: Discernment, palette: Palette, labels: tuple[str, str] | None = None
) -> RenderableType:
    """Hit and false-alarm rates before and after, as plain percentages (the corrected rates are for d′)."""

    def rate(part: int, whole: int) -> float:
        return 100 * part / whole if whole else 0.0

    before, after = labels or (_("Before"), _("After"))
    hits = Bars(
        [
            row(before, rate(pre.hits, pre.scam_calls), palette.trainee, percent(pre.hits, pre.scam_calls)),
            row(
                after, rate(post.hits, post.scam_calls), palette.trainee, percent(post.hits, post.scam_calls)
            ),
        ],
        top=100.0,
    )
    alarms = Bars(
        [
            row(
                before,
                rate(pre.false_alarms, pre.real_calls),
                palette.error,
                percent(pre.false_alarms, pre.real_calls),
            ),
            row(
                after,
                rate(post.false_alarms, post.real_calls),
                palette.error,
                percent(post.false_alarms, post.real_calls),
            ),
        ],
        top=100.0,
    )
    return Group(
        Text(_("{measure} (higher is better)").format(measure=hits_label())),
        Padding(hits, (0, 0, 0, 2)),
        Text(_("{measure} (lower is better)").format(measure=false_alarms_label())),
        Padding(alarms, (0, 0, 0, 2)),
    )


def change_line(
    pre: Discernment, post: Discernment, palette: Palette, *, since_post_test: bool = False
) -> Text:
    """The change in d′ in words a room understands, the number for those who know it (`since_post_test`:
    from the post-test to the follow-up, what the room kept)."""
    if pre.d_prime is None or post.d_prime is None:
        return Text(_("d′ needs both tests answered, with scam and real calls in each."), style="dim")
    change = post.d_prime - pre.d_prime
    said = (
        _("Change in d′ from the post-test to the follow-up: {change}")
        if since_post_test
        else _("Change in d′ from before to after: {change}")
    )
    text = Text(said.format(change=f"{change:+.2f}"), style="bold")
    if change > 0:
        text.append("  " + _("the room tells scams from real calls better"), style=palette.trainee)
    elif change < 0:
        text.append("  " + _("the room tells scams from real calls less well"), style=palette.error)
    return text
