"""`roleplay quiz`: the quick-fire round, in the trainer or in line mode (`--plain`), saved in the history."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from roleplay.cli.common import EXIT_USAGE, Command, answer_stream, default_trainee, fail, open_store
from roleplay.text.i18n import _

if TYPE_CHECKING:  # loaded when the command runs: `roleplay --help` starts quick
    from roleplay.core.quiz import Letter, QuizResult
    from roleplay.history.quizzes import QuizRecord
    from roleplay.history.store import Store


def register(sub: Any) -> None:
    """Add `quiz` to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    quiz = sub.add_parser(
        "quiz",
        help=_("a quick-fire round: many short calls and messages, scam or not?"),
        description=_(
            "A quick-fire round: 12 to 20 short items, each the start of a call or a moment in one when a "
            "message arrives, scams and real calls, drawn from the scenario library; then which were which, "
            "and why, and your hits, false alarms, d′ and c, saved in your history. A form has as many real "
            "calls as the library can give each form without sharing one (at most 10) and as many scams, or "
            "more scams to make at least 12 items, so that d′ means something; at most 20, so that a round "
            "takes a few minutes. Forms A and B share no item: take A before you practise and B after."
        ),
    )
    quiz.add_argument(
        "--form",
        type=str.upper,
        choices=["A", "B"],
        help=_("which form (default: A the first time, then the other one of your last round)"),
    )
    quiz.add_argument("--plain", action="store_true", help=_("line mode for screen readers and pipes"))
    quiz.add_argument(
        "--json", action="store_true", help=_("line mode, ending with the result as one JSON line")
    )
    quiz.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=_("language"))
    quiz.add_argument(
        "--trainee", metavar="NAME", help=_("save the round under this nickname (default: the saved one)")
    )


def _quiz(args: argparse.Namespace) -> int:
    if not (args.plain or args.json):
        return _trainer(args)
    return quiz_plain(args, answer_stream(sys.stdin), sys.stdout)


def _trainer(args: argparse.Namespace) -> int:
    """The trainer, on its home screen with the round open on top (Esc comes back home)."""
    from roleplay.tui.app import make_app
    from roleplay.tui.session import Session
    from roleplay.tui.trainer.home import HomeScreen

    def home(session: Session) -> HomeScreen:
        return HomeScreen(session, quiz=args.form or "next")

    result = make_app(lang=args.lang, first_screen=home).run()
    return result if isinstance(result, int) else 0


def quiz_plain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """`roleplay quiz --plain`: the round in line mode, saved under --trainee when the history opens."""
    from roleplay import plain_quiz
    from roleplay.core.quiz import QuizError, forms
    from roleplay.history.errors import StoreError
    from roleplay.history.names import check_nickname
    from roleplay.library.library import load_library

    try:
        trainee = check_nickname(args.trainee) if args.trainee else default_trainee(keep=True)
    except ValueError as exc:
        fail(str(exc))
        return EXIT_USAGE
    library = load_library()
    try:
        made = forms(library.scenarios)
    except QuizError:
        fail(_("The scenario library is too small for a quick-fire round."))
        return EXIT_USAGE
    try:
        store: Store | None = open_store()
    except StoreError as exc:
        fail(_("this round will not be saved: {problem}").format(problem=exc))
        store = None
    try:
        letter: Letter = args.form or (_next_form(store, trainee) if store is not None else "A")

        def save(result: QuizResult) -> int | None:
            return _save(store, result, trainee)

        return plain_quiz.run(
            made[letter],
            library.catalog,
            stdin,
            stdout,
            as_json=args.json,
            save=save if store is not None else None,
            previous=_previous(store, trainee, letter) if store is not None else None,
        )
    finally:
        if store is not None:
            store.close()


def _next_form(store: Store, trainee: str) -> Letter:
    from roleplay.history.errors import StoreError
    from roleplay.history.quizzes import next_form

    try:
        return next_form(store, trainee)
    except StoreError as exc:
        fail(str(exc))
        return "A"


def _previous(store: Store, trainee: str, letter: Letter) -> QuizRecord | None:
    """The trainee's last round of the other form, to show beside this one."""
    from roleplay.history.errors import StoreError
    from roleplay.history.quizzes import latest, other_form

    try:
        return latest(store, trainee, other_form(letter))
    except StoreError as exc:
        fail(str(exc))
        return None


def _save(store: Store | None, result: QuizResult, trainee: str) -> int | None:
    """The round saved; None, said on stderr, when it could not be (the round itself is never lost)."""
    from roleplay.history.errors import StoreError
    from roleplay.history.quizzes import save_quiz
    from roleplay.text.i18n import language

    if store is None:
        return None
    try:
        return save_quiz(store, result, trainee, language())
    except StoreError as exc:
        fail(_("this round could not be saved: {problem}").format(problem=exc))
        return None


COMMANDS: dict[str, Command] = {"quiz": _quiz}
