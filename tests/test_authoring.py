"""The authoring guide's example is a real scenario: the fixture's very text, and clean under --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from roleplay.core.model import Catalog
from roleplay.library.library import SCENARIO_DIR
from roleplay.library.loader import read_scenario

GUIDE = SCENARIO_DIR / "README.md"
EXAMPLE = Path(__file__).parent / "fixtures" / "authoring-example.yaml"
MARKER = "<!-- example: tests/fixtures/authoring-example.yaml -->"


def guide_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count(MARKER) == 1, f"the guide marks its example with {MARKER}"
    block = re.match(r"\s*```yaml\n(.*?)^```$", text.split(MARKER)[1], re.S | re.M)
    assert block, "the marker is followed by a ```yaml block"
    return block[1]


def test_the_guide_embeds_the_example_fixture_word_for_word() -> None:
    assert guide_example() == EXAMPLE.read_text(encoding="utf-8")


def test_the_example_cites_a_real_source_in_both_languages(catalog: Catalog) -> None:
    scenario, problems = read_scenario(EXAMPLE, catalog)
    assert problems == [] and scenario is not None
    assert scenario.sources and all(s in catalog.sources for s in scenario.sources)
    assert all(catalog.sources[s].seed for s in scenario.sources), "sources are advisories in shared/seeds"


def test_the_example_validates_cleanly_with_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "validate", "--strict", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
