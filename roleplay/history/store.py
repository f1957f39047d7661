"""The history of every call, in one embedded SQLite file: saved as it is played, never silently lost.

`Store` is what the front ends hold: the file opened (database.py), calls saved (saving.py) and read back
(calls.py), workshops and their test answers (workshops.py). Aggregations over it (totals, flags, progress,
reports) are query functions in their own modules that take the store.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.history.calls import CallReading
from roleplay.history.clock import Clock, utc_now
from roleplay.history.database import connect
from roleplay.history.files import default_path
from roleplay.history.saving import CallSaving
from roleplay.history.workshops import WorkshopRecords


class Store(CallSaving, CallReading, WorkshopRecords):
    """The history file. Open with `Store.open()`; read `notices` for anything the user should be told."""

    @classmethod
    def open(
        cls, path: Path | None = None, *, clock: Clock | None = None, busy_timeout: float = 10.0
    ) -> Store:
        """Open (creating or migrating) the history file; default: `ROLEPLAY_HOME` or the user data folder.

        A damaged file is moved aside and a new one started; `notices` then says where it went.
        In-progress calls left by processes that are gone are marked abandoned. Raises StoreError.
        """
        path = path or default_path()
        clock = clock or utc_now
        connection, notices = connect(path, clock, busy_timeout)
        store = cls(connection, path, notices, clock)
        if not store.read_only:
            store._recover_abandoned()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
