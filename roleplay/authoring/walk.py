"""Automated playthroughs: every path of a scenario through the engine, and seeded random runs."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.engine import Call, act
from roleplay.core.model import Scenario
from roleplay.core.moves import Move, moves
from roleplay.library.checks import turn_order

# Past this many paths we count them instead of playing each one.
MAX_PLAYED_PATHS = 20_000


@dataclass
class EndingReport:
    id: str
    outcome: str
    severity: str
    reachable: bool
    paths: int  # how many distinct paths end here
    hits: int | None = None  # with random runs: how many runs ended here


@dataclass
class WalkReport:
    scenario: str
    paths: int
    longest: int  # decisions on the longest path
    endings: list[EndingReport]
    dead_ends: list[str]
    played: bool  # every path was played through the engine (not only counted)
    random_runs: int = 0
    losses: dict[str, int] = field(default_factory=dict)  # ending → money lost on its paths (max)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "paths": self.paths,
            "longest": self.longest,
            "dead_ends": self.dead_ends,
            "endings": [
                {
                    "id": e.id,
                    "outcome": e.outcome,
                    "severity": e.severity,
                    "reachable": e.reachable,
                    "paths": e.paths,
                }
                | ({"hits": e.hits} if e.hits is not None else {})
                for e in self.endings
            ],
        }
        if self.random_runs:
            out["random_runs"] = self.random_runs
        return out


def paths(scenario: Scenario) -> Iterator[list[Move]]:
    """Every sequence of moves from the start to an ending (scenarios are loop-free)."""
    stack: list[tuple[str, list[Move]]] = [(scenario.start, [])]
    while stack:
        here, so_far = stack.pop()
        for move in reversed(moves(scenario, here)):
            if move.target in scenario.endings:
                yield [*so_far, move]
            else:
                stack.append((move.target, [*so_far, move]))


def count_paths(scenario: Scenario) -> tuple[dict[str, int], int]:
    """Paths into each ending and the longest path's decisions, without listing them (dynamic programming)."""
    order = turn_order(scenario)
    into: Counter[str] = Counter({scenario.start: 1})
    depth = {scenario.start: 0}
    per_ending: Counter[str] = Counter()
    longest = 0
    for here in order:
        for move in moves(scenario, here):
            to, d = move.target, depth[here] + 1
            if to in scenario.endings:
                per_ending[to] += into[here]
                longest = max(longest, d)
            else:
                into[to] += into[here]
                depth[to] = max(depth.get(to, 0), d)
    return dict(per_ending), longest


def play(scenario: Scenario, path: list[Move], seed: int = 0) -> Call:
    call = Call(scenario, seed)
    call.start()
    for move in path:
        act(call, move.action, move.index)
    return call


def random_run(scenario: Scenario, rng: random.Random) -> Call:
    call = Call(scenario, rng.randrange(2**31))
    call.start()
    while not call.ended:
        move = rng.choice(moves(scenario, call.current_node))
        act(call, move.action, move.index)
    return call


def walk(scenario: Scenario, random_runs: int = 0, seed: int = 0) -> WalkReport:
    per_ending, longest = count_paths(scenario)
    total = sum(per_ending.values())
    played = total <= MAX_PLAYED_PATHS
    losses: dict[str, int] = {}
    if played:
        per_ending = Counter()
        longest = 0
        for path in paths(scenario):
            call = play(scenario, path)
            ending = call.transcript.ending or ""
            per_ending[ending] += 1
            losses[ending] = max(losses.get(ending, 0), call.lost)
            longest = max(longest, len(path))
    hits: Counter[str] = Counter()
    rng = random.Random(seed)
    for _ in range(random_runs):
        hits[random_run(scenario, rng).transcript.ending or ""] += 1
    endings = [
        EndingReport(
            ending_id,
            ending.outcome,
            ending.severity,
            per_ending.get(ending_id, 0) > 0,
            per_ending.get(ending_id, 0),
            hits.get(ending_id, 0) if random_runs else None,
        )
        for ending_id, ending in scenario.endings.items()
    ]
    return WalkReport(scenario.id, total, longest, endings, dead_ends(scenario), played, random_runs, losses)


def dead_ends(scenario: Scenario) -> list[str]:
    """Nodes from which no ending can be reached."""
    good: set[str] = set(scenario.endings)
    changed = True
    while changed:
        changed = False
        for node in scenario.nodes:
            if node not in good and any(move.target in good for move in moves(scenario, node)):
                good.add(node)
                changed = True
    return [n for n in scenario.nodes if n not in good]
