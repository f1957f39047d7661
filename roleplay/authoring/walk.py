"""Automated playthroughs: every path of a scenario through the engine, and seeded random runs.

Every path is played by splitting one call at each turn (`Call.fork`), so a turn shared by many paths is
played once: the cost is the size of the tree of paths, not the paths times their length. Two replies of a
turn that lead to the same place at the same cost are played once and counted twice, since nothing after
them differs for the walk; and calls that reach the same turn in the same place, having lost and given away
the same, go on as one. Past a budget of engine steps the paths are only counted, which takes time in
proportion to the scenario's size."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.engine import Call, act
from roleplay.core.model import Scenario
from roleplay.core.moves import Move, moves
from roleplay.library.checks import turn_order

# Past this many engine steps (one a move, each turn shared by many paths played once) a walk counts the paths
# instead of playing each one: a few seconds at most.
MAX_PLAYED_STEPS = 50_000

# Counts this long or longer are shown as 1.23e+4567: Python writes no int of over 4,300 digits as text.
_EXACT_DIGITS = 4_000


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
            "paths": shown_count(self.paths),
            "longest": self.longest,
            "dead_ends": self.dead_ends,
            "endings": [
                {
                    "id": e.id,
                    "outcome": e.outcome,
                    "severity": e.severity,
                    "reachable": e.reachable,
                    "paths": shown_count(e.paths),
                }
                | ({"hits": e.hits} if e.hits is not None else {})
                for e in self.endings
            ],
        }
        if self.random_runs:
            out["random_runs"] = self.random_runs
        if not self.played:
            out["played"] = False
        return out


def shown_count(n: int) -> int | str:
    """A count as it is shown: the number itself, or past thousands of digits 1.23e+4567 (computed without
    writing the number out, which Python refuses past 4,300 digits)."""
    if n < 10 ** (_EXACT_DIGITS - 1):
        return n
    exponent = int(math.log10(n))  # may be one off for numbers this size: corrected below
    mantissa = n // 10 ** (exponent - 2)
    while mantissa >= 1000:
        exponent += 1
        mantissa = n // 10 ** (exponent - 2)
    while mantissa < 100:
        exponent -= 1
        mantissa = n // 10 ** (exponent - 2)
    return f"{mantissa // 100}.{mantissa % 100:02d}e+{exponent}"


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
    per_ending, longest, _ = _count(scenario)
    return per_ending, longest


def _count(scenario: Scenario) -> tuple[dict[str, int], int, int]:
    """count_paths, and how many engine steps playing every path takes (each move out of each turn, once for
    each path that reaches the turn): one pass over the turns in order."""
    order = turn_order(scenario)
    into: Counter[str] = Counter({scenario.start: 1})
    depth = {scenario.start: 0}
    per_ending: Counter[str] = Counter()
    longest = 0
    steps = 0
    for here in order:
        out = moves(scenario, here)
        steps += into[here] * len(out)
        for move in out:
            to, d = move.target, depth[here] + 1
            if to in scenario.endings:
                per_ending[to] += into[here]
                longest = max(longest, d)
            else:
                into[to] += into[here]
                depth[to] = max(depth.get(to, 0), d)
    return dict(per_ending), longest, steps


def _play_every_path(scenario: Scenario, seed: int = 0) -> Iterator[tuple[Call, int]]:
    """Every path played through the engine, as the call at its ending and its number of decisions: the call
    is split at each turn, one branch for each move, and each branch goes on alone."""
    first = Call(scenario, seed)
    first.start()
    stack: list[tuple[Call, list[Move], int]] = [(first, moves(scenario, first.current_node), 0)]
    try:
        while stack:
            call, left, decisions = stack[-1]
            move = left.pop()
            if left:
                branch = call.fork()  # the other moves still need this call as it is now
            else:
                stack.pop()
                branch = call
            act(branch, move.action, move.index)
            if branch.ended:
                yield branch, decisions + 1
            else:
                stack.append((branch, moves(scenario, branch.current_node), decisions + 1))
    finally:  # stopped half-way: the calls still waiting leave the shared machine
        for call, _, _ in stack:
            call.close()


def _outcome_moves(scenario: Scenario, node: str) -> list[tuple[Move, int]]:
    """The moves out of a turn, those that lead to the same place with the same effects played once, with how
    many they stand for: what comes after a move depends only on where it leads and what it costs (a careful
    reply that still goes along is, to the walk, the going-along reply)."""
    merged: dict[tuple[object, ...], tuple[Move, int]] = {}
    for move in moves(scenario, node):
        if move.action == "reply" and move.index is not None:
            key: tuple[object, ...] = (move.target, scenario.nodes[node].choices[move.index].effects)
        else:
            key = (move.target, move.action)
        first, weight = merged.get(key, (move, 0))
        merged[key] = (first, weight + 1)
    return list(merged.values())


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


def _play_merged(scenario: Scenario, seed: int = 0) -> Iterator[tuple[Call, int, int]]:
    """Every path played through the engine as `_play_every_path` plays it, with two merges: the moves of a
    turn that lead to the same place at the same cost are played once (`_outcome_moves`), and, turn by turn,
    calls that stand in the same place having lost and given away the same go on as one, since from there
    they can only play out alike. Each call at its ending, its decisions, and how many paths it stands for."""
    first = Call(scenario, seed)
    first.start()
    level: dict[tuple[object, ...], tuple[Call, int]] = {(first.current_node,): (first, 1)}
    decisions = 0
    try:
        while level:
            decisions += 1
            following: dict[tuple[object, ...], tuple[Call, int]] = {}
            for call, weight in level.values():
                out = _outcome_moves(scenario, call.current_node)
                for number, (move, times) in enumerate(out):
                    branch = call.fork() if number < len(out) - 1 else call
                    act(branch, move.action, move.index)
                    if branch.ended:
                        yield branch, decisions, weight * times
                        continue
                    key = (branch.current_node, branch.lost, frozenset(branch.exposed))
                    if key in following:
                        kept, kept_weight = following[key]
                        following[key] = (kept, kept_weight + weight * times)
                        branch.close()
                    else:
                        following[key] = (branch, weight * times)
            level = following
    finally:  # stopped half-way: the calls still waiting leave the shared machine
        for call, _ in level.values():
            call.close()


def _outcome_steps(scenario: Scenario) -> int:
    """How many engine steps `_play_merged` takes at most: as `_count`, with the moves of each turn merged as
    it merges them (its second merge, of calls, only makes it fewer)."""
    into: Counter[str] = Counter({scenario.start: 1})
    steps = 0
    for here in turn_order(scenario):
        out = _outcome_moves(scenario, here)
        steps += into[here] * len(out)
        for move, _ in out:
            if move.target not in scenario.endings:
                into[move.target] += into[here]
    return steps


def walk(scenario: Scenario, random_runs: int = 0, seed: int = 0) -> WalkReport:
    per_ending, longest, _ = _count(scenario)
    total = sum(per_ending.values())
    played = _outcome_steps(scenario) <= MAX_PLAYED_STEPS
    losses: dict[str, int] = {}
    if played:
        per_ending = Counter()
        longest = 0
        for call, decisions, weight in _play_merged(scenario):
            ending = call.transcript.ending or ""
            per_ending[ending] += weight
            losses[ending] = max(losses.get(ending, 0), call.lost)
            longest = max(longest, decisions)
    return report(
        scenario, per_ending, total, longest, losses, played=played, random_runs=random_runs, seed=seed
    )


def report(
    scenario: Scenario,
    per_ending: Mapping[str, int],
    total: int,
    longest: int,
    losses: dict[str, int],
    *,
    played: bool,
    random_runs: int = 0,
    seed: int = 0,
) -> WalkReport:
    """The walk's report from its counts, with `random_runs` seeded random runs to compare against."""
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
    """Nodes from which no ending can be reached: the endings, then backwards along every move, once each."""
    came_from: dict[str, list[str]] = {}
    for node in scenario.nodes:
        for move in moves(scenario, node):
            came_from.setdefault(move.target, []).append(node)
    good: set[str] = set(scenario.endings)
    todo = list(good)
    while todo:
        for node in came_from.get(todo.pop(), ()):
            if node not in good:
                good.add(node)
                todo.append(node)
    return [n for n in scenario.nodes if n not in good]
