"""The pre- or post-test (the quick-fire round's form A before, form B after), one item at a time: the
caller as the phone shows them, what they say and what the phone shows at that turn, and how many in the
room said "scam" and how many said "not a scam". Dismissed with True once the last excerpt
is answered, None when the facilitator goes back from the first.

Why one excerpt at a time: on a projector one thing at a time is what the back row can read; Esc goes back
to the excerpt before (its counts filled in, to correct them), and typing an excerpt's counts again replaces
them in the record rather than adding to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Header, Static

from roleplay.core.quiz import QuizItem
from roleplay.text import quiz as words
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.presenter.presenter import Presenter, phase_name
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.render import Palette, phone_event
from roleplay.tui.widgets.counts import CountOption, CountsForm
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.workshop.vote import VoteError

if TYPE_CHECKING:
    from roleplay.history.records import ExcerptAnswer, Phase
    from roleplay.history.store import Store


def judgement_options() -> list[CountOption]:
    """The two counts of a judgement: said "scam", said "not a scam" (tests and the end of a room call)."""
    return [
        CountOption("scam", _("Scam"), Text(_("hands up: who says it is a scam?"))),
        CountOption("not", _("Not a scam"), Text(_("hands up: who says it is not?"))),
    ]


def first_unanswered(items: tuple[QuizItem, ...], answers: Mapping[int, ExcerptAnswer]) -> int | None:
    """The number of the first excerpt with no answer yet; None when every one has its answer."""
    return next((item.number for item in items if item.number not in answers), None)


class ExcerptScreen(PresenterScreen[bool]):
    BINDINGS = [  # noqa: RUF012
        Binding("escape", "back", N_("Back")),
    ]

    number: reactive[int] = reactive(1, recompose=True, init=False)

    def __init__(
        self, presenter: Presenter, phase: Phase, number: int, answers: Mapping[int, ExcerptAnswer]
    ) -> None:
        """`answers`: what the room answered so far, to fill in the counts of an excerpt answered before."""
        super().__init__()
        self.presenter = presenter
        self.phase = phase
        self.items = presenter.workshop.items(phase)
        self._given = {n: {"scam": a.said_scam, "not": a.said_not} for n, a in answers.items()}
        self._saving = False
        self.set_reactive(ExcerptScreen.number, number)

    @property
    def item(self) -> QuizItem:
        return self.items[self.number - 1]

    def compose(self) -> ComposeResult:
        item = self.item
        palette = Palette(self.app.theme_variables)
        yield Header(show_clock=False)
        with VerticalScroll(id="ws-excerpt"):  # a long item scrolls: the counts stay in view
            caller = Text()
            caller.append(words.where(item) + "   ", style="dim")
            caller.append(v.say(item.caller_name), style="bold")
            caller.append("   " + item.caller_number)
            yield Static(caller, classes="ws-excerpt-caller")
            for line in item.lines:
                said = "“" + v.say(line.text) + "”"
                if line.speaker:
                    said = _("{speaker}: {line}").format(speaker=v.say(line.speaker), line=said)
                yield Static(Text(said, style="bold"), classes="ws-excerpt-line")
            for event in item.shown:
                yield Static(phone_event(event, palette), classes="ws-excerpt-line")
        yield Static(
            Text(_("Scam or not? Count the hands, type the numbers, Enter to go on.")), classes="ws-ask"
        )
        yield CountsForm(judgement_options(), values=self._given.get(item.number), id="ws-counts")
        yield Static("", id="ws-notice")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()

    def composed(self) -> None:
        self.title = phase_name(self.phase)
        self.sub_title = _("Call {number} of {total}").format(number=self.number, total=len(self.items))

    def watch_number(self) -> None:
        self.composed()

    @on(CountsForm.Submitted)
    def _answered(self, event: CountsForm.Submitted) -> None:
        if not sum(event.counts.values()):  # Enter through empty boxes is no answer, as in a room call
            self._say(_("No hands counted yet: type how many said scam and how many said not, then Enter."))
            return
        if not self._saving:  # an Enter pressed twice is one answer
            self._saving = True
            self._record(self.item.number, dict(event.counts))

    @work(group="answer")
    async def _record(self, number: int, counts: dict[str, int]) -> None:
        workshop, phase = self.presenter.workshop, self.phase

        def answer(store: Store) -> None:
            workshop.answer(phase, number, counts["scam"], counts["not"])

        try:
            await self.presenter.history.run(answer)
        except (HistoryFailed, VoteError) as exc:
            self._say(exc.problem or "" if isinstance(exc, HistoryFailed) else str(exc))
            return
        finally:
            self._saving = False
        self._given[number] = counts
        if number < len(self.items):
            self.number = number + 1
        else:
            self.dismiss(True)

    def _say(self, message: str) -> None:
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(bool(message), "-problem")

    def action_back(self) -> None:
        """The excerpt before, to correct its counts; from the first one, back to the agenda."""
        if self.number > 1:
            self.number -= 1
        else:
            self.dismiss(None)
