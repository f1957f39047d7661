"""Properties that must hold for anything authors write and anything trainees do.

The loader: whatever bytes, text or YAML it is given, it answers with a scenario or with a list of problems,
never with another exception. The engine: on any shipped scenario, any sequence of replies, hang-ups and
checks ends in an ending within the longest path, and the money lost never goes down.

Each test runs the "default" hypothesis profile in the normal suite (see conftest.py);
`ROLEPLAY_FUZZ=long pytest tests/test_fuzz.py` runs the long profile.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.authoring.walk import count_paths
from roleplay.core.engine import Call
from roleplay.core.model import Catalog, Scenario
from roleplay.library.library import Library, load_library
from roleplay.library.loader import read_catalog, read_scenario
from roleplay.library.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
SHIPPED = sorted(load_library().scenarios)

# Words that mean something in a scenario, so mutations often make near-valid files, not only nonsense.
WORDS = [
    *MINIMAL,
    *MINIMAL["nodes"],
    *MINIMAL["endings"],
    "zh",
    "en",
    "to",
    "say",
    "flags",
    "spots",
    "choices",
    "effects",
    "pay",
    "give",
    "events",
    "kind",
    "body",
    "outcome",
    "severity",
    "lost",
    "exposed",
    "safe",
    "loss",
    "sms-code",
    "pressure",
    "sms_code",
    "major_loss",
    "{item}",
    "{nope}",
    "no",
    "010",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(WORDS),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
YAML_ALPHABET = ":-[]{}&*!|>'\"#%@`,?\n\t  abcnoyes0189.~zh en 你好"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "scenario.yaml"


def assert_scenario_or_problems(scenario: Scenario | None, problems: object) -> None:
    assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    errors = [p for p in problems if p.level == "error"]
    if scenario is None:
        assert errors, "a file that does not load says why"
    else:
        assert isinstance(scenario, Scenario) and errors == []
    assert all(p.line >= 1 and p.message for p in problems)


def load(raw: bytes, scratch: Path, catalog: Catalog) -> None:
    scratch.write_bytes(raw)
    assert_scenario_or_problems(*read_scenario(scratch, catalog))


@given(raw=st.binary(max_size=4_000))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_give_a_scenario_or_problems(raw: bytes, scratch: Path, catalog: Catalog) -> None:
    load(raw, scratch, catalog)
    loaded, problems = read_catalog(scratch)
    assert loaded is not None or problems


@given(text=st.text(max_size=2_000) | st.text(YAML_ALPHABET, max_size=400))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_gives_a_scenario_or_problems(text: str, scratch: Path, catalog: Catalog) -> None:
    load(text.encode("utf-8", "surrogatepass"), scratch, catalog)


def places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in nested dicts and lists, the root included."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += places(value, (*path, i))
    return found


@st.composite
def mutated_minimal(draw: st.DrawFn) -> Any:
    """The minimal scenario with one to four values replaced, removed, added to or copied elsewhere."""
    data: Any = copy.deepcopy(MINIMAL)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(places(data)))
        if not path:
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "remove", "add", "copy"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "remove":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(WORDS) | st.text(max_size=8))] = draw(values)
        elif action == "add":
            parent.insert(path[-1], draw(values))
        else:
            source = draw(st.sampled_from(places(data)))
            value: Any = data
            for part in source:
                value = value[part]
            parent[path[-1]] = copy.deepcopy(value)
    return data


@given(data=mutated_minimal())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_yaml_near_a_valid_scenario_gives_a_scenario_or_problems(
    data: Any, scratch: Path, catalog: Catalog
) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    load(text.encode("utf-8", "surrogatepass"), scratch, catalog)


@given(scenario_id=st.sampled_from(SHIPPED), data=st.data())
def test_any_moves_end_in_an_ending_within_the_longest_path_and_losses_never_shrink(
    library: Library, scenario_id: str, data: st.DataObject
) -> None:
    scenario = library.scenarios[scenario_id]
    _, longest = count_paths(scenario)
    call = Call(scenario, seed=data.draw(st.integers(0, 2**31 - 1), label="seed"))
    call.start()
    moves = 0
    lost = 0
    while not call.ended:
        assert moves < longest, "the call went on past the scenario's longest path"
        replies = len(scenario.nodes[call.current_node].choices)
        pick = data.draw(st.integers(0, replies + 1), label=f"move at {call.current_node}")
        if pick < replies:
            call.choose(pick)
        elif pick == replies:
            call.hang_up()
        else:
            call.verify()
        moves += 1
        assert call.lost >= lost, "money lost went down"
        lost = call.lost
    assert call.transcript.ending in scenario.endings
    assert 1 <= moves <= longest
