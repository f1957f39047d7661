"""Moves written the short way in tests: a reply's index (0-based), "h" to hang up, "v" to verify."""

from __future__ import annotations

from roleplay.core.engine import Call, act
from roleplay.core.model import Scenario
from roleplay.core.transcript import reply_order

Move = int | str


def make(call: Call, move: Move, *, first: int = 0) -> None:
    """Take one move; `first` is the number the test gives the first reply (0, or 1 as a trainee counts)."""
    if move == "h":
        act(call, "hang_up")
    elif move == "v":
        act(call, "verify")
    else:
        act(call, "reply", int(move) - first)


def played(scenario: Scenario, *moves: Move, seed: int = 1) -> Call:
    """A call of `scenario` started and taken through `moves`."""
    call = Call(scenario, seed)
    call.start()
    for move in moves:
        make(call, move)
    return call


def keys(scenario: Scenario, *moves: Move, seed: int) -> list[str]:
    """The keys a trainee presses to take `moves` (reply numbers as written, from 1; "h"; "v") in the run
    of `seed`, whose replies are shown shuffled: each written reply's number as this run shows it."""
    call = Call(scenario, seed)
    call.start()
    out = []
    for move in moves:
        if move in ("h", "v"):
            out.append(str(move))
        else:
            order = reply_order(scenario, seed, call.current_node)
            out.append(str(order.index(int(move) - 1) + 1))
        make(call, move, first=1)
    return out
