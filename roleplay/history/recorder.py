"""Saving one call while it is played: the bridge between a running `Call` and the history file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from roleplay.core.debrief import Debrief
from roleplay.core.debrief import debrief as compute_debrief
from roleplay.core.engine import Call
from roleplay.core.model import Catalog, Language
from roleplay.history.errors import StoreError
from roleplay.history.records import CallMode
from roleplay.history.store import Store


class CallRecorder:
    """Saves one call while it is played: begun at once, each step as it is taken, then finished or abandoned.

    Front ends (line mode, the trainer) drive a `Call` and call `sync()` after each move. A storage fault
    during the call never stops the call: `sync()` returns the message to show, and `finish()` saves every
    step again in its own transaction, so a fault that has passed by then loses nothing.
    """

    def __init__(
        self,
        store: Store,
        call: Call,
        trainee: str,
        scenario_hash: str,
        lang: Language,
        *,
        workshop_id: str | None = None,
        source_path: Path | None = None,
        mode: CallMode = "solo",
    ) -> None:
        self.store = store
        self.call = call
        self.call_id = store.begin_call(
            trainee,
            call.scenario,
            scenario_hash,
            call.transcript.seed,
            lang,
            workshop_id,
            source_path=source_path,
            mode=mode,
        )
        self._saved = 0
        self.closed = False

    def sync(self, *, votes: Mapping[str, int] | None = None, overridden: bool | None = None) -> str | None:
        """Save the steps taken since the last sync; the votes and override belong to the newest one."""
        steps = self.call.transcript.steps
        try:
            for i in range(self._saved, len(steps)):
                newest = i == len(steps) - 1
                self.store.record_step(
                    self.call_id,
                    steps[i],
                    votes=votes if newest else None,
                    overridden=overridden if newest else None,
                )
                self._saved = i + 1
        except StoreError as exc:
            return str(exc)
        return None

    def finish(
        self, catalog: Catalog, judged_scam: bool | None, *, room_votes: tuple[int, int] | None = None
    ) -> Debrief:
        """Compute the debrief, save the finished call, return the debrief. Raises StoreError."""
        result = compute_debrief(self.call.scenario, catalog, self.call.transcript, judged_scam)
        self.store.finish_call(self.call_id, self.call.transcript, result, judged_scam, room_votes=room_votes)
        self.closed = True
        return result

    def abandon(self) -> str | None:
        """The call will not end: save what was played as abandoned. Returns a message when that failed."""
        if self.closed:
            return None
        self.closed = True
        problem = self.sync()
        try:
            self.store.abandon_call(self.call_id)
        except StoreError as exc:
            return str(exc)
        return problem
