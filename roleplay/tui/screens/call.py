"""The call: the caller's lines one after another, what the phone shows, the replies, hang up and verify."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, RichLog, Static
from textual.widgets.option_list import Option

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
from roleplay.core.model import Catalog, Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, language
from roleplay.text.sentences import outcome_sentence
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
from roleplay.tui.screens.base import TrainerScreen
from roleplay.tui.widgets.judgement import JudgementBar

if TYPE_CHECKING:
    from roleplay.history.recorder import CallRecorder
    from roleplay.tui.app import Session, TrainerApp


SPEAK_DELAY_STEP = 0.4
SPEAK_DELAY_MAX = 3.2


class CallScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("h", "hang_up", N_("Hang up")),
        Binding("v", "verify", N_("Check officially")),
        Binding("space", "skip", N_("Skip speaking"), show=False),
        Binding("plus,equals_sign", "slower", N_("Slower"), show=False),
        Binding("minus", "faster", N_("Faster"), show=False),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(
        self,
        scenario: Scenario,
        catalog: Catalog,
        seed: int | None,
        session: Session,
        source: Path | None = None,
        *,
        resumed: tuple[Call, list[Event]] | None = None,
    ) -> None:
        """A new call, or (`resumed`) one already under way after its scenario file was reloaded."""
        super().__init__()
        self.scenario = scenario
        self.catalog = catalog
        self.session = session
        self.source = source
        self._recorder: CallRecorder | None = None
        self._storage_told = False
        self.call = resumed[0] if resumed else Call(scenario, seed)
        self._resumed_events = resumed[1] if resumed else None
        self._pacer = Pacer(self, self._show, lambda: self.session.settings.speak_delay, self._show_speaking)
        self._offered: RepliesOffered | None = None
        self._started_at = session.clock()
        self._palette = Palette()

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield RichLog(id="transcript", wrap=True, markup=False, auto_scroll=True, min_width=20)
        yield Static("", id="speaking")
        yield OptionList(id="replies", markup=False)
        yield Static("", id="exits")
        yield JudgementBar(id="judgement")
        yield Footer()

    def on_mount(self) -> None:
        self._palette = Palette(self.app.theme_variables)
        header = _("Incoming call: {name} {number}").format(
            name=v.say(self.scenario.caller.name), number=self.scenario.caller.number
        )
        self.log_widget.write(Text(header, style="bold"))
        if self.scenario.perspective == "helper":
            helper = _(
                "You are sitting beside your parent, who is taking this call. Tell them what to answer."
            )
            self.log_widget.write(Text(helper))
        self.set_interval(1, self._show_status)
        self._show_status()
        self._recorder = self._begin_recording()
        if self._resumed_events is None:
            self._play(self.call.start())
        else:  # redraw the conversation so far at once, then carry on
            self._play(self._resumed_events, at_once=True)

    @property
    def log_widget(self) -> RichLog:
        return self.query_one("#transcript", RichLog)

    # -- the engine's events, shown one at a time at the caller's pace
    # -- the history: saved as the call goes, so quitting or a crash leaves it recorded as abandoned
    def _begin_recording(self) -> CallRecorder | None:
        from roleplay.history.errors import StoreError
        from roleplay.history.files import scenario_hash
        from roleplay.history.recorder import CallRecorder

        store = self.session.ensure_store()
        if store is None:
            self._tell_storage(self.session.store_problem)
            return None
        try:
            digest = scenario_hash(self.source) if self.source else ""
            return CallRecorder(
                store,
                self.call,
                self.session.trainee,
                digest,
                language(),
                workshop_id=self.session.workshop_id,
                source_path=self.source,
            )
        except (StoreError, OSError) as exc:
            self._tell_storage(str(exc))
            return None

    def _tell_storage(self, problem: str | None) -> None:
        if problem and not self._storage_told:
            self._storage_told = True
            self.notify(
                _("This call will not be saved: {problem}").format(problem=problem), severity="warning"
            )

    def _sync(self) -> None:
        if self._recorder is not None:
            self._tell_storage(self._recorder.sync())

    def on_unmount(self) -> None:
        if self._recorder is not None and not self._recorder.closed:
            self._tell_storage(self._recorder.abandon())

    def _play(self, events: list[Event], *, at_once: bool = False) -> None:
        self._offered = None
        self.query_one("#replies", OptionList).clear_options()
        self._pacer.play(events, at_once=at_once)

    def _show_speaking(self, speaking: bool) -> None:
        self.query_one("#speaking", Static).update(speaking_hint(speaking))

    def _show(self, event: Event) -> None:
        log = self.log_widget
        if isinstance(event, CallerSpoke):
            log.write(caller_line(event, self._palette))
        elif isinstance(event, PhoneShowed):
            log.write(phone_event(event, self._palette))
        elif isinstance(event, RepliesOffered):
            self._offer(event)
        elif isinstance(event, TraineeActed):
            log.write(
                speaker_line(_("You: "), action_text(event, self.scenario.verify_how), self._palette.trainee)
            )
        elif isinstance(event, EffectApplied):
            self._show_status()
            log.write(effect_note(event, self._palette))
        elif isinstance(event, CallEnded):
            self._ended(event)

    def _offer(self, offered: RepliesOffered) -> None:
        self._offered = offered
        replies = self.query_one("#replies", OptionList)
        replies.clear_options()
        replies.add_options(
            [Option(Text(f"{n}. {v.say(text)}"), id=str(n - 1)) for n, text in enumerate(offered.replies, 1)]
        )
        replies.highlighted = 0
        replies.focus()
        exits = Text()
        exits.append("h ", style="bold reverse")
        exits.append(" " + _("Hang up") + "    ")
        exits.append("v ", style="bold reverse")
        exits.append(" " + _("Check officially: {how}").format(how=v.say(offered.verify_how)))
        self.query_one("#exits", Static).update(exits)

    def _ended(self, event: CallEnded) -> None:
        log = self.log_widget
        for line in event.lines:
            log.write(Text(v.say(line), style="italic"))
        colour = self._palette.trainee if event.outcome == "safe" else self._palette.error
        log.write(Text(_("Call ended: {title}").format(title=v.say(event.title)), style=f"bold {colour}"))
        log.write(Text(outcome_sentence(event.outcome, event.severity, event.lost, event.exposed)))
        self._show_status()
        self.add_class("ended")  # the stylesheet swaps the replies for the judgement question
        self.query_one("#replies", OptionList).clear_options()
        self.query_one("#exits", Static).update("")
        self.query_one(JudgementBar).focus()

    @on(JudgementBar.Judged)
    def _judged(self, event: JudgementBar.Judged) -> None:
        from roleplay.core.debrief import debrief
        from roleplay.history.errors import StoreError
        from roleplay.tui.screens.debrief import DebriefScreen

        result = None
        if self._recorder is not None:
            try:
                result = self._recorder.finish(self.catalog, event.scam)
            except StoreError as exc:
                self._tell_storage(str(exc))
        if result is None:
            result = debrief(self.scenario, self.catalog, self.call.transcript, event.scam)
        app = cast("TrainerApp", self.app)
        app.switch_screen(DebriefScreen(self.scenario, self.catalog, result))

    def _show_status(self) -> None:
        status = Text()
        caller = self.scenario.caller
        status.append(f" {v.say(caller.name)} {caller.number} ", style="bold reverse")
        status.append(f"  {clock(self.session.clock() - self._started_at)}  ")
        if self.call.lost:
            status.append(_("Lost: {money}").format(money=v.money(self.call.lost)) + "  ", style="bold")
        if self.call.exposed:
            status.append(_("Given away: {items}").format(items=v.exposures(self.call.exposed)))
        self.query_one("#status", Static).update(status)

    # -- what the trainee does
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the call has ended its keys are gone from the footer; only the judgement's remain."""
        if action in ("hang_up", "verify", "choose", "skip", "slower", "faster"):
            return not self.call.ended
        return True

    def _can_act(self) -> bool:
        return not self.call.ended and self.call.turn > 0

    def action_choose(self, index: int) -> None:
        if self._pacer.speaking:  # a reply key while the caller talks: let them finish, show the replies
            self.action_skip()
            return
        if self._offered is None or not 0 <= index < len(self._offered.replies):
            return
        self._play(self.call.choose(index))
        self._sync()

    @on(OptionList.OptionSelected, "#replies")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.action_choose(int(event.option.id))

    def action_hang_up(self) -> None:
        if self._can_act():
            self._pacer.drop()
            self._play(self.call.hang_up())
            self._sync()

    def action_verify(self) -> None:
        if self._can_act():
            self._pacer.drop()
            self._play(self.call.verify())
            self._sync()

    def action_skip(self) -> None:
        self._pacer.finish()

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
            self.notify(message, severity="warning")
