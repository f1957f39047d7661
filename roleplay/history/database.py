"""One open history file: connecting to it, its lock, transactions and reads.

Why it is built this way:
- WAL mode and `BEGIN IMMEDIATE` for every write, with a busy timeout: several terminals (a workshop's
  trainees on one machine) can save at the same moment and all succeed, and readers never block writers.
- A file that is not a readable database is moved aside with a timestamp (never deleted) and a new one is
  started; the caller gets a notice saying where the old one went.
- Every SQLite or file-system failure becomes a `StoreError` with one line saying what is wrong and where.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from roleplay.history.clock import Clock, timestamp
from roleplay.history.damage import move_aside, still_damaged
from roleplay.history.errors import explain, is_damage
from roleplay.history.migrations import check_version, migrate


def connect(path: Path, clock: Clock, busy_timeout: float) -> tuple[sqlite3.Connection, tuple[str, ...]]:
    """Open (creating or migrating) the file; a damaged one is moved aside and a new one started, and the
    notices say so. Raises StoreError."""
    notices: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise explain(exc, path.parent, "create the history folder") from None
    try:
        return _connect(path, busy_timeout), ()
    except sqlite3.Error as exc:
        if not is_damage(exc):
            raise explain(exc, path, "open the history") from None
    if still_damaged(path):  # another roleplay may have replaced it a moment ago
        moved = move_aside(path, clock())
        notices.append(
            f"The history file {path} was damaged: it was moved to {moved} and a new one was started."
        )
    try:
        return _connect(path, busy_timeout), tuple(notices)
    except sqlite3.Error as again:
        raise explain(again, path, "start a new history") from None


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        check_version(db, path)  # before anything is written: a newer file is left exactly as it is
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL mode (got {mode})")
        db.execute("PRAGMA synchronous = FULL")  # a saved call survives a power cut too
        migrate(db, path)
        db.execute("SELECT count(*) FROM calls").fetchone()  # reads the table: damage shows here
    except BaseException:
        db.close()
        raise
    return db


class Database:
    """The connection to one history file, for the history's own modules: `write` and `rows`."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, notices: tuple[str, ...], clock: Clock
    ) -> None:
        self._connection = connection
        self.path = path
        self.notices = notices  # anything the user should be told about opening the file
        self._clock = clock
        self._lock = threading.RLock()  # one connection, usable from a UI's worker thread

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def now(self) -> datetime:
        """The store's clock (a test may set it): what "now" means for saving and for spaced review."""
        return self._clock()

    def stamp(self) -> str:
        """Now, as the history writes times."""
        return timestamp(self._clock())

    @contextlib.contextmanager
    def write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction: all of it is saved, or none of it."""
        with self._lock:
            try:
                self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain(exc, self.path, doing) from None
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
                if isinstance(exc, (sqlite3.Error, OSError)):
                    raise explain(exc, self.path, doing) from None
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads that share code with a write transaction."""
        with self._lock:
            yield self._connection

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query."""
        with self._lock:
            try:
                return self._connection.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise explain(exc, self.path, "read the history") from None

    def install_id(self) -> str:
        """A random id made when this history file was created: export ids derived from it stay stable."""
        return str(self.rows("SELECT value FROM settings WHERE key = 'install_id'")[0][0])
