"""The quick-fire round in line mode: each item as plain lines on stdout, one answer a line on stdin (y or n),
then which were which and why, and the score. For screen readers and pipes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from roleplay.core.inert import inert
from roleplay.core.quiz import Form, QuizResult
from roleplay.history.discernment import Discernment
from roleplay.text import quiz as words
from roleplay.text.i18n import _
from roleplay.text.sentences import MAX_WRONG_ANSWERS, not_utf8, too_many_wrong

if TYPE_CHECKING:
    from roleplay.core.model import Catalog
    from roleplay.history.quizzes import QuizRecord

EXIT_DONE = 0
EXIT_ABANDONED = 3  # input ended before the last item: as `roleplay play --plain`

# What a person may type for each answer (case does not matter).
SAID_SCAM = {"y", "yes", "是"}
SAID_NOT = {"n", "no", "否", "不是"}


def item_lines(form: Form, number: int) -> list[str]:
    """One item as it is put to the trainee: where it comes from, the caller, what is said and shown."""
    item = form.items[number - 1]
    lines = [
        "",
        "--- " + words.counter(item, len(form.items)) + " ---",
        words.heading(item),
    ]
    lines += [words.spoken(line) for line in item.lines]
    for event in item.shown:
        lines += words.shown_lines(event)
    return lines


def answer_lines(result: QuizResult, catalog: Catalog) -> list[str]:
    """Which were which and why, item by item, then the score."""
    out = ["", "=== " + _("Which were which") + " ==="]
    for answer in result.answers:
        item = answer.item
        mark = "✓" if answer.right else "✗"
        out.append(f"{item.number}. {mark} {words.said_and_truth(answer.said_scam, item)}")
        out.append("   " + words.reminder(item))
        out += ["   " + reason for reason in words.reasons(item, catalog)]
    d = Discernment.from_counts(result.counts())
    out += ["", "=== " + _("Score") + " ===", words.right_sentence(result), *words.score_lines(d)]
    return out


def result_json(result: QuizResult, saved: int | None) -> dict[str, object]:
    return {
        "form": result.form.letter,
        "items": [
            {
                "number": a.item.number,
                "scenario": a.item.scenario,
                "node": a.item.node,
                "kind": a.item.kind,
                "said_scam": a.said_scam,
                "right": a.right,
            }
            for a in result.answers
        ],
        "right": result.right,
        "total": len(result.answers),
        "discernment": Discernment.from_counts(result.counts()).to_json(),
        "saved": saved,
    }


def run(
    form: Form,
    catalog: Catalog,
    stdin: TextIO,
    stdout: TextIO,
    *,
    as_json: bool = False,
    save: Callable[[QuizResult], int | None] | None = None,
    previous: QuizRecord | None = None,
) -> int:
    """Ask every item of `form`, then show the answers and the score. `save` keeps the finished round (its
    id, or None when it could not be saved: it says why itself); `previous` is the trainee's last round of
    the other form, shown beside this one. Returns the exit status: 0 when every item was answered, 3 when
    input ran out first (nothing is saved then)."""

    def say(*lines: str) -> None:
        for line in lines:
            stdout.write(line + "\n")
        stdout.flush()

    say("=== " + words.title(form.letter) + " ===", *words.how_it_works(form))
    said: list[bool] = []
    for item in form.items:
        say(*item_lines(form, item.number))
        answer = _ask(stdin, stdout, say)
        if answer is None:
            say("", _("Input ended before the last item: this round was not saved."))
            if as_json:
                say(json.dumps({"form": form.letter, "abandoned": True, "answered": len(said)}))
            return EXIT_ABANDONED
        said.append(answer)
    result = QuizResult.of(form, said)
    say(*answer_lines(result, catalog))
    if previous is not None:
        say(words.previous_sentence(previous, Discernment.from_counts(result.counts())))
    saved = save(result) if save is not None else None
    say("", words.saved_sentence(form.letter) if saved is not None else words.forms_note())
    if as_json:
        say(json.dumps(result_json(result, saved), ensure_ascii=False))
    return EXIT_DONE


def _ask(stdin: TextIO, stdout: TextIO, say: Callable[..., None]) -> bool | None:
    """y (scam) or n (not a scam), asked again until it is one of them; None at the end of input (or after
    MAX_WRONG_ANSWERS answers in a row that are neither)."""
    for _wrong in range(MAX_WRONG_ANSWERS):
        stdout.write(words.prompt() + " > ")
        stdout.flush()
        line = stdin.readline()
        if line == "":
            return None
        if not stdin.isatty():  # a terminal echoes what was typed; a pipe does not
            stdout.write(inert(line if line.endswith("\n") else line + "\n"))
        if "\ufffd" in line:  # bytes that were not UTF-8 (see `roleplay.cli.common.answer_stream`)
            say(not_utf8())
        typed = line.strip().lower()
        if typed in SAID_SCAM:
            return True
        if typed in SAID_NOT:
            return False
        say(_("Please type y (a scam) or n (not a scam)."))
    say(too_many_wrong(MAX_WRONG_ANSWERS))
    return None
