"""One call played by the whole room: each turn decided by the room's vote, recorded step by step (with
the counts) in the workshop's record, and closed by the room's answer to "was this a scam?"."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from roleplay.core.debrief import Debrief
from roleplay.core.engine import Call
from roleplay.core.events import Event
from roleplay.core.model import Catalog, Language, Scenario
from roleplay.core.transcript import reply_order
from roleplay.history.names import room_trainee
from roleplay.history.recorder import CallRecorder
from roleplay.history.records import Workshop
from roleplay.history.store import Store
from roleplay.workshop.vote import HANG_UP, VERIFY, Decision, VoteError, decide, options_at


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
        order = reply_order(self.scenario, self.call.transcript.seed, self.call.current_node)
        if decision.played == HANG_UP:
            events = self.call.hang_up()
        elif decision.played == VERIFY:
            events = self.call.verify()
        else:
            events = self.call.choose(int(decision.played) - 1)
        self.decisions.append(decision)
        # The room votes on the replies as shown; the record names them as written, like every step.
        written = {_as_written(option, order): n for option, n in decision.counts.items()}
        problem = self.recorder.sync(votes=written, overridden=decision.overridden)
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


def _as_written(option: str, order: tuple[int, ...]) -> str:
    """A vote option as the scenario numbers it: shown reply "2" may be the file's third reply."""
    return str(order[int(option) - 1] + 1) if option not in (HANG_UP, VERIFY) else option
