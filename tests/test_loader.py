"""Every validator error kind, one broken fixture each: the file says the line and message it expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.core.model import Catalog
from roleplay.library.loader import read_scenario

BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+): (.*)$", re.M)


def test_there_is_a_fixture_for_every_error_kind() -> None:
    names = {p.stem for p in BROKEN}
    assert {
        "unknown-key",
        "missing-field",
        "wrong-type",
        "bad-target",
        "unknown-flag",
        "duplicate-key",
        "unreachable",
        "dead-end",
        "no-loss-ending",
        "yaml-syntax",
    } <= names


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_reports_file_line_and_message(path: Path, catalog: Catalog) -> None:
    expected = [(int(line), message) for line, message in EXPECT.findall(path.read_text(encoding="utf-8"))]
    assert expected, f"{path.name} must say what it expects"
    scenario, problems = read_scenario(path, catalog)
    assert scenario is None
    assert [(p.line, f"{p.message} — {p.hint}" if p.hint else p.message) for p in problems] == expected
    assert all(p.file.endswith(path.name) for p in problems)


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path, catalog: Catalog) -> None:
    text = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("channel: phone", "channel: fax").replace('number: "010-0000 0000"', "number: 7")
    text = text.replace("    severity: major_loss", "    severity: huge")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_scenario(path, catalog)
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_minimal_fixture_is_valid(catalog: Catalog) -> None:
    scenario, problems = read_scenario(Path(__file__).parent / "fixtures" / "minimal.yaml", catalog)
    assert problems == []
    assert scenario is not None and scenario.id == "minimal"


def test_scenario_text_is_never_evaluated(tmp_path: Path, catalog: Catalog) -> None:
    """`{item.__class__}` is not a variable name: it stays as written and is never looked up."""
    text = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "evil.yaml"
    path.write_text(text.replace("en: A test call}", 'en: "A {item.__class__} call"}'), encoding="utf-8")
    scenario, _ = read_scenario(path, catalog)
    assert scenario is not None
    assert scenario.title.en == "A {item.__class__} call"
    assert scenario.title.fill({"item": scenario.variables["item"][0]}).en == "A {item.__class__} call"


def test_loading_leaves_the_garbage_collector_as_it_was(catalog: Catalog) -> None:
    import gc

    path = Path(__file__).parent / "fixtures" / "minimal.yaml"
    assert gc.isenabled()
    read_scenario(path, catalog)
    assert gc.isenabled()
    gc.disable()
    try:
        read_scenario(path, catalog)
        assert not gc.isenabled()
    finally:
        gc.enable()
