"""A call in progress. The scenario's shared state machine (`machine`) holds where it is; `Call` applies
effects, keeps the transcript and tells the front end what happens, as events. The only way in: start(),
choose(i) (the i-th reply as shown), hang_up(), verify(); replays and walkers name a reply as written, with
act()."""

from __future__ import annotations

import copy
import dataclasses
import random

from transitions import MachineError

from roleplay.core.events import (
    Action,
    CallEnded,
    CallerSpoke,
    EffectApplied,
    Event,
    PhoneShowed,
    RepliesOffered,
    TraineeActed,
)
from roleplay.core.machine import machine_for
from roleplay.core.model import Effects, Exposure, Scenario, Text, yuan
from roleplay.core.moves import moves, trigger_of
from roleplay.core.transcript import (
    Step,
    Transcript,
    draw_bindings,
    draw_display,
    draw_sender,
    reply_order,
    values,
)


class CallError(Exception):
    """The front end asked for something the call cannot do now (a missing reply, a finished call)."""


class _Line:
    """The plain object the state machine drives. Never a Textual class: `is_<state>` helpers would clash.

    The machine only fills in what this class declares (model_override) and skips the per-state helpers
    (see `roleplay.core.machine`)."""

    state: str

    def trigger(self, name: str) -> bool:  # replaced by the machine when the line is added to it
        raise NotImplementedError


class Call:
    """One run of a scenario: its seed draws the variables, its line on the shared machine holds the turn."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.scenario = scenario
        seed = random.randrange(2**31) if seed is None else seed
        self._transcript = Transcript(scenario.id, seed, draw_bindings(scenario, seed))
        self._values = values(scenario, self._transcript.bindings, seed)
        self._display = draw_display(scenario, seed)
        self._line = _Line()
        self._machine = machine_for(scenario)
        self._machine.add_model(self._line, initial=scenario.start)
        self._closed = False
        self._order: tuple[int, ...] = ()  # the order this turn's replies are shown in
        self._turn = 0
        self._started = False
        self._lost = 0  # paid while the call goes on
        self._exposed: list[Exposure] = []

    # -- what a front end may read
    @property
    def transcript(self) -> Transcript:
        return self._transcript

    @property
    def turn(self) -> int:
        return self._turn

    @property
    def current_node(self) -> str:
        """The node the call is at (after the call ended: the ending)."""
        return str(self._line.state)

    @property
    def ended(self) -> bool:
        return self._transcript.ending is not None

    @property
    def lost(self) -> int:
        """All the call cost, what goes once it has ended (its ending's `paid_after`) included."""
        ending = self.scenario.endings.get(self._transcript.ending or "")
        return self._lost + (yuan(ending.paid_after, self._values) if ending else 0)

    @property
    def paid_out(self) -> int:
        """What has left the trainee's accounts while the call goes on: all a screen may show before the
        question "scam or real?"."""
        return self._lost

    @property
    def exposed(self) -> tuple[Exposure, ...]:
        return tuple(self._exposed)

    @property
    def caller_name(self) -> Text:
        """The name the phone shows for this run (it may use the scenario's variables)."""
        return self.fill(self._display[0])

    @property
    def caller_number(self) -> str:
        """The number the phone shows for this run."""
        return self._display[1]

    def fill(self, text: Text) -> Text:
        return text.fill(self._values)

    def heard_at(self, node_id: str, turn: int) -> list[CallerSpoke | PhoneShowed]:
        """What the caller says and the phone shows at a turn, filled for this run; the call does not move
        (the quick-fire round shows a turn of a run on its own)."""
        node = self.scenario.nodes[node_id]
        speaker = self.fill(node.speaker) if node.speaker else None
        heard: list[CallerSpoke | PhoneShowed] = [
            CallerSpoke(turn, self.fill(line), speaker) for line in node.say
        ]
        heard += [
            PhoneShowed(
                turn,
                e.kind,
                draw_sender(self.scenario, self._transcript.seed, e.sender) if e.sender else None,
                self.fill(e.title) if e.title else None,
                self.fill(e.body),
                tuple(self.fill(f) for f in e.fields),
            )
            for e in node.events
        ]
        return heard

    # -- the only way in
    def start(self) -> list[Event]:
        if self._started:
            raise CallError("the call has already started")
        self._started = True
        return self._enter()

    def choose(self, shown: int) -> list[Event]:
        """Take the reply shown `shown`-th (0-based) at this turn; the replies are shown shuffled."""
        self._current_node()
        order = self._order
        if not 0 <= shown < len(order):
            raise CallError(f"there is no reply {shown + 1} at this turn (there are {len(order)})")
        return self.reply(order[shown])

    def reply(self, index: int) -> list[Event]:
        """Take the reply written `index`-th in the scenario, wherever it is shown (replays, walkers)."""
        node = self._current_node()
        choices = self.scenario.nodes[node].choices
        if not 0 <= index < len(choices):
            raise CallError(f"there is no reply {index + 1} at this turn (there are {len(choices)})")
        return self._move("reply", index, choices[index].effects)

    def hang_up(self) -> list[Event]:
        self._current_node()
        return self._move("hang_up", None, Effects())

    def verify(self) -> list[Event]:
        self._current_node()
        return self._move("verify", None, Effects())

    def fork(self) -> Call:
        """A second call that has had this run so far (same seed, same steps, same turn, same losses): from
        here the two go their own ways. A walk splits a call at each turn instead of replaying each path from
        the start."""
        here = self._current_node()
        twin = copy.copy(self)
        twin._transcript = dataclasses.replace(
            self._transcript, bindings=dict(self._transcript.bindings), steps=list(self._transcript.steps)
        )
        twin._exposed = list(self._exposed)
        twin._line = _Line()
        twin._machine.add_model(twin._line, initial=here)
        return twin

    def close(self) -> None:
        """Leave the shared machine, which keeps only calls in progress: at the end, or when a front end
        gives the call up before it (a trainee quits, a quiz wanted only its opening). The record stays."""
        if not self._closed:
            self._closed = True
            self._machine.remove_model(self._line)

    # -- inside
    def _current_node(self) -> str:
        if not self._started:
            raise CallError("the call has not started")
        if self.ended:
            raise CallError("the call has ended")
        return self._line.state

    def _move(self, action: Action, index: int | None, effects: Effects) -> list[Event]:
        node = self._line.state
        try:
            self._line.trigger(trigger_of(action, index))
        except MachineError as exc:  # the checks make this unreachable for a loaded scenario
            raise CallError(str(exc)) from exc
        self._transcript.steps.append(Step(self._turn, node, action, index))
        text = self.fill(self.scenario.nodes[node].choices[index].text) if index is not None else None
        how = self.fill(self.scenario.verify_how) if action == "verify" else None
        events: list[Event] = [TraineeActed(self._turn, action, index, text, how)]
        if effects.pay or effects.give:
            paid = yuan(effects.pay, self._values)
            self._lost += paid
            self._exposed += [g for g in effects.give if g not in self._exposed]
            events.append(EffectApplied(self._turn, paid, effects.give, self._lost, self.exposed))
        return events + self._enter()

    def _enter(self) -> list[Event]:
        here = self._line.state
        if here in self.scenario.endings:
            ending = self.scenario.endings[here]
            self._transcript.ending = here
            self.close()
            return [
                CallEnded(
                    self._turn,
                    here,
                    ending.outcome,
                    ending.severity,
                    self.lost,
                    self.exposed,
                    self.fill(ending.title),
                    tuple(self.fill(line) for line in ending.say),
                    self.fill(ending.lesson),
                )
            ]
        self._turn += 1
        node = self.scenario.nodes[here]
        events: list[Event] = list(self.heard_at(here, self._turn))
        order = self._order = reply_order(self.scenario, self._transcript.seed, here)
        replies = tuple(self.fill(node.choices[i].text) for i in order)
        events.append(RepliesOffered(self._turn, replies, self.fill(self.scenario.verify_how), order))
        return events


def resume(
    scenario: Scenario, seed: int, steps: list[Step], at: str | None = None
) -> tuple[Call, list[Event]]:
    """A new call that repeats `steps` for as long as they still fit the scenario (an author edited it).

    A step is repeated only when it still starts at the same node and leads where it led before (to the next
    step's node, or to `at` for the last one), so reordered or retargeted replies stop the replay there.
    Returns the call and every event it emitted, so a front end can redraw the conversation so far."""
    call = Call(scenario, seed)
    events = call.start()
    led_to = [step.node for step in steps[1:]] + ([at] if steps else [])
    for step, expected in zip(steps, led_to, strict=True):
        if call.ended or step.node not in scenario.nodes or call.current_node != step.node:
            break
        # A recorded hang-up or check is the same move whatever index was stored with it.
        taken = (step.action, step.index if step.action == "reply" else None)
        move = next((m for m in moves(scenario, step.node) if (m.action, m.index) == taken), None)
        if move is None or (expected is not None and move.target != expected):
            break
        events += act(call, step.action, step.index)
    return call, events


def act(call: Call, action: Action, index: int | None = None) -> list[Event]:
    """Take a move given by name, as replays and walkers record them: a reply (with its index), hang_up or
    verify. The same three ways in as a front end has, nothing more."""
    if action == "reply":
        if index is None:
            raise CallError("a reply needs its number")
        return call.reply(index)
    return call.hang_up() if action == "hang_up" else call.verify()
