"""Reading calls back: whole call records (with their steps, votes and flags), filtered and counted."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, cast

from roleplay.core.events import Action
from roleplay.core.model import Text
from roleplay.core.transcript import Step
from roleplay.history.clock import parse_time
from roleplay.history.database import Database
from roleplay.history.errors import StoreError, UnknownCall
from roleplay.history.records import CallRecord, CallStatus, FlagRecord, StepRecord
from roleplay.history.scope import Scope

# Ids per `IN (…)` list: well under SQLite's limit on parameters.
CHUNK = 500


class CallReading(Database):
    """The calls of a history file as records; aggregations have queries of their own."""

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
        where, params = Scope(trainee, workshop_id, status).where()
        order = "DESC" if newest_first else "ASC"
        tail = f" ORDER BY c.started_at {order}, c.id {order}"
        if limit is not None:
            tail += f" LIMIT {int(limit)}"
        return self._records(where, params, tail)

    def count_calls(
        self,
        *,
        trainee: str | None = None,
        workshop_id: str | None = None,
        status: CallStatus | None = None,
    ) -> int:
        """How many calls `calls` would return with these filters, counted without reading them."""
        where, params = Scope(trainee, workshop_id, status).where()
        return int(self.rows(f"SELECT count(*) FROM calls AS c WHERE {where}", params)[0][0])

    def trainees(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT DISTINCT trainee FROM calls ORDER BY trainee")]

    def _records(self, where: str, params: Sequence[Any], tail: str = "") -> list[CallRecord]:
        try:
            return self._read_records(where, params, tail)
        except (ValueError, TypeError, LookupError, AttributeError) as exc:  # changed outside roleplay
            raise StoreError(
                f"{self.path}: a call's record cannot be read ({type(exc).__name__}); the history was "
                "changed outside roleplay: restore it from a copy, or move it aside to start a new one"
            ) from None

    def _read_records(self, where: str, params: Sequence[Any], tail: str = "") -> list[CallRecord]:
        calls = self.rows(f"SELECT * FROM calls AS c WHERE {where}{tail}", params)
        if not calls:
            return []
        ids = [r["id"] for r in calls]
        steps: dict[int, list[StepRecord]] = {i: [] for i in ids}
        flags: dict[int, list[FlagRecord]] = {i: [] for i in ids}
        votes: dict[tuple[int, int], dict[str, int]] = {}
        for chunk in _chunks(ids, CHUNK):
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
        return [self._record(r, steps, flags) for r in calls]

    @staticmethod
    def _record(r: Any, steps: dict[int, list[StepRecord]], flags: dict[int, list[FlagRecord]]) -> CallRecord:
        return CallRecord(
            id=r["id"],
            trainee=r["trainee"],
            scenario=r["scenario"],
            scenario_hash=r["scenario_hash"],
            kind=r["kind"],
            title=Text.model_construct(zh=str(r["title_zh"]), en=str(r["title_en"])),
            source_path=r["source_path"],
            seed=r["seed"],
            bindings=_json(r["bindings"], {}),
            lang=r["lang"],
            status=r["status"],
            mode=r["mode"],
            workshop_id=r["workshop_id"],
            steps=tuple(steps[r["id"]]),
            ending=r["ending"],
            outcome=r["outcome"],
            severity=r["severity"],
            lost=r["lost"],
            exposed=tuple(_json(r["exposed"], [])),
            judged_scam=None if r["judged_scam"] is None else bool(r["judged_scam"]),
            acted_scam=None if r["acted_scam"] is None else bool(r["acted_scam"]),
            room_votes=None
            if r["room_said_scam"] is None
            else (int(r["room_said_scam"]), int(r["room_said_not"])),
            flags=tuple(flags[r["id"]]),
            started_at=parse_time(r["started_at"]),
            ended_at=parse_time(r["ended_at"]) if r["ended_at"] else None,
        )


def _json(raw: Any, default: Any) -> Any:
    """A JSON column; `default` when it is not the JSON roleplay wrote (a damaged row)."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        return default
    return value if isinstance(value, type(default)) else default


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
