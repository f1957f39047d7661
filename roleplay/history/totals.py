"""How the calls in a scope went, summed once for every view: counts by status, outcomes and severities,
money lost, flags spotted and missed, and discernment twice: by the judgements and by behaviour.

Why: one GROUP BY over the calls (it reads only the covering index `calls_for_reports`) gives at most a
few hundred groups; everything else is summed from them here, so a trainee's progress, a report and each
of its scenario rows count in exactly the same way, and 100,000 calls still add up in milliseconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, Literal

from roleplay.core.model import SEVERITIES, Outcome, Severity
from roleplay.history.database import Database
from roleplay.history.discernment import Discernment
from roleplay.history.records import CallMode, CallStatus
from roleplay.history.scope import Scope


@dataclass(frozen=True)
class CallGroup:
    """Calls alike in everything a total is taken over: how many, and their money lost and flags."""

    scenario: str
    scenario_hash: str
    kind: Literal["scam", "legit"]
    status: CallStatus
    outcome: Outcome | None
    severity: Severity | None
    judged_scam: bool | None
    acted_scam: bool | None
    mode: CallMode
    calls: int
    lost: int
    spotted: int
    missed: int


@dataclass(frozen=True)
class CallTotals:
    """Sums over calls. Outcomes, money, flags, judgements and behaviour count finished calls only."""

    calls: int
    finished: int
    abandoned: int
    in_progress: int
    room_calls: int
    safe: int
    loss: int
    severities: dict[Severity, int]
    money_lost: int
    flags_spotted: int
    flags_missed: int
    discernment: Discernment  # by the verdict: "was this a scam?"
    behaviour: Discernment  # by what the trainee did (see roleplay.core.debrief.acted_as_scam)

    @classmethod
    def of(cls, groups: Iterable[CallGroup]) -> CallTotals:
        counts: Counter[str] = Counter()
        severities: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
        judged: Counter[tuple[str, bool]] = Counter()
        acted: Counter[tuple[str, bool]] = Counter()
        for g in groups:
            counts["calls"] += g.calls
            counts[g.status] += g.calls
            counts["room"] += g.calls if g.mode == "room" else 0
            if g.status != "finished":
                continue
            counts["lost"] += g.lost
            counts["spotted"] += g.spotted
            counts["missed"] += g.missed
            if g.outcome is not None:
                counts[g.outcome] += g.calls
            if g.severity in severities:
                severities[g.severity] += g.calls
            if g.judged_scam is not None:
                judged[(g.kind, g.judged_scam)] += g.calls
            if g.acted_scam is not None:
                acted[(g.kind, g.acted_scam)] += g.calls
        return cls(
            calls=counts["calls"],
            finished=counts["finished"],
            abandoned=counts["abandoned"],
            in_progress=counts["in_progress"],
            room_calls=counts["room"],
            safe=counts["safe"],
            loss=counts["loss"],
            severities=severities,
            money_lost=counts["lost"],
            flags_spotted=counts["spotted"],
            flags_missed=counts["missed"],
            discernment=Discernment.from_counts(judged),
            behaviour=Discernment.from_counts(acted),
        )

    def as_fields(self) -> dict[str, Any]:
        """The totals as keyword arguments, for a record that extends them (a report, a progress)."""
        return {f.name: getattr(self, f.name) for f in fields(CallTotals)}


def call_groups(db: Database, scope: Scope) -> list[CallGroup]:
    """The calls in scope, grouped by everything the totals (and a report's scenario rows) are taken over."""
    where, params = scope.where()
    rows = db.rows(
        f"""SELECT scenario, scenario_hash, kind, status, outcome, severity, judged_scam, acted_scam, mode,
                   count(*) AS n, total(lost) AS lost, sum(spotted) AS spotted, sum(missed) AS missed
            FROM calls AS c WHERE {where}
            GROUP BY scenario, scenario_hash, kind, status, outcome, severity, judged_scam, acted_scam,
                mode""",
        params,
    )
    return [
        CallGroup(
            scenario=r["scenario"],
            scenario_hash=r["scenario_hash"],
            kind=r["kind"],
            status=r["status"],
            outcome=r["outcome"],
            severity=r["severity"],
            judged_scam=None if r["judged_scam"] is None else bool(r["judged_scam"]),
            acted_scam=None if r["acted_scam"] is None else bool(r["acted_scam"]),
            mode=r["mode"],
            calls=r["n"],
            lost=int(r["lost"]),  # total(): a float, which cannot overflow as SQLite's sum() can
            spotted=r["spotted"],
            missed=r["missed"],
        )
        for r in rows
    ]


def call_totals(db: Database, scope: Scope) -> CallTotals:
    return CallTotals.of(call_groups(db, scope))


def by_day(db: Database, trainee: str) -> list[tuple[str, Discernment, Discernment]]:
    """A trainee's finished calls, day by day (local time, oldest first): each day's discernment by the
    verdicts and by behaviour."""
    rows = db.rows(
        """SELECT date(started_at, 'localtime') AS day, kind, judged_scam, acted_scam, count(*) AS n
           FROM calls
           WHERE trainee = ? AND status = 'finished' AND (judged_scam IS NOT NULL OR acted_scam IS NOT NULL)
           GROUP BY day, kind, judged_scam, acted_scam ORDER BY day""",
        (trainee,),
    )
    judged: dict[str, Counter[tuple[str, bool]]] = {}
    acted: dict[str, Counter[tuple[str, bool]]] = {}
    for r in rows:
        day_judged = judged.setdefault(r["day"], Counter())
        day_acted = acted.setdefault(r["day"], Counter())
        if r["judged_scam"] is not None:
            day_judged[(r["kind"], bool(r["judged_scam"]))] += r["n"]
        if r["acted_scam"] is not None:
            day_acted[(r["kind"], bool(r["acted_scam"]))] += r["n"]
    return [
        (day, Discernment.from_counts(judged[day]), Discernment.from_counts(acted[day])) for day in judged
    ]
