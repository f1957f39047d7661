"""A trainee's progress across calls: outcomes, red flags met/spotted/missed, discernment over time (by
the verdicts and by behaviour), the latest calls, and what to play next.

Why: one call's debrief says what happened once; a trainee improves by seeing which tactics they keep
falling for, whether they can tell scam calls from real ones (not just hang up on everyone: behaviour
is counted beside the verdict, so hanging up on every real warning shows as false alarms even when
the verdicts are right), and by meeting the tactics they missed again. Everything is aggregated in SQL
over the store; nothing here loads every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from roleplay.core.debrief import Detection
from roleplay.core.model import Outcome, Severity, Text
from roleplay.history.database import Database
from roleplay.history.discernment import NO_JUDGEMENTS, Discernment
from roleplay.history.flags import FlagStats, flag_stats
from roleplay.history.next_call import Recommendation, recommend
from roleplay.history.records import CallRecord, CallStatus
from roleplay.history.scope import Scope
from roleplay.history.store import Store
from roleplay.history.totals import CallTotals, by_day, call_totals
from roleplay.history.versions import Versions
from roleplay.library.library import Library


@dataclass(frozen=True)
class Period:
    """Discernment on one day (local time), and over every day up to it: by the verdicts, and by
    behaviour (`acted_…`)."""

    day: str
    that_day: Discernment
    so_far: Discernment
    acted_that_day: Discernment
    acted_so_far: Discernment

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "that_day": self.that_day.to_json(),
            "so_far": self.so_far.to_json(),
            "by_behaviour": {
                "that_day": self.acted_that_day.to_json(),
                "so_far": self.acted_so_far.to_json(),
            },
        }


@dataclass(frozen=True)
class CallSummary:
    """One call in a history list; `current` is False when its scenario file changed since."""

    id: int
    scenario: str
    title: Text
    kind: str
    status: CallStatus
    outcome: Outcome | None
    severity: Severity | None
    lost: int
    judged_scam: bool | None
    judged_right: bool | None
    behaviour: Detection | None  # what the trainee did; None unfinished, or a real call saved before
    spotted: int
    missed: int
    workshop_id: str | None
    started_at: datetime
    current: bool | None  # None: the scenario file is no longer found

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "kind": self.kind,
            "status": self.status,
            "outcome": self.outcome,
            "severity": self.severity,
            "lost": self.lost,
            "judged_scam": self.judged_scam,
            "judged_right": self.judged_right,
            "behaviour": self.behaviour,
            "spotted": self.spotted,
            "missed": self.missed,
            "workshop": self.workshop_id,
            "started_at": self.started_at.isoformat(),
            "scenario_changed": None if self.current is None else not self.current,
        }


@dataclass(frozen=True)
class Progress(CallTotals):
    """The totals of one trainee's calls, and what they show over time."""

    trainee: str
    flags: tuple[FlagStats, ...]  # most missed first
    timeline: tuple[Period, ...]
    recommendation: Recommendation | None
    recent: tuple[CallSummary, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "trainee": self.trainee,
            "calls": self.calls,
            "finished": self.finished,
            "abandoned": self.abandoned,
            "outcomes": {"safe": self.safe, "loss": self.loss},
            "money_lost": self.money_lost,
            "flags": [
                {
                    "id": f.flag,
                    "met": f.met,
                    "spotted": f.spotted,
                    "missed": f.missed,
                    "last_met": f.last_met.isoformat(),
                    "last_missed": f.last_missed.isoformat() if f.last_missed else None,
                    "due_for_review": f.due_for_review,
                }
                for f in self.flags
            ],
            "discernment": self.discernment.to_json(),
            "discernment_by_behaviour": self.behaviour.to_json(),
            "timeline": [p.to_json() for p in self.timeline],
            "recommendation": self.recommendation.to_json() if self.recommendation else None,
            "recent": [c.to_json() for c in self.recent],
        }


def trainee_progress(
    store: Store, trainee: str, library: Library, *, now: datetime | None = None, recent: int = 10
) -> Progress:
    """Everything `roleplay history` shows for one trainee, aggregated in SQL."""
    flags = flag_stats(store, trainee, now or store.now())
    return Progress(
        **call_totals(store, Scope(trainee=trainee)).as_fields(),
        trainee=trainee,
        flags=flags,
        timeline=timeline(store, trainee),
        recommendation=recommend(store, trainee, library, flags),
        recent=tuple(summaries(store.calls(trainee=trainee, limit=recent), library)),
    )


def timeline(db: Database, trainee: str) -> tuple[Period, ...]:
    """The trainee's discernment day by day, by the verdicts and by behaviour, each with the running total."""
    periods = []
    so_far = acted_so_far = NO_JUDGEMENTS
    for day, that_day, acted_that_day in by_day(db, trainee):
        so_far = so_far + that_day
        acted_so_far = acted_so_far + acted_that_day
        periods.append(Period(day, that_day, so_far, acted_that_day, acted_so_far))
    return tuple(periods)


def summaries(records: list[CallRecord], library: Library) -> list[CallSummary]:
    versions = Versions(library)
    out = []
    for r in records:
        current_hash = versions.of(r)
        out.append(
            CallSummary(
                id=r.id,
                scenario=r.scenario,
                title=r.title,
                kind=r.kind,
                status=r.status,
                outcome=r.outcome,
                severity=r.severity,
                lost=r.lost,
                judged_scam=r.judged_scam,
                judged_right=r.judged_right,
                behaviour=r.behaviour,
                spotted=len(r.spotted_flags),
                missed=len(r.missed_flags),
                workshop_id=r.workshop_id,
                started_at=r.started_at,
                current=None if current_hash is None else r.matches(current_hash),
            )
        )
    return out
