"""The red flags calls met: counted over any scope, and per trainee with when each missed one comes back.

Why: a trainee improves by meeting the tactics they missed again — soon while they are still missed,
after some days once they are spotted (spaced review). Flags are stored for finished calls only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from roleplay.history.clock import parse_time
from roleplay.history.database import Database
from roleplay.history.scope import Scope

# Days until a flag missed before comes back, by how many times in a row it has been spotted since.
REVIEW_DAYS: tuple[int, ...] = (1, 3, 7, 14, 30)


@dataclass(frozen=True)
class FlagCount:
    flag: str
    spotted: int
    missed: int

    @property
    def met(self) -> int:
        return self.spotted + self.missed


def flag_counts(db: Database, scope: Scope) -> list[FlagCount]:
    """How often each flag was spotted and missed in the calls in scope, in no particular order."""
    where, params = scope.where()
    # With every call in scope there is no need to join the calls.
    joined = "" if scope.everything else f"JOIN calls AS c ON c.id = f.call_id WHERE {where}"
    counts: dict[str, dict[str, int]] = {}
    for r in db.rows(
        f"SELECT f.flag, f.status, count(*) AS n FROM call_flags AS f {joined} GROUP BY f.flag, f.status",
        params,
    ):
        counts.setdefault(r["flag"], {})[r["status"]] = r["n"]
    return [FlagCount(flag, c.get("spotted", 0), c.get("missed", 0)) for flag, c in counts.items()]


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


def review_interval(spotted_in_a_row: int) -> timedelta:
    """How long a flag missed before rests before it comes back: longer each time it is spotted again."""
    return timedelta(days=REVIEW_DAYS[min(spotted_in_a_row, len(REVIEW_DAYS) - 1)])


def flag_stats(db: Database, trainee: str, now: datetime) -> tuple[FlagStats, ...]:
    """Per red flag: how often met, spotted and missed, whether due for review. Most missed first."""
    rows = db.rows(
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
