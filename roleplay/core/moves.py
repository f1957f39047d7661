"""The moves open at a turn and where each leads: every reply, then hanging up, then checking officially.

The one definition of a call's possible courses: the engine's state machine is built from it, and the debrief,
the checks, the walker, lint and the diagram follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.core.events import Action
from roleplay.core.model import Scenario


def trigger_of(action: Action, index: int | None) -> str:
    """The state machine's name for a move: `reply_<i>`, `hang_up` or `verify`."""
    return f"reply_{index}" if action == "reply" else action


@dataclass(frozen=True, slots=True)
class Move:
    """One move open at a turn: what the trainee does, which reply, and where it leads."""

    action: Action
    index: int | None  # which reply (0-based); None for hanging up and checking
    target: str  # the node or ending it leads to

    @property
    def trigger(self) -> str:
        return trigger_of(self.action, self.index)


def moves(scenario: Scenario, node_id: str) -> list[Move]:
    """Every move open at a node, in the order a trainee is offered them: each reply, hang up, verify."""
    out = [Move("reply", i, choice.to) for i, choice in enumerate(scenario.nodes[node_id].choices)]
    out.append(Move("hang_up", None, scenario.target(node_id, "hang_up")))
    out.append(Move("verify", None, scenario.target(node_id, "verify")))
    return out
