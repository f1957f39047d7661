"""The room's vote on one turn: the options, the counts the facilitator types, and the move they decide.

Why: the facilitator (a community police officer) types how many in the room chose each reply; the
majority's choice is played unless the facilitator overrides it (a tie is the facilitator's to break), and
every count is recorded with the step, so the report can show how the room decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roleplay.core.model import Scenario

HANG_UP = "h"
VERIFY = "v"


class VoteError(ValueError):
    """The counts typed cannot decide the move (a tie without an override, an unknown option, no votes)."""


def options_at(scenario: Scenario, node: str) -> list[str]:
    """The options of a turn as the room votes on them: "1"…"n" for the replies, "h" hang up, "v" verify."""
    return [str(i) for i in range(1, len(scenario.nodes[node].choices) + 1)] + [HANG_UP, VERIFY]


def majority(counts: Mapping[str, int]) -> str | None:
    """The option with the most votes; None when nobody voted or two options share the top."""
    top = max(counts.values(), default=0)
    leaders = [option for option, n in counts.items() if n == top]
    return leaders[0] if top > 0 and len(leaders) == 1 else None


@dataclass(frozen=True)
class Decision:
    counts: dict[str, int]  # every option, zero where nobody chose it
    majority: str | None
    played: str
    overridden: bool  # the facilitator played something other than a clear majority


def decide(options: list[str], counts: Mapping[str, int], override: str | None = None) -> Decision:
    """What the room plays: the majority, unless the facilitator overrides. Raises VoteError."""
    unknown = sorted(set(counts) - set(options))
    if unknown:
        raise VoteError(f"no option {', '.join(unknown)} at this turn (options: {' '.join(options)})")
    if any(not isinstance(n, int) or n < 0 for n in counts.values()):
        raise VoteError("vote counts are whole numbers, 0 or more")
    full = {option: int(counts.get(option, 0)) for option in options}
    leader = majority(full)
    if override is not None:
        if override not in options:
            raise VoteError(f"no option {override} at this turn (options: {' '.join(options)})")
        return Decision(full, leader, override, override != leader)
    if leader is None:
        top = max(full.values())
        if top == 0:
            raise VoteError("nobody voted: type the counts, or choose for the room")
        tied = [o for o, n in full.items() if n == top]
        raise VoteError(f"a tie between {' and '.join(tied)}: the facilitator decides")
    return Decision(full, leader, leader, False)
