"""Which call a trainee should play next, and why: the flags they keep missing, a flag due for review,
a real call every few calls, or one not played yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from roleplay.core.model import Text
from roleplay.history.database import Database
from roleplay.history.flags import FlagStats
from roleplay.history.played import Plays, latest_kinds, plays_by_scenario
from roleplay.library.library import Library

# Every few scam calls a real one, so that hanging up on everyone is not what is learnt.
REAL_CALL_EVERY = 4
# A scenario played n times counts 1 / (1 + n × this): the same flags in a call not yet played come first.
REPLAY_DISCOUNT = 0.5
STARTER = "taobao-refund"  # the model call of the advisories: the first call for a new trainee
NEVER = Plays(0, datetime.min.replace(tzinfo=timezone.utc))

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


def recommend(
    db: Database, trainee: str, library: Library, flags: tuple[FlagStats, ...]
) -> Recommendation | None:
    """The next call: a real call every few calls; else the scam call that brings back the most-missed and
    due-for-review flags; else one not played yet, or played least."""
    if not library.scenarios:
        return None
    plays = plays_by_scenario(db, trainee)
    last_kinds = latest_kinds(db, trainee, REAL_CALL_EVERY)

    def pick(ids: list[str]) -> str:
        """Least played, then longest ago, then by id: the same history always gives the same answer."""
        return min(ids, key=lambda i: (plays.get(i, NEVER).times, plays.get(i, NEVER).last, i))

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
        score /= 1 + REPLAY_DISCOUNT * plays.get(scenario_id, NEVER).times
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
