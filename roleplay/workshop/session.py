"""Workshop mode: a room of residents plays calls together, and takes a short test before and after.

`WorkshopSession` is what the presenter screens drive, tying the room's vote (vote.py), the calls it plays
(room.py) and the before/after tests (excerpts.py: the quick-fire forms A and B) to one workshop in the
history. It holds no interface.
"""

from __future__ import annotations

from roleplay.core.model import Language
from roleplay.core.quiz import QuizError, QuizItem
from roleplay.history.discernment import Discernment
from roleplay.history.files import played_hash
from roleplay.history.records import Phase
from roleplay.history.store import Store
from roleplay.history.workshops import phase_discernment
from roleplay.library.library import Library
from roleplay.workshop.excerpts import workshop_forms
from roleplay.workshop.room import RoomCall
from roleplay.workshop.vote import VoteError


class WorkshopSession:
    """What the presenter screens drive: the tests, their answers and results, and calls played by the room.

    Raises UnknownWorkshop (with what to do) when the id is not in the store.
    """

    def __init__(self, store: Store, library: Library, workshop_id: str) -> None:
        self.store = store
        self.library = library
        self.workshop = store.workshop(workshop_id)
        try:  # made once: every screen asks for them, and they are the same for the workshop's life
            tests = workshop_forms(library, self.workshop.id)
            self._items = {phase: form.items for phase, form in tests.items()}
        except QuizError:  # a library of one or two scenarios (an author's): no test to take
            self._items = {"pre": (), "post": (), "follow": ()}

    def items(self, phase: Phase) -> tuple[QuizItem, ...]:
        """The pre-test's items (form A) or the post-test's (form B), in the order they are shown."""
        return self._items[phase]

    def answer(self, phase: Phase, number: int, said_scam: int, said_not: int) -> None:
        """Record how many said "scam" and how many said "not a scam" for one item (again: corrects)."""
        items = self.items(phase)
        if not 1 <= number <= len(items):
            raise VoteError(f"the {phase}-test has items 1 to {len(items)}")
        if said_scam + said_not == 0:
            raise VoteError("nobody answered: 0 and 0 is no answer")
        item = items[number - 1]
        self.store.record_test_answer(
            self.workshop.id,
            phase,
            number,
            scenario=item.scenario,
            kind=item.kind,
            said_scam=said_scam,
            said_not=said_not,
            node=item.node,
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
            played_hash(path),
            seed=seed,
            lang=lang,
        )
