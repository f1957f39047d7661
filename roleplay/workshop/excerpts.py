"""The before/after test of a workshop: excerpts of calls (the caller as the phone shows them, their first
lines) for the room to judge "scam" or "not a scam"; the room's discernment before and after is the
workshop's measure."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Literal

from roleplay.core.engine import Call
from roleplay.core.model import Text
from roleplay.core.transcript import draw_bindings, values
from roleplay.history.records import Phase
from roleplay.library.library import Library


@dataclass(frozen=True)
class Excerpt:
    """One excerpt to judge: the caller as the phone shows them, their first lines; `kind` is the answer."""

    phase: Phase
    number: int  # 1-based, as the facilitator reads it out
    scenario: str
    kind: Literal["scam", "legit"]
    channel: str
    caller_name: Text
    caller_number: str
    lines: tuple[Text, ...]


def excerpts(library: Library, workshop_id: str, phase: Phase, per_kind: int = 2) -> tuple[Excerpt, ...]:
    """The excerpts of a workshop's pre- or post-test: `per_kind` scam and `per_kind` real calls, mixed.

    Derived from the workshop id, so every screen (and a restarted laptop) shows the same items. The
    post-test uses other scenarios than the pre-test where the library has enough of a kind, so the room is
    not simply remembering answers.
    """
    rng = random.Random(f"{workshop_id}/tests")
    chosen: list[str] = []
    for kind in ("scam", "legit"):
        ids = sorted(i for i, s in library.scenarios.items() if s.kind == kind)
        rng.shuffle(ids)
        count = min(per_kind, len(ids))
        start = 0 if phase == "pre" else count
        chosen += list(dict.fromkeys(ids[(start + k) % len(ids)] for k in range(count)))
    random.Random(f"{workshop_id}/{phase}/order").shuffle(chosen)
    items = []
    for number, scenario_id in enumerate(chosen, 1):
        scenario = library.scenarios[scenario_id]
        seed = _item_seed(workshop_id, phase, scenario_id)
        run_values = values(scenario, draw_bindings(scenario, seed))
        shown = Call(scenario, seed)  # what the phone shows for this run
        items.append(
            Excerpt(
                phase=phase,
                number=number,
                scenario=scenario_id,
                kind=scenario.kind,
                channel=scenario.channel,
                caller_name=shown.caller_name,
                caller_number=shown.caller_number,
                lines=tuple(line.fill(run_values) for line in scenario.nodes[scenario.start].say),
            )
        )
    return tuple(items)


def _item_seed(workshop_id: str, phase: str, scenario_id: str) -> int:
    digest = hashlib.sha256(f"{workshop_id}/{phase}/{scenario_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")
