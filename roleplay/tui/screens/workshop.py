"""The workshop presenter: a police officer runs a session for a room of residents from one projected screen.

Why it is built this way: `roleplay workshop` opens the trainer on the presenter's setup screen (start or
continue a workshop); everything after that starts from this screen, the workshop's agenda, which stays at the
bottom of the stack while a step runs on top of it: the pre-test, calls played by the room, the post-test, the
report. Esc always comes back here, and the agenda shows what is done, so a facilitator who lost their place
(or restarted the laptop and continued the workshop by its id) sees where the room is. The workshop id is
shown in block letters, for residents to copy onto their own terminals and join the workshop's record.

The screens share one `Presenter` (attributes down); they never reach into each other. All the recording
goes through the headless `roleplay.workshop.WorkshopSession`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.history.errors import StoreError
from roleplay.history.records import Phase
from roleplay.text.i18n import N_, _, language
from roleplay.tui.screens.base import TrainerScreen
from roleplay.tui.widgets.bigtext import BigText

if TYPE_CHECKING:
    from roleplay.tui.app import TrainerApp
    from roleplay.workshop.session import WorkshopSession

JOIN_EXAMPLE = "taobao-refund"  # the model call of the advisories: what residents are told to open first
STEP_NAME_WIDTH = 24  # cells: the agenda's states line up after the longest step name
REFRESH_SECONDS = 5.0  # how often the agenda counts the residents' own calls as they come in


@dataclass
class Presenter:
    """What every presenter screen shares: the workshop being run, and how its room calls are seeded."""

    workshop: WorkshopSession
    seed: int | None = None  # tests: every room call drawn from this seed
    played: list[str] = field(default_factory=list)  # scenarios the room played in this sitting

    @property
    def id(self) -> str:
        return self.workshop.workshop.id

    def status(self) -> WorkshopStatus:
        """Where the workshop stands, read from its record (other terminals add to it while it runs)."""
        store = self.workshop.store
        answered: dict[Phase, int] = {
            "pre": len(store.test_answers(self.id, "pre")),
            "post": len(store.test_answers(self.id, "post")),
        }
        calls = store.calls(workshop_id=self.id)
        own = [c for c in calls if c.mode == "solo"]
        return WorkshopStatus(
            items=len(self.workshop.items("pre")),
            answered=answered,
            room_calls=sum(1 for c in calls if c.mode == "room" and c.status == "finished"),
            own_calls=len(own),
            people=len({c.trainee for c in own}),
        )


@dataclass(frozen=True)
class WorkshopStatus:
    items: int  # per test
    answered: dict[Phase, int]
    room_calls: int  # finished
    own_calls: int  # residents' calls on their own terminals
    people: int


def phase_name(phase: Phase) -> str:
    return _("Pre-test") if phase == "pre" else _("Post-test")


def join_command(workshop_id: str) -> str:
    return f"roleplay play {JOIN_EXAMPLE} --workshop {workshop_id}"


class WorkshopScreen(TrainerScreen):
    """The workshop's agenda: its id in big letters, the four steps with what is done, residents joined."""

    BINDINGS = [  # noqa: RUF012
        Binding("1", "step('pre')", N_("Pre-test"), show=False),
        Binding("2", "step('call')", N_("Play a call"), show=False),
        Binding("3", "step('post')", N_("Post-test"), show=False),
        Binding("4", "step('report')", N_("Report"), show=False),
        Binding("l", "switch_language", N_("中文 / English")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, presenter: Presenter) -> None:
        super().__init__()
        self.presenter = presenter

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="ws-lobby"):
            yield Static(Text(_("Workshop id: type it to join on your own computer")), classes="ws-caption")
            yield BigText(self.presenter.id, id="ws-id")
            yield Static(Text(join_command(self.presenter.id), style="bold"), id="ws-join")
            yield OptionList(id="ws-steps", markup=False)
            yield Static("", id="ws-joined")
        yield Footer()

    def on_mount(self) -> None:
        workshop = self.presenter.workshop.workshop
        self.title = _("Workshop {id}").format(id=workshop.id)
        self.sub_title = " · ".join(filter(None, [workshop.facilitator, workshop.title]))
        self.set_interval(REFRESH_SECONDS, self._show_status)
        self._show_status()
        self.query_one("#ws-steps", OptionList).focus()

    def on_screen_resume(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        try:
            status = self.presenter.status()
        except StoreError as exc:
            self.query_one("#ws-joined", Static).update(Text(str(exc)))
            return
        steps = self.query_one("#ws-steps", OptionList)
        at = steps.highlighted
        steps.clear_options()
        steps.add_options(
            [
                Option(self._step(1, phase_name("pre"), self._test_state(status, "pre")), id="pre"),
                Option(self._step(2, _("Play a call together"), self._calls_state(status)), id="call"),
                Option(self._step(3, phase_name("post"), self._test_state(status, "post")), id="post"),
                Option(self._step(4, _("Report"), _("for the room, and a handout to print")), id="report"),
            ]
        )
        steps.highlighted = at if at is not None else self._next_step(status)
        joined = _("Residents' own calls in this workshop: {calls} (from {people} people).").format(
            calls=status.own_calls, people=status.people
        )
        self.query_one("#ws-joined", Static).update(Text(joined))

    @staticmethod
    def _step(number: int, name: str, state: str) -> Text:
        """The step's key and name, then where it stands, in a column of its own."""
        text = Text()
        text.append(f" {number} ", style="bold reverse")
        text.append(f"  {name}", style="bold")
        text.append(" " * max(2, STEP_NAME_WIDTH - cell_len(name)))
        text.append(state, style="italic")
        return text

    @staticmethod
    def _test_state(status: WorkshopStatus, phase: Phase) -> str:
        done = status.answered[phase]
        if done == 0:
            return _("{items} short calls: scam or not?").format(items=status.items)
        if done >= status.items:
            return "✓ " + _("done")
        return _("{done} of {items} answered").format(done=done, items=status.items)

    @staticmethod
    def _calls_state(status: WorkshopStatus) -> str:
        if status.room_calls == 0:
            return _("the room votes on every reply")
        return _("{calls} played").format(calls=status.room_calls)

    @staticmethod
    def _next_step(status: WorkshopStatus) -> int:
        """Highlight what comes next: the pre-test, then calls, then the post-test, then the report."""
        if status.answered["pre"] < status.items:
            return 0
        if status.room_calls == 0:
            return 1
        if status.answered["post"] < status.items:
            return 2
        return 3

    @on(OptionList.OptionSelected, "#ws-steps")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_step(event.option.id)

    def action_step(self, step: str) -> None:
        """Open a step on top of the agenda; it comes back here with Esc or when it is done."""
        from roleplay.tui.screens.workshop_pick import ScenarioPickScreen
        from roleplay.tui.screens.workshop_report import WorkshopReportScreen
        from roleplay.tui.screens.workshop_results import PhaseSummaryScreen
        from roleplay.tui.screens.workshop_test import ExcerptScreen, first_unanswered

        if step in ("pre", "post"):
            phase = cast("Phase", step)
            number = first_unanswered(self.presenter, phase)
            if number is None:  # all answered: the summary (Esc there goes back to correct an answer)
                self.app.push_screen(PhaseSummaryScreen(self.presenter, phase))
            else:
                self.app.push_screen(ExcerptScreen(self.presenter, phase, number))
        elif step == "call":
            self.app.push_screen(ScenarioPickScreen(self.presenter))
        elif step == "report":
            self.app.push_screen(WorkshopReportScreen(self.presenter))

    async def action_switch_language(self) -> None:
        app = cast("TrainerApp", self.app)
        app.switch_language("en" if language() == "zh" else "zh")
        await self.recompose()
        self.on_mount()

    def action_back(self) -> None:
        self.app.pop_screen()
