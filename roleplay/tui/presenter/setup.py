"""The presenter's first screen: start a new workshop, or continue one by its id. Posts `Opened` with the
workshop for the app to show its agenda.

Why: a workshop outlives one run of the program (a laptop restarted between the calls and the post-test, a
second session with the same group), so its id is what carries it; a mistyped id is said here in one line,
with the recent workshops listed to pick from, never a traceback. Every look-up and the new workshop's record
go through the history thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.text.i18n import N_, _
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.presenter.presenter import Presenter
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.session import Session
from roleplay.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from roleplay.history.records import Workshop
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.workshop.session import WorkshopSession

RECENT = 5


def open_workshop(library: Library, workshop_id: str) -> Callable[[Store], WorkshopSession | None]:
    """A history job: the workshop to run, or None when the history has no workshop with this id."""

    def find(store: Store) -> WorkshopSession | None:
        from roleplay.history.errors import UnknownWorkshop
        from roleplay.workshop.session import WorkshopSession

        try:
            return WorkshopSession(store, library, workshop_id)
        except UnknownWorkshop:
            return None

    return find


def recent_workshops(store: Store) -> list[Workshop]:
    return store.workshops()[:RECENT]


class WorkshopSetupScreen(PresenterScreen[None]):
    BINDINGS = [Binding("escape", "app.quit", N_("Quit"))]  # noqa: RUF012 - the first screen: nothing before it

    class Opened(Message):
        """The workshop is ready to run: show its agenda."""

        def __init__(self, presenter: Presenter) -> None:
            super().__init__()
            self.presenter = presenter

    def __init__(
        self,
        session: Session,
        *,
        workshop_id: str | None = None,
        facilitator: str | None = None,
        seed: int | None = None,
        follow_up: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self._follow_up = follow_up
        self._workshop_id = workshop_id
        self._facilitator = facilitator
        self._seed = seed
        self._recent: list[Workshop] = []
        self._notice = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="ws-setup"):
            with Vertical(classes="ws-card", id="ws-new"):
                yield Static(Text(_("Start a new workshop"), style="bold"), classes="ws-card-title")
                with Horizontal(classes="ws-field"):
                    yield Static(Text(_("Facilitator")), classes="ws-field-label")
                    yield Input(
                        value=self._facilitator or "",
                        placeholder=_("Your name, e.g. Officer Wang"),
                        id="ws-facilitator",
                        compact=True,
                    )
                with Horizontal(classes="ws-field"):
                    yield Static(Text(_("Title")), classes="ws-field-label")
                    yield Input(
                        placeholder=_("Optional: the place and date"),
                        id="ws-title",
                        compact=True,
                        max_length=80,
                    )
                yield Button(_("Start the workshop (Enter)"), id="ws-start", variant="primary", compact=True)
            with Vertical(classes="ws-card", id="ws-resume"):
                yield Static(Text(_("Or continue a workshop"), style="bold"), classes="ws-card-title")
                with Horizontal(classes="ws-field"):
                    yield Static(Text(_("Workshop id")), classes="ws-field-label")
                    yield Input(
                        value=self._workshop_id or "",
                        placeholder=_("e.g. ABC234"),
                        id="ws-resume-id",
                        compact=True,
                        max_length=12,
                    )
                yield Button(_("Continue (Enter)"), id="ws-continue", compact=True)
                yield OptionList(id="ws-recent", markup=False)
        yield Static("", id="ws-notice")  # outside the scrolling part: always in view
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()
        self._start_up()

    def composed(self) -> None:
        self.title = _("Workshop presenter")
        self.sub_title = ""
        self.query_one("#ws-title" if self._facilitator else "#ws-facilitator", Input).focus()
        self._show_recent()
        self._say(self._notice)

    async def retranslate(self) -> None:
        """What was typed survives drawing the screen again in another language."""
        self._facilitator = self.query_one("#ws-facilitator", Input).value
        self._workshop_id = self.query_one("#ws-resume-id", Input).value
        await super().retranslate()

    @work(group="setup")
    async def _start_up(self) -> None:
        """The recent workshops to pick from; with `--workshop ID`, that workshop at once."""
        try:
            self._recent = await self.session.history.run(recent_workshops)
        except HistoryFailed as exc:
            self._say(_("The workshop cannot be recorded: {problem}").format(problem=exc.problem))
            return
        self._show_recent()
        if self._workshop_id:
            self._continue(self._workshop_id)

    def _show_recent(self) -> None:
        recent = self.query_one("#ws-recent", OptionList)
        recent.clear_options()
        for w in self._recent:
            when = w.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            line = f"{w.id}   {when}   {w.facilitator}" + (f" · {w.title}" if w.title else "")
            recent.add_option(Option(Text(line), id=w.id))
        recent.display = bool(self._recent)

    def _say(self, message: str) -> None:
        self._notice = message
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(bool(message), "-problem")

    # -- start a new workshop

    @on(Input.Submitted, "#ws-facilitator")
    def _name_done(self) -> None:
        self.query_one("#ws-title", Input).focus()

    @on(Input.Submitted, "#ws-title")
    @on(Button.Pressed, "#ws-start")
    def _start_typed(self) -> None:
        name = self.query_one("#ws-facilitator", Input).value.strip()
        if not name:
            self._say(_("Type the facilitator's name first: it goes on the report."))
            self.query_one("#ws-facilitator", Input).focus()
            return
        self._start(name, self.query_one("#ws-title", Input).value.strip() or None)

    @work(group="setup")
    async def _start(self, name: str, title: str | None) -> None:
        try:
            workshop = await self.session.history.run(lambda store: store.create_workshop(name, title))
        except HistoryFailed as exc:
            self._say(exc.problem or "")
            return
        self._continue(workshop.id)

    # -- continue one

    @on(Input.Submitted, "#ws-resume-id")
    @on(Button.Pressed, "#ws-continue")
    def _continue_typed(self) -> None:
        typed = self.query_one("#ws-resume-id", Input).value.strip()
        if not typed:
            self._say(_("Type the workshop's id (six letters and digits, as on its report)."))
            self.query_one("#ws-resume-id", Input).focus()
            return
        self._continue(typed)

    @on(OptionList.OptionSelected, "#ws-recent")
    def _recent_picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._continue(event.option.id)

    @work(exclusive=True, group="open")
    async def _continue(self, workshop_id: str) -> None:
        """Open the workshop's agenda; an unknown id is said here. A broken catalog shows its problems."""
        from roleplay.history.names import normalise_workshop_id

        library = await self.session.wait_for_library()
        if library is None:
            return
        try:
            workshop = await self.session.history.run(open_workshop(library, workshop_id))
            self._recent = await self.session.history.run(recent_workshops)
        except HistoryFailed as exc:
            self._say(exc.problem or "")
            return
        box = self.query_one("#ws-resume-id", Input)
        if workshop is None:
            wanted = normalise_workshop_id(workshop_id)
            self._say(
                _("There is no workshop {id} in this history. Check the id, or start a new workshop.").format(
                    id=wanted
                )
            )
            box.value = wanted
            box.focus()
            return
        self._say("")
        box.value = workshop.workshop.id
        self._show_recent()
        settings = self.session.settings
        presenter = Presenter(
            workshop,
            self.session.history,
            lambda: settings.speak_delay,
            seed=self._seed,
            follow_up=self._follow_up,
        )
        self.post_message(self.Opened(presenter))
