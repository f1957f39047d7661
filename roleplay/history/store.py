"""The history of every call, in one embedded SQLite file: saved as it is played, never silently lost.

Why it is built this way:
- WAL mode and `BEGIN IMMEDIATE` for every write, with a busy timeout: several terminals (a workshop's
  trainees on one machine) can save at the same moment and all succeed, and readers never block writers.
- Each step is written as it is played, so a quit or a crash leaves the call's steps behind; the next open
  marks a call whose process is gone as abandoned instead of leaving it "in progress" for ever.
- The schema version lives in `PRAGMA user_version`, and each migration runs inside the same transaction
  that bumps it, so two processes opening an old file never migrate it twice.
- A file that is not a readable database is moved aside with a timestamp (never deleted) and a new one is
  started; the caller gets a notice saying where the old one went.
- Every SQLite or file-system failure becomes a `StoreError` with one line saying what is wrong and where.

The record keeps the transcript (seed, bindings, steps, ending) and the judgement, so the debrief can always
be recomputed; flags spotted and missed are derived once at saving time and kept for fast SQL aggregation.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

from roleplay.core.debrief import Debrief
from roleplay.core.events import Action
from roleplay.core.model import Language, Scenario, Text
from roleplay.core.transcript import Step, Transcript, draw_bindings
from roleplay.history.clock import Clock, parse_time, timestamp, utc_now
from roleplay.history.damage import move_aside, still_damaged
from roleplay.history.errors import StoreError, UnknownCall, UnknownWorkshop, explain, is_damage
from roleplay.history.files import default_path
from roleplay.history.migrations import check_version, migrate
from roleplay.history.names import (
    WORKSHOP_ALPHABET,
    WORKSHOP_ID_LENGTH,
    check_nickname,
    normalise_workshop_id,
)
from roleplay.history.process import pid_alive
from roleplay.history.records import (
    CallMode,
    CallRecord,
    CallStatus,
    ExcerptAnswer,
    FlagRecord,
    Phase,
    StepRecord,
    Workshop,
)

# An in-progress call older than this belongs to no live session, whatever its pid says (pids are reused).
STALE_AFTER = timedelta(hours=12)

# -- the store -------------------------------------------------------------------------------------------


class Store:
    """The history file. Open with `Store.open()`; read `notices` for anything the user should be told."""

    def __init__(
        self, db: sqlite3.Connection, path: Path, notices: tuple[str, ...], clock: Clock, busy_timeout: float
    ) -> None:
        self._db = db
        self.path = path
        self.notices = notices
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._lock = threading.RLock()  # one connection, usable from a UI's worker thread

    # -- opening

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
        notices: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise explain(exc, path.parent, "create the history folder") from None
        try:
            db = cls._connect(path, busy_timeout)
        except sqlite3.Error as exc:
            if not is_damage(exc):
                raise explain(exc, path, "open the history") from None
            if still_damaged(path):  # another roleplay may have replaced it a moment ago
                moved = move_aside(path, clock())
                notices.append(
                    f"The history file {path} was damaged: it was moved to {moved} and a new one was started."
                )
            try:
                db = cls._connect(path, busy_timeout)
            except sqlite3.Error as again:
                raise explain(again, path, "start a new history") from None
        store = cls(db, path, tuple(notices), clock, busy_timeout)
        store._recover_abandoned()
        return store

    @staticmethod
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

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction: all of it is saved, or none of it."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain(exc, self.path, doing) from None
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                if isinstance(exc, (sqlite3.Error, OSError)):
                    raise explain(exc, self.path, doing) from None
                raise

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query: the SQL aggregations of `progress` and `report` go through here."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise explain(exc, self.path, "read the history") from None

    def now(self) -> datetime:
        """The store's clock (a test may set it): what "now" means for saving and for spaced review."""
        return self._clock()

    def _now(self) -> str:
        return timestamp(self._clock())

    # -- calls

    def begin_call(  # noqa: PLR0917 - the order the front ends were promised
        self,
        trainee: str,
        scenario: Scenario,
        scenario_hash: str,
        seed: int,
        lang: Language,
        workshop_id: str | None = None,
        *,
        source_path: Path | None = None,
        mode: CallMode = "solo",
    ) -> int:
        """Record that a call started; returns its id for `record_step` and `finish_call`."""
        if mode == "solo":
            try:
                trainee = check_nickname(trainee)
            except ValueError as exc:
                raise StoreError(f"{self.path}: {exc}") from None
        bindings = draw_bindings(scenario, seed)
        with self._write("save the start of the call") as db:
            if workshop_id is not None:
                workshop_id = self._workshop_in(db, workshop_id).id
            cursor = db.execute(
                """INSERT INTO calls (trainee, scenario, scenario_hash, kind, title_zh, title_en, source_path,
                       seed, bindings, lang, status, pid, started_at, workshop_id, mode)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)""",
                (
                    trainee,
                    scenario.id,
                    scenario_hash,
                    scenario.kind,
                    scenario.title.zh,
                    scenario.title.en,
                    str(source_path.resolve()) if source_path else None,
                    seed,
                    json.dumps(bindings, sort_keys=True),
                    lang,
                    os.getpid(),
                    self._now(),
                    workshop_id,
                    mode,
                ),
            )
            return int(cursor.lastrowid or 0)

    def record_step(
        self,
        call_id: int,
        step: Step,
        *,
        votes: Mapping[str, int] | None = None,
        overridden: bool | None = None,
    ) -> None:
        """Save one decision as soon as it is taken, so a quit or crash leaves it behind."""
        with self._write("save the step") as db:
            self._in_progress(db, call_id)
            self._put_step(db, call_id, step, at=self._now(), overridden=overridden)
            if votes is not None:
                db.execute("DELETE FROM votes WHERE call_id = ? AND turn = ?", (call_id, step.turn))
                db.executemany(
                    "INSERT INTO votes (call_id, turn, option, count) VALUES (?, ?, ?, ?)",
                    [(call_id, step.turn, option, int(count)) for option, count in votes.items()],
                )

    def finish_call(
        self,
        call_id: int,
        transcript: Transcript,
        debrief: Debrief,
        judged_scam: bool | None,
        *,
        room_votes: tuple[int, int] | None = None,
    ) -> None:
        """Save the end of a call in one transaction: steps, ending, outcome, flags and the judgement."""
        if transcript.ending is None:
            raise ValueError("the transcript has no ending: use abandon_call for a call that did not end")
        if debrief.ending != transcript.ending or debrief.scenario != transcript.scenario:
            raise ValueError("the debrief was not computed from this transcript")
        now = self._now()
        with self._write("save the finished call") as db:
            row = self._in_progress(db, call_id, allow_abandoned=True)
            if row["scenario"] != transcript.scenario or row["seed"] != transcript.seed:
                raise StoreError(f"{self.path}: call {call_id} is not a call of '{transcript.scenario}'")
            for step in transcript.steps:
                self._put_step(db, call_id, step, at=now, overridden=None, keep_time=True)
            db.execute(
                "DELETE FROM steps WHERE call_id = ? AND turn > ?",
                (call_id, max((s.turn for s in transcript.steps), default=0)),
            )
            db.execute(
                """UPDATE calls SET status = 'finished', ending = ?, outcome = ?, severity = ?, lost = ?,
                       exposed = ?, judged_scam = ?, spotted = ?, missed = ?, ended_at = ?,
                       room_said_scam = ?, room_said_not = ?
                   WHERE id = ?""",
                (
                    transcript.ending,
                    debrief.outcome,
                    debrief.severity,
                    debrief.lost,
                    json.dumps(list(debrief.exposed)),
                    None if judged_scam is None else int(judged_scam),
                    debrief.spotted,
                    debrief.missed,
                    now,
                    room_votes[0] if room_votes else None,
                    room_votes[1] if room_votes else None,
                    call_id,
                ),
            )
            db.execute("DELETE FROM call_flags WHERE call_id = ?", (call_id,))
            db.executemany(
                "INSERT OR REPLACE INTO call_flags (call_id, turn, flag, status) VALUES (?, ?, ?, ?)",
                [(call_id, f.turn, f.flag, f.status) for f in debrief.flags],
            )

    def abandon_call(self, call_id: int) -> None:
        """Mark a call that will not end (the trainee quit) as abandoned; its steps stay."""
        with self._write("save the abandoned call") as db:
            row = self._in_progress(db, call_id, allow_abandoned=True)
            if row["status"] == "in_progress":
                self._mark_abandoned(db, call_id, self._now())

    def call(self, call_id: int) -> CallRecord:
        found = self._records("c.id = ?", (call_id,))
        if not found:
            raise UnknownCall(f"{self.path}: there is no call {call_id} in the history")
        return found[0]

    def calls(
        self,
        *,
        trainee: str | None = None,
        workshop_id: str | None = None,
        status: CallStatus | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[CallRecord]:
        """Calls with their steps and flags, filtered. For lists and exports; aggregate with SQL instead."""
        where: list[str] = ["1"]
        params: list[Any] = []
        if trainee is not None:
            where.append("c.trainee = ?")
            params.append(trainee)
        if workshop_id is not None:
            where.append("c.workshop_id = ?")
            params.append(normalise_workshop_id(workshop_id))
        if status is not None:
            where.append("c.status = ?")
            params.append(status)
        order = "DESC" if newest_first else "ASC"
        tail = f" ORDER BY c.started_at {order}, c.id {order}"
        if limit is not None:
            tail += f" LIMIT {int(limit)}"
        return self._records(" AND ".join(where), params, tail)

    def trainees(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT DISTINCT trainee FROM calls ORDER BY trainee")]

    def install_id(self) -> str:
        """A random id made when this history file was created: export ids derived from it stay stable."""
        return str(self.rows("SELECT value FROM settings WHERE key = 'install_id'")[0][0])

    # -- workshops

    def create_workshop(self, facilitator: str, title: str | None = None) -> Workshop:
        """A new workshop with a short id that is easy to read out and type."""
        facilitator = facilitator.strip()
        if not facilitator:
            raise StoreError(f"{self.path}: a workshop needs the facilitator's name")
        now = self._now()
        with self._write("create the workshop") as db:
            while True:
                new_id = "".join(secrets.choice(WORKSHOP_ALPHABET) for _ in range(WORKSHOP_ID_LENGTH))
                if not db.execute("SELECT 1 FROM workshops WHERE id = ?", (new_id,)).fetchone():
                    break
            db.execute(
                "INSERT INTO workshops (id, facilitator, title, created_at) VALUES (?, ?, ?, ?)",
                (new_id, facilitator, title, now),
            )
        return Workshop(new_id, facilitator, title, parse_time(now))

    def workshop(self, workshop_id: str) -> Workshop:
        """The workshop with this id (any case). Raises UnknownWorkshop with what to do."""
        with self._lock:
            return self._workshop_in(self._db, workshop_id)

    def workshops(self) -> list[Workshop]:
        return [
            Workshop(r["id"], r["facilitator"], r["title"], parse_time(r["created_at"]))
            for r in self.rows("SELECT * FROM workshops ORDER BY created_at DESC")
        ]

    def record_test_answer(
        self,
        workshop_id: str,
        phase: Phase,
        item: int,
        *,
        scenario: str,
        kind: Literal["scam", "legit"],
        said_scam: int,
        said_not: int,
    ) -> None:
        """Save how the room judged one test excerpt; typing it again corrects it."""
        if said_scam < 0 or said_not < 0:
            raise ValueError("vote counts cannot be negative")
        with self._write("save the test answer") as db:
            workshop = self._workshop_in(db, workshop_id)
            db.execute(
                """INSERT OR REPLACE INTO test_answers
                       (workshop_id, phase, item, scenario, kind, said_scam, said_not, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (workshop.id, phase, item, scenario, kind, said_scam, said_not, self._now()),
            )

    def test_answers(self, workshop_id: str, phase: Phase | None = None) -> list[ExcerptAnswer]:
        workshop = self.workshop(workshop_id)
        rows = self.rows(
            "SELECT * FROM test_answers WHERE workshop_id = ? AND (? IS NULL OR phase = ?)"
            " ORDER BY phase DESC, item",
            (workshop.id, phase, phase),
        )
        return [
            ExcerptAnswer(
                r["workshop_id"],
                r["phase"],
                r["item"],
                r["scenario"],
                r["kind"],
                r["said_scam"],
                r["said_not"],
                parse_time(r["at"]),
            )
            for r in rows
        ]

    # -- inside

    def _workshop_in(self, db: sqlite3.Connection, workshop_id: str) -> Workshop:
        wanted = normalise_workshop_id(workshop_id)
        try:
            row = db.execute("SELECT * FROM workshops WHERE id = ?", (wanted,)).fetchone()
        except sqlite3.Error as exc:
            raise explain(exc, self.path, "read the workshops") from None
        if row is None:
            raise UnknownWorkshop(
                f"{self.path}: there is no workshop '{wanted}' in this history; check the id the facilitator "
                "gave (`roleplay workshop list` shows them)"
            )
        return Workshop(row["id"], row["facilitator"], row["title"], parse_time(row["created_at"]))

    def _in_progress(
        self, db: sqlite3.Connection, call_id: int, allow_abandoned: bool = False
    ) -> sqlite3.Row:
        row = db.execute("SELECT status, scenario, seed FROM calls WHERE id = ?", (call_id,)).fetchone()
        if row is None:
            raise UnknownCall(f"{self.path}: there is no call {call_id} in the history")
        allowed = ("in_progress", "abandoned") if allow_abandoned else ("in_progress",)
        if row["status"] not in allowed:
            raise StoreError(f"{self.path}: call {call_id} is already {row['status'].replace('_', ' ')}")
        return cast(sqlite3.Row, row)

    @staticmethod
    def _put_step(
        db: sqlite3.Connection,
        call_id: int,
        step: Step,
        *,
        at: str,
        overridden: bool | None,
        keep_time: bool = False,
    ) -> None:
        on_conflict = (
            "node = excluded.node, action = excluded.action, choice = excluded.choice"
            if keep_time
            else "node = excluded.node, action = excluded.action, choice = excluded.choice, at = excluded.at,"
            " overridden = excluded.overridden"
        )
        db.execute(
            f"""INSERT INTO steps (call_id, turn, node, action, choice, at, overridden)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (call_id, turn) DO UPDATE SET {on_conflict}""",
            (
                call_id,
                step.turn,
                step.node,
                step.action,
                step.index,
                at,
                None if overridden is None else int(overridden),
            ),
        )

    @staticmethod
    def _mark_abandoned(db: sqlite3.Connection, call_id: int, fallback: str) -> None:
        """Abandoned when the last step was taken (or when it started): that is when the trainee left."""
        db.execute(
            """UPDATE calls SET status = 'abandoned',
                   ended_at = coalesce((SELECT max(at) FROM steps WHERE call_id = calls.id), started_at, ?)
               WHERE id = ?""",
            (fallback, call_id),
        )

    def _recover_abandoned(self) -> None:
        """Calls still 'in progress' whose process is gone (a crash, a closed terminal) become abandoned."""
        stale_before = timestamp(self._clock() - STALE_AFTER)
        rows = self.rows("SELECT id, pid, started_at FROM calls WHERE status = 'in_progress'")
        gone = [r["id"] for r in rows if r["started_at"] < stale_before or not pid_alive(r["pid"] or 0)]
        if not gone:
            return
        now = self._now()
        with self._write("mark interrupted calls as abandoned") as db:
            for call_id in gone:
                still = db.execute("SELECT status FROM calls WHERE id = ?", (call_id,)).fetchone()
                if still and still["status"] == "in_progress":
                    self._mark_abandoned(db, call_id, now)

    def _records(self, where: str, params: Sequence[Any], tail: str = "") -> list[CallRecord]:
        calls = self.rows(f"SELECT * FROM calls AS c WHERE {where}{tail}", params)
        if not calls:
            return []
        ids = [r["id"] for r in calls]
        steps: dict[int, list[StepRecord]] = {i: [] for i in ids}
        flags: dict[int, list[FlagRecord]] = {i: [] for i in ids}
        votes: dict[tuple[int, int], dict[str, int]] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.rows(
                f"SELECT call_id, turn, option, count FROM votes WHERE call_id IN ({marks})", chunk
            ):
                votes.setdefault((r["call_id"], r["turn"]), {})[r["option"]] = r["count"]
            for r in self.rows(
                f"SELECT * FROM steps WHERE call_id IN ({marks}) ORDER BY call_id, turn", chunk
            ):
                steps[r["call_id"]].append(
                    StepRecord(
                        Step(r["turn"], r["node"], cast(Action, r["action"]), r["choice"]),
                        parse_time(r["at"]),
                        votes.get((r["call_id"], r["turn"])),
                        None if r["overridden"] is None else bool(r["overridden"]),
                    )
                )
            for r in self.rows(
                f"SELECT * FROM call_flags WHERE call_id IN ({marks}) ORDER BY call_id, turn, flag", chunk
            ):
                flags[r["call_id"]].append(FlagRecord(r["flag"], r["turn"], r["status"]))
        return [
            CallRecord(
                id=r["id"],
                trainee=r["trainee"],
                scenario=r["scenario"],
                scenario_hash=r["scenario_hash"],
                kind=r["kind"],
                title=Text(zh=r["title_zh"], en=r["title_en"]),
                source_path=r["source_path"],
                seed=r["seed"],
                bindings=json.loads(r["bindings"]),
                lang=r["lang"],
                status=r["status"],
                mode=r["mode"],
                workshop_id=r["workshop_id"],
                steps=tuple(steps[r["id"]]),
                ending=r["ending"],
                outcome=r["outcome"],
                severity=r["severity"],
                lost=r["lost"],
                exposed=tuple(json.loads(r["exposed"])),
                judged_scam=None if r["judged_scam"] is None else bool(r["judged_scam"]),
                room_votes=None
                if r["room_said_scam"] is None
                else (int(r["room_said_scam"]), int(r["room_said_not"])),
                flags=tuple(flags[r["id"]]),
                started_at=parse_time(r["started_at"]),
                ended_at=parse_time(r["ended_at"]) if r["ended_at"] else None,
            )
            for r in calls
        ]


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
