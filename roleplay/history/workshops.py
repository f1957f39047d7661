"""Workshops in the history: creating one, finding it by the id people type, and the room's answers to
the before/after test excerpts, with the room's discernment in each test."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from roleplay.core.inert import has_control
from roleplay.history.clock import parse_time
from roleplay.history.database import Database
from roleplay.history.discernment import Discernment
from roleplay.history.errors import StoreError, UnknownWorkshop, explain
from roleplay.history.names import WORKSHOP_ALPHABET, WORKSHOP_ID_LENGTH, normalise_workshop_id
from roleplay.history.records import ExcerptAnswer, Phase, Workshop


def find_workshop(connection: sqlite3.Connection, path: Path, workshop_id: str) -> Workshop:
    """The workshop with this id (any case), read on `connection` (inside a transaction or not).
    Raises UnknownWorkshop with what to do."""
    wanted = normalise_workshop_id(workshop_id)
    try:
        row = connection.execute("SELECT * FROM workshops WHERE id = ?", (wanted,)).fetchone()
    except sqlite3.Error as exc:
        raise explain(exc, path, "read the workshops") from None
    if row is None:
        raise UnknownWorkshop(
            f"{path}: there is no workshop '{wanted}' in this history; check the id the facilitator "
            "gave (`roleplay workshop list` shows them)"
        )
    return _workshop(row)


def _workshop(row: sqlite3.Row) -> Workshop:
    return Workshop(row["id"], row["facilitator"], row["title"], parse_time(row["created_at"]))


class WorkshopRecords(Database):
    """The workshops of a history file and their test answers."""

    def create_workshop(self, facilitator: str, title: str | None = None) -> Workshop:
        """A new workshop with a short id that is easy to read out and type."""
        facilitator = facilitator.strip()
        if not facilitator:
            raise StoreError(f"{self.path}: a workshop needs the facilitator's name")
        title = title.strip() or None if title is not None else None
        for what, text, most in (("facilitator's name", facilitator, 60), ("title", title or "", 120)):
            if len(text) > most:
                raise StoreError(f"{self.path}: a workshop's {what} has at most {most} characters")
            if has_control(text) or "\n" in text or "\t" in text:  # ESC, a bidi override: shown on slides
                raise StoreError(f"{self.path}: a workshop's {what} must be one line of plain text")
        now = self.stamp()
        with self.write("create the workshop") as db:
            while True:
                new_id = "".join(secrets.choice(WORKSHOP_ALPHABET) for _ in range(WORKSHOP_ID_LENGTH))
                if not db.execute("SELECT 1 FROM workshops WHERE id = ?", (new_id,)).fetchone():
                    break
            db.execute(
                "INSERT INTO workshops (id, facilitator, title, created_at) VALUES (?, ?, ?, ?)",
                (new_id, facilitator, title, now),
            )
        return Workshop(new_id, facilitator, title, parse_time(now))

    def workshop(self, workshop_id: str) -> Workshop:
        """The workshop with this id (any case). Raises UnknownWorkshop with what to do."""
        with self.reading() as connection:
            return find_workshop(connection, self.path, workshop_id)

    def workshops(self) -> list[Workshop]:
        return [_workshop(r) for r in self.rows("SELECT * FROM workshops ORDER BY created_at DESC")]

    def record_test_answer(
        self,
        workshop_id: str,
        phase: Phase,
        item: int,
        *,
        scenario: str,
        kind: Literal["scam", "legit"],
        said_scam: int,
        said_not: int,
        node: str | None = None,
    ) -> None:
        """Save how the room judged one test item (`node`: which turn of `scenario` it showed); typing it
        again corrects it."""
        if said_scam < 0 or said_not < 0:
            raise ValueError("vote counts cannot be negative")
        with self.write("save the test answer") as db:
            workshop = find_workshop(db, self.path, workshop_id)
            db.execute(
                """INSERT OR REPLACE INTO test_answers
                       (workshop_id, phase, item, scenario, kind, said_scam, said_not, at, node)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (workshop.id, phase, item, scenario, kind, said_scam, said_not, self.stamp(), node),
            )

    def record_device_answers(
        self,
        workshop_id: str,
        phase: Phase,
        item: int,
        kind: Literal["scam", "legit"],
        by_device: Mapping[str, str],
    ) -> None:
        """Save what each phone answered to one test item ("scam" or "legit", by its random device id);
        answering the item again replaces a phone's answer."""
        if not by_device:
            return
        with self.write("save the phones' answers") as db:
            workshop = find_workshop(db, self.path, workshop_id)
            at = self.stamp()
            db.executemany(
                """INSERT OR REPLACE INTO device_answers
                       (workshop_id, device, phase, item, kind, said_scam, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    (workshop.id, device, phase, item, kind, int(said == "scam"), at)
                    for device, said in by_device.items()
                ],
            )

    def device_answers(self, workshop_id: str) -> dict[str, dict[tuple[str, int], str]]:
        """Each phone's test answers, by device id: (phase, item) → "scam" or "legit"."""
        workshop = self.workshop(workshop_id)
        answers: dict[str, dict[tuple[str, int], str]] = {}
        for r in self.rows(
            "SELECT device, phase, item, said_scam FROM device_answers WHERE workshop_id = ?", (workshop.id,)
        ):
            answers.setdefault(r["device"], {})[(r["phase"], int(r["item"]))] = (
                "scam" if r["said_scam"] else "legit"
            )
        return answers

    def test_answers(self, workshop_id: str, phase: Phase | None = None) -> list[ExcerptAnswer]:
        workshop = self.workshop(workshop_id)
        rows = self.rows(
            "SELECT * FROM test_answers WHERE workshop_id = ? AND (? IS NULL OR phase = ?)"
            " ORDER BY phase DESC, item",
            (workshop.id, phase, phase),
        )
        return [
            ExcerptAnswer(
                r["workshop_id"],
                r["phase"],
                r["item"],
                r["scenario"],
                r["kind"],
                r["said_scam"],
                r["said_not"],
                parse_time(r["at"]),
                r["node"],
            )
            for r in rows
        ]


@dataclass(frozen=True)
class PairedChange:
    """The residents who answered both tests on their own phones: the room's discernment before and after,
    counted over just those residents, and how many of them got more items right after than before."""

    residents: int
    before: Discernment
    after: Discernment
    improved: int
    same: int
    worse: int


def paired_change(
    answers: Mapping[str, Mapping[tuple[str, int], str]],
    kinds: Mapping[tuple[str, int], str],
    before: Phase = "pre",
    after: Phase = "post",
) -> PairedChange:
    """Pair each device's answers in `before` with its answers in `after` (`kinds`: each item's truth,
    (phase, item) → "scam"/"legit"). A device that did not answer both tests is left out: it would compare
    different people."""
    totals: dict[Phase, dict[tuple[str, bool], int]] = {before: {}, after: {}}
    improved = same = worse = residents = 0
    for said in answers.values():
        phases = {phase for phase, _ in said}
        if before not in phases or after not in phases:
            continue
        residents += 1
        right = {before: 0.0, after: 0.0}
        for phase in (before, after):
            mine = {key: v for key, v in said.items() if key[0] == phase and key in kinds}
            for key, answer in mine.items():
                cell = (kinds[key], answer == "scam")
                totals[phase][cell] = totals[phase].get(cell, 0) + 1
                right[phase] += answer == kinds[key]
            right[phase] /= max(1, len(mine))  # shares: a resident may have missed an item of one test
        if right[after] > right[before]:
            improved += 1
        elif right[after] < right[before]:
            worse += 1
        else:
            same += 1
    return PairedChange(
        residents,
        Discernment.from_counts(totals[before]),
        Discernment.from_counts(totals[after]),
        improved,
        same,
        worse,
    )


def phase_discernment(db: WorkshopRecords, workshop_id: str, phase: Phase) -> Discernment:
    """The room's discernment in one test, every person's answer counted (the room as one observer).
    Raises UnknownWorkshop."""
    workshop = db.workshop(workshop_id)
    rows = db.rows(
        """SELECT kind, sum(said_scam) AS said_scam, sum(said_not) AS said_not FROM test_answers
           WHERE workshop_id = ? AND phase = ? GROUP BY kind""",
        (workshop.id, phase),
    )
    counts: dict[tuple[str, bool], int] = {}
    for r in rows:
        counts[(r["kind"], True)] = int(r["said_scam"])
        counts[(r["kind"], False)] = int(r["said_not"])
    return Discernment.from_counts(counts)
