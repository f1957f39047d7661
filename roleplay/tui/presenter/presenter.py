"""What every presenter screen shares, and where the workshop stands as its agenda shows it.

The screens share one `Presenter` (attributes down); they never reach into each other. All the recording
goes through the headless `roleplay.workshop.WorkshopSession`, on the history thread: the residents' own
terminals write to the same history file while the room plays, and the projector must never wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from roleplay.history.records import ALL_PHASES
from roleplay.text.i18n import _
from roleplay.tui.history_thread import HistoryThread

if TYPE_CHECKING:
    from roleplay.history.records import ExcerptAnswer, Phase
    from roleplay.history.store import Store
    from roleplay.workshop.phones import RoomPhones
    from roleplay.workshop.session import WorkshopSession

JOIN_EXAMPLE = "taobao-refund"  # the model call of the advisories: what residents are told to open first


@dataclass
class Presenter:
    """The workshop being run, the history thread its records go through, how its room calls are seeded."""

    workshop: WorkshopSession
    history: HistoryThread
    speak_delay: Callable[[], float]  # the pause between the caller's lines, read before each one
    seed: int | None = None  # tests: every room call drawn from this seed
    follow_up: bool = False  # weeks later: the third test (form C), then the report
    played: list[str] = field(default_factory=list)  # scenarios the room played in this sitting
    phones: RoomPhones | None = None  # the residents' phones, once the facilitator opened the room to them

    def close_phones(self) -> None:
        """The workshop is closed (or the presenter quits): the phone server stops."""
        if self.phones is not None:
            self.phones.close()
            self.phones = None

    @property
    def id(self) -> str:
        return self.workshop.workshop.id

    def answers_of(self, phase: Phase) -> Callable[[Store], dict[int, ExcerptAnswer]]:
        """A history job: the room's answers in one test, by excerpt number."""
        workshop_id = self.id

        def read(store: Store) -> dict[int, ExcerptAnswer]:
            return {a.item: a for a in store.test_answers(workshop_id, phase)}

        return read

    def status_job(self) -> Callable[[Store], WorkshopStatus]:
        """A history job: where the workshop stands (other terminals add to its record while it runs)."""
        workshop_id, items = self.id, len(self.workshop.items("pre"))

        def read(store: Store) -> WorkshopStatus:
            from roleplay.history.names import room_trainee
            from roleplay.history.played import count_trainees
            from roleplay.history.scope import Scope

            room = room_trainee(workshop_id)
            everyone = store.count_calls(workshop_id=workshop_id)
            of_the_room = store.count_calls(workshop_id=workshop_id, trainee=room)
            return WorkshopStatus(
                items=items,
                answered={phase: len(store.test_answers(workshop_id, phase)) for phase in ALL_PHASES},
                room_calls=store.count_calls(workshop_id=workshop_id, trainee=room, status="finished"),
                own_calls=everyone - of_the_room,
                people=count_trainees(store, Scope(workshop_id=workshop_id)),
            )

        return read


@dataclass(frozen=True)
class WorkshopStatus:
    items: int  # per test
    answered: dict[Phase, int]
    room_calls: int  # finished
    own_calls: int  # residents' calls on their own terminals
    people: int

    def next_follow_up_step(self) -> int:
        """At a follow-up: its test, then the report."""
        return 0 if self.answered["follow"] < self.items else 1

    def next_step(self) -> int:
        """The step that comes next: the pre-test, then calls, then the post-test, then the report."""
        if self.answered["pre"] < self.items:
            return 0
        if self.room_calls == 0:
            return 1
        if self.answered["post"] < self.items:
            return 2
        return 3


def phase_name(phase: Phase) -> str:
    return {"pre": _("Pre-test"), "post": _("Post-test"), "follow": _("Follow-up test")}[phase]


def join_command(workshop_id: str) -> str:
    return f"roleplay play {JOIN_EXAMPLE} --workshop {workshop_id}"
