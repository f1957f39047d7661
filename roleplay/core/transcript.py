"""The record of one call: enough to replay it exactly and to compute its debrief, nothing more."""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass, field

from roleplay.core.events import Action
from roleplay.core.model import CALLER_NUMBER, Scenario, Text, amount_variables_of


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
    return shown.name, _digits(shown.number, rng)


def draw_sender(scenario: Scenario, seed: int, sender: str) -> str:
    """A message's sender for this run, its `#`s made digits: the same sender reads the same all call long."""
    return (
        _digits(sender, random.Random(f"{seed}/{scenario.id}/sender/{sender}")) if "#" in sender else sender
    )


def values(scenario: Scenario, bindings: dict[str, int], seed: int) -> dict[str, Text]:
    """The run's value of each variable, and `{caller_number}`, the number the phone shows. A sum of money
    reads as English writes it (72,000) in the English text; the Chinese keeps the digits, as Chinese writes
    a sum (72000元). Each `#` of a value is a digit the run's seed draws (a QQ number, an account), the same
    in both languages."""
    sums = amount_variables(scenario)
    out = {}
    for name, index in bindings.items():
        value = scenario.variables[name][index]
        if name in sums and value.zh.isdigit():
            value = Text(zh=value.zh, en=f"{int(value.zh):,}")
        elif "#" in value.zh or "#" in value.en:
            value = Text.model_construct(
                zh=_digits(value.zh, random.Random(f"{seed}/{scenario.id}/{name}")),
                en=_digits(value.en, random.Random(f"{seed}/{scenario.id}/{name}")),
            )
        out[name] = value
    number = draw_display(scenario, seed)[1]
    out[CALLER_NUMBER] = Text.model_construct(zh=number, en=number)
    return out


def _digits(shape: str, rng: random.Random) -> str:
    """`shape` with each `#` made a digit the generator draws."""
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in shape)


def amount_variables(scenario: Scenario) -> set[str]:
    """The variables an amount of the scenario names: sums of money."""
    return {name for _, amount in scenario.amounts() for name in amount_variables_of(amount)}
