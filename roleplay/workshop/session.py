"""Workshop mode: a room of residents plays calls together, and takes a short test before and after.

Why it is built this way: the facilitator (a community police officer) types how many in the room chose each
reply; the majority's choice is played unless the facilitator overrides it (a tie is the facilitator's to
break), and every count is recorded with the step, so the report can show how the room decided. The pre- and
post-test show each excerpt — the caller as the phone shows them and their first lines — and the facilitator
types how many said "scam" and how many said "not a scam"; the room's discernment before and after is the
workshop's measure. The presenter screens are built on this module; it holds no interface.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from roleplay.core.debrief import Debrief
from roleplay.core.engine import Call
from roleplay.core.events import Event
from roleplay.core.model import Catalog, Language, Scenario, Text
from roleplay.core.transcript import draw_bindings, values
from roleplay.history.files import scenario_hash
from roleplay.history.names import room_trainee
from roleplay.history.progress import Discernment, discernment_from_rows
from roleplay.history.recorder import CallRecorder
from roleplay.history.records import Phase, Workshop
from roleplay.history.store import Store
from roleplay.library.library import Library

PHASES: tuple[Phase, ...] = ("pre", "post")
HANG_UP = "h"
VERIFY = "v"


class VoteError(ValueError):
    """The counts typed cannot decide the move (a tie without an override, an unknown option, no votes)."""


# -- votes ----------------------------------------------------------------------------------------------


def options_at(scenario: Scenario, node: str) -> list[str]:
    """The options of a turn as the room votes on them: "1"…"n" for the replies, "h" hang up, "v" verify."""
    return [str(i) for i in range(1, len(scenario.nodes[node].choices) + 1)] + [HANG_UP, VERIFY]


def majority(counts: Mapping[str, int]) -> str | None:
    """The option with the most votes; None when nobody voted or two options share the top."""
    top = max(counts.values(), default=0)
    leaders = [option for option, n in counts.items() if n == top]
    return leaders[0] if top > 0 and len(leaders) == 1 else None


@dataclass(frozen=True)
class Decision:
    counts: dict[str, int]  # every option, zero where nobody chose it
    majority: str | None
    played: str
    overridden: bool  # the facilitator played something other than a clear majority


def decide(options: list[str], counts: Mapping[str, int], override: str | None = None) -> Decision:
    """What the room plays: the majority, unless the facilitator overrides. Raises VoteError."""
    unknown = sorted(set(counts) - set(options))
    if unknown:
        raise VoteError(f"no option {', '.join(unknown)} at this turn (options: {' '.join(options)})")
    if any(not isinstance(n, int) or n < 0 for n in counts.values()):
        raise VoteError("vote counts are whole numbers, 0 or more")
    full = {option: int(counts.get(option, 0)) for option in options}
    leader = majority(full)
    if override is not None:
        if override not in options:
            raise VoteError(f"no option {override} at this turn (options: {' '.join(options)})")
        return Decision(full, leader, override, override != leader)
    if leader is None:
        top = max(full.values())
        if top == 0:
            raise VoteError("nobody voted: type the counts, or choose for the room")
        tied = [o for o, n in full.items() if n == top]
        raise VoteError(f"a tie between {' and '.join(tied)}: the facilitator decides")
    return Decision(full, leader, leader, False)


class RoomCall:
    """One call played by the whole room, recorded step by step in the workshop's record."""

    def __init__(
        self,
        store: Store,
        workshop: Workshop,
        scenario: Scenario,
        catalog: Catalog,
        scenario_file_hash: str,
        *,
        seed: int | None = None,
        lang: Language = "zh",
        source_path: Path | None = None,
    ) -> None:
        self.scenario = scenario
        self.workshop = workshop
        self._catalog = catalog
        self.call = Call(scenario, seed)
        self.recorder = CallRecorder(
            store,
            self.call,
            room_trainee(workshop.id),
            scenario_file_hash,
            lang,
            workshop_id=workshop.id,
            source_path=source_path,
            mode="room",
        )
        self.decisions: list[Decision] = []

    def start(self) -> list[Event]:
        return self.call.start()

    def options(self) -> list[str]:
        return options_at(self.scenario, self.call.current_node)

    def vote(
        self, counts: Mapping[str, int], override: str | None = None
    ) -> tuple[Decision, list[Event], str | None]:
        """Play the room's choice. Returns the decision, the call's events, and a message if saving failed
        (the call goes on; finishing saves every step again)."""
        decision = decide(self.options(), counts, override)
        if decision.played == HANG_UP:
            events = self.call.hang_up()
        elif decision.played == VERIFY:
            events = self.call.verify()
        else:
            events = self.call.choose(int(decision.played) - 1)
        self.decisions.append(decision)
        problem = self.recorder.sync(votes=decision.counts, overridden=decision.overridden)
        return decision, events, problem

    def judge(self, said_scam: int, said_not: int, override: bool | None = None) -> Debrief:
        """The room's answer to "was this a scam?" closes the record: the majority, or the facilitator's
        call (needed on a tie, else no judgement is kept). Saves the call, returns its debrief. Raises
        StoreError."""
        if said_scam < 0 or said_not < 0:
            raise VoteError("vote counts are whole numbers, 0 or more")
        if override is not None:
            judged: bool | None = override
        else:
            judged = None if said_scam == said_not else said_scam > said_not
        return self.recorder.finish(self._catalog, judged, room_votes=(said_scam, said_not))

    def abandon(self) -> str | None:
        return self.recorder.abandon()


# -- the pre- and post-test -----------------------------------------------------------------------------


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
        run_values = values(scenario, draw_bindings(scenario, _item_seed(workshop_id, phase, scenario_id)))
        items.append(
            Excerpt(
                phase=phase,
                number=number,
                scenario=scenario_id,
                kind=scenario.kind,
                channel=scenario.channel,
                caller_name=scenario.caller.name.fill(run_values),
                caller_number=scenario.caller.number,
                lines=tuple(line.fill(run_values) for line in scenario.nodes[scenario.start].say),
            )
        )
    return tuple(items)


def _item_seed(workshop_id: str, phase: str, scenario_id: str) -> int:
    digest = hashlib.sha256(f"{workshop_id}/{phase}/{scenario_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def phase_discernment(store: Store, workshop_id: str, phase: Phase) -> Discernment:
    """The room's discernment in one test, every person's answer counted (the room as one observer)."""
    workshop = store.workshop(workshop_id)
    rows = store.rows(
        """SELECT kind, 1, sum(said_scam) FROM test_answers
           WHERE workshop_id = ? AND phase = ? GROUP BY kind
           UNION ALL
           SELECT kind, 0, sum(said_not) FROM test_answers
           WHERE workshop_id = ? AND phase = ? GROUP BY kind""",
        (workshop.id, phase, workshop.id, phase),
    )
    return discernment_from_rows(rows)


class WorkshopSession:
    """What the presenter screens drive: the tests, their answers and results, and calls played by the room.

    Raises UnknownWorkshop (with what to do) when the id is not in the store.
    """

    def __init__(self, store: Store, library: Library, workshop_id: str, per_kind: int = 2) -> None:
        self.store = store
        self.library = library
        self.workshop = store.workshop(workshop_id)
        self.per_kind = per_kind

    def items(self, phase: Phase) -> tuple[Excerpt, ...]:
        return excerpts(self.library, self.workshop.id, phase, self.per_kind)

    def answer(self, phase: Phase, number: int, said_scam: int, said_not: int) -> None:
        """Record how many said "scam" and how many said "not a scam" for one excerpt (again: corrects)."""
        items = self.items(phase)
        if not 1 <= number <= len(items):
            raise VoteError(f"the {phase}-test has items 1 to {len(items)}")
        item = items[number - 1]
        self.store.record_test_answer(
            self.workshop.id,
            phase,
            number,
            scenario=item.scenario,
            kind=item.kind,
            said_scam=said_scam,
            said_not=said_not,
        )

    def results(self, phase: Phase) -> Discernment:
        return phase_discernment(self.store, self.workshop.id, phase)

    def room_call(self, scenario_id: str, *, seed: int | None = None, lang: Language = "zh") -> RoomCall:
        scenario = self.library.scenarios[scenario_id]
        path = self.library.paths[scenario_id]
        return RoomCall(
            self.store,
            self.workshop,
            scenario,
            self.library.catalog,
            scenario_hash(path),
            seed=seed,
            lang=lang,
        )
