"""Every validator error kind, one broken fixture each: the file says the line and message it expects."""

from __future__ import annotations

import gc
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from roleplay.core.bulk import collector_paused
from roleplay.core.machine import machine_for
from roleplay.core.model import Catalog, Text
from roleplay.library.checks import texts
from roleplay.library.library import Library, load_library
from roleplay.library.loader import load_scenario, read_scenario

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
        "real-call-ending-unmarked",
        "scam-ending-marked",
        "flag-lines-not-a-flag",
        "flag-lines-out-of-range",
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


class _Cycle:
    """An object only the cyclic collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_what_is_built_with_the_collector_paused_can_still_be_collected(catalog: Catalog) -> None:
    """Nothing is frozen out of the collector: what an author's --watch reload replaces can be reclaimed."""
    frozen = gc.get_freeze_count()
    with collector_paused():
        built = _Cycle()
    machine_for(load_scenario(Path(__file__).parent / "fixtures" / "minimal.yaml", catalog))
    assert gc.get_freeze_count() == frozen
    gone = weakref.ref(built)
    del built
    gc.collect()
    assert gone() is None


def every_text(value: object, path: tuple[object, ...] = ()) -> Iterator[tuple[tuple[object, ...], Text]]:
    """Each Text anywhere in a model, found by walking its fields rather than by a list of them."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from every_text(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from every_text(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from every_text(item, (*path, key))


def test_every_text_of_a_scenario_is_checked_for_unknown_variables(
    library: Library, catalog: Catalog
) -> None:
    """`checks.texts` lists each text slot by hand; a slot it missed would show a `{typo}` to trainees."""
    example = load_scenario(Path(__file__).parent / "fixtures" / "authoring-example.yaml", catalog)
    for scenario in [*library.scenarios.values(), example]:
        found = {path for path, _ in every_text(scenario) if path[0] != "variables"}
        assert found == {path for path, _ in texts(scenario)}, scenario.id


def test_what_was_built_is_not_walked_again_by_the_next_young_collection(catalog: Catalog) -> None:
    """The pause hands what it built to the oldest generation: the young ones are empty afterwards."""
    with collector_paused():
        built = [_Cycle() for _ in range(1000)]
    assert gc.get_count()[0] < 100 and all(gc.is_tracked(b) for b in built)
    assert gc.get_freeze_count() == 0


def _scam_with_twin(tmp_path: Path, twin: str) -> Path:
    text = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "with-twin.yaml"
    path.write_text(text.replace("sources: [wuhan-2020-06]\n", f"sources: [wuhan-2020-06]\ntwin: {twin}\n"))
    return path


def test_a_scams_twin_is_a_real_call_of_the_library(tmp_path: Path) -> None:
    """Named by id, it is found in the library's folders even when the scam file is checked on its own."""
    library = load_library([_scam_with_twin(tmp_path, "shop-out-of-stock")])
    assert library.problems == []


def test_a_twin_that_is_no_scenario_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _scam_with_twin(tmp_path, "shop-out-of-stok")
    (problem,) = load_library([path]).problems
    assert problem.line == 11 and problem.file.endswith("with-twin.yaml")
    assert problem.message == "twin 'shop-out-of-stok' is not a scenario in the library"
    assert problem.hint == "did you mean 'shop-out-of-stock'?"


def test_a_twin_that_is_a_scam_is_reported(tmp_path: Path) -> None:
    path = _scam_with_twin(tmp_path, "minimal")
    (problem,) = load_library([path]).problems
    assert problem.message == "twin 'minimal' is a scam"
