"""One open history file: connecting to it, its lock, transactions and reads.

Why it is built this way:
- WAL mode and `BEGIN IMMEDIATE` for every write, with a busy timeout: several terminals (a workshop's
  trainees on one machine) can save at the same moment and all succeed, and readers never block writers.
- A file that is not a readable database is moved aside with a timestamp (never deleted) and a new one is
  started; the caller gets a notice saying where the old one went.
- Every SQLite or file-system failure becomes a `StoreError` with one line saying what is wrong and where.
- A small file is checked each time it is opened (`PRAGMA integrity_check` up to INTEGRITY_CHECK_BYTES, which
  also finds an index that disagrees with its table, `quick_check` up to QUICK_CHECK_BYTES); any file is,
  the first time it is opened after a read met damage (a marker file beside it says so). Damaged indexes
  are rebuilt (nothing is lost); other damage moves the file aside. Damage is not met again and again.
- A history on read-only media (a write-protected USB stick, a CD) is opened read-only and immutable: it
  can be read, its notice says nothing new will be saved, and each write fails as read-only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from roleplay.history.clock import Clock, timestamp
from roleplay.history.damage import move_aside, still_damaged
from roleplay.history.errors import error_name, explain, is_damage
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
        db = _connect(path, busy_timeout)
    except sqlite3.Error as exc:
        if _on_read_only_media(exc, path):
            return _connect_read_only(path), (
                f"The history file {path} is on read-only media: it can be read, but nothing new will be "
                "saved to it (set ROLEPLAY_HOME to a writable folder to keep new calls).",
            )
        if not is_damage(exc):
            raise explain(exc, path, "open the history") from None
    else:
        try:
            notice = _checked(db, path)
        except _Damaged:
            db.close()
        else:
            return db, (notice,) if notice else ()
    _suspect(path, False)
    if _rebuilt_indexes(path, busy_timeout):
        try:
            return _connect(path, busy_timeout), (_rebuilt(path),)
        except sqlite3.Error as again:
            if not is_damage(again):
                raise explain(again, path, "open the history") from None
    if still_damaged(path):  # another roleplay may have replaced it a moment ago
        moved = move_aside(path, clock())
        notices.append(
            f"The history file {path} was damaged: it was moved to {moved} and a new one was started."
        )
    try:
        return _connect(path, busy_timeout), tuple(notices)
    except sqlite3.Error as again:
        raise explain(again, path, "start a new history") from None


INTEGRITY_CHECK_BYTES = 1_000_000  # about 1,000 calls: some 15 ms
QUICK_CHECK_BYTES = 8_000_000  # about 8,000 calls: some 50 ms


class _Damaged(Exception):
    """`PRAGMA quick_check` found damage that rebuilding the indexes did not mend."""


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".check")


def _suspect(path: Path, damaged: bool) -> None:
    """Leave (or remove) the marker that asks the next open to check the file, whatever its size."""
    marker = _marker(path)
    with contextlib.suppress(OSError):
        if damaged:
            marker.touch()
        else:
            marker.unlink(missing_ok=True)


def _quick_check(db: sqlite3.Connection, pragma: str = "quick_check") -> bool:
    return [tuple(row) for row in db.execute(f"PRAGMA {pragma}").fetchall()] == [("ok",)]


# Columns every read needs: a damaged schema (its text is not checked by quick_check) fails here at once.
_PROBES = (
    "SELECT id, trainee, scenario, kind, title_zh, title_en, status, started_at, ended_at FROM calls LIMIT 0",
    "SELECT call_id, turn, node, action, choice, at FROM steps LIMIT 0",
    "SELECT call_id, flag, turn, status FROM call_flags LIMIT 0",
)


def _schema_readable(db: sqlite3.Connection) -> bool:
    """Every row of every table can be read (run only after damage was met: it reads the whole file)."""
    db.text_factory = _text
    try:
        for table in [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]:
            for _row in db.execute(f'SELECT * FROM "{table}"'):
                pass
        for probe in _PROBES:
            db.execute(probe).fetchall()
    except (sqlite3.Error, UnicodeDecodeError):
        return False
    finally:
        db.text_factory = str
    return True


def _checked(db: sqlite3.Connection, path: Path) -> str | None:
    """Check the file where that is cheap, or where damage was met; rebuild damaged indexes (a notice says
    so). Raises _Damaged for damage that stays."""
    asked = _marker(path).exists()
    try:
        size = path.stat().st_size
        if asked and not _schema_readable(db):
            raise _Damaged
        if not asked and size > QUICK_CHECK_BYTES:
            return None
        # Damage met where quick_check sees none is an index that disagrees with its table: rebuild them.
        pragma = "integrity_check" if size <= INTEGRITY_CHECK_BYTES else "quick_check"
        if not asked and _quick_check(db, pragma):
            notice = None
        else:
            db.execute("REINDEX")
            if not _quick_check(db):
                raise _Damaged
            notice = _rebuilt(path)
    except UnicodeDecodeError:
        raise _Damaged from None
    except sqlite3.Error as exc:
        if is_damage(exc):
            raise _Damaged from None
        return None  # busy, say: the next open checks again
    except OSError:
        return None
    if asked:
        _suspect(path, False)
    return notice


def _text(raw: bytes) -> str:
    """Text as the history holds it: roleplay writes only UTF-8, so other bytes are a damaged row, shown
    with U+FFFD where they cannot be read instead of making the whole history unreadable."""
    return raw.decode("utf-8", "replace")


def _rebuilt(path: Path) -> str:
    return f"The history file {path} had damaged indexes: they were rebuilt, and nothing was lost."


def _rebuilt_indexes(path: Path, busy_timeout: float) -> bool:
    """Rebuild every index of a damaged file: True when that mended it (the tables were whole)."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)) as db:
            db.execute("REINDEX")
            return _quick_check(db)
    except (sqlite3.Error, UnicodeDecodeError):
        return False


def _on_read_only_media(exc: sqlite3.Error, path: Path) -> bool:
    if not error_name(exc).startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
        return False
    return os.access(path, os.R_OK) and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


class ReadOnlyConnection(sqlite3.Connection):
    """A history opened from read-only media."""


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only and immutable: SQLite then needs no -wal or -shm file beside it (it cannot make them)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        db = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, factory=ReadOnlyConnection
        )
    except sqlite3.Error as exc:
        raise explain(exc, path, "open the history") from None
    try:
        db.row_factory = sqlite3.Row
        check_version(db, path)
        db.execute("SELECT count(*) FROM calls").fetchone()
    except sqlite3.Error as exc:
        db.close()
        raise explain(exc, path, "read the history") from None
    except BaseException:
        db.close()
        raise
    return db


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
    except UnicodeDecodeError:  # text in the file's header or schema that is not UTF-8: a damaged page
        db.close()
        raise sqlite3.DatabaseError("database disk image is malformed (text that is not UTF-8)") from None
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
        self.read_only = isinstance(connection, ReadOnlyConnection)
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
                raise self._explain(exc, doing) from None
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
                if isinstance(exc, (sqlite3.Error, OSError, OverflowError)):
                    raise self._explain(exc, doing) from None
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
            except UnicodeDecodeError:
                pass
            except sqlite3.Error as exc:
                if "could not decode to utf-8" not in str(exc).lower():
                    raise self._explain(exc, "read the history") from None
            # A row whose text is damaged: shown with U+FFFD there, the rest of the history as it is.
            self._connection.text_factory = _text
            try:
                return self._connection.execute(sql, params).fetchall()
            except UnicodeDecodeError:  # a column's name, in a damaged schema
                raise self._explain(
                    sqlite3.DatabaseError("database disk image is malformed"), "read the history"
                ) from None
            except sqlite3.Error as exc:
                raise self._explain(exc, "read the history") from None
            finally:
                self._connection.text_factory = str

    def _explain(self, exc: BaseException, doing: str) -> Exception:
        """The one line for `exc`; damage also leaves the marker that has the next open check the file."""
        if isinstance(exc, sqlite3.Error) and is_damage(exc):
            _suspect(self.path, True)
        return explain(exc, self.path, doing)

    def install_id(self) -> str:
        """A random id made when this history file was created: export ids derived from it stay stable."""
        return str(self.rows("SELECT value FROM settings WHERE key = 'install_id'")[0][0])
