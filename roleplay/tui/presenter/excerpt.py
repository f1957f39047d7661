"""The pre-test, post-test or follow-up (forms A, B and C), one item at a time: the caller as the phone
shows them, what they say and what the phone shows at that turn, and how many in the room said "scam" and
how many said "not a scam": the residents' phones vote while the item is shown, and hands counted for those
without one are added to them when the facilitator presses Enter. Dismissed with True once the last excerpt
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
from roleplay.tui.widgets.phone_count import PhoneCount
from roleplay.workshop.phones import with_phones
from roleplay.workshop.questions import test_question
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
        phones = self.presenter.phones
        if phones is None:
            ask = _("Scam or not? Count the hands, type the numbers, Enter to go on.")
        else:
            ask = _(
                "Scam or not? Vote on your phone; type the hands of those without one. Enter closes the vote."
            )
        yield Static(Text(ask), classes="ws-ask")
        yield CountsForm(judgement_options(), values=self._given.get(item.number), id="ws-counts")
        if phones is not None:
            yield PhoneCount(phones, id="ws-phones")
        yield Static("", id="ws-notice")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()

    def composed(self) -> None:
        self.title = phase_name(self.phase)
        self.sub_title = _("Call {number} of {total}").format(number=self.number, total=len(self.items))
        if self.presenter.phones is not None:
            self.presenter.phones.ask(test_question(self.phase, self.item))

    def watch_number(self) -> None:
        self.composed()

    def on_unmount(self) -> None:
        if self.presenter.phones is not None and not self._saving:
            self.presenter.phones.withdraw()

    @on(CountsForm.Submitted)
    def _answered(self, event: CountsForm.Submitted) -> None:
        if self._saving:  # an Enter pressed twice is one answer
            return
        phones = self.presenter.phones
        counts, by_device = dict(event.counts), {}
        if phones is not None:
            tally = phones.end_vote()
            counts, by_device = with_phones(counts, tally, {"legit": "not"}), tally.by_device
        if not sum(counts.values()):  # Enter through empty boxes is no answer, as in a room call
            if phones is not None:
                phones.ask(test_question(self.phase, self.item))
            self._say(_("No hands counted yet: type how many said scam and how many said not, then Enter."))
            return
        self._saving = True
        self._record(self.item.number, counts, by_device)

    @work(group="answer")
    async def _record(self, number: int, counts: dict[str, int], by_device: dict[str, str]) -> None:
        workshop, phase, item = self.presenter.workshop, self.phase, self.item

        def answer(store: Store) -> None:
            workshop.answer(phase, number, counts["scam"], counts["not"])
            store.record_device_answers(workshop.workshop.id, phase, number, item.kind, by_device)

        try:
            await self.presenter.history.run(answer)
        except (HistoryFailed, VoteError) as exc:
            self._say(exc.problem or "" if isinstance(exc, HistoryFailed) else str(exc))
            if self.presenter.phones is not None:  # not saved: the phones' vote is open again
                self.presenter.phones.ask(test_question(phase, item))
            return
        finally:
            self._saving = False
        self._given[number] = {"scam": counts["scam"], "not": counts["not"]}
        if number < len(self.items):
            self.number = number + 1
        else:
            if self.presenter.phones is not None and phase != "pre":
                self.presenter.phones.ballot.finish()  # each phone now shows its own before and after
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
