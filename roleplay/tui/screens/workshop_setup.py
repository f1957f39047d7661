"""The presenter's first screen: start a new workshop, or continue one by its id.

Why: a workshop outlives one run of the program (a laptop restarted between the calls and the post-test, a
second session with the same group), so its id is what carries it; a mistyped id is said here in one line,
with the recent workshops listed to pick from, never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.text.i18n import N_, _
from roleplay.tui.screens.base import TrainerScreen
from roleplay.tui.screens.workshop import Presenter, WorkshopScreen

if TYPE_CHECKING:
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.tui.app import TrainerApp

RECENT = 5


class WorkshopSetupScreen(TrainerScreen):
    BINDINGS = [Binding("escape", "app.quit", N_("Quit"))]  # noqa: RUF012 - the first screen: nothing before it

    def __init__(
        self, *, workshop_id: str | None = None, facilitator: str | None = None, seed: int | None = None
    ) -> None:
        super().__init__()
        self._workshop_id = workshop_id
        self._facilitator = facilitator
        self._seed = seed

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

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
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Workshop presenter")
        self.sub_title = ""
        if self._facilitator:
            self.query_one("#ws-title", Input).focus()
        else:
            self.query_one("#ws-facilitator", Input).focus()
        store = self.trainer.session.ensure_store()
        if store is None:
            self._say(
                _("The workshop cannot be recorded: {problem}").format(
                    problem=self.trainer.session.store_problem
                )
            )
            return
        self._list_recent(store)
        if self._workshop_id:
            self.call_after_refresh(self._continue, self._workshop_id)

    def _list_recent(self, store: Store) -> None:
        from roleplay.history.errors import StoreError

        recent = self.query_one("#ws-recent", OptionList)
        recent.clear_options()
        try:
            workshops = store.workshops()[:RECENT]
        except StoreError as exc:
            self._say(str(exc))
            return
        for w in workshops:
            when = w.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            line = f"{w.id}   {when}   {w.facilitator}" + (f" · {w.title}" if w.title else "")
            recent.add_option(Option(Text(line), id=w.id))
        recent.display = bool(workshops)

    def _say(self, message: str) -> None:
        notice = self.query_one("#ws-notice", Static)
        notice.update(Text(message))
        notice.set_class(bool(message), "-problem")

    def _ready(self) -> tuple[Store, Library] | None:
        """The history and the scenario library, or None once the reason was shown."""
        store = self.trainer.session.ensure_store()
        if store is None:
            self._say(
                _("The workshop cannot be recorded: {problem}").format(
                    problem=self.trainer.session.store_problem
                )
            )
            return None
        library = self.trainer.ensure_library()  # a broken catalog shows its problems screen
        return None if library is None else (store, library)

    # -- start a new workshop

    @on(Input.Submitted, "#ws-facilitator")
    def _name_done(self) -> None:
        self.query_one("#ws-title", Input).focus()

    @on(Input.Submitted, "#ws-title")
    @on(Button.Pressed, "#ws-start")
    def _start(self) -> None:
        from roleplay.history.errors import StoreError

        name = self.query_one("#ws-facilitator", Input).value.strip()
        if not name:
            self._say(_("Type the facilitator's name first: it goes on the report."))
            self.query_one("#ws-facilitator", Input).focus()
            return
        ready = self._ready()
        if ready is None:
            return
        store, _library = ready
        title = self.query_one("#ws-title", Input).value.strip() or None
        try:
            workshop = store.create_workshop(name, title)
        except StoreError as exc:
            self._say(str(exc))
            return
        self._open(workshop.id)

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

    def _continue(self, workshop_id: str) -> None:
        from roleplay.history.errors import UnknownWorkshop
        from roleplay.history.names import normalise_workshop_id

        if self._ready() is None:
            return
        try:
            self._open(workshop_id)
        except UnknownWorkshop:
            wanted = normalise_workshop_id(workshop_id)
            self._say(
                _("There is no workshop {id} in this history. Check the id, or start a new workshop.").format(
                    id=wanted
                )
            )
            box = self.query_one("#ws-resume-id", Input)
            box.value = wanted
            box.focus()

    def _open(self, workshop_id: str) -> None:
        """Open the workshop's agenda. Raises UnknownWorkshop."""
        from roleplay.workshop.session import WorkshopSession

        ready = self._ready()
        if ready is None:
            return
        store, library = ready
        session = WorkshopSession(store, library, workshop_id)
        self._say("")
        self.query_one("#ws-resume-id", Input).value = session.workshop.id
        self._list_recent(store)
        self.app.push_screen(WorkshopScreen(Presenter(session, seed=self._seed)))
