"""What the command groups share: exit statuses, a fault said in one line, the history file, the nickname.

Everything heavy (the store, the settings) is imported inside the function that needs it: `roleplay --help`
and `roleplay --version` load none of it.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from roleplay.core.inert import inert
from roleplay.text.i18n import N_, _

if TYPE_CHECKING:
    from roleplay.history.store import Store

EXIT_PROBLEMS = 1  # validation or a walk found problems
EXIT_FAULT = 1  # the history (or an LRS) failed
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]


class InertStream:
    """A text stream that writes every control character as U+FFFD (newlines and tabs stay): whatever a
    command prints (scenario text, the history, a file name) is shown on the terminal, never obeyed by it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno…: the stream's own
        return getattr(self._stream, name)


@contextlib.contextmanager
def inert_output() -> Iterator[None]:
    """stdout and stderr as InertStreams while a command runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = InertStream(sys.stdout), InertStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def answer_stream(stream: TextIO) -> TextIO:
    """stdin for answers: bytes that are not UTF-8 (a terminal set to GBK) become U+FFFD, never an error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return stream


def fail(message: str) -> None:
    print(f"roleplay: {message}", file=sys.stderr)


def open_store() -> Store:
    """The history, with anything the user must know (a damaged file moved aside) said on stderr."""
    from roleplay.history.store import Store

    store = Store.open()
    for notice in store.notices:
        fail(notice)
    return store


def default_trainee(*, keep: bool = False) -> str:
    """The nickname saved by the trainer, else the default word for it in the user's language ("学员").
    `keep` (a call or a round is about to be saved under it): the default is saved as the nickname, so
    later commands, in either language, find those calls under the same name."""
    from roleplay.settings import Settings
    from roleplay.text.vocabulary import default_nickname

    settings, problem = Settings.read()
    if problem:
        fail(problem)
    if settings.trainee.strip():
        return settings.trainee.strip()
    if keep:
        settings.trainee = default_nickname()
        settings.save()  # a read-only folder: the name is still used for this call
    return default_nickname()


def with_history(command: Command) -> Command:
    """A command that reads or writes the history: every storage fault is one line on stderr and an exit
    status, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from roleplay.history.errors import StoreError, UnknownWorkshop

        try:
            return command(args)
        except UnknownWorkshop as exc:
            fail(str(exc))
            return EXIT_USAGE
        except StoreError as exc:
            fail(str(exc))
            return EXIT_FAULT

    return run


# A word of Latin letters or digits, a run of spaces, or one other character (a Chinese one, punctuation).
_TOKEN = re.compile(r"[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+|\s+|.")
_NO_LINE_START = set("，。、；：？！）」』”’…")


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells: Chinese has no spaces to break at, so it breaks between
    characters (never before a closing mark); other words break at spaces."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):  # every run of spaces is one space now
        fits = _cells(line + token) <= width or token in _NO_LINE_START or not line.strip()
        if fits:
            line += token
        else:
            lines.append(line.rstrip())
            line = "" if token == " " else token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class WideTextFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by the cells Chinese takes on a terminal, with argparse's own words (usage,
    the section headings, -h) in the interface's language."""

    _HEADINGS: ClassVar[dict[str, str]] = {
        "positional arguments": N_("positional arguments"),
        "options": N_("options"),
    }

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_(self._HEADINGS[heading]) if heading in self._HEADINGS else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.option_strings == ["-h", "--help"]:
            return _("show this help and exit")
        return action.help

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)


class RoleplayParser(argparse.ArgumentParser):
    """Every `roleplay` parser, its subcommands' too (argparse makes those of the parser's own class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WideTextFormatter)
        super().__init__(*args, **kwargs)
