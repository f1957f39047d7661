"""Whether a recorded call was played against its scenario file as it is now, and its debrief recomputed
only then (an edited file's nodes may mean something else)."""

from __future__ import annotations

from pathlib import Path

from roleplay.core.debrief import Debrief, debrief
from roleplay.history.files import scenario_hash
from roleplay.history.records import CallRecord
from roleplay.library.library import Library


class Versions:
    """The current hash of each scenario file, to tell whether a recorded call matches it (cached)."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._by_path: dict[Path, str | None] = {}

    def current(self, scenario_id: str, source_path: str | None = None) -> str | None:
        """The hash of the file a call was played from: the one named, else the shipped library's; None
        when there is no such file (any more)."""
        path = Path(source_path) if source_path else self._library.paths.get(scenario_id)
        if path is None:
            return None
        if path not in self._by_path:
            try:
                self._by_path[path] = scenario_hash(path)
            except OSError:
                self._by_path[path] = None
        return self._by_path[path]

    def of(self, record: CallRecord) -> str | None:
        """The current hash of the file this call was played from."""
        return self.current(record.scenario, record.source_path)


def recompute_debrief(record: CallRecord, library: Library) -> Debrief | None:
    """The debrief of a recorded call, recomputed from its transcript — only when the scenario file is the
    version it was played against (otherwise its nodes may mean something else now): None then."""
    if record.status != "finished":
        return None
    if not record.matches(Versions(library).of(record)):
        return None
    scenario = library.scenarios.get(record.scenario)
    if scenario is None and record.source_path:  # a scenario file the trainee named, not a shipped one
        from roleplay.library.library import load_library

        scenario = load_library([Path(record.source_path)], library.catalog).scenarios.get(record.scenario)
    if scenario is None:
        return None
    return debrief(scenario, library.catalog, record.transcript(), record.judged_scam)
