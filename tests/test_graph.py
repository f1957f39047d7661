"""`roleplay graph`: a scenario's machine as Mermaid or DOT text that authors read and renderers accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.authoring import graph
from roleplay.authoring.graph import DiagramError, diagram
from roleplay.core.model import Catalog, Scenario
from roleplay.core.moves import moves
from roleplay.library.library import Library, load_library
from tests.commands import roleplay

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = sorted(load_library().scenarios)

# Mermaid's state-diagram grammar, for the lines we write: an id on an arrow line is word characters only
# (a hyphen ends it), and an arrow's label may hold neither `:` nor `;`.
STATE_LINE = re.compile(r'^state "([^"\n]*)" as (\w+)$')
CLASS_LINE = re.compile(r"^Class (\w+) s_(\w+)$")
ARROW_LINE = re.compile(r"^(\w+|\[\*\]) --> (\w+)(?:: ([^:;\n]+))?$")


def mermaid_parts(text: str) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str, str]]]:
    """States (id → label), classes (id → style) and arrows of a diagram; fails on a line we never write."""
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "---" and lines[1].startswith('title: "') and lines[2] == "---"
    assert lines[3] == "stateDiagram-v2"
    states: dict[str, str] = {}
    classes: dict[str, str] = {}
    arrows: list[tuple[str, str, str]] = []
    for line in lines[4:]:
        if not line or line.startswith(("direction ", "classDef ")):
            continue
        if m := STATE_LINE.match(line):
            states[m[2]] = m[1]
        elif m := CLASS_LINE.match(line):
            classes[m[1]] = m[2]
        elif m := ARROW_LINE.match(line):
            arrows.append((m[1], m[2], m[3] or ""))
        else:
            pytest.fail(f"not a line Mermaid's state diagram grammar accepts: {line!r}")
    return states, classes, arrows


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_shipped_scenario_draws_as_valid_mermaid(library: Library, scenario_id: str) -> None:
    scenario = library.scenarios[scenario_id]
    states, classes, arrows = mermaid_parts(diagram(scenario))
    assert len(states) == len(scenario.nodes) + len(scenario.endings)
    assert set(classes) == set(states)
    assert all(a in states or a == "[*]" for a, _, _ in arrows) and all(b in states for _, b, _ in arrows)
    # One arrow per (from, to) pair of the engine's moves: replies, hang-up and checking.
    pairs = {(n, move.target) for n in scenario.nodes for move in moves(scenario, n)}
    assert len(arrows) == len(pairs) + 1  # and the start marker


def test_hyphenated_ids_become_word_ids_and_labels_keep_the_real_id(minimal: Scenario) -> None:
    states, _, arrows = mermaid_parts(diagram(minimal))
    assert states["e_safe_hung_up"] == "safe-hung-up · safe"
    assert states["n_offer"] == "▶ offer · ⚑ unsolicited-refund"
    assert ("[*]", "n_offer", "") in arrows


def test_ids_that_differ_only_in_hyphen_or_underscore_stay_apart(minimal: Scenario) -> None:
    nodes = dict(minimal.nodes)
    nodes["safe_hung_up"] = nodes.pop("code")
    offer = nodes["offer"]
    first = offer.choices[0].model_copy(update={"to": "safe_hung_up"})
    nodes["offer"] = offer.model_copy(update={"choices": (first, *offer.choices[1:])})
    twin = minimal.model_copy(update={"nodes": nodes})
    states, _, _ = mermaid_parts(diagram(twin))
    assert states["n_safe_hung_up"].startswith("safe_hung_up")
    assert states["e_safe_hung_up"].startswith("safe-hung-up")


def test_endings_are_coloured_by_outcome_and_red_flag_turns_are_marked(library: Library) -> None:
    scenario = library.scenarios["taobao-refund"]
    states, classes, arrows = mermaid_parts(diagram(scenario))
    assert classes["e_safe_hung_up"] == "safe"
    assert classes["e_loss_card_drained"] == "partial_loss"
    assert classes["e_loss_code_given"] == "major_loss"
    assert classes["n_greeting"] == "flagged" and "⚑ knows-your-order" in states["n_greeting"]
    assert all(c == "flagged" for n, c in classes.items() if n.startswith("n_"))  # every turn of it has one
    _, real_classes, _ = mermaid_parts(diagram(library.scenarios["courier-delivery"]))
    assert real_classes["n_calling"] == "turn"  # a turn with no red flag is drawn plain
    assert "¥41,450" in states["e_loss_code_given"]
    # A reply that spots a flag says so; one that pays says how much; the two moves always open are named.
    labels = {(a, b): label for a, b, label in arrows}
    assert labels[("n_greeting", "n_reassure")] == "2 ✓knows-your-order"
    assert labels[("n_sms_code", "e_loss_code_given")] == "1 −¥38,000 | 2 −¥38,000"  # two replies, one arrow
    assert labels[("n_greeting", "e_safe_hung_up")] == "hang up"


def test_the_title_is_front_matter_in_the_chosen_language(library: Library) -> None:
    scenario = library.scenarios["taobao-refund"]
    assert (
        diagram(scenario, lang="en").splitlines()[1] == 'title: "A call from an online shop (taobao-refund)"'
    )
    assert diagram(scenario).splitlines()[1] == 'title: "网店客服来电 (taobao-refund)"'


def test_dot_keeps_real_ids_and_colours(minimal: Scenario) -> None:
    if not graph.dot_available():
        pytest.skip("the graphviz Python package is not installed")
    text = diagram(minimal, "dot")
    assert text.startswith('digraph "测试来电 (minimal)" {')
    assert re.search(
        r'"safe-hung-up" \[label="safe-hung-up · safe\\l" color="#2e7d32" fillcolor="#c8e6c9"', text
    )
    assert re.search(r'"loss-code" \[label="loss-code · major loss · ¥500 · gave sms_code\\l"', text)
    assert re.search(r'code -> "loss-code" \[label="1 −¥500"\]', text)


def test_dot_without_the_graphviz_package_says_what_to_install(
    minimal: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph, "dot_available", lambda: False)
    with pytest.raises(DiagramError, match=r"graphviz Python package .* --format mermaid"):
        diagram(minimal, "dot")


def test_cli_draws_by_id_or_path_to_stdout_or_a_file(tmp_path: Path, catalog: Catalog) -> None:
    by_id = roleplay("graph", "taobao-refund")
    assert by_id.returncode == 0 and by_id.stdout.splitlines()[3] == "stateDiagram-v2"
    out = tmp_path / "minimal.mmd"
    by_path = roleplay("graph", str(FIXTURES / "minimal.yaml"), "--output", str(out))
    assert by_path.returncode == 0 and by_path.stdout == ""
    assert "[*] --> n_offer" in out.read_text(encoding="utf-8")


def test_cli_names_an_unknown_scenario() -> None:
    result = roleplay("graph", "taobao-refun")
    assert result.returncode == 2
    assert "没有叫“taobao-refun”的电话。你是想找“taobao-refund”吗？" in result.stderr
