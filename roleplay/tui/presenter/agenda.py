"""The workshop presenter: a police officer runs a session for a room of residents from one projected screen.

Why it is built this way: `roleplay workshop` opens the trainer on the presenter's setup screen (start or
continue a workshop); everything after that starts from this screen, the workshop's agenda, which stays at the
bottom of the stack while a step runs on top of it: the pre-test, calls played by the room, the post-test, the
report. Each step hands back its result with `dismiss()` and the agenda opens what comes next, so the steps
never know of each other. Esc always comes back here, and the agenda shows what is done, so a facilitator who
lost their place (or restarted the laptop and continued the workshop by its id) sees where the room is. The
workshop id is shown in block letters, for residents to copy onto their own terminals and join its record.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.history.records import ALL_PHASES
from roleplay.text.i18n import N_, _, language
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.presenter.presenter import Presenter, WorkshopStatus, join_command, phase_name
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.widgets.bigtext import BigText
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.widgets.phone_count import PhoneCount
from roleplay.workshop.phones import spaced_code

if TYPE_CHECKING:
    from roleplay.history.records import Phase
    from roleplay.history.store import Store
    from roleplay.tui.presenter.results import RoomAnswers
    from roleplay.tui.presenter.room_call import RoomResult
    from roleplay.tui.trainer.debrief import Next

# Said on the agenda under the code, because a QR code is the red flag the session teaches.
NO_QR_CODE = N_(
    "No QR code here on purpose: “scan this code” is one of the tricks in today's calls. "
    "Type the address yourself; only the code is asked, never your name or number."
)
PHONES_HINT = N_("Residents' own phones and computers join once you press p (the room's network).")
OWN_COMPUTER = N_("On a resident's own computer: press w in the trainer, type this address and the code.")
FONT_HINT = N_("For the back row: make the terminal's font bigger (Ctrl and + in most terminals).")
STEP_NAME_WIDTH = 24  # cells: the agenda's states line up after the longest step name
REFRESH_SECONDS = 5.0  # how often the agenda counts the residents' own calls as they come in


def step_line(number: int, name: str, state: str) -> Text:
    """The step's key and name, then where it stands, in a column of its own."""
    text = Text()
    text.append(f" {number} ", style="bold reverse")
    text.append(f"  {name}", style="bold")
    text.append(" " * max(2, STEP_NAME_WIDTH - cell_len(name)))
    text.append(state, style="italic")
    return text


def address_label(interface: str, address: str, loopback: bool) -> str:
    if loopback:
        return _("{address} (only this computer: for a rehearsal)").format(address=address)
    return f"{address}   ({interface})"


def phase_state(status: WorkshopStatus | None, phase: Phase) -> str:
    if status is None:
        return ""
    done = status.answered[phase]
    if done == 0:
        return _("{items} short calls and messages: scam or not?").format(items=status.items)
    if done >= status.items:
        return "✓ " + _("done")
    return _("{done} of {items} answered").format(done=done, items=status.items)


def calls_state(status: WorkshopStatus | None) -> str:
    if status is None:
        return ""
    if status.room_calls == 0:
        return _("the room votes on every reply")
    return _("{calls} played").format(calls=status.room_calls)


class WorkshopScreen(PresenterScreen[None]):
    """The workshop's agenda: its id in big letters, the four steps with what is done, residents joined."""

    BINDINGS = [  # noqa: RUF012
        Binding("1", "numbered(1)", N_("Step 1"), show=False),
        Binding("2", "numbered(2)", N_("Step 2"), show=False),
        Binding("3", "numbered(3)", N_("Step 3"), show=False),
        Binding("4", "numbered(4)", N_("Step 4"), show=False),
        Binding("p", "phones", N_("Phones")),
        Binding("l", "switch_language", N_("中文 / English")),
        Binding("escape", "back", N_("Back")),
    ]

    status: reactive[WorkshopStatus | None] = reactive(None, init=False)

    def __init__(self, presenter: Presenter) -> None:
        super().__init__()
        self.presenter = presenter
        self._reading = False
        self._problem = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        phones = self.presenter.phones
        with VerticalScroll(id="ws-lobby"):
            if phones is None:
                yield Static(Text(_("Workshop id: to join on this computer")), classes="ws-caption")
                yield BigText(self.presenter.id, id="ws-id")
                yield Static(Text(join_command(self.presenter.id), style="bold"), id="ws-join")
                yield Static(Text(_(PHONES_HINT)), classes="ws-caption")
            else:
                yield Static(
                    Text(_("On your phone: open the browser, type this address")), classes="ws-caption"
                )
                yield Static(Text(phones.url.removeprefix("http://"), style="bold"), id="ws-address")
                yield Static(Text(_("then this join code")), classes="ws-caption")
                yield BigText(phones.code, id="ws-id")
                spoken = _("Join code: {code}").format(code=spaced_code(phones.code))
                yield Static(Text(spoken, style="bold"), id="ws-code")
                yield PhoneCount(phones, id="ws-phones")
                yield Static(Text(_(NO_QR_CODE)), id="ws-no-qr")
                yield Static(Text(_(OWN_COMPUTER)), classes="ws-caption")
            yield OptionList(*self._steps(), id="ws-steps", markup=False)
            yield Static(self._joined(), id="ws-joined")
            yield Static(Text(_(FONT_HINT)), classes="ws-caption")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self._read_status)  # one timer for the screen's life
        self.composed()

    def composed(self) -> None:
        workshop = self.presenter.workshop.workshop
        self.title = _("Workshop {id}").format(id=workshop.id)
        self.sub_title = " · ".join(filter(None, [workshop.facilitator, workshop.title]))
        steps = self.query_one("#ws-steps", OptionList)
        if self.status is not None:
            steps.highlighted = self._next_step(self.status)
        steps.focus()

    def _next_step(self, status: WorkshopStatus) -> int:
        return status.next_follow_up_step() if self.presenter.follow_up else status.next_step()

    def on_screen_resume(self) -> None:
        self._read_status()

    # -- where the workshop stands, read on the history thread

    @work(group="status")
    async def _read_status(self) -> None:
        if self._reading:  # the history is slow right now: one read at a time is enough
            return
        self._reading = True
        try:
            self.status = await self.presenter.history.run(self.presenter.status_job())
            self._problem = ""
        except HistoryFailed as exc:
            self._problem = exc.problem or ""
            self.query_one("#ws-joined", Static).update(self._joined())
        finally:
            self._reading = False

    def watch_status(self, old: WorkshopStatus | None, status: WorkshopStatus | None) -> None:
        steps = self.query_one("#ws-steps", OptionList)
        at = steps.highlighted
        steps.clear_options()
        steps.add_options(self._steps())
        if status is not None:
            steps.highlighted = at if old is not None and at is not None else self._next_step(status)
        self.query_one("#ws-joined", Static).update(self._joined())

    def _steps(self) -> list[Option]:
        status = self.status
        report = _("for the room, and a handout to print")
        if self.presenter.follow_up:  # weeks later: the third test only, then what the room kept
            return [
                Option(step_line(1, phase_name("follow"), phase_state(status, "follow")), id="follow"),
                Option(step_line(2, _("Report"), report), id="report"),
            ]
        return [
            Option(step_line(1, phase_name("pre"), phase_state(status, "pre")), id="pre"),
            Option(step_line(2, _("Play a call together"), calls_state(status)), id="call"),
            Option(step_line(3, phase_name("post"), phase_state(status, "post")), id="post"),
            Option(step_line(4, _("Report"), report), id="report"),
        ]

    def _joined(self) -> Text:
        if self._problem or self.status is None:
            return Text(self._problem)
        return Text(
            _("Residents' own calls in this workshop: {calls} (from {people} people).").format(
                calls=self.status.own_calls, people=self.status.people
            )
        )

    # -- the steps, each on top of the agenda; what each hands back decides what comes next

    @on(OptionList.OptionSelected, "#ws-steps")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_step(event.option.id)

    def action_numbered(self, number: int) -> None:
        """A step's number key: the step shown with that number on this agenda."""
        steps = self._steps()
        if 1 <= number <= len(steps) and steps[number - 1].id:
            self.action_step(str(steps[number - 1].id))

    def action_step(self, step: str) -> None:
        if step in ("pre", "post", "follow"):
            self._open_test(cast("Phase", step))
        elif step == "call":
            self._pick_call()
        elif step == "report":
            self._open_report()

    @work(group="step")
    async def _open_test(self, phase: Phase, at_the_end: bool = False) -> None:
        """The first excerpt with no answer yet; the summary when all are answered (`at_the_end`: the
        last excerpt, to correct it)."""
        from roleplay.tui.presenter.excerpt import ExcerptScreen, first_unanswered

        try:
            answers = await self.presenter.history.run(self.presenter.answers_of(phase))
        except HistoryFailed as exc:
            self.notify(exc.problem or "", severity="error", markup=False)
            return
        items = self.presenter.workshop.items(phase)
        number = len(items) if at_the_end else first_unanswered(items, answers)
        if number is None:  # all answered: the summary (Esc there goes back to correct an answer)
            self._open_summary(phase)
            return

        def answered(done: bool | None) -> None:
            if done:
                self._open_summary(phase)

        self.app.push_screen(ExcerptScreen(self.presenter, phase, number, answers), answered)

    @work(group="step")
    async def _open_summary(self, phase: Phase) -> None:
        from roleplay.tui.presenter.results import PhaseSummaryScreen, room_answers_job

        try:
            record: RoomAnswers = await self.presenter.history.run(room_answers_job(self.presenter))
        except HistoryFailed as exc:
            self.notify(exc.problem or "", severity="error", markup=False)
            return

        def then(choice: Literal["agenda", "correct"] | None) -> None:
            if choice == "correct":
                self._open_test(phase, at_the_end=True)

        self.app.push_screen(PhaseSummaryScreen(self.presenter, phase, record), then)

    def _pick_call(self) -> None:
        from roleplay.tui.presenter.pick import ScenarioPickScreen

        def picked(scenario_id: str | None) -> None:
            if scenario_id is not None:
                self._room_call(scenario_id)

        self.app.push_screen(ScenarioPickScreen(self.presenter), picked)

    def _room_call(self, scenario_id: str) -> None:
        from roleplay.tui.presenter.room_call import RoomCallScreen

        def ended(result: RoomResult | None) -> None:
            if result is not None:
                self._room_debrief(scenario_id, result)

        self.app.push_screen(RoomCallScreen(self.presenter, scenario_id), ended)

    def _room_debrief(self, scenario_id: str, result: RoomResult) -> None:
        from roleplay.tui.presenter.room_debrief import RoomDebriefScreen

        library = self.presenter.workshop.library

        def then(choice: Next | None) -> None:
            if choice == "next":
                self._pick_call()
            elif choice == "replay":
                self._room_call(scenario_id)

        screen = RoomDebriefScreen(
            library.scenarios[scenario_id], library.catalog, result.debrief, result.votes
        )
        self.app.push_screen(screen, then)

    @work(group="step")
    async def _open_report(self) -> None:
        from roleplay.tui.presenter.report import WorkshopReportScreen, report_job

        try:
            report, problem = await self.presenter.history.run(report_job(self.presenter)), None
        except HistoryFailed as exc:
            report, problem = None, exc.problem
        self.app.push_screen(WorkshopReportScreen(self.presenter, report, problem))

    # -- the residents' phones

    def action_phones(self) -> None:
        """p: open the room to the residents' phones, on an address the facilitator picks (never every
        interface without asking); once open, p offers to close it."""
        if self.presenter.phones is not None:
            self._offer_to_close_phones()
            return
        from roleplay.tui.presenter.choice import KeyChoiceScreen, KeyOption
        from roleplay.workshop.phones import addresses

        found = addresses()[:9]
        if not found:
            self.notify(_("This computer has no network address for phones to reach."), severity="error")
            return
        options = [
            KeyOption(str(n), str(n), Text(address_label(a.interface, a.address, a.loopback)))
            for n, a in enumerate(found, 1)
        ]

        def picked(key: str | None) -> None:
            if key is not None:
                self._open_phones(found[int(key) - 1].address)

        question = _(
            "Which network are the residents' phones on? Pick the address they will type "
            "(the room's Wi-Fi; this computer's own address only for a rehearsal)."
        )
        self.app.push_screen(KeyChoiceScreen(question, options), picked)

    def _offer_to_close_phones(self) -> None:
        from roleplay.tui.presenter.choice import KeyChoiceScreen, KeyOption

        def close(key: str | None) -> None:
            if key is not None:
                self.presenter.close_phones()
                self.call_later(self.recompose_and_focus)

        question = _("Close the room to phones? Their answers so far are kept.")
        self.app.push_screen(
            KeyChoiceScreen(question, [KeyOption("c", "c", Text(_("Close to phones")))]), close
        )

    @work(group="phones", exclusive=True)
    async def _open_phones(self, address: str) -> None:
        from roleplay.workshop.phones import RoomPhones, ServerError
        from roleplay.workshop.remote import keep_calls

        presenter = self.presenter
        key: dict[tuple[str, int], str] = {
            (phase, item.number): item.kind
            for phase in ALL_PHASES
            for item in presenter.workshop.items(phase)
        }
        workshop_id = presenter.id

        def earlier(store: Store) -> dict[str, dict[tuple[str, int], str]]:
            return store.device_answers(workshop_id)

        workshop = presenter.workshop
        receive = keep_calls(workshop.store.path, workshop.library, workshop_id)
        try:
            answered = await presenter.history.run(earlier)
            phones = RoomPhones(address, lang=language(), workshop=workshop_id, receive=receive)
            await asyncio.to_thread(phones.open, key)
        except (HistoryFailed, ServerError) as exc:
            problem = exc.problem if isinstance(exc, HistoryFailed) else str(exc)
            self.notify(
                _("The room cannot be opened to phones: {problem}").format(problem=problem),
                severity="error",
                markup=False,
            )
            return
        for device, answers in answered.items():
            phones.ballot.remember(device, answers)
        presenter.phones = phones
        await self.recompose_and_focus()

    async def recompose_and_focus(self) -> None:
        await self.recompose()
        self.composed()

    def on_unmount(self) -> None:
        """The workshop is closed: the phones' server stops with it."""
        self.presenter.close_phones()

    def action_switch_language(self) -> None:
        self.post_message(self.LanguageSwitched())

    def action_back(self) -> None:
        self.dismiss(None)
