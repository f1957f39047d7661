"""The trainer app. `make_app()` is the one factory the CLI, the tests and the benchmark share; the
presenter (`make_presenter()`) is the same app opened on the workshop setup screen.

Screens ask the app by message (a call, the progress, the other language, a workshop's agenda); the
trainee's way from screen to screen is `TrainerFlow`'s. The library loads on a worker thread that hands its
result back as a message; the history is read and written on its own thread (`HistoryThread`). The event
loop only draws and routes keys.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from roleplay.core.languages import Language
from roleplay.settings import Settings
from roleplay.text.i18n import N_, _, language, set_language
from roleplay.tui.bindings import translate_bindings
from roleplay.tui.history_thread import HistoryThread
from roleplay.tui.inert import make_rendering_inert
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.session import Session, shipped_library
from roleplay.tui.trainer.flow import TrainerFlow
from roleplay.tui.trainer.home import HomeScreen

if TYPE_CHECKING:  # the library, the model, SQLite and pydantic load after the first screen is drawn
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.library.problems import Problem
    from roleplay.tui.presenter.setup import WorkshopSetupScreen

make_rendering_inert()  # before anything is drawn: no text the trainer shows can act on the terminal

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
WATCH_SECONDS = 0.5  # how often `--watch` looks at the scenario file
# Asked to stop by the system (`kill`, a closed terminal window): quit as with q, so that Textual's driver
# gives the terminal back (main screen, no mouse reporting, the cursor shown) and a call in progress is kept
# as abandoned. The exit status is the shell's for a signal: 128 + its number.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
# After a stop signal, the most the app may take to quit before the process ends regardless (a terminal that
# is gone may leave the driver's shutdown waiting); the call is saved by then (`on_unmount`).
STOP_GRACE_SECONDS = 10.0


class TrainerApp(TrainerFlow):
    CSS_PATH = "app.tcss"
    TITLE = "反诈来电演练"
    BINDINGS = [  # noqa: RUF012 - Textual's own convention
        Binding("ctrl+c", "quit", N_("Quit"), show=False, priority=True),
        Binding("q", "quit", N_("Quit")),
        Binding("question_mark,f1", "help", N_("Help")),
        Binding("t", "toggle_theme", N_("Light / dark"), show=False),
    ]

    class LibraryLoaded(Message):
        """The library's loading thread is done: the library, or None and the problems of its catalog."""

        def __init__(self, library: Library | None, problems: list[Problem]) -> None:
            super().__init__()
            self.library = library
            self.problems = problems

    class HistoryProblem(Message):
        """Reading or writing the history failed (posted from the history thread)."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(
        self,
        session: Session,
        *,
        scenario_path: str | None = None,
        seed: int | None = None,
        watch: bool = False,
        first_screen: Callable[[Session], Screen[None]] | None = None,
    ) -> None:
        """`first_screen` builds the bottom screen instead of home (the workshop presenter's setup)."""
        super().__init__()
        self.session = session
        self._first_screen = first_screen
        self._start_with = scenario_path
        self._seed = seed
        self._watched: Path | None = Path(scenario_path) if watch and scenario_path else None
        self._watched_stamp = self._stamp()
        self.startup_notices: list[str] = []  # said once the first screen is up (a settings file moved aside)
        self._signals_before: dict[int, object] = {}
        self.hard_stop = False  # the process is this app's alone (`run`): end it if quitting hangs
        self._deadline: threading.Timer | None = None
        session.history.report = self._report_from_thread
        translate_bindings(self)

    def _report_from_thread(self, problem: str) -> None:
        self.post_message(self.HistoryProblem(problem))  # post_message is safe from any thread

    def get_default_screen(self) -> Screen[None]:
        """Home is the bottom of the stack: no empty screen to compose and lay out first."""
        if self._first_screen is not None:
            return self._first_screen(self.session)
        return HomeScreen(self.session)

    def on_mount(self) -> None:
        self._catch_stop_signals()
        self.title = _("Scam call practice")
        for notice in self.startup_notices:
            self.notify(notice, severity="warning", markup=False, timeout=15)
        self.theme = LIGHT_THEME if self.session.settings.light else DARK_THEME
        # After the first frame: parsing the library in a thread would otherwise hold up the first paint.
        self.call_after_refresh(self._load_library)
        if self._start_with:
            self._open(self._start_with, self._seed)
        if self._watched:
            self.set_interval(WATCH_SECONDS, self._reload_if_saved)
        self._check_size(*self.size)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(*event.size)

    def _check_size(self, width: int, height: int) -> None:
        """Too small to use: a screen says how big it must be, until it is."""
        from roleplay.tui.too_small import TooSmallScreen, too_small

        if too_small(width, height) and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())

    async def on_unmount(self) -> None:
        """Every screen is closed by now (a call left mid-way asked to be saved): wait for those writes."""
        await self.session.history.close()
        for number, before in self._signals_before.items():
            signal.signal(number, before)  # type: ignore[arg-type] # what signal.getsignal gave
        self._signals_before.clear()

    def quit_in_time(self) -> None:
        """The app has quit: no need to end the process after a stop signal."""
        if self._deadline is not None:
            self._deadline.cancel()

    def _catch_stop_signals(self) -> None:
        """SIGTERM and SIGHUP quit the app the way q does (see STOP_SIGNALS)."""
        import asyncio

        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set signal handlers
        loop = asyncio.get_running_loop()

        def stop(number: int, _frame: object) -> None:
            loop.call_soon_threadsafe(lambda: self.exit(128 + number, return_code=128 + number))
            if self.hard_stop and self._deadline is None:
                import os

                self._deadline = threading.Timer(STOP_GRACE_SECONDS, os._exit, args=(128 + number,))
                self._deadline.daemon = True
                self._deadline.start()

        for number in STOP_SIGNALS:
            self._signals_before[number] = signal.getsignal(number)
            signal.signal(number, stop)

    # -- loading, on threads that only load and post what they found

    @work(thread=True, group="library")
    def _load_library(self) -> None:
        from roleplay.library.problems import LoadError

        try:
            library = self.session.load_library()
        except LoadError as exc:
            self.post_message(self.LibraryLoaded(None, exc.problems))
            return
        self.post_message(self.LibraryLoaded(library, []))

    def on_trainer_app_library_loaded(self, message: LibraryLoaded) -> None:
        self.session.library_loaded(message.library)
        if message.library is None:
            self._show_problems(message.problems)

    def on_trainer_app_history_problem(self, message: HistoryProblem) -> None:
        self.notify(message.problem, severity="warning", markup=False)

    def on_home_screen_theme_switched(self) -> None:
        """Light for a bright room or a projector, dark otherwise; remembered like the language."""
        settings = self.session.settings
        settings.light = not settings.light
        self.theme = LIGHT_THEME if settings.light else DARK_THEME
        self._remember()

    async def on_trainer_screen_language_switched(self) -> None:
        await self.switch_language("en" if language() == "zh" else "zh")

    async def switch_language(self, lang: Language) -> None:
        """Every screen in the stack is drawn again in `lang`; the choice is remembered."""
        set_language(lang)
        self.session.settings.lang = lang
        self.title = _("Scam call practice")
        translate_bindings(self)
        for screen in self.screen_stack:
            if isinstance(screen, TrainerScreen):
                await screen.retranslate()
        self.refresh_bindings()
        self._remember()

    def on_workshop_setup_screen_opened(self, message: WorkshopSetupScreen.Opened) -> None:
        from roleplay.tui.presenter.agenda import WorkshopScreen

        self.push_screen(WorkshopScreen(message.presenter))

    def _remember(self) -> None:
        message = self.session.remember()
        if message:
            self.notify(message, severity="warning", markup=False)

    def action_help(self) -> None:
        """The help of the full screen in view (under a question asked over it): the facilitator's keys on
        the presenter's screens, the trainee's everywhere else."""
        under = next((s for s in reversed(self.screen_stack) if isinstance(s, TrainerScreen)), None)
        if under is not None:
            self.push_screen(under.help_screen())
            return
        from roleplay.tui.trainer.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """`t` on any screen: light colours for a bright room or a projector, dark otherwise."""
        self.on_home_screen_theme_switched()

    # -- live preview for authors: `roleplay play FILE.yaml --watch`

    def _stamp(self) -> int | None:
        try:
            return self._watched.stat().st_mtime_ns if self._watched else None
        except OSError:
            return None

    def _reload_if_saved(self) -> None:
        stamp = self._stamp()
        if stamp == self._watched_stamp or self._watched is None:
            return
        self._watched_stamp = stamp
        self.reload_watched(self._watched)


def _history(keep_history: bool, open_store: Callable[[], Store] | None) -> HistoryThread:
    if not keep_history:
        return HistoryThread(None)
    if open_store is not None:
        return HistoryThread(open_store)

    def open_default() -> Store:
        from roleplay.history.store import Store

        return Store.open()

    return HistoryThread(open_default)


def make_app(
    *,
    lang: Language | None = None,
    scenario: str | None = None,
    seed: int | None = None,
    speak_delay: float | None = None,
    trainee: str | None = None,
    settings_file: Path | None = None,
    save_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
    watch: bool = False,
    keep_history: bool = True,
    workshop_id: str | None = None,
    open_store: Callable[[], Store] | None = None,
    load_library: Callable[[], Library] = shipped_library,
    first_screen: Callable[[Session], Screen[None]] | None = None,
) -> TrainerApp:
    """Build the trainer. Tests pass speak_delay=0, a fixed clock and save_settings=False; `open_store`
    opens the history file (default: `Store.open()`), `load_library` loads the scenarios (default: the
    shipped library). With `workshop_id` every call played joins that workshop's record."""
    settings, settings_problem = Settings.read(settings_file)
    if lang:
        settings.lang = lang
    if speak_delay is not None:
        settings.speak_delay = speak_delay
    if trainee is not None:
        settings.trainee = trainee
    set_language(settings.lang)
    index = None
    if load_library is shipped_library:  # the library the index is of: listed in the first frame
        from roleplay.library.index import read_index

        index = read_index()
    session = Session(
        settings,
        _history(keep_history, open_store),
        load_library=load_library,
        settings_file=settings_file,
        save_settings=save_settings,
        clock=clock,
        workshop_id=workshop_id,
        index=index,
    )
    app = TrainerApp(session, scenario_path=scenario, seed=seed, watch=watch, first_screen=first_screen)
    if settings_problem:
        app.startup_notices.append(settings_problem)
    return app


def run(
    lang: Language | None = None,
    scenario: str | None = None,
    seed: int | None = None,
    watch: bool = False,
    workshop: str | None = None,
) -> int:
    app = make_app(lang=lang, scenario=scenario, seed=seed, watch=watch, workshop_id=workshop)
    return _run(app)


def _run(app: TrainerApp) -> int:
    """Run the app as the process's own (a stop signal ends the process if quitting hangs)."""
    app.hard_stop = True
    result = app.run()
    app.quit_in_time()
    return result if isinstance(result, int) else 0


# -- the presenter: the same app, opened on the workshop setup screen


def make_presenter(
    *,
    workshop_id: str | None = None,
    facilitator: str | None = None,
    follow_up: bool = False,
    lang: Language | None = None,
    seed: int | None = None,
    speak_delay: float | None = None,
    settings_file: Path | None = None,
    save_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
    open_store: Callable[[], Store] | None = None,
    load_library: Callable[[], Library] = shipped_library,
) -> TrainerApp:
    """The trainer, opened on the presenter's setup screen (the CLI and the tests share this).

    `workshop_id` continues that workshop at once (an unknown id is said on the setup screen); `facilitator`
    fills in the name for a new one; `follow_up` opens that workshop's follow-up weeks later (its third test);
    `seed` fixes every room call's variables (tests, snapshots).
    """
    from roleplay.tui.presenter.setup import WorkshopSetupScreen

    def first_screen(session: Session) -> WorkshopSetupScreen:
        return WorkshopSetupScreen(
            session, workshop_id=workshop_id, facilitator=facilitator, seed=seed, follow_up=follow_up
        )

    return make_app(
        lang=lang,
        speak_delay=speak_delay,
        settings_file=settings_file,
        save_settings=save_settings,
        clock=clock,
        open_store=open_store,
        load_library=load_library,
        first_screen=first_screen,
    )


def run_presenter(
    *,
    lang: Language | None = None,
    workshop_id: str | None = None,
    facilitator: str | None = None,
    follow_up: bool = False,
) -> int:
    """`roleplay workshop`: run the presenter until the facilitator quits."""
    return _run(
        make_presenter(lang=lang, workshop_id=workshop_id, facilitator=facilitator, follow_up=follow_up)
    )
