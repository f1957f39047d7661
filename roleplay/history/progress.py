"""A trainee's progress across calls: outcomes, red flags met/spotted/missed, discernment, what to play next.

Why: one call's debrief says what happened once; a trainee improves by seeing which tactics they keep
falling for, whether they can tell scam calls from real ones (not just hang up on everyone), and by meeting
the tactics they missed again — soon when they are still missed, after some days once they are spotted
(spaced review). Everything is aggregated in SQL over the store; nothing here loads every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

from roleplay.core.debrief import Debrief, debrief
from roleplay.core.model import Outcome, Severity, Text
from roleplay.history.clock import parse_time
from roleplay.history.files import scenario_hash
from roleplay.history.records import CallRecord, CallStatus
from roleplay.history.store import Store
from roleplay.library.library import Library

# Days until a flag missed before comes back, by how many times in a row it has been spotted since.
REVIEW_DAYS: tuple[int, ...] = (1, 3, 7, 14, 30)
# Every few scam calls a real one, so that hanging up on everyone is not what is learnt.
REAL_CALL_EVERY = 4
# A scenario played n times counts 1 / (1 + n × this): the same flags in a call not yet played come first.
REPLAY_DISCOUNT = 0.5
STARTER = "taobao-refund"  # the model call of the advisories: the first call for a new trainee

_Z = NormalDist()


# -- discernment (signal detection) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Discernment:
    """Judging "was this a scam?": scam calls are the signal, real calls the noise.

    Rates use the log-linear correction (count + 0.5) / (n + 1), so that perfect or empty scores still give
    finite z-scores (Hautus 1995). d′ = z(H) − z(F): how well scams are told from real calls. c =
    −(z(H) + z(F)) / 2: the bias; negative means calling "scam" readily, positive means trusting readily.
    """

    hits: int  # scam calls judged a scam
    misses: int  # scam calls judged real
    false_alarms: int  # real calls judged a scam
    correct_rejections: int  # real calls judged real

    @property
    def scam_calls(self) -> int:
        return self.hits + self.misses

    @property
    def real_calls(self) -> int:
        return self.false_alarms + self.correct_rejections

    @property
    def hit_rate(self) -> float:
        return (self.hits + 0.5) / (self.scam_calls + 1)

    @property
    def false_alarm_rate(self) -> float:
        return (self.false_alarms + 0.5) / (self.real_calls + 1)

    @property
    def d_prime(self) -> float | None:
        """None until both scam and real calls were judged: with one kind only it measures nothing."""
        if not self.scam_calls or not self.real_calls:
            return None
        return _Z.inv_cdf(self.hit_rate) - _Z.inv_cdf(self.false_alarm_rate)

    @property
    def criterion(self) -> float | None:
        if not self.scam_calls or not self.real_calls:
            return None
        return -(_Z.inv_cdf(self.hit_rate) + _Z.inv_cdf(self.false_alarm_rate)) / 2

    def __add__(self, other: Discernment) -> Discernment:
        return Discernment(
            self.hits + other.hits,
            self.misses + other.misses,
            self.false_alarms + other.false_alarms,
            self.correct_rejections + other.correct_rejections,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "correct_rejections": self.correct_rejections,
            "hit_rate": round(self.hit_rate, 4),
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "d_prime": _rounded(self.d_prime),
            "c": _rounded(self.criterion),
        }


NO_JUDGEMENTS = Discernment(0, 0, 0, 0)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def discernment_from_rows(rows: list[Any]) -> Discernment:
    """From rows of (kind, judged_scam, n): the counts of one group."""
    counts = {(r[0], bool(r[1])): int(r[2]) for r in rows}
    return Discernment(
        hits=counts.get(("scam", True), 0),
        misses=counts.get(("scam", False), 0),
        false_alarms=counts.get(("legit", True), 0),
        correct_rejections=counts.get(("legit", False), 0),
    )


# -- per trainee ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagStats:
    flag: str
    met: int
    spotted: int
    missed: int
    last_met: datetime
    last_missed: datetime | None
    spotted_since_miss: int  # meetings in a row spotted since the last miss
    due_for_review: bool  # missed before, and enough days have passed to bring it back

    @property
    def miss_rate(self) -> float:
        return self.missed / self.met if self.met else 0.0


@dataclass(frozen=True)
class Period:
    """Discernment on one day (local time), and over every day up to it."""

    day: str
    that_day: Discernment
    so_far: Discernment


Reason = Literal["start", "most_missed", "review", "real_call", "unplayed", "practise"]


@dataclass(frozen=True)
class Recommendation:
    """The next call to play and why: the flags it brings back, or the discernment it trains."""

    scenario: str
    title: Text
    reason: Reason
    flags: tuple[str, ...] = ()  # the trainee's missed or due flags this call contains

    def to_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "reason": self.reason, "flags": list(self.flags)}


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
            "spotted": self.spotted,
            "missed": self.missed,
            "workshop": self.workshop_id,
            "started_at": self.started_at.isoformat(),
            "scenario_changed": None if self.current is None else not self.current,
        }


@dataclass(frozen=True)
class Progress:
    trainee: str
    calls: int
    finished: int
    abandoned: int
    safe: int
    loss: int
    money_lost: int
    flags: tuple[FlagStats, ...]  # most missed first
    discernment: Discernment
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
            "timeline": [
                {"day": p.day, "that_day": p.that_day.to_json(), "so_far": p.so_far.to_json()}
                for p in self.timeline
            ],
            "recommendation": self.recommendation.to_json() if self.recommendation else None,
            "recent": [c.to_json() for c in self.recent],
        }


def trainee_progress(
    store: Store, trainee: str, library: Library, *, now: datetime | None = None, recent: int = 10
) -> Progress:
    """Everything `roleplay history` shows for one trainee, aggregated in SQL."""
    now = now or store.now()
    totals = store.rows(
        """SELECT count(*) AS calls,
                  coalesce(sum(status = 'finished'), 0) AS finished,
                  coalesce(sum(status = 'abandoned'), 0) AS abandoned,
                  coalesce(sum(outcome = 'safe'), 0) AS safe,
                  coalesce(sum(outcome = 'loss'), 0) AS loss,
                  coalesce(sum(CASE WHEN status = 'finished' THEN lost END), 0) AS lost
           FROM calls WHERE trainee = ?""",
        (trainee,),
    )[0]
    flags = flag_stats(store, trainee, now)
    judged = store.rows(
        """SELECT kind, judged_scam, count(*) FROM calls
           WHERE trainee = ? AND status = 'finished' AND judged_scam IS NOT NULL
           GROUP BY kind, judged_scam""",
        (trainee,),
    )
    return Progress(
        trainee=trainee,
        calls=totals["calls"],
        finished=totals["finished"],
        abandoned=totals["abandoned"],
        safe=totals["safe"],
        loss=totals["loss"],
        money_lost=totals["lost"],
        flags=flags,
        discernment=discernment_from_rows(judged),
        timeline=timeline(store, trainee),
        recommendation=recommend(store, trainee, library, flags),
        recent=tuple(summaries(store.calls(trainee=trainee, limit=recent), library)),
    )


def flag_stats(store: Store, trainee: str, now: datetime) -> tuple[FlagStats, ...]:
    """Per red flag: how often met, spotted and missed, whether due for review. Most missed first."""
    rows = store.rows(
        """WITH met AS (
               SELECT f.flag, f.status, c.started_at FROM call_flags AS f JOIN calls AS c ON c.id = f.call_id
               WHERE c.trainee = ?
           ),
           last_miss AS (SELECT flag, max(started_at) AS at FROM met WHERE status = 'missed' GROUP BY flag)
           SELECT met.flag,
                  count(*) AS met,
                  sum(met.status = 'spotted') AS spotted,
                  sum(met.status = 'missed') AS missed,
                  max(met.started_at) AS last_met,
                  last_miss.at AS last_missed,
                  sum(met.status = 'spotted' AND met.started_at > last_miss.at) AS since
           FROM met LEFT JOIN last_miss ON last_miss.flag = met.flag
           GROUP BY met.flag""",
        (trainee,),
    )
    out = []
    for r in rows:
        last_met = parse_time(r["last_met"])
        last_missed = parse_time(r["last_missed"]) if r["last_missed"] else None
        since = int(r["since"] or 0)
        due = last_missed is not None and now - last_met >= review_interval(since)
        out.append(
            FlagStats(r["flag"], r["met"], r["spotted"], r["missed"], last_met, last_missed, since, due)
        )
    out.sort(key=lambda f: (-f.missed, -f.miss_rate, f.flag))
    return tuple(out)


def review_interval(spotted_in_a_row: int) -> timedelta:
    """How long a flag missed before rests before it comes back: longer each time it is spotted again."""
    return timedelta(days=REVIEW_DAYS[min(spotted_in_a_row, len(REVIEW_DAYS) - 1)])


def timeline(store: Store, trainee: str) -> tuple[Period, ...]:
    rows = store.rows(
        """SELECT date(started_at, 'localtime') AS day, kind, judged_scam, count(*) FROM calls
           WHERE trainee = ? AND status = 'finished' AND judged_scam IS NOT NULL
           GROUP BY day, kind, judged_scam ORDER BY day""",
        (trainee,),
    )
    by_day: dict[str, list[Any]] = {}
    for r in rows:
        by_day.setdefault(r["day"], []).append((r["kind"], r["judged_scam"], r[3]))
    periods = []
    so_far = NO_JUDGEMENTS
    for day, day_rows in by_day.items():
        that_day = discernment_from_rows(day_rows)
        so_far = so_far + that_day
        periods.append(Period(day, that_day, so_far))
    return tuple(periods)


def recommend(
    store: Store, trainee: str, library: Library, flags: tuple[FlagStats, ...]
) -> Recommendation | None:
    """The next call: a real call every few calls; else the scam call that brings back the most-missed and
    due-for-review flags; else one not played yet, or played least."""
    if not library.scenarios:
        return None
    plays = {
        r["scenario"]: (r["n"], r["last"])
        for r in store.rows(
            "SELECT scenario, count(*) AS n, max(started_at) AS last FROM calls WHERE trainee = ?"
            " GROUP BY scenario",
            (trainee,),
        )
    }
    last_kinds = [
        r["kind"]
        for r in store.rows(
            "SELECT kind FROM calls WHERE trainee = ? AND status = 'finished'"
            " ORDER BY started_at DESC LIMIT ?",
            (trainee, REAL_CALL_EVERY),
        )
    ]

    def pick(ids: list[str]) -> str:
        """Least played, then longest ago, then by id: the same history always gives the same answer."""
        return min(ids, key=lambda i: (plays.get(i, (0, ""))[0], plays.get(i, (0, ""))[1], i))

    def made(scenario_id: str, reason: Reason, chosen: tuple[str, ...] = ()) -> Recommendation:
        return Recommendation(scenario_id, library.scenarios[scenario_id].title, reason, chosen)

    scams = [i for i, s in library.scenarios.items() if s.kind == "scam"]
    reals = [i for i, s in library.scenarios.items() if s.kind == "legit"]
    if not plays:
        return made(
            STARTER if STARTER in library.scenarios else pick(scams or list(library.scenarios)), "start"
        )
    if reals and len(last_kinds) >= REAL_CALL_EVERY - 1 and "legit" not in last_kinds:
        return made(pick(reals), "real_call")
    weights = {f.flag: f.missed / (f.met + 1) + (1.0 if f.due_for_review else 0.0) for f in flags if f.missed}
    due = {f.flag for f in flags if f.due_for_review}
    scored: dict[str, float] = {}
    for scenario_id in scams:
        present = {flag for node in library.scenarios[scenario_id].nodes.values() for flag in node.flags}
        score = sum(weights.get(flag, 0.0) for flag in present)
        score /= 1 + REPLAY_DISCOUNT * plays.get(scenario_id, (0, ""))[0]
        if score > 0:
            scored[scenario_id] = score
    if scored:
        best = max(scored.values())
        choice = pick([i for i, s in scored.items() if s == best])
        present = {flag for node in library.scenarios[choice].nodes.values() for flag in node.flags}
        targeted = tuple(sorted(present & set(weights), key=lambda f: (-weights[f], f)))
        reason: Reason = "review" if present & due else "most_missed"
        return made(choice, reason, targeted)
    unplayed = [i for i in library.scenarios if i not in plays]
    if unplayed:
        return made(pick(unplayed), "unplayed")
    return made(pick(list(library.scenarios)), "practise")


# -- single calls ---------------------------------------------------------------------------------------


class Versions:
    """The current hash of each scenario file, to tell whether a recorded call matches it (cached)."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._by_path: dict[Path, str | None] = {}

    def current(self, record: CallRecord | CallSummary, source_path: str | None = None) -> str | None:
        """The hash of the file the call was played from: the one named, else the shipped library's."""
        path = Path(source_path) if source_path else self._library.paths.get(record.scenario)
        if path is None:
            return None
        if path not in self._by_path:
            try:
                self._by_path[path] = scenario_hash(path)
            except OSError:
                self._by_path[path] = None
        return self._by_path[path]


def summaries(records: list[CallRecord], library: Library) -> list[CallSummary]:
    versions = Versions(library)
    out = []
    for r in records:
        current_hash = versions.current(r, r.source_path)
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
                spotted=sum(1 for f in r.flags if f.status == "spotted"),
                missed=sum(1 for f in r.flags if f.status == "missed"),
                workshop_id=r.workshop_id,
                started_at=r.started_at,
                current=None if current_hash is None else r.matches(current_hash),
            )
        )
    return out


def recompute_debrief(record: CallRecord, library: Library) -> Debrief | None:
    """The debrief of a recorded call, recomputed from its transcript — only when the scenario file is the
    version it was played against (otherwise its nodes may mean something else now): None then."""
    if record.status != "finished":
        return None
    if not record.matches(Versions(library).current(record, record.source_path)):
        return None
    scenario = library.scenarios.get(record.scenario)
    if scenario is None and record.source_path:  # a scenario file the trainee named, not a shipped one
        from roleplay.library.library import load_library

        scenario = load_library([Path(record.source_path)], library.catalog).scenarios.get(record.scenario)
    if scenario is None:
        return None
    return debrief(scenario, library.catalog, record.transcript(), record.judged_scam)
