"""Every path of every shipped scenario, played through the engine, and seeded random runs."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from roleplay.authoring.walk import (
    WalkReport,
    _play_every_path,
    _play_merged,
    count_paths,
    paths,
    play,
    report,
    shown_count,
    walk,
)
from roleplay.core.engine import Call, act
from roleplay.core.machine import machine_for
from roleplay.core.model import Scenario, yuan
from roleplay.core.moves import Move, moves
from roleplay.core.transcript import Step, values
from roleplay.library.library import Library, load_library

SHIPPED = sorted(load_library().scenarios)
# Scenarios whose every path can be replayed one by one in a test (the reference the walk is checked against);
# the others have up to a few hundred thousand paths, and are checked through the walk's merged tree.
SMALL = [s for s in SHIPPED if sum(count_paths(load_library().scenarios[s])[0].values()) <= 3_000]


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_path_ends_in_an_ending_and_loses_what_the_ending_says(
    library: Library, scenario_id: str
) -> None:
    """Every path, through the walk's tree: replies merged there lead to the same place at the same cost, so
    each call it plays stands for paths that all lose and give away the same."""
    scenario = library.scenarios[scenario_id]
    per_ending: dict[str, int] = {}
    for call, _, weight in _play_merged(scenario):
        path = call.transcript.steps
        assert call.ended, path
        ending_id = call.transcript.ending
        assert ending_id is not None
        ending = scenario.endings[ending_id]
        run_values = values(scenario, call.transcript.bindings, call.transcript.seed)
        assert call.lost == yuan(ending.lost, run_values), (ending_id, path)
        assert call.exposed == ending.exposed, (ending_id, path)
        per_ending[ending_id] = per_ending.get(ending_id, 0) + weight
    assert set(per_ending) == set(scenario.endings), "every ending is reachable"
    counted, _ = count_paths(scenario)
    assert counted == per_ending


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_walk_reports_no_dead_end_and_every_ending_reachable(library: Library, scenario_id: str) -> None:
    report = walk(library.scenarios[scenario_id])
    assert report.dead_ends == []
    assert all(e.reachable for e in report.endings)
    assert report.played


def test_random_runs_are_reproducible_with_a_seed(library: Library) -> None:
    scenario = library.scenarios["taobao-refund"]
    first = walk(scenario, random_runs=200, seed=4).to_json()
    assert first == walk(scenario, random_runs=200, seed=4).to_json()
    assert sum(e["hits"] for e in first["endings"]) == 200
    assert first != walk(scenario, random_runs=200, seed=5).to_json()


def replaying_walk(scenario: Scenario, random_runs: int = 0, seed: int = 0) -> WalkReport:
    """The walk as it was: every path replayed from the start, one new call each (the reference)."""
    per_ending: Counter[str] = Counter()
    losses: dict[str, int] = {}
    longest = 0
    for path in paths(scenario):
        call = play(scenario, path)
        ending = call.transcript.ending or ""
        per_ending[ending] += 1
        losses[ending] = max(losses.get(ending, 0), call.lost)
        longest = max(longest, len(path))
    total = sum(per_ending.values())
    return report(
        scenario, per_ending, total, longest, losses, played=True, random_runs=random_runs, seed=seed
    )


@pytest.mark.parametrize("scenario_id", SMALL)
def test_the_walk_that_splits_calls_gives_what_replaying_every_path_gives(
    library: Library, scenario_id: str
) -> None:
    scenario = library.scenarios[scenario_id]
    assert walk(scenario, random_runs=100, seed=7) == replaying_walk(scenario, random_runs=100, seed=7)


@pytest.mark.parametrize("scenario_id", SMALL)
def test_a_split_call_has_the_same_record_as_the_same_path_replayed(
    library: Library, scenario_id: str
) -> None:
    scenario = library.scenarios[scenario_id]

    def record(call: Call) -> tuple[object, ...]:
        t = call.transcript
        return (tuple(t.steps), t.ending, tuple(t.bindings.items()), call.lost, call.exposed, call.turn)

    on_the_machine = list(machine_for(scenario).models)  # calls of other tests may still be on it
    split = Counter(record(call) for call, _ in _play_every_path(scenario))
    replayed = Counter(record(play(scenario, path)) for path in paths(scenario))
    assert split == replayed
    assert machine_for(scenario).models == on_the_machine, "every call of the walk left the shared machine"


def test_a_split_call_says_what_a_call_taking_the_same_moves_says(library: Library) -> None:
    scenario = library.scenarios["taobao-refund"]
    call = Call(scenario, 11)
    call.start()
    first = moves(scenario, call.current_node)
    twin = call.fork()
    one = act(twin, first[0].action, first[0].index)
    fresh = Call(scenario, 11)
    fresh.start()
    assert act(fresh, first[0].action, first[0].index) == one
    act(call, first[-1].action, first[-1].index)  # the original goes its own way
    assert call.transcript.steps != twin.transcript.steps
    for c in (call, twin, fresh):
        c.close()


def chain(turns: int, replies: int = 1, costs: bool = False) -> Scenario:
    """A valid call of `turns` turns one after another, each with `replies` replies to the next turn (so
    replies ** turns paths through replies alone), hanging up and checking ending the call at every turn.
    `costs`: each reply of a turn costs a different sum, so no two replies lead to the same place at the
    same cost (the walk merges those)."""
    text = {"zh": "好", "en": "OK"}
    ending = {"outcome": "safe", "severity": "safe", "title": text, "lesson": text}
    nodes = {
        f"t{i}": {
            "say": [text],
            "choices": [
                {"text": text, "to": f"t{i + 1}" if i + 1 < turns else "end"}
                | ({"effects": {"pay": r + 1}} if costs else {})
                for r in range(replies)
            ],
        }
        for i in range(turns)
    }
    return Scenario.model_validate(
        {
            "id": "chain",
            "kind": "legit",
            "channel": "phone",
            "title": text,
            "summary": text,
            "caller": {"name": text, "number": "010"},
            "sources": ["wuhan-2020-06"],
            "verify_how": text,
            "hang_up": "hung-up",
            "verify": "checked",
            "start": "t0",
            "nodes": nodes,
            "endings": {"hung-up": ending, "checked": ending, "end": ending},
        }
    )


def test_a_long_chain_is_walked_in_a_time_that_grows_with_its_size() -> None:
    scenario = chain(2_000)  # 4,001 paths: replaying each from the start took over two minutes
    started = time.perf_counter()
    report = walk(scenario)
    assert time.perf_counter() - started < 20  # about two seconds here; generous for a slow machine
    assert report.played and report.paths == 4_001 and report.longest == 2_000
    assert {e.id: e.paths for e in report.endings} == {"hung-up": 2_000, "checked": 2_000, "end": 1}


def test_a_walk_too_big_to_play_is_counted_and_says_so() -> None:
    report = walk(chain(12, replies=3, costs=True))  # 3**12 = 531,441 paths, none the same as another
    assert not report.played
    assert report.paths == 3**12 + 2 * sum(3**i for i in range(12))
    assert report.to_json()["played"] is False


def test_path_counts_past_what_python_writes_as_text_are_shown_rounded() -> None:
    assert shown_count(4_001) == 4_001
    assert shown_count(10**3999 - 1) == 10**3999 - 1
    assert shown_count(10**5000) == "1.00e+5000"
    assert shown_count(10**5000 - 1) == "9.99e+4999"
    assert shown_count(123 * 10**6000 + 99) == "1.23e+6002"
    scenario = chain(4_500, replies=10, costs=True)  # 10**4500 paths: more digits than int → str allows
    started = time.perf_counter()
    out = walk(scenario).to_json()
    assert time.perf_counter() - started < 20
    # 10**4500 through the replies, and 2 * 1.11e+4499 hanging up or checking
    assert json.loads(json.dumps(out))["paths"] == "1.22e+4500"


@pytest.mark.parametrize("scenario_id", SMALL)
def test_replies_played_once_for_the_same_place_and_cost_still_count_every_path(
    library: Library, scenario_id: str
) -> None:
    scenario = library.scenarios[scenario_id]
    ends: Counter[str] = Counter()
    worst: dict[str, int] = {}
    for call, _ in _play_every_path(scenario):
        ending = call.transcript.ending or ""
        ends[ending] += 1
        worst[ending] = max(worst.get(ending, 0), call.lost)
    report = walk(scenario)
    assert {e.id: e.paths for e in report.endings if e.paths} == dict(ends)
    assert report.losses == worst
    assert report.paths == sum(ends.values())


def step_move(scenario: Scenario, step: Step) -> Move:
    """The move a transcript's step took."""
    return next(m for m in moves(scenario, step.node) if (m.action, m.index) == (step.action, step.index))


def test_a_chain_of_identical_replies_is_played_once_per_turn() -> None:
    report = walk(chain(12, replies=3))  # 531,441 paths through the replies, all alike to the walk
    assert report.played and report.paths == 3**12 + 2 * sum(3**i for i in range(12))


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_each_call_of_the_merged_walk_has_the_record_of_its_path_replayed(
    library: Library, scenario_id: str
) -> None:
    """The calls split at every turn of the walk's merged tree say what a call replaying the same moves
    says, in every shipped scenario, however many paths it has."""
    scenario = library.scenarios[scenario_id]

    def record(call: Call) -> tuple[object, ...]:
        t = call.transcript
        return (tuple(t.steps), t.ending, tuple(t.bindings.items()), call.lost, call.exposed, call.turn)

    for call, _, _ in _play_merged(scenario):
        moves_taken = [step_move(scenario, step) for step in call.transcript.steps]
        assert record(call) == record(play(scenario, moves_taken))


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_the_walk_counts_every_path_into_each_ending_however_many_there_are(
    library: Library, scenario_id: str
) -> None:
    """Calls merged along the way (the same place, loss and exposure at the same turn) still count each
    path they stand for: the counts are those of the scenario's graph."""
    scenario = library.scenarios[scenario_id]
    counted, longest = count_paths(scenario)
    report = walk(scenario)
    assert report.played
    assert {e.id: e.paths for e in report.endings if e.paths} == counted
    assert report.longest == longest
