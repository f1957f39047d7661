"""The trainee's way through the screens, as the app runs it: a call asked for (from home, the debrief or
the progress screen) rings; answered, it is played and recorded; judged, its debrief follows; the debrief
says what comes next. The quick-fire round, asked for from home, is answered, then its answers are shown.
Each screen hands back its result with `dismiss()`; only this coordinator pushes the next one, so the
screens never know of each other."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.message import Message

from roleplay.text.i18n import _, language
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.session import Session
from roleplay.tui.trainer.home import HomeScreen

if TYPE_CHECKING:
    from roleplay.core.debrief import Debrief
    from roleplay.core.engine import Call
    from roleplay.core.events import Event
    from roleplay.core.model import Catalog, Scenario
    from roleplay.core.quiz import Letter, QuizResult
    from roleplay.history.store import Store
    from roleplay.library.library import Library
    from roleplay.library.problems import Problem
    from roleplay.tui.trainer.debrief import Next
    from roleplay.tui.trainer.history import HistoryScreen


class TrainerFlow(App[int]):
    """The part of the trainer app that leads a trainee from one screen to the next."""

    session: Session
    _seed: int | None  # the first call's, from the command line; a reloaded file keeps it

    class ScenarioLoaded(Message):
        """A scenario file (or an id the library does not have) was loaded on a thread: the scenario, or
        None and what is wrong with it. `reloaded`: the file an author is editing was saved again."""

        def __init__(
            self,
            library: Library | None,
            scenario: Scenario | None,
            problems: list[Problem],
            seed: int | None,
            *,
            reloaded: Path | None = None,
            unknown: str | None = None,
        ) -> None:
            super().__init__()
            self.unknown = unknown  # an id that names no call, said in words
            self.library = library
            self.scenario = scenario
            self.problems = problems
            self.seed = seed
            self.reloaded = reloaded

    @work(group="open")
    async def _open(self, id_or_path: str, seed: int | None = None) -> None:
        """Ring with one scenario, by id or by file. A file that does not load shows its problems instead."""
        self.session.last_opened = id_or_path
        library = await self.session.wait_for_library()
        if library is None:
            return
        if id_or_path in library.scenarios:
            self._ring(library.scenarios[id_or_path], library, seed)
        else:  # a file, or an id the library lacks (its problem says which id is close)
            self._load_scenario(id_or_path, seed)

    @work(group="open")
    async def _random_call(self) -> None:
        """A call the trainee was not told anything about: scam or real, any scenario but the last one."""
        library = await self.session.wait_for_library()
        if library is None or not library.scenarios:
            return
        choices = [s for s in library.scenarios if s != self.session.last_played] or list(library.scenarios)
        chosen = random.choice(choices)
        self.session.last_opened = chosen
        self._ring(library.scenarios[chosen], library)

    def _ring(self, scenario: Scenario, library: Library, seed: int | None = None) -> None:
        from roleplay.core.engine import Call
        from roleplay.tui.trainer.ringing import RingingScreen

        self.session.last_played = scenario.id
        self.session.keep_nickname()
        call = Call(scenario, seed)
        source = library.paths.get(scenario.id)

        def answered(answer: bool | None) -> None:
            if answer:
                self._take(call, library.catalog, source)

        self.push_screen(RingingScreen(call), answered)

    def _take(
        self, call: Call, catalog: Catalog, source: Path | None, resumed: list[Event] | None = None
    ) -> None:
        from roleplay.tui.recording import RecordedCall
        from roleplay.tui.trainer.call import CallScreen

        recording = RecordedCall(
            self.session.history,
            call,
            trainee=self.session.trainee,
            lang=language(),
            workshop_id=self.session.workshop_id,
            source=source,
            link=self.session.link,
        )

        def judged(result: Debrief | None) -> None:
            if result is not None:
                self._debrief(call.scenario, catalog, result)

        self.push_screen(CallScreen(call, catalog, self.session, recording, resumed=resumed), judged)

    def _debrief(self, scenario: Scenario, catalog: Catalog, result: Debrief) -> None:
        from roleplay.tui.trainer.debrief import DebriefScreen

        def then(choice: Next | None) -> None:
            if choice == "next":
                self._random_call()
            elif choice == "replay":
                self._open(self.session.last_opened or scenario.id)

        self.push_screen(DebriefScreen(scenario, catalog, result), then)

    def on_home_screen_call_requested(self, message: HomeScreen.CallRequested) -> None:
        if message.scenario is None:
            self._random_call()
        else:
            self._open(message.scenario)

    def on_home_screen_quiz_requested(self, message: HomeScreen.QuizRequested) -> None:
        self._quiz(message.form)

    @work(group="open")
    async def _quiz(self, asked: Letter | None) -> None:
        """The quick-fire round, with the form asked for or the one this trainee takes next."""
        from roleplay.core.quiz import QuizError, forms
        from roleplay.tui.trainer.quiz import QuizResultScreen, QuizScreen

        library = await self.session.wait_for_library()
        if library is None:
            return
        try:
            made = forms(library.scenarios)
        except QuizError:
            self.notify(_("The scenario library is too small for a quick-fire round."), severity="warning")
            return
        letter: Letter = asked or "A"
        if asked is None:
            trainee = self.session.trainee

            def next_one(store: Store) -> Letter:
                from roleplay.history.quizzes import next_form

                return next_form(store, trainee)

            with contextlib.suppress(HistoryFailed):  # no history: the first form
                letter = await self.session.history.run(next_one)

        def answered(result: QuizResult | None) -> None:
            if result is not None:
                self.push_screen(QuizResultScreen(result, library.catalog, self.session))

        self.push_screen(QuizScreen(made, letter), answered)

    def on_home_screen_progress_shown(self, message: HomeScreen.ProgressShown) -> None:
        from roleplay.tui.trainer.history import HistoryScreen

        def then(scenario: str | None) -> None:
            if scenario is not None:
                self._open(scenario)

        self.push_screen(HistoryScreen(message.progress, message.library), then)

    @work(group="reopen")
    async def on_history_screen_call_reopened(self, message: HistoryScreen.CallReopened) -> None:
        """An old call's debrief again, recomputed from its record on the history thread; said in a line when
        it cannot be (not finished, or played against an older version of its scenario)."""
        library = await self.session.wait_for_library()
        if library is None:
            return
        call_id = message.call_id

        def recompute(store: Store) -> tuple[Scenario | None, Debrief | None]:
            from roleplay.history.versions import recompute_debrief

            record = store.call(call_id)
            return library.scenarios.get(record.scenario), recompute_debrief(record, library)

        try:
            scenario, result = await self.session.history.run(recompute)
        except HistoryFailed as exc:
            self.notify(exc.problem or _("This call is no longer in the history."), severity="warning")
            return
        if scenario is None or result is None:
            self.notify(
                _("This call cannot be shown again: it was not finished, or its scenario has changed since."),
                severity="warning",
                markup=False,
            )
            return
        self._debrief(scenario, library.catalog, result)

    def on_home_screen_problems_shown(self, message: HomeScreen.ProblemsShown) -> None:
        self._show_problems(message.problems)

    def _show_problems(self, problems: list[Problem], unknown: str | None = None) -> None:
        from roleplay.tui.trainer.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(problems, unknown))

    # -- scenario files, loaded on a thread that only loads and posts what it found

    @work(thread=True, group="open")
    def _load_scenario(self, id_or_path: str, seed: int | None, reloaded: Path | None = None) -> None:
        from roleplay.library.library import load_one
        from roleplay.library.problems import LoadError, UnknownScenario
        from roleplay.text.sentences import unknown_scenario_sentence

        try:
            library, scenario = load_one(id_or_path)
        except UnknownScenario as exc:
            said = unknown_scenario_sentence(exc.name, exc.close)
            self.post_message(
                self.ScenarioLoaded(None, None, exc.problems, seed, reloaded=reloaded, unknown=said)
            )
            return
        except LoadError as exc:
            self.post_message(self.ScenarioLoaded(None, None, exc.problems, seed, reloaded=reloaded))
            return
        self.post_message(self.ScenarioLoaded(library, scenario, [], seed, reloaded=reloaded))

    def on_trainer_flow_scenario_loaded(self, message: ScenarioLoaded) -> None:
        if message.reloaded is not None:
            self._reloaded(message)
        elif message.library is None or message.scenario is None:
            self._show_problems(message.problems, message.unknown)
        else:
            self._ring(message.scenario, message.library, message.seed)

    # -- live preview for authors: `roleplay play FILE.yaml --watch`

    def reload_watched(self, path: Path) -> None:
        """Load the file again, on a thread; the call carries on at its turn if that turn still exists."""
        self._load_scenario(str(path), self._seed, reloaded=path)

    def _reloaded(self, message: ScenarioLoaded) -> None:
        from roleplay.core.engine import resume
        from roleplay.tui.trainer.call import CallScreen
        from roleplay.tui.trainer.problems import ProblemsScreen
        from roleplay.tui.trainer.ringing import RingingScreen

        path = message.reloaded
        assert path is not None
        if not self.screen_stack:  # the file was read again as the app closed: nothing to show it on
            return
        if isinstance(self.screen, ProblemsScreen):
            self.pop_screen()
        library, scenario = message.library, message.scenario
        if library is None or scenario is None:
            self._show_problems(message.problems)
            return
        screen = self.screen
        said = _("Reloaded {file}.").format(file=path.name)
        if isinstance(screen, CallScreen):
            old = screen.call
            at = None if old.ended else old.current_node
            call, events = resume(scenario, old.transcript.seed, old.transcript.steps, at)
            self.pop_screen()
            self._take(call, library.catalog, path, resumed=events)
            said = _("Reloaded {file}: back at turn {turn}.").format(file=path.name, turn=call.turn)
        elif isinstance(screen, RingingScreen):
            self.pop_screen()
            self._ring(scenario, library, message.seed)
        self.notify(said, timeout=3, markup=False)
