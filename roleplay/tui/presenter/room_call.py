"""A call played by the whole room: the caller's lines turn by turn, the replies numbered big, the hands
counted for each, the majority played unless the facilitator steps in, then the room's judgement, asked
before anything says how the call ended (the conversation ends on 「通话结束。」 whatever the ending).
Dismissed with the debrief and the room's votes, or None when the facilitator leaves the call; the room's
debrief shows the count first, then reveals the ending.

Why it is built this way: the call and its record belong to `roleplay.workshop.RoomCall` (votes, overrides
and the judgement are saved as they happen, on the history thread, so a vote waits for its own record but
the projector never freezes); this screen shows its events in the shared `CallView` and turns the typed
counts into its `vote()` and `judge()`. A tie is never broken silently: the screen says so and waits for the
facilitator's choice (o). Leaving or quitting mid-call keeps what was played, marked abandoned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from roleplay.core.debrief import Debrief, debrief
from roleplay.core.events import RepliesOffered
from roleplay.core.model import Catalog, Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, language
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.presenter.choice import KeyChoiceScreen, KeyOption
from roleplay.tui.presenter.excerpt import judgement_options
from roleplay.tui.presenter.presenter import Presenter
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.render import Palette
from roleplay.tui.widgets.barchart import Bars, row
from roleplay.tui.widgets.call_view import CallView
from roleplay.tui.widgets.conversation import scroll_bindings
from roleplay.tui.widgets.counts import CountError, CountOption, CountsForm
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.widgets.phone_count import PhoneCount
from roleplay.workshop.ballot import Question
from roleplay.workshop.phones import with_phones
from roleplay.workshop.questions import judgement_question, turn_question
from roleplay.workshop.room import RoomCall
from roleplay.workshop.vote import HANG_UP, VERIFY, Decision, VoteError, decide, majority

if TYPE_CHECKING:
    from roleplay.history.store import Store


@dataclass(frozen=True)
class RoomResult:
    """How a room call ended: its debrief, and how many said scam and how many said not."""

    debrief: Debrief
    votes: tuple[int, int]


def option_name(option: str) -> str:
    if option == HANG_UP:
        return _("h hang up")
    if option == VERIFY:
        return _("v check")
    return _("reply {number}").format(number=option)


def tally(decision: Decision, palette: Palette) -> RenderableType:
    """How the room voted, as bars; and who decided, when it was not the room's clear majority."""
    rows = [
        row(option_name(option), count, palette.trainee if option == decision.played else "dim")
        for option, count in decision.counts.items()
        if count > 0 or option == decision.played
    ]
    parts: list[RenderableType] = [Bars(rows, max_label=16, max_width=60)]
    if decision.overridden:
        if decision.majority is None:
            said = _("The facilitator chose for the room (no clear majority).")
        else:
            said = _("The facilitator chose for the room (the majority chose {option}).").format(
                option=option_name(decision.majority)
            )
        parts.append(Text(said, style=f"italic {palette.warning}"))
    parts.append(Text(""))
    return Group(*parts)


def no_majority(counts: Mapping[str, int]) -> str:
    top = max(counts.values(), default=0)
    if top == 0:
        return _("No hands counted yet: type the counts, or press o to choose for the room.")
    tied = [option_name(option) for option, n in counts.items() if n == top]
    return _("A tie between {options} ({count} each): press o and choose what the room answers.").format(
        options=" / ".join(tied), count=top
    )


class RoomCallScreen(PresenterScreen[RoomResult | None]):
    BINDINGS = [  # noqa: RUF012
        Binding("o", "override", N_("Choose for the room")),
        Binding("escape", "leave", N_("Leave the call")),
        Binding("q", "ask_quit", N_("Quit")),  # in place of the app's q: the room's call asks first
        Binding("space", "skip", N_("Let them finish"), show=False),
        *scroll_bindings(over_inputs=True),
    ]

    def __init__(self, presenter: Presenter, scenario_id: str) -> None:
        super().__init__()
        self.presenter = presenter
        self.scenario: Scenario = presenter.workshop.library.scenarios[scenario_id]
        self.catalog: Catalog = presenter.workshop.library.catalog
        self.room: RoomCall | None = None
        self._made: list[RoomCall] = []  # filled on the history thread, so a call begun is always closed
        self._ended = False
        self._palette = Palette()
        self._number = 0  # this call's place in the sitting: names its questions to the phones
        self._question: Question | None = None  # what the phones are voting on now

    def compose(self) -> ComposeResult:
        yield Static("", id="ws-ask")
        yield Vertical(id="ws-vote")
        yield Static("", id="ws-keys")
        if self.presenter.phones is not None:
            yield PhoneCount(self.presenter.phones, id="ws-phones")
        yield Static("", id="ws-notice")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._palette = Palette(self.app.theme_variables)
        self._begin()

    @work(group="room")
    async def _begin(self) -> None:
        """The call's record is begun on the history thread; the call starts once it exists."""
        workshop, scenario_id, seed, lang = (
            self.presenter.workshop,
            self.scenario.id,
            self.presenter.seed,
            language(),
        )

        def begin(store: Store) -> RoomCall:
            room = workshop.room_call(scenario_id, seed=seed, lang=lang)
            self._made.append(room)
            return room

        try:
            room = await self.presenter.history.run(begin)
        except HistoryFailed as exc:
            self._say(
                _("This call cannot be recorded, so the room cannot play it: {problem}").format(
                    problem=exc.problem
                )
            )
            return
        self.room = room
        self.presenter.played.append(scenario_id)
        self._number = len(self.presenter.played)
        view = CallView(
            room.call,
            answerer=_("The room: "),
            pause=self.presenter.speak_delay,
            on_offered=self._offer,
            spaced=True,
        )
        await self.mount(view, before=self.query_one("#ws-ask"))
        view.play(room.start())

    def on_unmount(self) -> None:
        """Left or quit before the judgement: the record keeps what was played, marked abandoned."""
        made = self._made
        if self.presenter.phones is not None:
            self.presenter.phones.withdraw()

        def leave(store: Store) -> None:
            for room in made:
                problem = room.abandon()
                if problem:
                    raise HistoryFailed(problem)

        self.presenter.history.tell_failure(self.presenter.history.submit(leave))

    # -- asking the room

    def _offer(self, offered: RepliesOffered) -> None:
        options = [
            CountOption(str(n), str(n), Text(v.say(text))) for n, text in enumerate(offered.replies, 1)
        ]
        # As on the trainee's screen and the phones: how this call is checked is said once the room checks;
        # spelled out here it would name what the caller has not asked for yet, and take two lines.
        channel = self.scenario.channel
        options += [
            CountOption(HANG_UP, HANG_UP, Text(v.hang_up_word(channel))),
            CountOption(VERIFY, VERIFY, Text(v.verify_word(channel))),
        ]
        prompt = _(
            "Hands up! How many choose each answer? Type the count, Enter for the next (empty: nobody)."
        )
        self._ask(prompt, options, turn_question(self._number, offered, self.scenario.channel))

    @on(CallView.Ended)
    def _call_ended(self) -> None:
        self._ended = True
        self._ask(
            _("Was this a scam call? Count the hands: who says scam, who says not?"),
            judgement_options(),
            judgement_question(self._number, self.scenario.channel),
        )

    def _ask(self, prompt: str, options: Sequence[CountOption], question: Question) -> None:
        if self.presenter.phones is not None:
            self._question = question
            self.presenter.phones.ask(question)
            prompt = _("Vote on your phone, or raise your hand: type the hands, Enter closes the vote.")
        self.query_one("#ws-ask", Static).update(Text(prompt, style="bold"))
        area = self.query_one("#ws-vote", Vertical)
        area.remove_children()
        area.mount(CountsForm(options))
        # The footer leaves out letter keys while a count box has the cursor, so they are said here.
        keys = Text()
        for key, what in (("o", _("choose for the room")), ("Esc", _("leave the call"))):
            keys.append(f" {key} ", style="bold reverse")
            keys.append(f" {what}    ")
        self.query_one("#ws-keys", Static).update(keys)
        self.refresh_bindings()
        # The question takes room from the conversation: the caller's last lines stay in view above it.
        self.query_one(CallView).scroll_to_latest()

    def _form(self) -> CountsForm | None:
        forms = self.query(CountsForm)
        return forms.first() if forms else None

    def _clear_question(self) -> None:
        self.query_one("#ws-ask", Static).update("")
        self.query_one("#ws-keys", Static).update("")
        self.query_one("#ws-vote", Vertical).remove_children()
        self.query_one(CallView).log_widget.focus()
        self.refresh_bindings()

    def _say(self, message: str) -> None:
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(bool(message), "-problem")

    # -- the counts, the facilitator's choice

    @on(CountsForm.Submitted)
    def _counted(self, event: CountsForm.Submitted) -> None:
        if self._ended:
            self._judge(event.counts)
        else:
            self._vote(event.counts)

    def _with_phones(self, typed: Mapping[str, int]) -> dict[str, int]:
        """The hands typed and the phones' votes on the open question (its vote closed)."""
        if self.presenter.phones is None or self._question is None:
            return dict(typed)
        return with_phones(typed, self.presenter.phones.end_vote(), {"legit": "not"})

    def _reopen(self) -> None:
        """The counts did not decide (a tie, nobody): the phones may vote on the same question again, and
        the cursor goes back to the first count (an Enter too many left it on the last)."""
        if self.presenter.phones is not None and self._question is not None:
            self.presenter.phones.ask(self._question)
        form = self._form()
        if form is not None:
            form.focus_first()

    @work(group="room")
    async def _vote(self, typed: Mapping[str, int], override: str | None = None) -> None:
        room = self.room
        if room is None:
            return
        counts = self._with_phones(typed)
        if override is None and majority(counts) is None:
            self._reopen()
            self._say(no_majority(counts))
            return
        try:
            decide(room.options(), counts, override)  # what the room can type is checked above; the last word
        except VoteError as exc:
            self._reopen()
            self._say(str(exc))
            return
        self._say("")
        self._question = None
        self._clear_question()
        decision, events, problem = await self.presenter.history.run(
            lambda store: room.vote(counts, override)
        )
        if problem:
            self.notify(
                _("This vote may not be saved: {problem}").format(problem=problem),
                severity="warning",
                markup=False,
            )
        self.query_one(CallView).play(events, note=tally(decision, self._palette))

    @work(group="room")
    async def _judge(self, typed: Mapping[str, int], override: bool | None = None) -> None:
        room = self.room
        if room is None:
            return
        counts = self._with_phones(typed)
        said_scam, said_not = counts["scam"], counts["not"]
        if override is None and said_scam == said_not:
            self._reopen()
            message = _("A tie, {scam} to {not_}: press o and decide for the room whether it was a scam.")
            self._say(message.format(scam=said_scam, not_=said_not))
            return
        self._question = None
        self._clear_question()
        try:
            result = await self.presenter.history.run(lambda store: room.judge(said_scam, said_not, override))
        except HistoryFailed as exc:
            self.notify(
                _("This call will not be saved: {problem}").format(problem=exc.problem),
                severity="warning",
                markup=False,
            )
            judged = override if override is not None else said_scam > said_not
            result = debrief(self.scenario, self.catalog, room.call.transcript, judged)
        self.dismiss(RoomResult(result, (said_scam, said_not)))

    def action_override(self) -> None:
        """o: the facilitator decides (a tie, or a point to make); the counts typed are recorded with it."""
        form = self._form()
        if form is None or self.room is None:
            return
        try:
            counts = form.read()
        except CountError:  # the form says why, under its boxes
            return
        if self._ended:
            choices = [KeyOption("y", "y", Text(_("Scam"))), KeyOption("n", "n", Text(_("Not a scam")))]

            def judged(key: str | None) -> None:
                if key is not None:
                    self._judge(counts, override=key == "y")

            question = _("Your decision for the room: was it a scam?")
            self.app.push_screen(KeyChoiceScreen(question, choices), judged)
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                self._vote(counts, override=key)

        choices = [KeyOption(o.key, o.badge, o.label) for o in form.options]
        self.app.push_screen(
            KeyChoiceScreen(_("Choose for the room: which answer is played?"), choices), chosen
        )

    def action_leave(self) -> None:
        if self.room is None or self.room.recorder.closed:
            self.dismiss(None)
            return

        def leave(key: str | None) -> None:
            if key is not None:
                self.dismiss(None)

        question = _("Leave this call? What was played so far is kept, marked as not finished.")
        self.app.push_screen(
            KeyChoiceScreen(question, [KeyOption("enter", "Enter", Text(_("Leave the call")))]), leave
        )

    def action_ask_quit(self) -> None:
        """q in the room's call: one stray key must not end the session in front of the room. Asked, and told
        how to go on later; once the call has ended there is nothing to lose."""
        if self.room is None or self.room.recorder.closed:
            self.app.exit()
            return

        def quit_now(key: str | None) -> None:
            if key is not None:
                self.app.exit()

        question = _(
            "Quit the presenter? This call is kept, marked as not finished. "
            "To go on with the workshop later: roleplay workshop --workshop {id}"
        ).format(id=self.presenter.id)
        self.app.push_screen(KeyChoiceScreen(question, [KeyOption("y", "y", Text(_("Quit now")))]), quit_now)

    def action_skip(self) -> None:
        views = self.query(CallView)
        if views:
            views.first().let_them_finish()

    def action_conversation(self, how: str) -> None:
        views = self.query(CallView)
        if views:
            views.first().log_widget.scroll(how)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Choose for the room" only while the room is being asked."""
        if action == "override":
            return self._form() is not None
        return True
