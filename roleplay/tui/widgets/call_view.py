"""One call as it is played, for the trainee's call screen and the room's call on the projector alike: the
caller as the phone shows them with what the call has cost so far, the conversation, and a hint while the
caller is still speaking.

When the call ends, the view says only that it is over, in the same words for every ending: how it ended
(the ending's closing lines, title and outcome) would give away whether it was a scam before the answerer
has judged it, so the screen that asks the question shows the ending after the answer.

Why a widget of its own: both screens show the same events in the same words (`roleplay.tui.render`), at the
caller's pace (`Pacer`); they differ only in who answers (the trainee picks a reply, the room is counted) and
what comes after the call (a question, or the room's count). So the view shows every event, hands the
screen the replies on offer (`on_offered`) and posts `Ended` when the call is over; the screen asks for the
answer. The replies are handed over in the same turn of the event loop, not posted: a message would be
handled after the screen had been drawn once without them, one more layout for every reply picked.
The conversation is one `RichLog`, never a widget per line: appending stays cheap however long the call.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from roleplay.core.engine import Call
from roleplay.core.events import (
    CallEnded,
    CallerSpoke,
    EffectApplied,
    Event,
    PhoneShowed,
    RepliesOffered,
    TraineeActed,
)
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.sentences import call_over
from roleplay.tui.pacing import Pacer
from roleplay.tui.render import (
    Palette,
    action_text,
    caller_line,
    clock,
    effect_note,
    phone_event,
    speaker_line,
    speaking_hint,
)
from roleplay.tui.widgets.conversation import ConversationLog


class CallView(Vertical):
    """Shows a call's events. `clock` given: the status strip shows how long the call has lasted; without
    it, the turn (a room call is counted turn by turn, not timed)."""

    # The caller has more to say: the hint under the conversation.
    speaking: reactive[bool] = reactive(False, init=False)

    class Ended(Message):
        """The call is over; the conversation says only that. `ended`: how it ended, told after the answer."""

        def __init__(self, ended: CallEnded) -> None:
            super().__init__()
            self.ended = ended

    def __init__(
        self,
        call: Call,
        *,
        answerer: str,
        pause: Callable[[], float],
        on_offered: Callable[[RepliesOffered], None],
        clock: Callable[[], float] | None = None,
        spaced: bool = False,
        id: str | None = None,
    ) -> None:
        """`answerer` labels the answers ("You: "); `pause` is read before each line (the pace can change
        mid-call); `on_offered` is given the replies of each turn once every caller line of
        the turn is shown; `spaced` puts a blank line before each answer and the caller's lines in bold (the
        projector's transcript)."""
        super().__init__(id=id)
        self.call = call
        self._on_offered = on_offered
        self._answerer = answerer
        self._clock = clock
        self._started_at = clock() if clock else 0.0
        self._spaced = spaced
        self._note: RenderableType | None = None
        self._status: Text | None = None  # what the status line shows now
        self._pacer = Pacer(self, self._show, pause, self._set_speaking)
        self._palette = Palette()

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield ConversationLog(id="transcript")
        yield Static("", id="speaking")

    def on_mount(self) -> None:
        self._palette = Palette(self.app.theme_variables)
        header = v.incoming(
            self.call.scenario.channel,
            v.say(self.call.caller_name),
            self.call.caller_number,
            self.call.scenario.caller.dialled,
        )
        self.log_widget.say(Text(header, style="bold"))
        if self.call.scenario.perspective == "helper":
            helper = _(
                "You are sitting beside your parent, who is taking this call. Tell them what to answer."
            )
            self.log_widget.say(Text(helper))
        if self._clock is not None:
            self.set_interval(1, self.show_status)
        self.show_status()

    @property
    def log_widget(self) -> ConversationLog:
        return self.query_one("#transcript", ConversationLog)

    # -- playing events

    def play(self, events: list[Event], *, at_once: bool = False, note: RenderableType | None = None) -> None:
        """Show `events` at the caller's pace (`at_once`: all now, a conversation redrawn). `note` is
        written under the answer among them (how the room voted)."""
        self._note = note
        self._pacer.play(events, at_once=at_once)

    def let_them_finish(self) -> None:
        """A key pressed while the caller talks: the rest of the turn at once."""
        self._pacer.finish()

    def hush(self) -> None:
        """The answerer hung up mid-sentence: what the caller had left to say is never said."""
        self._pacer.drop()

    def write(self, renderable: RenderableType) -> None:
        self.log_widget.say(renderable)

    def scroll_to_latest(self) -> None:
        """The newest line in view, and the log following again (the reader may have scrolled up)."""
        self.log_widget.to_newest()

    def _set_speaking(self, speaking: bool) -> None:
        self.speaking = speaking

    def watch_speaking(self, speaking: bool) -> None:
        self.query_one("#speaking", Static).update(speaking_hint(speaking))

    def _show(self, event: Event) -> None:
        log = self.log_widget
        if isinstance(event, CallerSpoke):
            line = caller_line(event, self._palette, self.call.scenario.channel)
            if self._spaced:  # the projector: what the caller says in bold, readable from the back row
                line.text.stylize("bold")
            log.say(line)
        elif isinstance(event, PhoneShowed):
            log.say(phone_event(event, self._palette))
        elif isinstance(event, RepliesOffered):
            self._on_offered(event)
        elif isinstance(event, TraineeActed):
            if self._spaced:
                log.say(Text(""))
            log.say(
                speaker_line(
                    self._answerer, action_text(event, self.call.scenario.channel), self._palette.trainee
                )
            )
            if self._note is not None:
                log.say(self._note)
                self._note = None
        elif isinstance(event, EffectApplied):
            log.say(effect_note(event, self._palette))
        elif isinstance(event, CallEnded):
            self._ended(event)
        self.show_status()

    def _ended(self, event: CallEnded) -> None:
        self.log_widget.say(Text(call_over(self.call.scenario.channel), style="bold"))
        self.post_message(self.Ended(event))

    def show_status(self) -> None:
        """The caller as the phone shows them, the time or the turn, and what has been lost so far."""
        call = self.call
        status = Text()
        status.append(f" {v.say(call.caller_name)} {call.caller_number} ", style="bold reverse")
        if self._clock is not None:
            status.append(f"  {clock(self._clock() - self._started_at)}  ")
        else:
            status.append("  " + _("Turn {turn}").format(turn=max(call.turn, 1)) + "  ")
        if call.paid_out:  # never what goes after the call: the question comes first
            status.append(_("Paid out: {money}").format(money=v.money(call.paid_out)) + "  ", style="bold")
        if call.exposed:
            status.append(_("Given away: {items}").format(items=v.exposures(call.exposed)))
        if status != self._status:  # an update lays the screen out again; most events leave it as it was
            self._status = status
            self.query_one("#status", Static).update(status)
