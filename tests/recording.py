"""Calls played and saved as a front end does, for the tests of the history and of what is built on it."""

from __future__ import annotations

from roleplay.core.engine import Call
from roleplay.core.model import Language
from roleplay.history.files import scenario_hash
from roleplay.history.recorder import CallRecorder
from roleplay.history.store import Store
from roleplay.library.library import Library
from tests.moves import Move, make


def play(
    store: Store,
    library: Library,
    scenario_id: str,
    *moves: Move,
    judged: bool | None = True,
    trainee: str = "ana",
    workshop_id: str | None = None,
    seed: int = 1,
    lang: Language = "zh",
) -> int:
    """Play one call and save it through the recorder: each move saved as it is taken, then the finish —
    or, when the moves stop before the call ends, the abandonment. Moves are reply numbers from 1, "h" to
    hang up, "v" to verify. Returns the call's id."""
    call = Call(library.get(scenario_id), seed=seed)
    recorder = CallRecorder(
        store, call, trainee, scenario_hash(library.paths[scenario_id]), lang, workshop_id=workshop_id
    )
    call.start()
    for move in moves:
        make(call, move, first=1)
        assert recorder.sync() is None
    if call.ended:
        recorder.finish(library.catalog, judged)
    else:
        assert recorder.abandon() is None
    return recorder.call_id
