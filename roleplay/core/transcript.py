"""The record of one call: enough to replay it exactly and to compute its debrief, nothing more."""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass, field

from roleplay.core.events import Action
from roleplay.core.model import Scenario, Text


@dataclass(frozen=True)
class Step:
    """One decision: at node `node` (turn `turn`, 1-based) the trainee took `action` (reply `index`)."""

    turn: int
    node: str
    action: Action
    index: int | None = None


@dataclass
class Transcript:
    scenario: str
    seed: int
    bindings: dict[str, int]  # variable name → index of the value drawn
    steps: list[Step] = field(default_factory=list)
    ending: str | None = None  # None while the call goes on, or when it was abandoned

    @property
    def finished(self) -> bool:
        return self.ending is not None


def draw_bindings(scenario: Scenario, seed: int) -> dict[str, int]:
    """Which value of each variable this run uses. Sorted names, so a seed always draws the same call."""
    rng = random.Random(seed)
    return {name: rng.randrange(len(scenario.variables[name])) for name in sorted(scenario.variables)}


def reply_order(scenario: Scenario, seed: int, node_id: str) -> tuple[int, ...]:
    """The order a run shows a turn's replies in: drawn from the seed and the turn, so the same seed always
    shows the same order, and where the safe reply sits says nothing. A turn marked `order: pinned` keeps the
    order as written."""
    node = scenario.nodes[node_id]
    count = len(node.choices)
    if node.order == "pinned" or count < 2:
        return tuple(range(count))
    return _hashed_order(seed, scenario.id, node_id, count)


@functools.lru_cache(maxsize=4096)
def _hashed_order(seed: int, scenario_id: str, node_id: str, count: int) -> tuple[int, ...]:
    """Each reply's place is a hash of the run, the turn and the reply: a permutation as fair as a shuffle,
    without seeding a generator at every turn; cached, as a walk meets the same turns of one run thousands
    of times."""
    base = f"{seed}/{scenario_id}/{node_id}/".encode()

    def place(i: int) -> bytes:
        return hashlib.blake2b(base + str(i).encode(), digest_size=8).digest()

    return tuple(sorted(range(count), key=place))


def draw_display(scenario: Scenario, seed: int) -> tuple[Text, str]:
    """What the phone shows for this run: one of the caller's displays, by weight, its `#`s made digits."""
    displays = scenario.caller.displays
    if len(displays) == 1 and "#" not in displays[0].number:  # one fixed display: nothing to draw
        return displays[0].name, displays[0].number
    rng = random.Random(f"{seed}/{scenario.id}/caller")
    shown = rng.choices(displays, weights=[d.weight for d in displays])[0]
    number = "".join(str(rng.randrange(10)) if c == "#" else c for c in shown.number)
    return shown.name, number


def values(scenario: Scenario, bindings: dict[str, int]) -> dict[str, Text]:
    return {name: scenario.variables[name][index] for name, index in bindings.items()}
