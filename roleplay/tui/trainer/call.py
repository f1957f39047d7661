"""The call: the caller's lines one after another, what the phone shows, the replies, hang up and verify.
When it ends the screen asks whether it was a scam before anything says how it ended; dismissed with the
debrief once the trainee has answered, and the debrief opens with the ending."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core.debrief import Debrief, debrief
from roleplay.core.engine import Call
from roleplay.core.events import Event, RepliesOffered
from roleplay.core.model import Catalog
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import relabel
from roleplay.tui.recording import RecordedCall
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.session import Session
from roleplay.tui.widgets.call_view import CallView
from roleplay.tui.widgets.conversation import scroll_bindings
from roleplay.tui.widgets.judgement import JudgementBar
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.wrapped import wrapped

SPEAK_DELAY_STEP = 0.4
SPEAK_DELAY_MAX = 3.2


class CallScreen(TrainerScreen[Debrief]):
    BINDINGS = [  # noqa: RUF012
        Binding("h", "hang_up", N_("Hang up")),
        Binding("v", "verify", N_("Check officially")),
        Binding("space", "skip", N_("Skip speaking"), show=False),
        # + speeds the caller up and - slows them down, as the signs read (the pause between lines shrinks
        # or grows).
        Binding("plus,equals_sign", "faster", N_("Faster"), show=False),
        Binding("minus", "slower", N_("Slower"), show=False),
        Binding("q", "ask_quit", N_("Quit")),  # in place of the app's q: a call in progress asks first
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
        *scroll_bindings(),
    ]

    def __init__(
        self,
        call: Call,
        catalog: Catalog,
        session: Session,
        recording: RecordedCall,
        *,
        resumed: list[Event] | None = None,
    ) -> None:
        """A new call, or (`resumed`: its events so far) one already under way after its file was reloaded."""
        super().__init__()
        self.call = call
        self._label_keys()
        self.catalog = catalog
        self.session = session
        self.recording = recording
        self._resumed = resumed
        self._offered: RepliesOffered | None = None
        self._answered = False  # the question at the end of the call

    def _label_keys(self) -> None:
        if v.is_chat(self.call.scenario.channel):  # the footer says what the key does in a chat
            relabel(self, "hang_up", v.hang_up_word(self.call.scenario.channel))

    def composed(self) -> None:
        self._label_keys()

    def compose(self) -> ComposeResult:
        yield CallView(
            self.call,
            answerer=_("You: "),
            pause=lambda: self.session.settings.speak_delay,
            on_offered=self._offer,
            clock=self.session.clock,
            id="call-view",
        )
        yield OptionList(id="replies", markup=False)
        yield Static("", id="exits")
        yield JudgementBar(channel=self.call.scenario.channel, id="judgement")
        yield KeysFooter()

    @property
    def view(self) -> CallView:
        return self.query_one(CallView)

    def on_mount(self) -> None:
        if self._resumed is None:
            self._play(self.call.start())
        else:  # redraw the conversation so far at once, then carry on
            self._play(self._resumed, at_once=True)

    def on_unmount(self) -> None:
        """Quit (or reloaded) before the end: the record keeps what was played, marked abandoned. Quit at the
        question, once the call has ended: the call is kept as finished, with no judgement, so its ending
        and debrief are not lost."""
        if self.call.ended and not self._answered:
            self.recording.finish(self.catalog, None)
        self.recording.leave()
        self.call.close()

    def _play(self, events: list[Event], *, at_once: bool = False) -> None:
        self._offered = None
        self.query_one("#replies", OptionList).clear_options()
        self.view.play(events, at_once=at_once)

    def _offer(self, offered: RepliesOffered) -> None:
        self._offered = offered
        replies = self.query_one("#replies", OptionList)
        replies.clear_options()
        replies.add_options(
            [
                Option(wrapped(f"{n}. {v.say(text)}"), id=str(n - 1))
                for n, text in enumerate(offered.replies, 1)
            ]
        )
        replies.highlighted = 0
        replies.focus()
        # How to check is said once the trainee checks: spelled out here it would tell what the caller has
        # not yet asked for, and take three lines of the conversation's.
        exits = Text()
        exits.append("h ", style="bold reverse")
        channel = self.call.scenario.channel
        exits.append(" " + v.hang_up_word(channel) + "    ")
        exits.append("v ", style="bold reverse")
        exits.append(" " + v.verify_word(channel))
        self.query_one("#exits", Static).update(exits)

    @on(CallView.Ended)
    def _ended(self) -> None:
        self.add_class("ended")  # the stylesheet swaps the replies for the judgement question
        self.query_one("#replies", OptionList).clear_options()
        self.query_one("#exits", Static).update("")
        self.query_one(JudgementBar).focus()
        self.refresh_bindings()

    @on(JudgementBar.Judged)
    def _judged(self, event: JudgementBar.Judged) -> None:
        """The debrief is computed here (it is a pure function of the call); the record is saved behind it."""
        self._answered = True
        self.recording.finish(self.catalog, event.scam)
        self.dismiss(debrief(self.call.scenario, self.catalog, self.call.transcript, event.scam))

    # -- what the trainee does

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the call has ended its keys are gone from the footer; only the judgement's remain."""
        if action in ("hang_up", "verify", "choose", "skip", "slower", "faster"):
            return not self.call.ended
        return True

    def _can_act(self) -> bool:
        return not self.call.ended and self.call.turn > 0

    def action_choose(self, index: int) -> None:
        if self.view.speaking:  # a reply key while the caller talks: let them finish, show the replies
            self.action_skip()
            return
        if self._offered is None or not 0 <= index < len(self._offered.replies):
            return
        self._play(self.call.choose(index))
        self.recording.sync()

    @on(OptionList.OptionSelected, "#replies")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.action_choose(int(event.option.id))

    def action_hang_up(self) -> None:
        if self._can_act():
            self.view.hush()
            self._play(self.call.hang_up())
            self.recording.sync()

    def action_verify(self) -> None:
        if self._can_act():
            self.view.hush()
            self._play(self.call.verify())
            self.recording.sync()

    def action_ask_quit(self) -> None:
        """q during a call: ask before throwing it away. Once it has ended (the question is on screen) quit at
        once; the call is kept as finished."""
        from roleplay.tui.trainer.quit import QuitCallScreen

        if self.call.ended:
            self.app.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.app.exit()

        self.app.push_screen(QuitCallScreen(), answered)

    def action_skip(self) -> None:
        self.view.let_them_finish()

    def action_conversation(self, how: str) -> None:
        self.view.log_widget.scroll(how)

    def action_slower(self) -> None:
        self._set_delay(self.session.settings.speak_delay + SPEAK_DELAY_STEP)

    def action_faster(self) -> None:
        self._set_delay(self.session.settings.speak_delay - SPEAK_DELAY_STEP)

    def _set_delay(self, seconds: float) -> None:
        settings = self.session.settings
        settings.speak_delay = round(min(max(seconds, 0.0), SPEAK_DELAY_MAX), 1)
        self.notify(_("Caller pause: {seconds} s").format(seconds=settings.speak_delay), timeout=1.5)
        message = self.session.remember()
        if message:
            self.notify(message, severity="warning", markup=False)
