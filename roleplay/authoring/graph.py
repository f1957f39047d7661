"""Draw a scenario's state machine as a Mermaid or DOT diagram, through transitions' own `GraphMachine`.

An author who writes a scenario from a police advisory needs to see its shape before anyone plays it: every
turn, where each reply, hang-up and official check leads, which turns carry red flags and how each ending
turns out. The diagram is drawn from the same moves the engine's state machine is built from
(`roleplay.core.moves`), so it cannot drift from what a trainee plays. Boxes and arrows are labelled with
ids, flags and amounts, never scenario prose, so no line of dialogue can break the diagram's syntax; only the
title is text, quoted.

Mermaid needs nothing beyond transitions. DOT needs the `graphviz` Python package (pure Python; the `dot`
program is needed only to turn the text into a picture, which this module never does).
"""

from __future__ import annotations

import importlib.util
import json
import re
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from transitions import State
from transitions.extensions.diagrams import GraphMachine

from roleplay.core.model import Ending, Language, Scenario, amount_variables_of, yuan
from roleplay.core.moves import moves

if TYPE_CHECKING:  # only in transitions' type stubs
    from transitions.extensions.diagrams_base import GraphModelProtocol

Format = Literal["mermaid", "dot"]
FORMATS: tuple[Format, ...] = ("mermaid", "dot")

# Fill and border of each kind of box. Endings are coloured by how they turn out, graded as the police grade
# them; turns with red flags stand out from plain ones.
_COLOURS: dict[str, tuple[str, str]] = {
    "turn": ("#ffffff", "#424242"),
    "flagged": ("#fff3e0", "#d84315"),
    "safe": ("#c8e6c9", "#2e7d32"),
    "exposed": ("#fff9c4", "#f9a825"),
    "partial_loss": ("#ffccbc", "#e64a19"),
    "major_loss": ("#ef9a9a", "#b71c1c"),
}
_NOT_MERMAID_ID = re.compile(r"\W", re.ASCII)


class DiagramError(Exception):
    """A diagram that cannot be drawn on this machine (DOT without the graphviz package)."""


class _Source(Protocol):
    source: str


class _LabelledState(State):
    """A state that carries a label: transitions' markup reads `label` from states to caption the boxes."""

    def __init__(self, name: str, label: str = "", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.label = label or name


class _DiagramMachine(GraphMachine):
    state_cls = _LabelledState


def _styles(fmt: Format) -> dict[str, Any]:
    """The box styles by name, in each engine's own words. transitions turns each Mermaid style into a
    `classDef`, whose keys are CSS names; DOT takes Graphviz attributes."""
    if fmt == "mermaid":
        boxes = {
            name: {"fill": fill, "stroke": border, "stroke-width": "2px" if name != "turn" else "1px"}
            for name, (fill, border) in _COLOURS.items()
        }
        return {"node": {"default": boxes["turn"], **boxes}, "edge": {}, "graph": {}}
    boxes = {
        name: {"fillcolor": fill, "color": border, "penwidth": "2" if name != "turn" else "1"}
        for name, (fill, border) in _COLOURS.items()
    }
    default = {"style": "rounded,filled", "shape": "rectangle", "fillcolor": "white", "color": "black"}
    return {
        "node": {"default": default, **boxes},
        "edge": {"default": {"color": "#616161", "fontsize": "10"}},
        "graph": {"default": {"fontname": "sans-serif"}},
    }


class _Sketch:
    """The model the diagram machine is bound to: a plain object, so no `is_<state>` helper can clash."""


def _mermaid_ids(scenario: Scenario) -> dict[str, str]:
    """Mermaid's state-diagram grammar takes only word characters in an id on an arrow line (a hyphen ends
    it), and words like `default` or `state` are keywords. So `safe-hung-up` becomes `e_safe_hung_up`:
    a prefix (n_ turn, e_ ending) keeps clear of keywords, and a suffix separates `a-b` from `a_b`."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for prefix, names in (("n_", scenario.nodes), ("e_", scenario.endings)):
        for name in names:
            base = prefix + _NOT_MERMAID_ID.sub("_", name)
            safe, n = base, 2
            while safe in taken:
                safe, n = f"{base}_{n}", n + 1
            taken.add(safe)
            out[name] = safe
    return out


def _yuan(amount: int | str, scenario: Scenario) -> str:
    """`¥1,200`, or for a `{variable}` amount the range its values span (`¥3,000–9,000`)."""
    names = amount_variables_of(amount)
    if not names:
        return f"¥{yuan(amount, {}):,}"
    if any(not scenario.variables.get(name) for name in names):
        return f"¥{amount}"
    low = {name: min(scenario.variables[name], key=lambda v: int(v.zh)) for name in names}
    high = {name: max(scenario.variables[name], key=lambda v: int(v.zh)) for name in names}
    return f"¥{yuan(amount, low):,}–{yuan(amount, high):,}"


def _ending_label(ending_id: str, ending: Ending, scenario: Scenario) -> str:
    words = [ending_id, ending.severity.replace("_", " ")]
    if ending.lost:
        words.append(_yuan(ending.lost, scenario))
    if ending.exposed:
        words.append("gave " + ", ".join(ending.exposed))
    return " · ".join(words)


def _states(scenario: Scenario, ids: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Each node and ending as a labelled state, and the style each is drawn in."""
    states: list[dict[str, Any]] = []
    styles: dict[str, str] = {}
    for node_id, node in scenario.nodes.items():
        label = ("▶ " if node_id == scenario.start else "") + node_id
        if node.flags:
            label += " · ⚑ " + ", ".join(node.flags)
        states.append({"name": ids[node_id], "label": label})
        styles[ids[node_id]] = "flagged" if node.flags else "turn"
    for ending_id, ending in scenario.endings.items():
        states.append(
            {"name": ids[ending_id], "label": _ending_label(ending_id, ending, scenario), "final": True}
        )
        styles[ids[ending_id]] = ending.severity
    return states, styles


def _transitions(scenario: Scenario, ids: dict[str, str]) -> list[dict[str, Any]]:
    """The engine's own moves as transitions, renamed for the diagram and labelled with what each does."""
    out = []
    for node_id, node in scenario.nodes.items():
        for move in moves(scenario, node_id):
            if move.index is not None:
                choice = node.choices[move.index]
                label = str(move.index + 1)
                if choice.spots:
                    label += " ✓" + ",".join(choice.spots)
                if choice.effects.pay:
                    label += " −" + _yuan(choice.effects.pay, scenario)
            else:
                label = move.action.replace("_", " ")
            out.append(
                {"trigger": move.trigger, "source": ids[node_id], "dest": ids[move.target], "label": label}
            )
    return out


def dot_available() -> bool:
    """Whether transitions can write DOT here: it needs the graphviz Python package, not the `dot` program."""
    return importlib.util.find_spec("graphviz") is not None


def diagram(scenario: Scenario, fmt: Format = "mermaid", lang: Language = "zh") -> str:
    """The scenario's machine as Mermaid `stateDiagram-v2` or Graphviz DOT text. `lang` picks the title."""
    if fmt not in FORMATS:
        raise DiagramError(f"unknown diagram format '{fmt}'; use {' or '.join(FORMATS)}")
    if fmt == "dot" and not dot_available():
        # transitions would quietly fall back to Mermaid; say what is missing instead.
        raise DiagramError(
            "DOT output needs the graphviz Python package (the `dot` program is not needed): "
            "install the `diagrams` extra (pip install -e '.[diagrams]'), or use --format mermaid"
        )
    ids = _mermaid_ids(scenario) if fmt == "mermaid" else {n: n for n in [*scenario.nodes, *scenario.endings]}
    states, styles = _states(scenario, ids)
    title = f"{scenario.title.get(lang)} ({scenario.id})"
    sketch = _Sketch()
    machine = _DiagramMachine(
        model=sketch,
        states=states,
        transitions=_transitions(scenario, ids),
        initial=ids[scenario.start],
        auto_transitions=False,  # N² transitions nobody takes
        graph_engine="graphviz" if fmt == "dot" else "mermaid",
        title=title,
    )
    machine.style_attributes = _styles(fmt)
    graph = machine.model_graphs[id(sketch)]
    graph.reset_styling()  # transitions marks the current state "active"; a script's diagram has none
    for name, style in styles.items():
        graph.set_node_style(name, style)
    if fmt == "mermaid":  # transitions puts the title between `---` lines: Mermaid's YAML front matter
        title = f"title: {json.dumps(title, ensure_ascii=False)}"
    drawn = cast(_Source, cast("GraphModelProtocol", sketch).get_graph(title=title))
    return drawn.source if drawn.source.endswith("\n") else drawn.source + "\n"
