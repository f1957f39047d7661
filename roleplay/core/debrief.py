"""The debrief: a pure function of scenario, catalog and transcript. Same transcript in, same debrief out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from roleplay.core.events import Action
from roleplay.core.model import (
    OURS,
    Catalog,
    Choice,
    Ending,
    Exposure,
    Outcome,
    Scenario,
    Severity,
    Source,
    Text,
    yuan,
)
from roleplay.core.moves import moves
from roleplay.core.transcript import Transcript, values

Status = Literal["spotted", "missed"]
Kind = Literal["scam", "legit"]

# Signal detection's four cells: scam calls are the signal, real calls the noise; the response is "scam".
Detection = Literal["hit", "miss", "false_alarm", "correct_rejection"]


def detection(kind: Kind, said_scam: bool) -> Detection:
    """Which cell a response falls in: a scam called a scam is a hit, a real call called one a false alarm."""
    if kind == "scam":
        return "hit" if said_scam else "miss"
    return "false_alarm" if said_scam else "correct_rejection"


def acted_as_scam(kind: Kind, ending: Ending, hung_up: bool) -> bool:
    """Whether the trainee's behaviour treated the call as a scam, read from where it ended and how.

    In a scam call, ending safe is having treated it as the fraud it was (hung up, checked, refused), and a
    loss is having been taken in. In a real call, hanging up on it at any turn is treating the genuine caller
    as a fraud (checking through an official channel is not: that is "verify", not "hang up"), and so is
    reaching an ending that says `treated_as_scam: true` (required on every real call's ending): brushing a
    genuine warning off with a reply, turning the real courier away. Checking officially and then carrying
    on is not treating it as a scam."""
    if kind == "scam":
        return ending.outcome == "safe"
    return hung_up or bool(ending.treated_as_scam)


@dataclass(frozen=True)
class SourcedSums:
    """Sums the trainee paid in this run and the advisory they come from (None: a sum the scenario set)."""

    source: Source | None
    sums: tuple[int, ...]


@dataclass(frozen=True)
class FlagMeeting:
    """One red flag met at one turn, and what the trainee did about it."""

    flag: str
    turn: int
    status: Status
    name: Text
    caller_line: Text  # the line of the turn that carried this flag (`flag_lines`), else the whole turn
    shown: tuple[Text, ...]  # what the phone showed at that turn (an SMS, a page, a chat message)
    action: Action
    reply: Text | None  # the reply's words; None when the trainee hung up or verified
    why: Text
    instead: Text
    safe_reply: Text  # a reply at that turn that would have recognised it, or the official check


@dataclass(frozen=True)
class TurnRecord:
    turn: int
    node: str
    caller_lines: tuple[Text, ...]
    flags: tuple[str, ...]
    action: Action
    reply: Text | None


@dataclass(frozen=True)
class Debrief:
    scenario: str
    title: Text  # the scenario's, filled with the run's values
    kind: Kind
    seed: int
    ending: str | None  # None: the call was abandoned
    outcome: Outcome | None
    severity: Severity | None
    ending_title: Text | None
    ending_lines: tuple[Text, ...]  # what the ending says (the last lines heard), filled for this run
    lesson: Text | None
    lost: int
    exposed: tuple[Exposure, ...]
    flags: tuple[FlagMeeting, ...]
    earliest_safe_exit: int | None
    turns: tuple[TurnRecord, ...]
    rules: tuple[Text, ...]
    sources: tuple[Source, ...]
    paid_from: tuple[SourcedSums, ...]  # where each sum paid in this run comes from (`figures:`)
    judged_scam: bool | None
    verify_how: Text
    # What the trainee did, beside what they said: whether they treated the call as a scam (see
    # `acted_as_scam`). None when the call was abandoned.
    acted_scam: bool | None
    hung_up: bool  # the trainee hung up at some turn (not counting the official check)

    @property
    def judged_right(self) -> bool | None:
        return None if self.judged_scam is None else self.judged_scam == (self.kind == "scam")

    @property
    def verdict(self) -> Detection | None:
        """The verdict ("was this a scam?") as signal detection counts it; None when not given."""
        return None if self.judged_scam is None else detection(self.kind, self.judged_scam)

    @property
    def behaviour(self) -> Detection | None:
        """What the trainee did, as signal detection counts it: a scam that ended safe is a hit, one that
        ended in a loss a miss; a real call hung up on, or ended where `treated_as_scam` says the genuine
        caller was treated as a fraud, is a false alarm, any other a correct rejection. None when the call
        was abandoned."""
        return None if self.acted_scam is None else detection(self.kind, self.acted_scam)

    @property
    def spotted(self) -> int:
        return sum(1 for f in self.flags if f.status == "spotted")

    @property
    def missed(self) -> int:
        return sum(1 for f in self.flags if f.status == "missed")

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "kind": self.kind,
            "seed": self.seed,
            "ending": self.ending,
            "outcome": self.outcome,
            "severity": self.severity,
            "lost": self.lost,
            "exposed": list(self.exposed),
            "flags": [{"id": f.flag, "status": f.status, "turn": f.turn} for f in self.flags],
            "spotted": self.spotted,
            "missed": self.missed,
            "earliest_safe_exit": self.earliest_safe_exit,
            "turns": len(self.turns),
            "judged_scam": self.judged_scam,
            "judged_right": self.judged_right,
            "behaviour": self.behaviour,
        }


def _recognises(
    scenario: Scenario, node_id: str, action: Action, choice: Choice | None, flag_id: str
) -> bool:
    """Whether the trainee's move at a turn recognised one of its red flags.

    A reply recognises the flags it `spots`. Checking through an official channel recognises them all. Hanging
    up does too in a scam call; in a real call the flags belong to someone else in the scene (the scammer
    in the chat window while 96110 calls), and hanging up on the real caller recognises nothing, but
    hanging up on that someone else does: where hanging up ends the call as treating a scam as one (the
    scammer rang back between 96110's calls), the one on the line was the scammer."""
    if action == "verify":
        return True
    if action == "hang_up":
        ending = scenario.endings.get(scenario.target(node_id, "hang_up"))
        return scenario.kind == "scam" or (ending is not None and ending.treated_as_scam is True)
    return choice is not None and flag_id in choice.spots


def _ends_safe(scenario: Scenario, target: str) -> bool:
    ending = scenario.endings.get(target)
    return ending is not None and ending.outcome == "safe"


def _carrying_line(said: tuple[Text, ...], line: int | None, whole_turn: Text) -> Text:
    """The line of a turn that carried a red flag (`flag_lines`, counted from 1), else the whole turn (for a
    turn of one line, that line)."""
    return said[line - 1] if line is not None and 1 <= line <= len(said) else whole_turn


def _paid_from(scenario: Scenario, catalog: Catalog, paid: list[int]) -> tuple[SourcedSums, ...]:
    """The run's sums grouped by the source `figures:` traces them to, in the order of `figures:`."""
    out = []
    for key, sums in scenario.figures.items():
        here = tuple(dict.fromkeys(amount for amount in paid if amount in sums))
        if here:
            out.append(SourcedSums(None if key == OURS else catalog.sources[key], here))
    return tuple(out)


def debrief(
    scenario: Scenario, catalog: Catalog, transcript: Transcript, judged_scam: bool | None = None
) -> Debrief:
    run_values = values(scenario, transcript.bindings, transcript.seed)

    def fill(text: Text) -> Text:
        return text.fill(run_values)

    verify_how = fill(scenario.verify_how)
    meetings: list[FlagMeeting] = []
    turns: list[TurnRecord] = []
    exposed: list[Exposure] = []
    paid: list[int] = []
    earliest: int | None = None
    for step in transcript.steps:
        node = scenario.nodes[step.node]
        choice = node.choices[step.index] if step.index is not None else None
        reply = fill(choice.text) if choice else None
        said = tuple(fill(s) for s in node.say)
        whole_turn = Text(zh="".join(s.zh for s in said), en=" ".join(s.en for s in said))
        shown = tuple(fill(e.body) for e in node.events)
        # A way out of a scam; a real call has nothing to escape from (hanging up on it is no lesson).
        if (
            scenario.kind == "scam"
            and earliest is None
            and any(_ends_safe(scenario, move.target) for move in moves(scenario, step.node))
        ):
            earliest = step.turn
        if choice:
            paid.append(yuan(choice.effects.pay, run_values))
            exposed += [g for g in choice.effects.give if g not in exposed]
        turns.append(TurnRecord(step.turn, step.node, said, node.flags, step.action, reply))
        for flag_id in node.flags:
            flag = catalog.flags[flag_id]
            spotted = _recognises(scenario, step.node, step.action, choice, flag_id)
            safe = next((c.text for c in node.choices if flag_id in c.spots), None)
            meetings.append(
                FlagMeeting(
                    flag=flag_id,
                    turn=step.turn,
                    status="spotted" if spotted else "missed",
                    name=flag.name,
                    caller_line=_carrying_line(said, node.flag_lines.get(flag_id), whole_turn),
                    shown=shown,
                    action=step.action,
                    reply=reply,
                    why=flag.why,
                    instead=flag.instead,
                    safe_reply=fill(safe) if safe else verify_how,
                )
            )
    ending = scenario.endings.get(transcript.ending or "")
    if ending is not None and ending.paid_after:
        paid.append(yuan(ending.paid_after, run_values))
    met = {m.flag for m in meetings}
    rules = tuple(r.text for r in catalog.rules if not r.flags or met & set(r.flags))
    hung_up = any(step.action == "hang_up" for step in transcript.steps)
    return Debrief(
        scenario=scenario.id,
        title=fill(scenario.title),
        kind=scenario.kind,
        seed=transcript.seed,
        ending=transcript.ending,
        outcome=ending.outcome if ending else None,
        severity=ending.severity if ending else None,
        ending_title=fill(ending.title) if ending else None,
        ending_lines=tuple(fill(line) for line in ending.say) if ending else (),
        lesson=fill(ending.lesson) if ending else None,
        lost=sum(paid),
        exposed=tuple(exposed),
        flags=tuple(meetings),
        earliest_safe_exit=earliest,
        turns=tuple(turns),
        rules=rules,
        sources=tuple(catalog.sources[s] for s in scenario.sources),
        paid_from=_paid_from(scenario, catalog, paid),
        judged_scam=judged_scam,
        verify_how=verify_how,
        acted_scam=acted_as_scam(scenario.kind, ending, hung_up) if ending else None,
        hung_up=hung_up,
    )
