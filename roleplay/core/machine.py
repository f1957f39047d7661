"""The state machine of a scenario, built from its moves and shared by all its calls (each call is one model
on it): building a machine is most of the cost of starting a call, and `roleplay walk` splits calls by the
thousand, so the machine is built once and each call only joins it."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from transitions import Machine

from roleplay.core.bulk import collector_paused
from roleplay.core.model import Scenario
from roleplay.core.moves import moves

# transitions logs every trigger at INFO, and with model_override a WARNING for each state it leaves alone
# when a call joins a machine (by design here): a trainer has no use for either.
logging.getLogger("transitions").setLevel(logging.ERROR)

# A few recent scenarios are kept (an author's --watch reloads make new ones).
_MACHINES: OrderedDict[int, tuple[Scenario, Machine]] = OrderedDict()
_MACHINES_KEPT = 64


class _CallMachine(Machine):
    """A Machine that gives a call no `is_<state>` helper per state (the engine never uses them): joining
    costs a call its trigger names and one empty visit per state, not a helper and a callback per state."""

    def _add_model_to_state(self, state: object, model: object) -> None:  # a transitions hook (pinned)
        return None


def _transitions(scenario: Scenario) -> list[dict[str, Any]]:
    """Every move of every node as a transition: `reply_<i>`, `hang_up` and `verify`."""
    return [
        {"trigger": move.trigger, "source": node_id, "dest": move.target}
        for node_id in scenario.nodes
        for move in moves(scenario, node_id)
    ]


def _build(scenario: Scenario) -> Machine:
    # All transitions go to the constructor at once, auto transitions off (they would add N² of them).
    return _CallMachine(
        model=None,
        states=[*scenario.nodes, *scenario.endings],
        transitions=_transitions(scenario),
        initial=scenario.start,
        auto_transitions=False,
        model_override=True,
    )


def machine_for(scenario: Scenario) -> Machine:
    """The scenario's machine, built on first use. Calls add themselves as models and leave when they end."""
    key = id(scenario)
    cached = _MACHINES.get(key)
    if cached is not None and cached[0] is scenario:
        _MACHINES.move_to_end(key)
        return cached[1]
    with collector_paused():
        machine = _build(scenario)
    _MACHINES[key] = (scenario, machine)
    while len(_MACHINES) > _MACHINES_KEPT:
        _MACHINES.popitem(last=False)
    return machine
