"""Home: a random incoming call, the quick-fire round, the scenario library, the trainee's nickname,
progress at a glance, language, theme, joining a workshop. The bottom of the trainer's stack: every call
comes back here.

The library arrives once the app has loaded it (this screen is drawn first, so the trainer starts fast);
the progress is read on the history thread whenever the screen comes back into view, so the glance counts
the call just played. What to play, the language and the theme are asked of the app by message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.history.names import MAX_NICKNAME
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _, language
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.session import Session
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.wrapped import Wrapped

if TYPE_CHECKING:
    from roleplay.core.quiz import Letter
    from roleplay.history.progress import Progress
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.library.problems import Problem

STARTER = "taobao-refund"  # where the advisories start: the recommended call before there is any history
SHORT_SCREEN = 32  # rows: below this the home screen leaves out its tagline and the reason for the next call
TREND_BLOCKS = "▁▂▃▄▅▆▇█"
NICKNAME_ALLOWED = r"[^@\x00-\x1f\x7f-\x9f]*"  # what `check_nickname` accepts, kept out as it is typed


def progress_of(trainee: str, library: Library) -> Callable[[Store], Progress]:
    """A history job: the trainee's progress."""

    def read(store: Store) -> Progress:
        from roleplay.history.progress import trainee_progress

        return trainee_progress(store, trainee, library)

    return read


def glance_text(progress: Progress | None) -> Text:
    """Progress at a glance: calls, outcomes, red flags spotted, and what to play next."""
    if progress is None or not progress.calls:
        return Text(_("Your progress will show here after your first call."))
    met = sum(f.met for f in progress.flags)
    spotted = sum(f.spotted for f in progress.flags)
    lines = Text(
        _("Played {calls} calls: {safe} safe, {loss} lost. Red flags spotted: {spotted} of {met}.").format(
            calls=progress.calls, safe=progress.safe, loss=progress.loss, spotted=spotted, met=met
        )
    )
    rec = progress.recommendation
    if rec is not None:
        lines.append("\n" + _("Next: {title} (press c)").format(title=v.say(rec.title)), style="bold")
    return lines


def reason_text(progress: Progress | None, library: Library | None) -> Text:
    """Why the next call is recommended (left out on a short screen)."""
    if progress is None or progress.recommendation is None or library is None:
        return Text("")
    from roleplay.text.progress import recommendation_reason  # loaded with the progress itself

    return Text(recommendation_reason(progress.recommendation, library.catalog))  # wrapped on screen


def spotted_shares(progress: Progress | None) -> list[float]:
    """The share of red flags spotted in each recent call, oldest first (the trend under the glance)."""
    if progress is None:
        return []
    return [c.spotted / (c.spotted + c.missed) for c in reversed(progress.recent) if c.spotted + c.missed]


def trend_text(shares: list[float]) -> Text:
    """The trend on one line: a block per call on a fixed scale (none spotted is the lowest block, all
    spotted the highest, whatever the other calls), then the latest call's share in words."""
    text = Text(_("Red flags spotted in your recent calls, oldest first:") + " ")
    for share in shares:
        text.append(TREND_BLOCKS[round(share * (len(TREND_BLOCKS) - 1))], style="bold")
    if shares:
        text.append("  " + _("last call: {percent}%").format(percent=round(shares[-1] * 100)))
    return text


class HomeScreen(TrainerScreen[None]):
    BINDINGS = [  # noqa: RUF012
        # r and k are on the buttons and t in the help: the footer keeps room, at 80 columns, for the rest.
        Binding("r", "random_call", N_("Random call"), show=False),
        Binding("k", "quiz", N_("Quick-fire round"), show=False),
        Binding("c", "recommended_call", N_("Recommended")),
        Binding("h", "history", N_("Progress")),
        Binding("l", "switch_language", N_("中文 / English")),
        Binding("t", "toggle_theme", N_("Light / dark"), show=False),
        Binding("w", "join_workshop", N_("Join workshop")),
        Binding("p", "show_problems", N_("File problems"), show=False),
    ]

    library: reactive[Library | None] = reactive(None, init=False)
    progress: reactive[Progress | None] = reactive(None, init=False)
    workshop_id: reactive[str | None] = reactive(None, init=False)

    class CallRequested(Message):
        """Ring with this scenario (an id), or with a random one (None)."""

        def __init__(self, scenario: str | None) -> None:
            super().__init__()
            self.scenario = scenario

    class QuizRequested(Message):
        """Start the quick-fire round with this form, or (None) the one the trainee takes next."""

        def __init__(self, form: Letter | None) -> None:
            super().__init__()
            self.form = form

    class ProgressShown(Message):
        """Show the trainee's progress in full."""

        def __init__(self, progress: Progress, library: Library) -> None:
            super().__init__()
            self.progress = progress
            self.library = library

    class ProblemsShown(Message):
        """Show the scenario files that did not load."""

        def __init__(self, problems: list[Problem]) -> None:
            super().__init__()
            self.problems = problems

    class ThemeSwitched(Message):
        """The trainee asked for light colours instead of dark, or dark instead of light."""

    def __init__(self, session: Session, *, quiz: Letter | Literal["next"] | None = None) -> None:
        """`quiz`: open the quick-fire round at once (`roleplay quiz`), with that form or the next one."""
        super().__init__()
        self.session = session
        self._quiz_at_start = quiz
        self.set_reactive(HomeScreen.workshop_id, session.workshop_id)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static(Text(_("Practise answering calls before a real one comes.")), id="tagline")
            yield Input(
                value=self.session.settings.trainee,
                placeholder=_("Your nickname (no real name needed), then Enter"),
                max_length=MAX_NICKNAME,  # the history keeps no longer name: one more key is simply not taken
                restrict=NICKNAME_ALLOWED,
                id="nickname",
            )
            with Horizontal(id="home-buttons"):
                yield Button(_("Random incoming call (r)"), id="random", variant="primary")
                yield Button(_("Quick-fire round: scam or not? (k)"), id="quiz")
            yield Static(self._workshop_line(), id="workshop")
            yield Static(glance_text(self.progress), id="glance")
            yield Static(Wrapped(reason_text(self.progress, self.library)), id="glance-why")
            yield Static(trend_text(spotted_shares(self.progress)), id="glance-trend")
            yield Static(Text(_("Or pick a call from the library:")), classes="section")
            yield OptionList(*self._library_options(), id="library", markup=False)
            yield Static(self._problems_line(), id="notice")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()
        self._wait_for_library()
        if self._quiz_at_start is not None:
            asked, self._quiz_at_start = self._quiz_at_start, None
            self.post_message(self.QuizRequested(None if asked == "next" else asked))

    def composed(self) -> None:
        # No nickname yet (the first run): the cursor is in its box, so what is typed is the name, not keys.
        if self.session.settings.trainee.strip():
            self.query_one("#random", Button).focus()
        else:
            self.query_one("#nickname", Input).focus()
        self._show_trend()
        self._show_lines()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_SCREEN, "-short")

    def _show_lines(self) -> None:
        """Lines with nothing to say take no room: at 24 rows the library needs every one."""
        self.query_one("#workshop", Static).display = self.workshop_id is not None
        self.query_one("#notice", Static).display = bool(self.library and self.library.problems)

    def on_screen_resume(self) -> None:
        """Back from a call (or any screen): the glance counts what was just played, the box shows the name
        it was saved under."""
        box = self.query_one("#nickname", Input)
        saved = self.session.settings.trainee
        if saved and not box.value.strip():
            box.value = saved
            self.query_one("#random", Button).focus()
        self._read_progress()

    # -- what arrives: the library, the progress

    @work(group="library")
    async def _wait_for_library(self) -> None:
        self.library = await self.session.wait_for_library()

    def watch_library(self, library: Library | None) -> None:
        options = self.query_one("#library", OptionList)
        options.clear_options()
        options.add_options(self._library_options())
        self.query_one("#notice", Static).update(self._problems_line())
        self._show_lines()
        self._read_progress()

    @work(exclusive=True, group="progress")
    async def _read_progress(self) -> None:
        library = self.library
        if library is None:
            return
        try:
            self.progress = await self.session.history.run(progress_of(self.session.trainee, library))
        except HistoryFailed:
            self.progress = None

    def watch_progress(self, progress: Progress | None) -> None:
        self.query_one("#glance", Static).update(glance_text(progress))
        self.query_one("#glance-why", Static).update(Wrapped(reason_text(progress, self.library)))
        self.query_one("#glance-trend", Static).update(trend_text(spotted_shares(progress)))
        self._show_trend()

    def _show_trend(self) -> None:
        self.query_one("#glance-trend", Static).display = len(spotted_shares(self.progress)) > 1

    def watch_workshop_id(self) -> None:
        self.query_one("#workshop", Static).update(self._workshop_line())
        self._show_lines()

    def _library_options(self) -> list[Option]:
        """The library's calls by title; before the library has loaded, as its index has them (the same list).
        Not by id: an id is an author's name for the file, and ids that begin alike would stand together."""
        if self.library is not None:
            titles = {scenario_id: v.say(s.title) for scenario_id, s in self.library.scenarios.items()}
        elif self.session.index is not None:
            titles = {entry.id: entry.title.get(language()) for entry in self.session.index}
        else:
            return []
        # Not numbered: a number would promise a key that picks it.
        order = sorted(titles, key=lambda scenario_id: (titles[scenario_id], scenario_id))
        return [Option(Text(titles[scenario_id]), id=scenario_id) for scenario_id in order]

    def _problems_line(self) -> Text:
        if self.library is None or not self.library.problems:
            return Text("")
        count = len(self.library.problems)
        return Text(_("{count} scenario file problem(s): press p to see them").format(count=count))

    def _workshop_line(self) -> Text:
        if self.workshop_id is None:
            return Text("")
        return Text(_("Your calls join workshop {id}.").format(id=self.workshop_id), style="bold")

    # -- what the trainee asks for

    @on(Button.Pressed, "#random")
    def action_random_call(self) -> None:
        self._remember_nickname()
        self.post_message(self.CallRequested(None))

    @on(OptionList.OptionSelected, "#library")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._remember_nickname()
        if event.option.id:
            self.post_message(self.CallRequested(event.option.id))

    @on(Button.Pressed, "#quiz")
    def action_quiz(self) -> None:
        self._remember_nickname()
        self.post_message(self.QuizRequested(None))

    def action_recommended_call(self) -> None:
        self._remember_nickname()
        rec = self.progress.recommendation if self.progress is not None else None
        self.post_message(self.CallRequested(rec.scenario if rec is not None else STARTER))

    @on(Input.Submitted, "#nickname")
    def _nickname_done(self) -> None:
        self._remember_nickname(playing=False)
        self.query_one("#random", Button).focus()

    def _remember_nickname(self, *, playing: bool = True) -> None:
        """The name in the box is the one calls are saved under. Left empty when a call or the quick-fire
        round starts: the default word for it, kept (and shown in the box) so the trainee sees what their
        calls are saved as."""
        box = self.query_one("#nickname", Input)
        name = box.value.strip()
        if not name and playing:
            name = box.value = v.default_nickname()
        settings = self.session.settings
        if name != settings.trainee:
            settings.trainee = name
            message = self.session.remember()
            if message:
                self.notify(message, severity="warning", markup=False)
            self._read_progress()  # the glance is this trainee's

    def action_switch_language(self) -> None:
        self._remember_nickname(playing=False)
        self.post_message(self.LanguageSwitched())

    def action_toggle_theme(self) -> None:
        self.post_message(self.ThemeSwitched())

    def action_show_problems(self) -> None:
        if self.library is not None and self.library.problems:
            self.post_message(self.ProblemsShown(self.library.problems))

    def action_history(self) -> None:
        self._remember_nickname(playing=False)
        self._show_history()

    @work(exclusive=True, group="history")
    async def _show_history(self) -> None:
        """The progress in full, read again now; said in a line when there is none to show."""
        library = await self.session.wait_for_library()
        if library is None:
            return
        try:
            progress = await self.session.history.run(progress_of(self.session.trainee, library))
        except HistoryFailed as exc:
            self.notify(exc.problem or _("There is no history yet."), severity="warning", markup=False)
            return
        self.post_message(self.ProgressShown(progress, library))

    def action_join_workshop(self, message: str = "") -> None:
        from roleplay.tui.trainer.join import JoinWorkshopScreen

        def typed(answer: tuple[str, str] | None) -> None:
            if answer is not None and answer[0].strip():
                self._join(*answer)

        self.app.push_screen(JoinWorkshopScreen(message), typed)

    @work(group="join")
    async def _join(self, typed: str, code: str) -> None:
        """An address: joined over the network with the code. An id: checked in the history. A wrong one is
        asked again, saying what was wrong."""
        from roleplay.tui.trainer.join import find_workshop
        from roleplay.workshop.remote import presenter_url

        url = presenter_url(typed)
        if url is not None:
            await self._join_presenter(url, code)
            return
        try:
            found, problem = await self.session.history.run(find_workshop(typed))
        except HistoryFailed as exc:
            found, problem = None, exc.problem or _("There is no history to keep the workshop's calls in.")
        if found is None:
            self.action_join_workshop(problem or "")
            return
        self.session.workshop_id = self.workshop_id = found
        self.session.link = None
        self.notify(_("Joined workshop {id}.").format(id=found))

    async def _join_presenter(self, url: str, code: str) -> None:
        """Join the workshop on the presenter's laptop; each call finished here is sent there too."""
        import asyncio

        from roleplay.tui.recording import link_problem
        from roleplay.workshop.remote import LinkError, join_presenter

        try:
            link = await asyncio.to_thread(join_presenter, url, code.replace(" ", ""))
        except LinkError as exc:
            self.action_join_workshop(link_problem(exc))
            return
        self.session.link = link
        self.session.workshop_id = None  # the record is on the presenter's laptop, not in this history
        self.workshop_id = link.workshop_id
        self.notify(
            _("Joined workshop {id}: your calls are sent to the presenter's laptop.").format(
                id=link.workshop_id
            )
        )
