"""Home: a random incoming call, the scenario library, the trainee's nickname, language and help."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, language
from roleplay.text.progress import recommendation_reason
from roleplay.tui.screens.base import TrainerScreen

if TYPE_CHECKING:
    from roleplay.history.progress import Progress
    from roleplay.tui.app import TrainerApp


class HomeScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("r", "random_call", N_("Random call")),
        Binding("c", "recommended_call", N_("Recommended call")),
        Binding("h", "history", N_("Progress")),
        Binding("l", "switch_language", N_("中文 / English")),
        Binding("t", "toggle_theme", N_("Light / dark")),
        Binding("w", "join_workshop", N_("Join a workshop")),
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
            yield Static(self._workshop_line(), id="workshop")
            yield Static("", id="glance")
            yield Static(
                Text(_("Red flags spotted in your recent calls, oldest first:")), id="glance-trend-label"
            )
            yield Sparkline([], id="glance-trend")
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
        """Parse and check the scenario files, open the history: off the event loop, the screen is usable."""
        self.trainer.ensure_library()
        self.app.call_from_thread(self._fill_library)
        progress = self.trainer.progress()
        self.app.call_from_thread(self._show_glance, progress)

    def _show_glance(self, progress: Progress | None) -> None:
        """Progress at a glance: calls, outcomes, red flags spotted, a trend, and what to play next."""
        self._progress = progress
        glance = self.query_one("#glance", Static)
        trend = self.query_one("#glance-trend", Sparkline)
        if progress is None or not progress.calls:
            glance.update(Text(_("Your progress will show here after your first call.")))
            trend.display = False
            self.query_one("#glance-trend-label", Static).display = False
            return
        met = sum(f.met for f in progress.flags)
        spotted = sum(f.spotted for f in progress.flags)
        lines = Text(
            _(
                "Played {calls} calls: {safe} safe, {loss} lost. Red flags spotted: {spotted} of {met}."
            ).format(calls=progress.calls, safe=progress.safe, loss=progress.loss, spotted=spotted, met=met)
        )
        rec = progress.recommendation
        if rec is not None:
            lines.append("\n" + _("Next: {title} (press c)").format(title=v.say(rec.title)), style="bold")
            library = self.trainer.session.library
            if library is not None:
                lines.append("\n" + recommendation_reason(rec, library.catalog))
        glance.update(lines)
        shares = [
            c.spotted / (c.spotted + c.missed) for c in reversed(progress.recent) if c.spotted + c.missed
        ]
        trend.data = shares
        trend.display = len(shares) > 1
        self.query_one("#glance-trend-label", Static).display = trend.display

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

    def action_history(self) -> None:
        self._remember_nickname()
        self.trainer.open_history()

    def action_recommended_call(self) -> None:
        self._remember_nickname()
        progress = getattr(self, "_progress", None)
        if progress is not None and progress.recommendation is not None:
            self.trainer.open_scenario(progress.recommendation.scenario)
        else:
            self.trainer.open_scenario("taobao-refund")  # where the advisories start

    def _workshop_line(self) -> Text:
        joined = self.trainer.session.workshop_id
        if joined is None:
            return Text("")
        return Text(_("Your calls join workshop {id}.").format(id=joined), style="bold")

    def action_join_workshop(self, message: str = "") -> None:
        from roleplay.tui.screens.join import JoinWorkshopScreen

        def joined(typed: str | None) -> None:
            if not typed:
                return
            problem = self.trainer.join_workshop(typed)
            if problem:
                self.action_join_workshop(problem)  # ask again, saying what was wrong
                return
            self.query_one("#workshop", Static).update(self._workshop_line())
            self.notify(_("Joined workshop {id}.").format(id=self.trainer.session.workshop_id))

        self.app.push_screen(JoinWorkshopScreen(message), joined)

    def action_toggle_theme(self) -> None:
        self.trainer.toggle_theme()

    def action_show_problems(self) -> None:
        if self.trainer.session.problems:
            self.trainer.show_problems(self.trainer.session.problems)
