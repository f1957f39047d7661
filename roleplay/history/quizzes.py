"""Quick-fire rounds in the history: a round saved when it is finished, with what was said of each item,
and a trainee's rounds read back with their discernment. Saved beside the calls, in the same file.

Why the answers are kept item by item (scenario, turn, kind, what was said), not just the tally: the forms
follow the library, so a round taken before the library grew still says which items it asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from roleplay.core.model import Language
from roleplay.core.quiz import Letter, QuizResult
from roleplay.history.clock import parse_time
from roleplay.history.database import Database
from roleplay.history.discernment import Discernment
from roleplay.history.errors import StoreError
from roleplay.history.names import check_nickname


@dataclass(frozen=True)
class QuizAnswerRecord:
    item: int
    scenario: str
    node: str
    kind: Literal["scam", "legit"]
    said_scam: bool

    @property
    def right(self) -> bool:
        return self.said_scam == (self.kind == "scam")


@dataclass(frozen=True)
class QuizRecord:
    """One finished round as the history holds it."""

    id: int
    trainee: str
    form: Letter
    form_key: str  # "" for the trainer's forms; what ordered and worded them otherwise
    lang: Language
    finished_at: datetime
    answers: tuple[QuizAnswerRecord, ...]

    @property
    def right(self) -> int:
        return sum(1 for a in self.answers if a.right)

    @property
    def discernment(self) -> Discernment:
        counts: dict[tuple[str, bool], int] = {}
        for a in self.answers:
            counts[(a.kind, a.said_scam)] = counts.get((a.kind, a.said_scam), 0) + 1
        return Discernment.from_counts(counts)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "trainee": self.trainee,
            "form": self.form,
            "finished_at": self.finished_at.isoformat(),
            "right": self.right,
            "items": len(self.answers),
            "discernment": self.discernment.to_json(),
        }


def save_quiz(db: Database, result: QuizResult, trainee: str, lang: Language) -> int:
    """Save a finished round under `trainee`, in one transaction; returns its id. Raises StoreError."""
    try:
        trainee = check_nickname(trainee)
    except ValueError as exc:
        raise StoreError(f"{db.path}: {exc}") from None
    now = db.stamp()
    with db.write("save the quick-fire round") as connection:
        cursor = connection.execute(
            "INSERT INTO quizzes (trainee, form, form_key, lang, finished_at) VALUES (?, ?, ?, ?, ?)",
            (trainee, result.form.letter, result.form.key, lang, now),
        )
        quiz_id = cursor.lastrowid
        assert quiz_id is not None
        connection.executemany(
            """INSERT INTO quiz_answers (quiz_id, item, scenario, node, kind, said_scam)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [
                (quiz_id, a.item.number, a.item.scenario, a.item.node, a.item.kind, int(a.said_scam))
                for a in result.answers
            ],
        )
    return quiz_id


def quizzes(
    db: Database, trainee: str, *, form: Letter | None = None, limit: int | None = None
) -> list[QuizRecord]:
    """A trainee's rounds (`form`: of that form only), newest first (`limit`: only that many)."""
    rows = db.rows(
        """SELECT * FROM quizzes WHERE trainee = ? AND (? IS NULL OR form = ?)
           ORDER BY finished_at DESC, id DESC LIMIT ?""",
        (trainee, form, form, -1 if limit is None else limit),
    )
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    answers: dict[int, list[QuizAnswerRecord]] = {i: [] for i in ids}
    marks = ", ".join("?" * len(ids))
    for a in db.rows(f"SELECT * FROM quiz_answers WHERE quiz_id IN ({marks}) ORDER BY quiz_id, item", ids):
        answers[a["quiz_id"]].append(
            QuizAnswerRecord(a["item"], a["scenario"], a["node"], a["kind"], bool(a["said_scam"]))
        )
    return [
        QuizRecord(
            r["id"],
            r["trainee"],
            cast("Letter", r["form"]),
            r["form_key"],
            cast("Language", r["lang"]),
            parse_time(r["finished_at"]),
            tuple(answers[r["id"]]),
        )
        for r in rows
    ]


def latest(db: Database, trainee: str, form: Letter) -> QuizRecord | None:
    """The trainee's latest round of `form`, to compare a new round of the other form with."""
    found = quizzes(db, trainee, form=form, limit=1)
    return found[0] if found else None


def other_form(letter: Letter) -> Letter:
    return "B" if letter == "A" else "A"


def next_form(db: Database, trainee: str) -> Letter:
    """The form a trainee takes next: A the first time, then the other one of the last round."""
    last = db.rows(
        "SELECT form FROM quizzes WHERE trainee = ? ORDER BY finished_at DESC, id DESC LIMIT 1", (trainee,)
    )
    return "B" if last and last[0]["form"] == "A" else "A"
