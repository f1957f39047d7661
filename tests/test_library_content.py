"""Rules every shipped scenario and the catalog must keep, checked on the data (not on a list of names)."""

from __future__ import annotations

import re

import pytest

from roleplay.core.model import SEVERITIES, Scenario
from roleplay.core.moves import moves
from roleplay.library.checks import texts
from roleplay.library.library import SCENARIO_DIR, Library, load_library

LIBRARY = load_library()
SHIPPED = sorted(LIBRARY.scenarios)
SCAMS = [s for s in SHIPPED if LIBRARY.scenarios[s].kind == "scam"]


def test_the_shipped_library_loads_without_problems(library: Library) -> None:
    assert library.problems == []
    assert len(library.scenarios) == len(list(SCENARIO_DIR.glob("*.yaml")))


def test_every_file_points_editors_at_the_schema() -> None:
    for path in SCENARIO_DIR.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/scenario.schema.json", path.name


def test_every_red_flag_of_a_turn_of_several_lines_names_the_line_that_carries_it() -> None:
    """So the debrief quotes that line for a missed flag, not the whole turn."""
    unnamed = [
        f"{scenario_id}/{node_id}: {flag}"
        for scenario_id in SHIPPED
        for node_id, node in LIBRARY.scenarios[scenario_id].nodes.items()
        if len(node.say) > 1
        for flag in node.flags
        if flag not in node.flag_lines
    ]
    assert unnamed == []


def _shortest_decisions_to(scenario: Scenario, ending_id: str) -> int:
    """Fewest decisions on any path from the start to this ending (breadth first)."""
    frontier, depth, seen = [scenario.start], 0, {scenario.start}
    while frontier:
        depth += 1
        nxt = []
        for node in frontier:
            for move in moves(scenario, node):
                if move.target == ending_id:
                    return depth
                if move.target in scenario.nodes and move.target not in seen:
                    seen.add(move.target)
                    nxt.append(move.target)
        frontier = nxt
    raise AssertionError(f"{ending_id} unreachable")


@pytest.mark.parametrize("scenario_id", SCAMS)
def test_scam_depth(scenario_id: str) -> None:
    s = LIBRARY.scenarios[scenario_id]
    endings = s.endings.values()
    assert any(e.outcome == "safe" for e in endings)
    assert any(e.outcome == "loss" for e in endings)
    # Harm comes in grades: details or access given away, part of the money, all of it. At least two of them,
    # but no invented sum: where the advisories give one loss, "exposed" and that loss are the two.
    harm_grades = {e.severity for e in endings if e.severity != "safe"}
    assert len(harm_grades) >= 2, "at least two grades of harm (exposed, partial loss, major loss)"
    worst = max(SEVERITIES.index(e.severity) for e in endings)
    for ending_id, ending in s.endings.items():
        if SEVERITIES.index(ending.severity) == worst:
            assert _shortest_decisions_to(s, ending_id) >= 3, f"{ending_id} is reached in fewer than 3 turns"


# 刷单 is itself unlawful work (seed 002): no honest version of the part-time group exists to practise with.
WITHOUT_TWIN = {"order-brushing-linked-orders": "no honest 刷单 job exists"}


def test_every_scam_has_a_real_twin_with_the_same_opening() -> None:
    missing = [s for s in SCAMS if LIBRARY.scenarios[s].twin is None and s not in WITHOUT_TWIN]
    assert missing == []
    assert {
        LIBRARY.scenarios[LIBRARY.scenarios[s].twin or s].kind for s in SCAMS if s not in WITHOUT_TWIN
    } == {"legit"}


def test_at_least_two_calls_in_five_are_real() -> None:
    """So that "always say scam" scores no better than 60%."""
    assert len(SHIPPED) - len(SCAMS) >= 0.4 * len(SHIPPED)


@pytest.mark.parametrize("scenario_id", SCAMS)
def test_a_scam_offers_three_replies_a_turn_and_pushes_back(scenario_id: str) -> None:
    """Spotting one flag does not end the lesson: at least half of the spotting replies meet a counter."""
    s = LIBRARY.scenarios[scenario_id]
    assert [n for n, node in s.nodes.items() if len(node.choices) < 3] == []
    spotting = [c for node in s.nodes.values() for c in node.choices if c.spots]
    ending_at_once = [c for c in spotting if c.to in s.endings]
    assert len(ending_at_once) <= len(spotting) / 2


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_replays_differ(scenario_id: str) -> None:
    s = LIBRARY.scenarios[scenario_id]
    used = set().union(*(text.placeholders() for _, text in texts(s)))
    assert len([v for v in s.variables if len(s.variables[v]) > 1 and v in used]) >= 2


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_scenario_has_sources_and_both_languages(scenario_id: str) -> None:
    s = LIBRARY.scenarios[scenario_id]
    assert s.sources
    for path, text in texts(s):
        assert text.zh.strip() and text.en.strip(), path
        assert re.search(
            r"[\u4e00-\u9fff]", text.zh + "".join(v.zh for vs in s.variables.values() for v in vs)
        ), path


def test_every_catalog_flag_is_used_by_a_scenario_and_cited() -> None:
    used = {f for s in LIBRARY.scenarios.values() for node in s.nodes.values() for f in node.flags}
    unused = set(LIBRARY.catalog.flags) - used
    assert not unused, f"catalog flags no scenario uses: {sorted(unused)}"
    for (
        flag
    ) in LIBRARY.catalog.flags.values():  # traceable: a seed advisory, or a public page named by address
        sources = [LIBRARY.catalog.sources[s] for s in flag.sources]
        assert sources and all(source.seed or source.url for source in sources)


def test_every_source_is_a_police_advisory_dated_as_its_page_dates_it() -> None:
    """A page that gives no year, or no date, is left undated (and named by address), never given a guess."""
    for source in LIBRARY.catalog.sources.values():
        assert source.publisher.zh and source.title.zh
        assert source.date is None or re.match(r"\d{4}(-\d{2}(-\d{2})?)?$", source.date)
        assert source.date is not None or source.url


def test_every_data_file_reads_the_same_with_and_without_libyaml() -> None:
    """Editors and installs without libyaml use the pure-Python parser, which is stricter about flow text."""
    import yaml

    for path in [*SCENARIO_DIR.glob("*.yaml"), SCENARIO_DIR.parent / "catalog.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader), path.name


REAL_CALLS = [s for s in SHIPPED if LIBRARY.scenarios[s].kind == "legit"]


@pytest.mark.parametrize("scenario_id", REAL_CALLS)
def test_where_hanging_up_on_a_real_call_leads_says_the_caller_was_treated_as_a_scam(
    scenario_id: str,
) -> None:
    """Hanging up on a real call counts as treating it as a scam whatever the ending says; the endings a
    hang-up leads to say so too, so their lessons are written for a trainee who did that."""
    s = LIBRARY.scenarios[scenario_id]
    targets = {move.target for node in s.nodes for move in moves(s, node) if move.action == "hang_up"}
    endings = targets & set(s.endings)
    assert endings
    assert {e: s.endings[e].treated_as_scam for e in endings} == dict.fromkeys(endings, True)


@pytest.mark.parametrize("scenario_id", REAL_CALLS)
def test_checking_a_real_call_officially_at_once_is_not_treating_it_as_a_scam(scenario_id: str) -> None:
    s = LIBRARY.scenarios[scenario_id]
    checked = s.target(s.start, "verify")
    assert s.endings[checked].treated_as_scam is False


def _passes_luhn(digits: str) -> bool:
    total = 0
    for i, digit in enumerate(int(d) for d in reversed(digits)):
        total += digit if i % 2 == 0 else (digit * 2 - 9 if digit > 4 else digit * 2)
    return total % 10 == 0


def test_no_number_shown_is_a_real_persons_phone_or_card() -> None:
    """Phone numbers, QQ numbers and meeting numbers are drawn per run (`#`), never written out; a card or
    account number written out fails the checksum every real bank card passes, so it is nobody's card."""
    written: list[tuple[object, str]] = [
        (path, text) for s in LIBRARY.scenarios.values() for path, t in texts(s) for text in (t.zh, t.en)
    ]
    written += [
        (s.id, e.sender)
        for s in LIBRARY.scenarios.values()
        for n in s.nodes.values()
        for e in n.events
        if e.sender
    ]
    written += [(s.id, v.zh) for s in LIBRARY.scenarios.values() for vs in s.variables.values() for v in vs]
    mobile = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
    long_number = re.compile(r"(?<![\d#])\d{4}(?: ?\d{4}){3}(?: ?\d{1,3})?(?![\d#])")
    assert [(where, text) for where, text in written if mobile.search(text)] == []
    cards = [(where, m) for where, text in written for m in long_number.findall(text)]
    assert cards, "the library shows some account numbers"
    assert [(where, m) for where, m in cards if _passes_luhn(m.replace(" ", ""))] == []
    assert [(where, t) for where, t in written if re.search(r"QQ ?\d{6,}", t)] == []
