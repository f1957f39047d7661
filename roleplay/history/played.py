"""What has been played: how often and how lately a trainee played each scenario, the kinds of their
latest calls, how many trainees played, and the title a scenario's calls were recorded under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from roleplay.core.model import Text
from roleplay.history.clock import parse_time
from roleplay.history.database import Database
from roleplay.history.names import ROOM_PREFIX
from roleplay.history.scope import Scope


@dataclass(frozen=True)
class Plays:
    """How often a trainee has played one scenario, and when they last began it."""

    times: int
    last: datetime


def plays_by_scenario(db: Database, trainee: str) -> dict[str, Plays]:
    """Every scenario the trainee has begun (finished, abandoned or still going)."""
    rows = db.rows(
        "SELECT scenario, count(*) AS n, max(started_at) AS last FROM calls WHERE trainee = ?"
        " GROUP BY scenario",
        (trainee,),
    )
    return {r["scenario"]: Plays(r["n"], parse_time(r["last"])) for r in rows}


def latest_kinds(db: Database, trainee: str, count: int) -> list[str]:
    """The kinds ("scam" or "legit") of the trainee's last `count` finished calls, newest first."""
    rows = db.rows(
        "SELECT kind FROM calls WHERE trainee = ? AND status = 'finished' ORDER BY started_at DESC LIMIT ?",
        (trainee, count),
    )
    return [r["kind"] for r in rows]


def count_trainees(db: Database, scope: Scope) -> int:
    """The people who played calls in scope; a workshop room's calls are nobody's."""
    where, params = scope.where()
    rows = db.rows(
        f"SELECT count(DISTINCT trainee) FROM calls AS c WHERE {where} AND trainee NOT LIKE ?",
        [*params, ROOM_PREFIX + "%"],
    )
    return int(rows[0][0])


def recorded_title(db: Database, scenario_id: str) -> Text | None:
    """The title recorded with the scenario's calls (for a scenario no longer in the library)."""
    rows = db.rows("SELECT title_zh, title_en FROM calls WHERE scenario = ? LIMIT 1", (scenario_id,))
    return Text(zh=rows[0][0], en=rows[0][1]) if rows else None
