"""Every path of every shipped scenario, played through the engine, and seeded random runs."""

from __future__ import annotations

import pytest

from roleplay.authoring.walk import count_paths, paths, play, walk
from roleplay.library.library import Library, load_library

SHIPPED = sorted(load_library().scenarios)


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_path_ends_in_an_ending_and_loses_what_the_ending_says(
    library: Library, scenario_id: str
) -> None:
    scenario = library.scenarios[scenario_id]
    per_ending: dict[str, int] = {}
    for path in paths(scenario):
        call = play(scenario, path)
        assert call.ended, path
        ending_id = call.transcript.ending
        assert ending_id is not None
        ending = scenario.endings[ending_id]
        assert call.lost == ending.lost, (ending_id, path)
        assert call.exposed == ending.exposed, (ending_id, path)
        per_ending[ending_id] = per_ending.get(ending_id, 0) + 1
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
