"""One excerpt of the pre- or post-test: the caller as the phone shows them, their first lines, and how many
in the room said "scam" and how many said "not a scam".

Why one screen per excerpt: on a projector one thing at a time is what the back row can read; Esc goes back
to the excerpt before (its counts filled in, to correct them), and typing an excerpt's counts again replaces
them in the record rather than adding to them.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from roleplay.history.errors import StoreError
from roleplay.history.records import Phase
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.screens.base import TrainerScreen
from roleplay.tui.screens.workshop import Presenter, phase_name
from roleplay.tui.widgets.counts import CountOption, CountsForm
from roleplay.workshop.session import Excerpt


def channel_name(channel: str) -> str:
    return {
        "phone": _("Voice call"),
        "qq": _("QQ voice call"),
        "wechat": _("WeChat message"),
        "sms": _("Text message"),
    }.get(channel, channel)


def judgement_options() -> list[CountOption]:
    """The two counts of a judgement: said "scam", said "not a scam" (tests and the end of a room call)."""
    return [
        CountOption("scam", _("Scam"), Text(_("hands up: who says it is a scam?"))),
        CountOption("not", _("Not a scam"), Text(_("hands up: who says it is not?"))),
    ]


def first_unanswered(presenter: Presenter, phase: Phase) -> int | None:
    """The number of the first excerpt with no answer yet; None when every one has its answer."""
    answered = {a.item for a in presenter.workshop.store.test_answers(presenter.id, phase)}
    for item in presenter.workshop.items(phase):
        if item.number not in answered:
            return item.number
    return None


class ExcerptScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, presenter: Presenter, phase: Phase, number: int) -> None:
        super().__init__()
        self.presenter = presenter
        self.phase = phase
        self.items = presenter.workshop.items(phase)
        self.item: Excerpt = self.items[number - 1]

    def compose(self) -> ComposeResult:
        item = self.item
        given = {
            a.item: {"scam": a.said_scam, "not": a.said_not}
            for a in self.presenter.workshop.store.test_answers(self.presenter.id, self.phase)
        }
        yield Header(show_clock=False)
        with Vertical(id="ws-excerpt"):
            caller = Text()
            caller.append(channel_name(item.channel) + "   ", style="dim")
            caller.append(v.say(item.caller_name), style="bold")
            caller.append("   " + item.caller_number)
            yield Static(caller, classes="ws-excerpt-caller")
            for line in item.lines:
                yield Static(Text("“" + v.say(line) + "”", style="bold"), classes="ws-excerpt-line")
        yield Static(
            Text(_("Scam or not? Count the hands, type the numbers, Enter to go on.")), classes="ws-ask"
        )
        yield CountsForm(judgement_options(), values=given.get(item.number), id="ws-counts")
        yield Static("", id="ws-notice")
        yield Footer()

    def on_mount(self) -> None:
        self.title = phase_name(self.phase)
        self.sub_title = _("Call {number} of {total}").format(number=self.item.number, total=len(self.items))

    @on(CountsForm.Submitted)
    def _answered(self, event: CountsForm.Submitted) -> None:
        from roleplay.tui.screens.workshop_results import PhaseSummaryScreen

        try:
            self.presenter.workshop.answer(
                self.phase, self.item.number, event.counts["scam"], event.counts["not"]
            )
        except StoreError as exc:
            self._say(str(exc))
            return
        if self.item.number < len(self.items):
            self.app.switch_screen(ExcerptScreen(self.presenter, self.phase, self.item.number + 1))
        else:
            self.app.switch_screen(PhaseSummaryScreen(self.presenter, self.phase))

    def _say(self, message: str) -> None:
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(bool(message), "-problem")

    def action_back(self) -> None:
        """The excerpt before, to correct its counts; from the first one, back to the agenda."""
        if self.item.number > 1:
            self.app.switch_screen(ExcerptScreen(self.presenter, self.phase, self.item.number - 1))
        else:
            self.app.pop_screen()
