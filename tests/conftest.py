from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from roleplay.core.model import Catalog, Scenario
from roleplay.library.library import CATALOG_PATH, Library, load_library
from roleplay.library.loader import load_catalog, load_scenario
from roleplay.text.i18n import set_language

FIXTURES = Path(__file__).parent / "fixtures"

# Property and fuzz tests: a quick run in every `pytest`, a long one with ROLEPLAY_FUZZ=long. No deadline: the
# first examples pay for imports, and a slow CI machine must not turn that into a failure. The quick run draws
# the same examples every time (a check that passes today passes on a fresh clone); the long run explores, and
# what it finds is fixed and kept as an explicit example.
settings.register_profile("default", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile("long" if os.environ.get("ROLEPLAY_FUZZ") == "long" else "default")


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language, Chinese, whatever the test before it chose."""
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def in_english(default_language: None) -> None:
    """For a module's tests written against the English texts: `pytestmark = usefixtures("in_english")`."""
    set_language("en")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every command it runs) keeps its history and settings in its own folder."""
    home = tmp_path_factory.mktemp("roleplay-home")
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(CATALOG_PATH)


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def minimal(catalog: Catalog) -> Scenario:
    return load_scenario(FIXTURES / "minimal.yaml", catalog)
