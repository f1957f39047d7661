"""The trainer app. `make_app()` is the one factory the CLI, the tests and the benchmark share."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from roleplay.core.languages import Language
from roleplay.settings import Settings
from roleplay.text.i18n import N_, _, set_language
from roleplay.tui.bindings import translate_bindings

if TYPE_CHECKING:  # the library, the model and pydantic load after the first screen is drawn
    from roleplay.core.model import Scenario
    from roleplay.history.progress import Progress
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.library.problems import Problem


DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
DEFAULT_TRAINEE = "trainee"  # the name calls are saved under until the trainee gives a nickname


@dataclass
class Session:
    """What the app knows beyond one call: the library, the trainee, the pace, where settings are saved."""

    settings: Settings
    library: Library | None = None
    problems: list[Problem] = field(default_factory=list)
    settings_file: Path | None = None
    save_settings: bool = True
    clock: Callable[[], float] = time.monotonic
    keep_history: bool = True
    store: Store | None = None
    store_problem: str | None = None  # why the history cannot be saved, told once
    workshop_id: str | None = None
    last_played: str | None = None  # scenario id, so a random call is not the same one twice
    last_opened: str | None = None  # id or file it was opened from, for "play again"

    def remember(self) -> str | None:
        """Save the settings; a message when that failed (shown, never fatal)."""
        return self.settings.save(self.settings_file) if self.save_settings else None

    @property
    def trainee(self) -> str:
        return self.settings.trainee.strip() or DEFAULT_TRAINEE

    def ensure_store(self) -> Store | None:
        """The history file, opened on first use. None when it cannot be (the reason is in store_problem)."""
        from roleplay.history.errors import StoreError
        from roleplay.history.store import Store

        if self.store is None and self.store_problem is None and self.keep_history:
            try:
                self.store = Store.open()
            except StoreError as exc:
                self.store_problem = str(exc)
        return self.store


class TrainerApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "反诈来电演练"
    BINDINGS = [  # noqa: RUF012 - Textual's own convention
        Binding("ctrl+c", "quit", N_("Quit"), show=False, priority=True),
        Binding("q", "quit", N_("Quit")),
        Binding("question_mark,f1", "help", N_("Help")),
    ]

    def __init__(
        self,
        session: Session,
        *,
        scenario_path: str | None = None,
        seed: int | None = None,
        watch: bool = False,
        first_screen: Callable[[], Screen[None]] | None = None,
    ) -> None:
        """`first_screen` builds the bottom screen instead of home (the workshop presenter's setup)."""
        super().__init__()
        self.session = session
        self._first_screen = first_screen
        self._start_with = scenario_path
        self._seed = seed
        self._watched: Path | None = Path(scenario_path) if watch and scenario_path else None
        self._watched_stamp = self._stamp()
        translate_bindings(self)

    def get_default_screen(self) -> Screen[None]:
        """The home screen is the bottom of the stack: no empty screen to compose and lay out first."""
        if self._first_screen is not None:
            return self._first_screen()
        from roleplay.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.title = _("Scam call practice")
        self.theme = LIGHT_THEME if self.session.settings.light else DARK_THEME
        if self._start_with:
            self.open_scenario(self._start_with, self._seed)
        if self._watched:
            self.set_interval(0.5, self._reload_if_saved)

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

    def reload_watched(self, path: Path) -> None:
        """Load the file again; keep the call at its current turn when that turn still exists."""
        from roleplay.core.engine import resume
        from roleplay.library.library import load_one
        from roleplay.library.problems import LoadError
        from roleplay.tui.screens.call import CallScreen
        from roleplay.tui.screens.problems import ProblemsScreen
        from roleplay.tui.screens.ringing import RingingScreen

        try:
            library, scenario = load_one(str(path))
        except LoadError as exc:
            if isinstance(self.screen, ProblemsScreen):
                self.pop_screen()
            self.show_problems(exc.problems)
            return
        if isinstance(self.screen, ProblemsScreen):
            self.pop_screen()
        screen = self.screen
        if isinstance(screen, CallScreen):
            old = screen.call
            at = None if old.ended else old.current_node
            call, events = resume(scenario, old.transcript.seed, old.transcript.steps, at)
            self.switch_screen(
                CallScreen(scenario, library.catalog, None, self.session, path, resumed=(call, events))
            )
            message = _("Reloaded {file}: back at turn {turn}.").format(file=path.name, turn=call.turn)
        elif isinstance(screen, RingingScreen):
            self.switch_screen(RingingScreen(scenario, library.catalog, self._seed, path))
            message = _("Reloaded {file}.").format(file=path.name)
        else:
            message = _("Reloaded {file}.").format(file=path.name)
        self.notify(message, timeout=3)

    # -- navigation the screens ask for ---------------------------------------------------------------------
    def ensure_library(self) -> Library | None:
        """The scenario library, loaded on first use (the home screen asks from a background thread)."""
        from roleplay.library.library import load_library
        from roleplay.library.problems import LoadError

        if self.session.library is None:
            try:
                self.session.library = load_library()
            except LoadError as exc:
                self.show_problems(exc.problems)
                return None
            self.session.problems = self.session.library.problems
        return self.session.library

    def open_scenario(self, id_or_path: str, seed: int | None = None) -> None:
        """Ring with one scenario, by id or by file. A file that does not load shows its problems instead."""
        from roleplay.library.library import load_one
        from roleplay.library.problems import LoadError

        self.session.last_opened = id_or_path
        try:
            library, scenario = load_one(id_or_path)
        except LoadError as exc:
            self.show_problems(exc.problems)
            return
        if self.session.library is None and Path(id_or_path).suffix not in (".yaml", ".yml"):
            self.session.library = library
        self.ring(scenario, library, seed)

    def random_call(self) -> None:
        """A call the trainee was not told anything about: scam or real, any scenario but the last one."""
        library = self.ensure_library()
        if library is None or not library.scenarios:
            return
        choices = [s for s in library.scenarios if s != self.session.last_played] or list(library.scenarios)
        chosen = random.choice(choices)
        self.session.last_opened = chosen
        self.ring(library.scenarios[chosen], library)

    def ring(self, scenario: Scenario, library: Library, seed: int | None = None) -> None:
        from roleplay.tui.screens.ringing import RingingScreen

        self.session.last_played = scenario.id
        source = library.paths.get(scenario.id)
        self.push_screen(RingingScreen(scenario, library.catalog, seed, source))

    def progress(self) -> Progress | None:
        """The trainee's progress from the history, or None when there is no history to read."""
        from roleplay.history.errors import StoreError
        from roleplay.history.progress import trainee_progress

        store = self.session.ensure_store()
        library = self.session.library
        if store is None or library is None:
            return None
        try:
            return trainee_progress(store, self.session.trainee, library)
        except StoreError as exc:
            self.session.store_problem = str(exc)
            return None

    def open_history(self) -> None:
        from roleplay.tui.screens.history import HistoryScreen

        library = self.ensure_library()
        progress = self.progress()
        if library is None or progress is None:
            problem = self.session.store_problem or _("There is no history yet.")
            self.notify(problem, severity="warning")
            return
        self.push_screen(HistoryScreen(progress, library))

    def show_problems(self, problems: list[Problem]) -> None:
        from roleplay.tui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(problems))

    def switch_language(self, lang: Language) -> None:
        set_language(lang)
        self.session.settings.lang = lang
        self.title = _("Scam call practice")
        for node in [self, *self.screen_stack]:
            translate_bindings(node)
        self.refresh_bindings()
        message = self.session.remember()
        if message:
            self.notify(message, severity="warning")

    def join_workshop(self, typed: str) -> str | None:
        """Join the workshop with this id: every call from now on joins its record. A message when not."""
        from roleplay.history.errors import StoreError, UnknownWorkshop
        from roleplay.history.names import normalise_workshop_id

        store = self.session.ensure_store()
        if store is None:
            return self.session.store_problem or _("There is no history to keep the workshop's calls in.")
        wanted = normalise_workshop_id(typed)
        try:
            self.session.workshop_id = store.workshop(wanted).id
        except UnknownWorkshop:
            return _(
                "There is no workshop {id} on this computer. Check the id on the screen at the front."
            ).format(id=wanted)
        except StoreError as exc:
            return str(exc)
        return None

    def toggle_theme(self) -> None:
        """Light for a bright room or a projector, dark otherwise; remembered like the language."""
        settings = self.session.settings
        settings.light = not settings.light
        self.theme = LIGHT_THEME if settings.light else DARK_THEME
        message = self.session.remember()
        if message:
            self.notify(message, severity="warning")

    def action_help(self) -> None:
        from roleplay.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())


def make_app(
    *,
    lang: Language | None = None,
    scenario: str | None = None,
    seed: int | None = None,
    speak_delay: float | None = None,
    settings_file: Path | None = None,
    save_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
    watch: bool = False,
    keep_history: bool = True,
    workshop_id: str | None = None,
    first_screen: Callable[[], Screen[None]] | None = None,
) -> TrainerApp:
    """Build the trainer. Tests pass speak_delay=0, a fixed clock and save_settings=False. With
    `workshop_id` every call played joins that workshop's record."""
    settings = Settings.load(settings_file)
    if lang:
        settings.lang = lang
    if speak_delay is not None:
        settings.speak_delay = speak_delay
    set_language(settings.lang)
    session = Session(
        settings,
        settings_file=settings_file,
        save_settings=save_settings,
        clock=clock,
        keep_history=keep_history,
        workshop_id=workshop_id,
    )
    return TrainerApp(session, scenario_path=scenario, seed=seed, watch=watch, first_screen=first_screen)


def run(
    lang: Language | None = None,
    scenario: str | None = None,
    seed: int | None = None,
    watch: bool = False,
    workshop: str | None = None,
) -> int:
    app = make_app(lang=lang, scenario=scenario, seed=seed, watch=watch, workshop_id=workshop)
    result = app.run()
    return result if isinstance(result, int) else 0


# -- the presenter: the same app, opened on the workshop setup screen


def make_presenter(
    *,
    workshop_id: str | None = None,
    facilitator: str | None = None,
    lang: Language | None = None,
    seed: int | None = None,
    speak_delay: float | None = None,
    settings_file: Path | None = None,
    save_settings: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> TrainerApp:
    """The trainer, opened on the presenter's setup screen (the CLI and the tests share this).

    `workshop_id` continues that workshop at once (an unknown id is said on the setup screen); `facilitator`
    fills in the name for a new one; `seed` fixes every room call's variables (tests, snapshots).
    """
    from roleplay.tui.screens.workshop_setup import WorkshopSetupScreen

    def first_screen() -> WorkshopSetupScreen:
        return WorkshopSetupScreen(workshop_id=workshop_id, facilitator=facilitator, seed=seed)

    return make_app(
        lang=lang,
        speak_delay=speak_delay,
        settings_file=settings_file,
        save_settings=save_settings,
        clock=clock,
        first_screen=first_screen,
    )


def run_presenter(
    *, lang: Language | None = None, workshop_id: str | None = None, facilitator: str | None = None
) -> int:
    """`roleplay workshop`: run the presenter until the facilitator quits."""
    result = make_presenter(lang=lang, workshop_id=workshop_id, facilitator=facilitator).run()
    return result if isinstance(result, int) else 0
