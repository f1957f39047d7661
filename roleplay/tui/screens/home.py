"""Home: a random incoming call, the scenario library, the trainee's nickname, language and help."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from roleplay import vocabulary as v
from roleplay.i18n import N_, _, language
from roleplay.tui.screens.base import TrainerScreen

if TYPE_CHECKING:
    from roleplay.tui.app import TrainerApp


class HomeScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("r", "random_call", N_("Random call")),
        Binding("l", "switch_language", N_("中文 / English")),
        Binding("p", "show_problems", N_("File problems"), show=False),
    ]

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static(Text(_("Practise answering calls before a real one comes.")), id="tagline")
            yield Input(
                value=self.trainer.session.settings.trainee,
                placeholder=_("Your nickname (no real name needed)"),
                id="nickname",
            )
            yield Button(_("Random incoming call (r)"), id="random", variant="primary")
            yield Static(Text(_("Or pick a call from the library:")), classes="section")
            yield OptionList(id="library", markup=False)
            yield Static("", id="notice")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#random", Button).focus()
        # After the first frame: parsing the library in a thread would otherwise hold up the first paint.
        self.call_after_refresh(self._load_library)

    @work(thread=True, exclusive=True)
    def _load_library(self) -> None:
        """Parse and check the scenario files off the event loop: the screen is usable meanwhile."""
        self.trainer.ensure_library()
        self.app.call_from_thread(self._fill_library)

    def _fill_library(self) -> None:
        library = self.trainer.session.library
        if library is None:
            return
        options = self.query_one("#library", OptionList)
        options.clear_options()
        for number, scenario_id in enumerate(sorted(library.scenarios), 1):
            title = v.say(library.scenarios[scenario_id].title)
            options.add_option(Option(Text(f"{number:>2}. {title}"), id=scenario_id))
        problems = self.trainer.session.problems
        if problems:
            notice = _("{count} scenario file problem(s): press p to see them").format(count=len(problems))
            self.query_one("#notice", Static).update(Text(notice))

    @on(Button.Pressed, "#random")
    def action_random_call(self) -> None:
        self._remember_nickname()
        self.trainer.random_call()

    @on(OptionList.OptionSelected, "#library")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._remember_nickname()
        if event.option.id:
            self.trainer.open_scenario(event.option.id)

    @on(Input.Submitted, "#nickname")
    def _nickname_done(self) -> None:
        self._remember_nickname()
        self.query_one("#random", Button).focus()

    def _remember_nickname(self) -> None:
        name = self.query_one("#nickname", Input).value.strip()
        session = self.trainer.session
        if name != session.settings.trainee:
            session.settings.trainee = name
            message = session.remember()
            if message:
                self.notify(message, severity="warning")

    async def action_switch_language(self) -> None:
        self._remember_nickname()
        self.trainer.switch_language("en" if language() == "zh" else "zh")
        await self.recompose()
        self._fill_library()
        self.query_one("#random", Button).focus()

    def action_show_problems(self) -> None:
        if self.trainer.session.problems:
            self.trainer.show_problems(self.trainer.session.problems)
