"""The `roleplay` command: its parser and dispatch, `--version` and `--lang`. With no command it opens the
trainer; each command group lives in a module of its own (`roleplay --help` lists them)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from roleplay import __version__
from roleplay.cli import history, play, quiz, reports, scenarios, workshop
from roleplay.cli.argparse_words import speak_our_language
from roleplay.cli.common import EXIT_USAGE, Command, RoleplayParser, inert_output
from roleplay.core.languages import LANGUAGES, Language
from roleplay.library.problems import LoadError, UnknownScenario
from roleplay.text.i18n import _, set_language
from roleplay.text.sentences import unknown_scenario_sentence

# In the order `roleplay --help` lists them.
_GROUPS = (play, quiz, scenarios, history, reports, workshop)
_COMMANDS: dict[str, Command] = {name: run for group in _GROUPS for name, run in group.COMMANDS.items()}


def _parser() -> argparse.ArgumentParser:
    parser = RoleplayParser(
        prog="roleplay",
        description=_(
            "反诈来电演练 — practise fake customer-service and courier calls. "
            "With no command, opens the trainer."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"roleplay {__version__}", help=_("show the version and exit")
    )
    parser.add_argument("--lang", choices=["zh", "en"], help=_("interface language (default: zh)"))
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help=_("also use the scenarios in this folder (may be repeated; see ROLEPLAY_LIBRARY)"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return parser


def _language_asked(argv: list[str]) -> Language | None:
    """`--lang` wherever it is on the command line, so that the help is in that language too."""
    for number, arg in enumerate(argv):
        asked = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and number + 1 < len(argv):
            asked = argv[number + 1]
        for lang in LANGUAGES:
            if asked == lang:
                return lang
    return None


def _add_library_folders(folders: list[str]) -> None:
    """`--library DIR`: added to ROLEPLAY_LIBRARY for this run (the trainer's threads read it too). A folder
    that is not one is said in one line; the others are used."""
    from roleplay.library.folders import LIBRARY_ENV, missing_folders

    if folders:
        named = [os.environ[LIBRARY_ENV]] if os.environ.get(LIBRARY_ENV) else []
        os.environ[LIBRARY_ENV] = os.pathsep.join(named + [str(Path(f).absolute()) for f in folders])
    for folder in missing_folders():
        print(
            _("warning: the library folder {folder} is not a folder; it is left out").format(folder=folder),
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    with inert_output():  # nothing a scenario, the history or a file name holds can act on the terminal
        return _main(argv)


def _main(argv: list[str] | None = None) -> int:
    set_language(_language_asked(sys.argv[1:] if argv is None else argv) or "zh")
    speak_our_language()  # argparse's own errors too
    args = _parser().parse_args(argv)
    set_language(args.lang or "zh")
    _add_library_folders(args.library)
    try:
        if args.command is None:
            return play.trainer(args, None)
        return _COMMANDS[args.command](args)
    except UnknownScenario as exc:  # a typo on the command line: said in the user's language
        print(unknown_scenario_sentence(exc.name, exc.close), file=sys.stderr)
        return EXIT_USAGE
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
