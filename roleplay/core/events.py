"""What a running call tells its front end, as plain frozen dataclasses. Text is filled for this run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roleplay.core.model import Exposure, Outcome, PhoneEventKind, Severity, Text

Action = Literal["reply", "hang_up", "verify"]


@dataclass(frozen=True)
class CallerSpoke:
    turn: int
    text: Text
    speaker: Text | None = None  # None: the caller; else who breaks in (the 96110 officer)


@dataclass(frozen=True)
class PhoneShowed:
    turn: int
    kind: PhoneEventKind
    sender: str | None
    title: Text | None
    body: Text
    fields: tuple[Text, ...]


@dataclass(frozen=True)
class RepliesOffered:
    """The replies in the order this run shows them; `order[i]` is the written index of the i-th one shown."""

    turn: int
    replies: tuple[Text, ...]
    verify_how: Text
    order: tuple[int, ...] = ()


@dataclass(frozen=True)
class TraineeActed:
    turn: int
    action: Action
    index: int | None  # the reply as written in the scenario (not its place on screen)
    text: Text | None  # the reply's words; None for hang-up and verify
    how: Text | None = None  # verify: how this call is checked officially, filled for this run


@dataclass(frozen=True)
class EffectApplied:
    turn: int
    paid: int
    gave: tuple[Exposure, ...]
    total_lost: int
    exposed: tuple[Exposure, ...]


@dataclass(frozen=True)
class CallEnded:
    turn: int
    ending: str
    outcome: Outcome
    severity: Severity
    lost: int
    exposed: tuple[Exposure, ...]
    title: Text
    lines: tuple[Text, ...]
    lesson: Text


Event = CallerSpoke | PhoneShowed | RepliesOffered | TraineeActed | EffectApplied | CallEnded
