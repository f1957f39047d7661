from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.library import CATALOG_PATH, Library, load_library
from roleplay.loader import load_catalog, load_scenario
from roleplay.model import Catalog, Scenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(CATALOG_PATH)


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def minimal(catalog: Catalog) -> Scenario:
    return load_scenario(FIXTURES / "minimal.yaml", catalog)
