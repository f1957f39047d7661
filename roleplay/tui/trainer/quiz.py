"""The quick-fire round in the trainer: a word on how it works (and which form), then one item at a time,
answered with y (scam) or n (not a scam), then which were which and why, and the score, saved in the
history.

`QuizScreen` asks; it is dismissed with the finished `QuizResult`, or None when the trainee leaves (nothing
is saved then). `QuizResultScreen` shows the answers and saves the round on the history thread as it opens;
it is dismissed when the trainee goes home.

Why one item per screen and two big keys: each judgement is meant to take a few seconds, on a first
feeling, by people who read slowly; the item fills the screen in large bold text, and nothing else moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Header, Static

from roleplay.core.quiz import Form, Letter, QuizItem, QuizResult
from roleplay.history.discernment import Discernment
from roleplay.text import quiz as words
from roleplay.text.i18n import N_, _, language
from roleplay.tui.history_thread import HistoryFailed
from roleplay.tui.render import Palette, phone_event
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.session import Session
from roleplay.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from roleplay.core.model import Catalog
    from roleplay.history.quizzes import QuizRecord
    from roleplay.history.store import Store


class QuizScreen(TrainerScreen[QuizResult | None]):
    """Before the first item (`number` 0): how it works and which form; then item `number` of the form."""

    BINDINGS = [  # noqa: RUF012
        Binding("y", "answer(True)", N_("Scam"), show=False),
        Binding("n", "answer(False)", N_("Not a scam"), show=False),
        Binding("enter", "begin", N_("Start"), show=False),
        Binding("a", "switch('A')", N_("Form A"), show=False),
        Binding("b", "switch('B')", N_("Form B"), show=False),
        Binding("escape", "leave", N_("Leave the round")),
    ]

    def __init__(self, forms: Mapping[Letter, Form], letter: Letter) -> None:
        super().__init__()
        self.forms = forms
        self.letter = letter
        self.number = 0
        self._said: list[bool] = []

    @property
    def form(self) -> Form:
        return self.forms[self.letter]

    @property
    def item(self) -> QuizItem | None:
        return self.form.items[self.number - 1] if self.number else None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        item = self.item
        if item is None:
            yield from self._intro()
        else:
            yield from self._ask(item)
        yield KeysFooter()

    def _intro(self) -> ComposeResult:
        with VerticalScroll(id="quiz-intro"):
            for line in words.how_it_works(self.form):
                yield Static(Text(line), classes="quiz-line")
            yield Static(Text(words.forms_note()), classes="quiz-line quiz-note")
            other: Letter = "B" if self.letter == "A" else "A"
            keys = _("Enter: start    {key}: form {letter} instead    Esc: back").format(
                key=other.lower(), letter=other
            )
            yield Static(Text(keys, style="bold"), classes="quiz-line")
        with Horizontal(id="quiz-start"):
            yield Button(_("Start (Enter)"), id="quiz-begin", variant="primary")

    def _ask(self, item: QuizItem) -> ComposeResult:
        palette = Palette(self.app.theme_variables)
        with VerticalScroll(id="quiz-card"):
            where = Text(words.where(item) + "   ", style="dim")
            where.append(words.caller(item), style="bold")
            yield Static(where, classes="quiz-caller")
            for line in item.lines:
                yield Static(Text(words.spoken(line), style="bold"), classes="quiz-said")
            for event in item.shown:
                yield Static(phone_event(event, palette), classes="quiz-shown")
        with Vertical(id="quiz-answer"):
            yield Static(Text(words.question(), style="bold"), id="quiz-question")
            with Horizontal(id="quiz-buttons"):
                yield Button(_("Scam (y)"), id="quiz-scam", variant="error")
                yield Button(_("Not a scam (n)"), id="quiz-real", variant="success")

    def on_mount(self) -> None:
        self.composed()

    def composed(self) -> None:
        self.title = words.title(self.letter)
        item = self.item
        self.sub_title = words.counter(item, len(self.form.items)) if item else ""
        self.query_one("#quiz-begin" if item is None else "#quiz-card").focus()

    async def _show(self, number: int) -> None:
        self.number = number
        await self.recompose()
        self.composed()

    # -- keys

    @on(Button.Pressed, "#quiz-begin")
    async def action_begin(self) -> None:
        if self.number == 0:
            await self._show(1)

    async def action_switch(self, letter: Letter) -> None:
        if self.number == 0 and letter != self.letter:
            self.letter = letter
            await self._show(0)

    @on(Button.Pressed, "#quiz-scam")
    async def _scam(self) -> None:
        await self.action_answer(True)

    @on(Button.Pressed, "#quiz-real")
    async def _real(self) -> None:
        await self.action_answer(False)

    async def action_answer(self, scam: bool) -> None:
        if self.number == 0 or len(self._said) >= self.number:  # before the start, or a key pressed twice
            return
        self._said.append(scam)
        if self.number < len(self.form.items):
            await self._show(self.number + 1)
        else:
            self.dismiss(QuizResult.of(self.form, self._said))

    def action_leave(self) -> None:
        self.dismiss(None)


def save_job(result: QuizResult, trainee: str) -> Callable[[Store], tuple[int, QuizRecord | None]]:
    """A history job: the finished round saved under `trainee`; its id, and the trainee's last round of the
    other form (read before this one is saved), to show beside it."""
    lang = language()

    def save(store: Store) -> tuple[int, QuizRecord | None]:
        from roleplay.history.quizzes import latest, other_form, save_quiz

        previous = latest(store, trainee, other_form(result.form.letter))
        return save_quiz(store, result, trainee, lang), previous

    return save


class QuizResultScreen(TrainerScreen[None]):
    """Which were which and why, and the score; the round is saved as the screen opens."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,enter", "home", N_("Home")),
    ]

    saved: reactive[str] = reactive("", init=False)

    def __init__(self, result: QuizResult, catalog: Catalog, session: Session) -> None:
        super().__init__()
        self.result = result
        self.catalog = catalog
        self.session = session
        self._saving = False
        self.saved_id: int | None = None

    def compose(self) -> ComposeResult:
        palette = Palette(self.app.theme_variables)
        yield Header(show_clock=False)
        with VerticalScroll(id="quiz-result"):
            yield Static(self._score(), classes="block first")
            yield Static(Text(self.saved), id="quiz-saved", classes="block")
            yield Static(Text(_("Which were which"), style="bold"), classes="block")
            for answer_block in self._answers(palette):
                yield Static(answer_block, classes="block")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()
        if not self._saving:
            self._saving = True
            self._save()

    def composed(self) -> None:
        self.title = words.title(self.result.form.letter)
        self.sub_title = words.right_sentence(self.result)
        self.query_one("#quiz-result", VerticalScroll).focus()

    @work(group="quiz-save")
    async def _save(self) -> None:
        try:
            job = save_job(self.result, self.session.trainee)
            self.saved_id, previous = await self.session.history.run(job)
        except HistoryFailed as exc:
            self.saved = _("This round could not be saved: {problem}").format(
                problem=exc.problem or _("there is no history.")
            )
            return
        said = words.saved_sentence(self.result.form.letter)
        if previous is not None:
            now = Discernment.from_counts(self.result.counts())
            said = words.previous_sentence(previous, now) + "\n" + said
        self.saved = said

    def watch_saved(self, saved: str) -> None:
        self.query_one("#quiz-saved", Static).update(Text(saved))

    def _score(self) -> RenderableType:
        d = Discernment.from_counts(self.result.counts())
        return Group(
            Text(words.right_sentence(self.result), style="bold"),
            *(Text(line) for line in words.score_lines(d)),
        )

    def _answers(self, palette: Palette) -> list[RenderableType]:
        blocks: list[RenderableType] = []
        for answer in self.result.answers:
            item = answer.item
            colour = palette.trainee if answer.right else palette.error
            head = Text(f"{'✓' if answer.right else '✗'} {item.number}. ", style=f"bold {colour}")
            head.append(words.said_and_truth(answer.said_scam, item), style="bold")
            details = [Text(words.caller(item), style="dim"), Text(words.first_words(item), style="dim")]
            details += [Text(reason) for reason in words.reasons(item, self.catalog)]
            blocks.append(Group(head, Padding(Group(*details), (0, 0, 0, 3))))
        return blocks

    def action_home(self) -> None:
        self.dismiss(None)
