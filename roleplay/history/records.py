"""What the history holds, as plain frozen records: calls, their steps and flags, workshops, test answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from roleplay.core.debrief import Detection, Status, detection
from roleplay.core.model import Language, Outcome, Severity, Text
from roleplay.core.transcript import Step, Transcript

CallStatus = Literal["in_progress", "finished", "abandoned"]
CallMode = Literal["solo", "room"]
Phase = Literal["pre", "post", "follow"]
PHASES: tuple[Phase, ...] = ("pre", "post")  # a workshop's test before the calls, and after
ALL_PHASES: tuple[Phase, ...] = ("pre", "post", "follow")  # and the follow-up, weeks later

# -- records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRecord:
    flag: str
    turn: int
    status: Status


@dataclass(frozen=True)
class StepRecord:
    """One decision as saved: the step, when it was taken, and in a workshop room the votes behind it."""

    step: Step
    at: datetime
    # Option → how many chose it: a reply by its number as written in the scenario ("1", "2", …, not its
    # place on screen), "h" hang up, "v" verify.
    votes: Mapping[str, int] | None = None
    overridden: bool | None = None  # room calls: the facilitator played something other than the majority


@dataclass(frozen=True)
class CallRecord:
    """One call as the history holds it: enough to replay it and recompute its debrief."""

    id: int
    trainee: str
    scenario: str
    scenario_hash: str
    kind: Literal["scam", "legit"]
    title: Text
    source_path: str | None
    seed: int
    bindings: dict[str, int]
    lang: Language
    status: CallStatus
    mode: CallMode
    workshop_id: str | None
    steps: tuple[StepRecord, ...]
    ending: str | None
    outcome: Outcome | None
    severity: Severity | None
    lost: int
    exposed: tuple[str, ...]
    judged_scam: bool | None
    # Whether the trainee treated the call as a scam (see roleplay.core.debrief.acted_as_scam); None while
    # unfinished, and for real calls saved before the history recorded it.
    acted_scam: bool | None
    room_votes: tuple[int, int] | None  # room calls: how many said scam, how many said not
    flags: tuple[FlagRecord, ...]
    started_at: datetime
    ended_at: datetime | None

    def transcript(self) -> Transcript:
        return Transcript(
            self.scenario,
            self.seed,
            dict(self.bindings),
            [s.step for s in self.steps],
            self.ending if self.status == "finished" else None,
        )

    @property
    def spotted_flags(self) -> list[str]:
        """The flags this call met and spotted, in the order met."""
        return [f.flag for f in self.flags if f.status == "spotted"]

    @property
    def missed_flags(self) -> list[str]:
        return [f.flag for f in self.flags if f.status == "missed"]

    @property
    def judged_right(self) -> bool | None:
        return None if self.judged_scam is None else self.judged_scam == (self.kind == "scam")

    @property
    def behaviour(self) -> Detection | None:
        return None if self.acted_scam is None else detection(self.kind, self.acted_scam)

    def matches(self, current_hash: str | None) -> bool:
        """Whether the call was recorded against this version of its scenario file."""
        return current_hash is not None and current_hash == self.scenario_hash


@dataclass(frozen=True)
class Workshop:
    id: str
    facilitator: str
    title: str | None
    created_at: datetime


@dataclass(frozen=True)
class ExcerptAnswer:
    """How the room judged one pre- or post-test item."""

    workshop_id: str
    phase: Phase
    item: int
    scenario: str
    kind: Literal["scam", "legit"]
    said_scam: int
    said_not: int
    at: datetime
    node: str | None = None  # the turn of the scenario the item showed (None: recorded before it was kept)
