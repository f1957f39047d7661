"""A call played by the whole room: the caller's lines turn by turn, the replies numbered big, the hands
counted for each, the majority played unless the facilitator steps in, then the room's judgement and the
debrief.

Why it is built this way: the call and its record belong to `roleplay.workshop.RoomCall` (votes, overrides
and the judgement are saved as they happen); this screen only shows its events, drawn as the trainer draws
them (`roleplay.tui.render`), and turns the typed counts into its `vote()` and `judge()`. A tie is never
broken silently: the screen says so and waits for the facilitator's choice (o). Leaving or quitting mid-call
keeps what was played, marked abandoned, as the trainer does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, RichLog, Static

from roleplay.core.debrief import Debrief
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
from roleplay.history.errors import StoreError
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, language
from roleplay.text.sentences import outcome_sentence
from roleplay.tui.pacing import Pacer
from roleplay.tui.render import (
    Palette,
    action_text,
    caller_line,
    effect_note,
    phone_event,
    speaker_line,
    speaking_hint,
)
from roleplay.tui.screens.base import TrainerScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.workshop import Presenter
from roleplay.tui.screens.workshop_choice import KeyChoiceScreen, KeyOption
from roleplay.tui.screens.workshop_test import judgement_options
from roleplay.tui.widgets.barchart import Bars, row
from roleplay.tui.widgets.counts import CountError, CountOption, CountsForm
from roleplay.workshop.session import HANG_UP, VERIFY, Decision, RoomCall, VoteError, majority

if TYPE_CHECKING:
    from roleplay.tui.app import TrainerApp


class RoomCallScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("o", "override", N_("Choose for the room")),
        Binding("escape", "leave", N_("Leave the call")),
        Binding("space", "skip", N_("Let them finish"), show=False),
    ]

    def __init__(self, presenter: Presenter, scenario_id: str) -> None:
        super().__init__()
        self.presenter = presenter
        self.scenario: Scenario = presenter.workshop.library.scenarios[scenario_id]
        self.catalog: Catalog = presenter.workshop.library.catalog
        self.room: RoomCall | None = None
        self._pacer = Pacer(
            self, self._show, lambda: self.trainer.session.settings.speak_delay, self._show_speaking
        )
        self._decision: Decision | None = None  # the vote behind the room's next action, shown with it
        self._ended = False
        self._palette = Palette()

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="ws-call-status")
        yield RichLog(id="ws-transcript", wrap=True, markup=False, auto_scroll=True, min_width=20)
        yield Static("", id="ws-speaking")
        yield Static("", id="ws-ask")
        yield Vertical(id="ws-vote")
        yield Static("", id="ws-keys")
        yield Static("", id="ws-notice")
        yield Footer()

    def on_mount(self) -> None:
        self._palette = Palette(self.app.theme_variables)
        try:
            self.room = self.presenter.workshop.room_call(
                self.scenario.id, seed=self.presenter.seed, lang=language()
            )
        except (StoreError, OSError) as exc:
            self._say(
                _("This call cannot be recorded, so the room cannot play it: {problem}").format(problem=exc)
            )
            return
        self.presenter.played.append(self.scenario.id)
        caller = self.scenario.caller
        header = _("Incoming call: {name} {number}").format(
            name=v.say(self.room.call.fill(caller.name)), number=caller.number
        )
        self._log.write(Text(header, style="bold"))
        if self.scenario.perspective == "helper":
            helper = _(
                "You are sitting beside your parent, who is taking this call. Tell them what to answer."
            )
            self._log.write(Text(helper))
        self._play(self.room.start())

    def on_unmount(self) -> None:
        """Left or quit before the judgement: the record keeps what was played, marked abandoned."""
        if self.room is not None:
            problem = self.room.abandon()
            if problem:
                self.app.notify(problem, severity="warning")

    @property
    def _log(self) -> RichLog:
        return self.query_one("#ws-transcript", RichLog)

    # -- the call's events, at the caller's pace

    def _play(self, events: list[Event]) -> None:
        self._pacer.play(events)

    def _show_speaking(self, speaking: bool) -> None:
        self.query_one("#ws-speaking", Static).update(speaking_hint(speaking))

    def _show(self, event: Event) -> None:
        log = self._log
        if isinstance(event, CallerSpoke):
            log.write(caller_line(event, self._palette))
        elif isinstance(event, PhoneShowed):
            log.write(phone_event(event, self._palette))
        elif isinstance(event, RepliesOffered):
            self._offer(event)
        elif isinstance(event, TraineeActed):
            log.write(Text(""))
            said = action_text(event, self.scenario.verify_how)
            log.write(speaker_line(_("The room: "), said, self._palette.trainee))
            if self._decision is not None:
                log.write(self._tally(self._decision))
                self._decision = None
        elif isinstance(event, EffectApplied):
            log.write(effect_note(event, self._palette))
        elif isinstance(event, CallEnded):
            self._call_ended(event)
        self._show_status()

    def _tally(self, decision: Decision) -> RenderableType:
        """How the room voted, as bars; and who decided, when it was not the room's clear majority."""
        rows = [
            row(
                self._option_name(option),
                count,
                self._palette.trainee if option == decision.played else "dim",
            )
            for option, count in decision.counts.items()
            if count > 0 or option == decision.played
        ]
        parts: list[RenderableType] = [Bars(rows, max_label=16, max_width=60)]
        if decision.overridden:
            if decision.majority is None:
                said = _("The facilitator chose for the room (no clear majority).")
            else:
                said = _("The facilitator chose for the room (the majority chose {option}).").format(
                    option=self._option_name(decision.majority)
                )
            parts.append(Text(said, style=f"italic {self._palette.warning}"))
        parts.append(Text(""))
        return Group(*parts)

    @staticmethod
    def _option_name(option: str) -> str:
        if option == HANG_UP:
            return _("h hang up")
        if option == VERIFY:
            return _("v check")
        return _("reply {number}").format(number=option)

    def _show_status(self) -> None:
        status = Text()
        caller = self.scenario.caller
        name = v.say(self.room.call.fill(caller.name)) if self.room else v.say(caller.name)
        status.append(f" {name} {caller.number} ", style="bold reverse")
        if self.room is not None:
            call = self.room.call
            status.append("  " + _("Turn {turn}").format(turn=max(call.turn, 1)) + "  ")
            if call.lost:
                status.append(_("Lost: {money}").format(money=v.money(call.lost)) + "  ", style="bold")
            if call.exposed:
                status.append(_("Given away: {items}").format(items=v.exposures(call.exposed)))
        self.query_one("#ws-call-status", Static).update(status)

    # -- asking the room

    def _offer(self, offered: RepliesOffered) -> None:
        options = [
            CountOption(str(n), str(n), Text(v.say(text))) for n, text in enumerate(offered.replies, 1)
        ]
        options += [
            CountOption(HANG_UP, HANG_UP, Text(_("Hang up"))),
            CountOption(
                VERIFY, VERIFY, Text(_("Check officially: {how}").format(how=v.say(offered.verify_how)))
            ),
        ]
        prompt = _(
            "Hands up! How many choose each answer? Type the count, Enter for the next (empty: nobody)."
        )
        self._ask(prompt, options)

    def _call_ended(self, event: CallEnded) -> None:
        log = self._log
        for line in event.lines:
            log.write(Text(v.say(line), style="italic"))
        colour = self._palette.trainee if event.outcome == "safe" else self._palette.error
        log.write(Text(_("Call ended: {title}").format(title=v.say(event.title)), style=f"bold {colour}"))
        log.write(Text(outcome_sentence(event.outcome, event.severity, event.lost, event.exposed)))
        self._ended = True
        self._ask(
            _("Was this a scam call? Count the hands: who says scam, who says not?"), judgement_options()
        )

    def _ask(self, prompt: str, options: Sequence[CountOption]) -> None:
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
        self._keep_the_latest_in_view()

    def _keep_the_latest_in_view(self) -> None:
        """The question takes room from the transcript: scroll it again once laid out, so the caller's last
        lines stay in view above the replies."""
        self.call_after_refresh(self._log.scroll_end, animate=False)

    def _form(self) -> CountsForm | None:
        forms = self.query(CountsForm)
        return forms.first() if forms else None

    def _clear_question(self) -> None:
        self.query_one("#ws-ask", Static).update("")
        self.query_one("#ws-keys", Static).update("")
        self.query_one("#ws-vote", Vertical).remove_children()
        self._log.focus()
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

    def _vote(self, counts: Mapping[str, int], override: str | None = None) -> None:
        if self.room is None:
            return
        if override is None and majority(counts) is None:
            self._say(self._no_majority(counts))
            return
        try:
            decision, events, problem = self.room.vote(counts, override)
        except VoteError as exc:  # the checks above catch what the room can type; this is the last word
            self._say(str(exc))
            return
        self._say("")
        if problem:
            self.notify(
                _("This vote may not be saved: {problem}").format(problem=problem), severity="warning"
            )
        self._decision = decision
        self._clear_question()
        self._play(events)

    def _no_majority(self, counts: Mapping[str, int]) -> str:
        top = max(counts.values(), default=0)
        if top == 0:
            return _("No hands counted yet: type the counts, or press o to choose for the room.")
        tied = [self._option_name(option) for option, n in counts.items() if n == top]
        return _("A tie between {options} ({count} each): press o and choose what the room answers.").format(
            options=" / ".join(tied), count=top
        )

    def _judge(self, counts: Mapping[str, int], override: bool | None = None) -> None:
        from roleplay.core.debrief import debrief

        if self.room is None:
            return
        said_scam, said_not = counts["scam"], counts["not"]
        if override is None and said_scam == said_not:
            message = _("A tie, {scam} to {not_}: press o and decide for the room whether it was a scam.")
            self._say(message.format(scam=said_scam, not_=said_not))
            return
        try:
            result = self.room.judge(said_scam, said_not, override)
        except StoreError as exc:
            self.notify(_("This call will not be saved: {problem}").format(problem=exc), severity="warning")
            judged = override if override is not None else said_scam > said_not
            result = debrief(self.scenario, self.catalog, self.room.call.transcript, judged)
        self.app.switch_screen(
            RoomDebriefScreen(self.presenter, self.scenario, self.catalog, result, (said_scam, said_not))
        )

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
            self.app.pop_screen()
            return

        def leave(key: str | None) -> None:
            if key is not None:
                self.app.pop_screen()

        question = _("Leave this call? What was played so far is kept, marked as not finished.")
        self.app.push_screen(
            KeyChoiceScreen(question, [KeyOption("enter", "Enter", Text(_("Leave the call")))]), leave
        )

    def action_skip(self) -> None:
        self._pacer.finish()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Choose for the room" only while the room is being asked."""
        if action == "override":
            return self._form() is not None
        return True


class RoomDebriefScreen(DebriefScreen):
    """The trainer's debrief, for the room: its next call and replay are played by the room too."""

    BINDINGS = [  # noqa: RUF012 - the same keys as the trainer's debrief, named for the presenter
        Binding("n", "next_call", N_("Next call for the room")),
        Binding("escape", "home", N_("Back to the agenda")),
    ]

    def __init__(
        self,
        presenter: Presenter,
        scenario: Scenario,
        catalog: Catalog,
        result: Debrief,
        room_votes: tuple[int, int],
    ) -> None:
        super().__init__(scenario, catalog, result)
        self.presenter = presenter
        self.room_votes = room_votes

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_votes)  # after the debrief's own on_mount set its titles

    def _show_votes(self) -> None:
        said_scam, said_not = self.room_votes
        votes = _("The room: {scam} said scam, {not_} said not").format(scam=said_scam, not_=said_not)
        self.sub_title = f"{v.say(self.scenario.title)} · {votes}"

    def action_next_call(self) -> None:
        from roleplay.tui.screens.workshop_pick import ScenarioPickScreen

        self.app.switch_screen(ScenarioPickScreen(self.presenter))

    def action_replay(self) -> None:
        self.app.switch_screen(RoomCallScreen(self.presenter, self.scenario.id))
