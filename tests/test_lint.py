"""`roleplay validate --strict`: authoring warnings, each at the line to fix, one fixture per kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.authoring.lint import (
    MAX_CELLS,
    arrivals,
    cells,
    lint_library,
    lint_scenario,
    money_draws,
    unused_flags,
)
from roleplay.authoring.walk import paths
from roleplay.core.model import Catalog, Scenario, Text, yuan
from roleplay.library.library import CATALOG_PATH, Library, load_library
from roleplay.library.loader import load_scenario, read_document, read_scenario
from roleplay.library.yamlread import Document
from tests.commands import roleplay

FIXTURES = Path(__file__).parent / "fixtures"
LINT = sorted((FIXTURES / "lint").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+): (.*)$", re.M)
SHIPPED = sorted(load_library().scenarios)


def document(path: Path) -> Document:
    doc = read_document(path)
    assert isinstance(doc, Document), doc
    return doc


def test_there_is_a_fixture_for_every_warning_kind() -> None:
    assert {p.stem for p in LINT} >= {
        "no-red-flag",
        "missing-english",
        "too-long",
        "spots-absent-flag",
        "ending-disagrees",
        "pinned-order",
        "flag-line-missing",
        "unsourced-sum",
    }


@pytest.mark.parametrize("path", LINT, ids=[p.stem for p in LINT])
def test_lint_fixture_loads_cleanly_and_warns_at_file_line(path: Path, catalog: Catalog) -> None:
    expected = [(int(line), message) for line, message in EXPECT.findall(path.read_text(encoding="utf-8"))]
    assert expected, f"{path.name} must say what it expects"
    scenario, problems = read_scenario(path, catalog)
    assert scenario is not None and problems == [], "a lint fixture has warnings only, no errors"
    warnings = lint_scenario(scenario, document(path), str(path))
    assert [(w.line, f"{w.message} — {w.hint}") for w in warnings] == expected
    assert {w.level for w in warnings} == {"warning"}


def test_the_minimal_scenario_has_nothing_to_warn_about(minimal: Scenario) -> None:
    assert lint_scenario(minimal, document(FIXTURES / "minimal.yaml"), "minimal.yaml") == []


def test_cells_counts_wide_characters_as_two_and_ambiguous_punctuation_as_one() -> None:
    assert cells("Hello") == 5
    assert cells("验证码") == 6
    assert cells("好，") == 4  # fullwidth comma
    assert cells("“OK”…") == 5  # ambiguous width: narrow, as the README asks terminals to be set
    assert cells("e\u0301") == 1  # a combining accent takes no cell
    assert MAX_CELLS == 160


def test_unused_catalog_flags_are_reported_at_their_catalog_line(catalog: Catalog, minimal: Scenario) -> None:
    warnings = unused_flags(catalog, [minimal], document(CATALOG_PATH), "catalog.yaml")
    flags = {w.line: w.message.split("'")[1] for w in warnings}
    assert set(flags.values()) == set(catalog.flags) - {"unsolicited-refund", "sms-code"}
    lines = CATALOG_PATH.read_text(encoding="utf-8").splitlines()
    assert all(lines[line - 1] == f"  {flag}:" for line, flag in flags.items())


def test_unused_flags_are_checked_only_for_the_whole_shipped_library(
    catalog: Catalog, minimal: Scenario
) -> None:
    one_file = Library(catalog, {"minimal": minimal}, {"minimal": FIXTURES / "minimal.yaml"})
    assert lint_library(one_file, [FIXTURES / "minimal.yaml"]) == []
    as_if_shipped = lint_library(one_file, None)
    assert as_if_shipped and all(w.file.endswith("catalog.yaml") for w in as_if_shipped)


@pytest.mark.parametrize("name", [*SHIPPED, "lint/ending-disagrees.yaml", "minimal.yaml"])
def test_arrivals_agree_with_listing_every_path(library: Library, catalog: Catalog, name: str) -> None:
    """The dynamic programme behind the ending check finds what adding up the effects of each path finds
    (for every draw of the sums a scenario draws per run)."""
    scenario = library.scenarios.get(name) or load_scenario(FIXTURES / name, catalog)
    for drawn in money_draws(scenario):
        _agree_for_draw(scenario, drawn)


def _agree_for_draw(scenario: Scenario, drawn: dict[str, Text]) -> None:
    listed: dict[str, set[tuple[int, frozenset[str]]]] = {}
    for path in paths(scenario):
        here, paid, given = scenario.start, 0, frozenset[str]()
        for move in path:
            if move.index is None:
                here = scenario.target(here, "hang_up" if move.action == "hang_up" else "verify")
                continue
            choice = scenario.nodes[here].choices[move.index]
            paid, given, here = (
                paid + yuan(choice.effects.pay, drawn),
                given | set(choice.effects.give),
                choice.to,
            )
        listed.setdefault(here, set()).add((paid, given))
    reached = arrivals(scenario, drawn)
    assert {e: set(reached[e]) for e in scenario.endings if e in reached} == listed


def test_validate_strict_prints_warnings_and_fails_on_them() -> None:
    path = str(FIXTURES / "lint" / "spots-absent-flag.yaml")
    relaxed = roleplay("validate", path)
    assert relaxed.returncode == 0 and relaxed.stdout == ""
    strict = roleplay("validate", "--strict", path)
    assert strict.returncode == 1
    (line,) = strict.stdout.splitlines()
    assert re.fullmatch(r".*spots-absent-flag\.yaml:\d+: warning: this reply spots 'sms-code', .*", line)
    assert "0 个问题，1 条警告" in strict.stderr


def test_validate_strict_passes_a_clean_file() -> None:
    result = roleplay("validate", "--strict", str(FIXTURES / "minimal.yaml"))
    assert result.returncode == 0 and result.stdout == ""
