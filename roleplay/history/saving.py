"""Saving calls as they are played: the start, each step as it is taken, the end (or the abandonment).

Why: each step is written as it is played, so a quit or a crash leaves the call's steps behind; the next
open marks a call whose process is gone as abandoned instead of leaving it "in progress" for ever. The
record keeps the transcript (seed, bindings, steps, ending) and the judgement, so the debrief can always
be recomputed; flags spotted and missed, and whether the call ended as if the trainee took it for a scam
(a real call's ending says so in the scenario file, which SQL cannot read), are derived once at saving time
and kept for fast SQL aggregation.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import cast

from roleplay.core.debrief import Debrief
from roleplay.core.model import Language, Scenario
from roleplay.core.transcript import Step, Transcript, draw_bindings
from roleplay.history.clock import timestamp
from roleplay.history.database import Database
from roleplay.history.errors import StoreError, UnknownCall
from roleplay.history.names import check_nickname
from roleplay.history.process import pid_alive
from roleplay.history.records import CallMode
from roleplay.history.workshops import find_workshop

# An in-progress call older than this belongs to no live session, whatever its pid says (pids are reused).
STALE_AFTER = timedelta(hours=12)


class CallSaving(Database):
    """Writing calls: every method is one transaction."""

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
        with self.write("save the start of the call") as db:
            if workshop_id is not None:
                workshop_id = find_workshop(db, self.path, workshop_id).id
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
                    self.stamp(),
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
        with self.write("save the step") as db:
            self._in_progress(db, call_id)
            _put_step(db, call_id, step, at=self.stamp(), overridden=overridden)
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
        """Save the end of a call in one transaction: steps, ending, outcome, flags, the judgement and the
        behaviour."""
        if transcript.ending is None:
            raise ValueError("the transcript has no ending: use abandon_call for a call that did not end")
        if debrief.ending != transcript.ending or debrief.scenario != transcript.scenario:
            raise ValueError("the debrief was not computed from this transcript")
        now = self.stamp()
        with self.write("save the finished call") as db:
            row = self._in_progress(db, call_id, allow_abandoned=True)
            if row["scenario"] != transcript.scenario or row["seed"] != transcript.seed:
                raise StoreError(f"{self.path}: call {call_id} is not a call of '{transcript.scenario}'")
            for step in transcript.steps:
                _put_step(db, call_id, step, at=now, overridden=None, keep_time=True)
            db.execute(
                "DELETE FROM steps WHERE call_id = ? AND turn > ?",
                (call_id, max((s.turn for s in transcript.steps), default=0)),
            )
            db.execute(
                """UPDATE calls SET status = 'finished', ending = ?, outcome = ?, severity = ?, lost = ?,
                       exposed = ?, judged_scam = ?, acted_scam = ?, spotted = ?, missed = ?, ended_at = ?,
                       room_said_scam = ?, room_said_not = ?
                   WHERE id = ?""",
                (
                    transcript.ending,
                    debrief.outcome,
                    debrief.severity,
                    debrief.lost,
                    json.dumps(list(debrief.exposed)),
                    None if judged_scam is None else int(judged_scam),
                    None if debrief.acted_scam is None else int(debrief.acted_scam),
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
        with self.write("save the abandoned call") as db:
            row = self._in_progress(db, call_id, allow_abandoned=True)
            if row["status"] == "in_progress":
                _mark_abandoned(db, call_id, self.stamp())

    def _recover_abandoned(self) -> None:
        """Calls still 'in progress' whose process is gone (a crash, a closed terminal) become abandoned."""
        stale_before = timestamp(self.now() - STALE_AFTER)
        rows = self.rows("SELECT id, pid, started_at FROM calls WHERE status = 'in_progress'")
        gone = [
            r["id"] for r in rows if str(r["started_at"]) < stale_before or not pid_alive(int(r["pid"] or 0))
        ]
        if not gone:
            return
        now = self.stamp()
        with self.write("mark interrupted calls as abandoned") as db:
            for call_id in gone:
                still = db.execute("SELECT status FROM calls WHERE id = ?", (call_id,)).fetchone()
                if still and still["status"] == "in_progress":
                    _mark_abandoned(db, call_id, now)

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


def _mark_abandoned(db: sqlite3.Connection, call_id: int, fallback: str) -> None:
    """Abandoned when the last step was taken (or when it started): that is when the trainee left."""
    db.execute(
        """UPDATE calls SET status = 'abandoned',
               ended_at = coalesce((SELECT max(at) FROM steps WHERE call_id = calls.id), started_at, ?)
           WHERE id = ?""",
        (fallback, call_id),
    )
