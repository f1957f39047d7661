"""The scenario library (the shipped scenarios and the folders `ROLEPLAY_LIBRARY` adds), and any scenario
files a user names, loaded together with the catalog."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from roleplay.core.model import Catalog, Scenario
from roleplay.library.folders import SCENARIO_DIR, library_folders, scenario_files
from roleplay.library.loader import load_catalog, read_document, read_scenario
from roleplay.library.problems import LoadError, Problem, UnknownScenario, display_path

__all__ = ["CATALOG_PATH", "DATA", "SCENARIO_DIR", "Library", "load_library", "load_one", "scenario_files"]

DATA = Path(__file__).parent / "data"
CATALOG_PATH = DATA / "catalog.yaml"


@dataclass
class Library:
    catalog: Catalog
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario:
        return self.scenarios[scenario_id]


def load_library(paths: list[Path] | None = None, catalog: Catalog | None = None) -> Library:
    """Load every scenario that loads; the others are listed in `problems`. Raises only for the catalog."""
    library = Library(catalog or load_catalog(CATALOG_PATH))
    files = scenario_files(paths)
    for path in files:
        scenario, problems = read_scenario(path, library.catalog)
        library.problems += problems
        if scenario is None:
            continue
        if scenario.id in library.scenarios:
            first = display_path(library.paths[scenario.id])
            library.problems.append(
                Problem(
                    display_path(path),
                    1,
                    f"id '{scenario.id}' is already used by {first}",
                    "ids must be unique",
                )
            )
            continue
        library.scenarios[scenario.id] = scenario
        library.paths[scenario.id] = path
    library.problems += _twin_problems(library)
    if paths is None:  # the library itself: what the trainer's first frame lists next time
        from roleplay.library.index import write_index

        write_index(library, files)
    return library


def _twin_problems(library: Library) -> list[Problem]:
    """A scam's twin must be a real call of the library: loaded with it, or a file of that name in the
    library's folders (a scenario validated on its own still finds the twin it names)."""
    out = []
    for scenario_id, scenario in library.scenarios.items():
        twin = scenario.twin
        if twin is None:
            continue
        if twin in library.scenarios:
            if library.scenarios[twin].kind == "legit":
                continue
            message, hint = f"twin '{twin}' is a scam", "name a real call"
        elif any((folder / f"{twin}.yaml").is_file() for folder in library_folders()):
            continue
        else:
            from roleplay.library.checks import did_you_mean  # only now, as the YAML reader below

            known = [*library.scenarios, *(p.stem for f in library_folders() for p in f.glob("*.yaml"))]
            message = f"twin '{twin}' is not a scenario in the library"
            hint = did_you_mean(twin, sorted(set(known)))
        from roleplay.library.yamlread import Document  # only now: a warm start never imports the YAML reader

        path = library.paths[scenario_id]
        doc = read_document(path)  # read again only to say where: a problem is rare, loading is not
        line = doc.line_of(("twin",)) if isinstance(doc, Document) else 1
        out.append(Problem(display_path(path), line, message, hint))
    return out


def load_one(id_or_path: str) -> tuple[Library, Scenario]:
    """A shipped scenario by id, or a scenario file by path. Raises LoadError with what is wrong."""
    path = Path(id_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        library = load_library([path])
        errors = [p for p in library.problems if p.level == "error"]
        if errors or not library.scenarios:
            raise LoadError(errors or [Problem(str(path), 1, "no scenario in this file")])
        return library, next(iter(library.scenarios.values()))
    quick = _load_by_name(id_or_path)
    if quick is not None:
        return quick
    library = load_library()
    if id_or_path not in library.scenarios:
        close = difflib.get_close_matches(id_or_path, list(library.scenarios), n=1)
        raise UnknownScenario(id_or_path, close[0] if close else None)
    return library, library.scenarios[id_or_path]


def _load_by_name(scenario_id: str) -> tuple[Library, Scenario] | None:
    """The scenario `scenario_id` from the file of that name in the library's folders (`ID.yaml`, as every
    shipped file is named), loading nothing else: `roleplay play ID` starts without the whole library. None
    when no such file holds that scenario (then the whole library is searched)."""
    if "/" in scenario_id or "\\" in scenario_id or scenario_id.startswith("."):
        return None
    for folder in library_folders():
        path = folder / f"{scenario_id}.yaml"
        if not path.is_file():
            continue
        library = Library(load_catalog(CATALOG_PATH))
        scenario, problems = read_scenario(path, library.catalog)
        if scenario is None or scenario.id != scenario_id:
            return None
        library.scenarios[scenario_id] = scenario
        library.paths[scenario_id] = path
        library.problems = problems
        return library, scenario
    return None
