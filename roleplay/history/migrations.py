"""The history's schema, one migration per version, each run in the transaction that records it."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from roleplay.history.errors import StoreError

SCHEMA_VERSION = 6

# -- schema ----------------------------------------------------------------------------------------------


def _v1(db: sqlite3.Connection) -> None:
    """Solo calls: the call, each step, each red flag met, and an install id for stable export ids."""
    for statement in (
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            trainee TEXT NOT NULL,
            scenario TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scam', 'legit')),
            title_zh TEXT NOT NULL,
            title_en TEXT NOT NULL,
            source_path TEXT,
            seed INTEGER NOT NULL,
            bindings TEXT NOT NULL,
            lang TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'abandoned')),
            pid INTEGER,
            ending TEXT,
            outcome TEXT CHECK (outcome IN ('safe', 'loss')),
            severity TEXT,
            lost INTEGER NOT NULL DEFAULT 0,
            exposed TEXT NOT NULL DEFAULT '[]',
            judged_scam INTEGER,
            spotted INTEGER NOT NULL DEFAULT 0,
            missed INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            ended_at TEXT
        )""",
        "CREATE INDEX calls_by_trainee ON calls (trainee, started_at)",
        "CREATE INDEX calls_by_status ON calls (status)",
        """CREATE TABLE steps (
            call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            node TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('reply', 'hang_up', 'verify')),
            choice INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (call_id, turn)
        ) WITHOUT ROWID""",
        # Only finished calls have rows here: aggregations need no join to leave the others out.
        """CREATE TABLE call_flags (
            call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            flag TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('spotted', 'missed')),
            PRIMARY KEY (call_id, turn, flag)
        ) WITHOUT ROWID""",
        "CREATE INDEX call_flags_by_flag ON call_flags (flag, status)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ):
        db.execute(statement)
    db.execute("INSERT INTO settings (key, value) VALUES ('install_id', ?)", (str(uuid.uuid4()),))


def _v2(db: sqlite3.Connection) -> None:
    """Workshops: the workshop, its calls (solo or played by the room), the votes, pre/post tests."""
    for statement in (
        """CREATE TABLE workshops (
            id TEXT PRIMARY KEY,
            facilitator TEXT NOT NULL,
            title TEXT,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        "ALTER TABLE calls ADD COLUMN workshop_id TEXT REFERENCES workshops (id)",
        "ALTER TABLE calls ADD COLUMN mode TEXT NOT NULL DEFAULT 'solo' CHECK (mode IN ('solo', 'room'))",
        "ALTER TABLE calls ADD COLUMN room_said_scam INTEGER",
        "ALTER TABLE calls ADD COLUMN room_said_not INTEGER",
        "CREATE INDEX calls_by_workshop ON calls (workshop_id)",
        # Covers every column the report groups and sums: its one GROUP BY reads this index, not the rows.
        """CREATE INDEX calls_for_reports ON calls (scenario, scenario_hash, kind, status, outcome, severity,
            judged_scam, mode, lost, spotted, missed)""",
        "ALTER TABLE steps ADD COLUMN overridden INTEGER",
        """CREATE TABLE votes (
            call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            option TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (call_id, turn, option)
        ) WITHOUT ROWID""",
        """CREATE TABLE test_answers (
            workshop_id TEXT NOT NULL REFERENCES workshops (id),
            phase TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
            item INTEGER NOT NULL,
            scenario TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scam', 'legit')),
            said_scam INTEGER NOT NULL CHECK (said_scam >= 0),
            said_not INTEGER NOT NULL CHECK (said_not >= 0),
            at TEXT NOT NULL,
            PRIMARY KEY (workshop_id, phase, item)
        ) WITHOUT ROWID""",
    ):
        db.execute(statement)


def _v3(db: sqlite3.Connection) -> None:
    """What the trainee did, beside what they said: `acted_scam` is 1 when the trainee treated a finished
    call as a scam, 0 when not (signal detection by behaviour; see roleplay.core.debrief.acted_as_scam).

    A scam's behaviour follows from its outcome, so the scam calls already saved get it here; a real call's
    comes from its ending's `treated_as_scam` in the scenario file, which SQL cannot read: real calls saved
    before this version keep NULL and count in the verdicts only (filling in just those hung up on would
    count only their false alarms). The report index is rebuilt to cover the new column."""
    for statement in (
        "ALTER TABLE calls ADD COLUMN acted_scam INTEGER CHECK (acted_scam IN (0, 1))",
        """UPDATE calls SET acted_scam = (outcome = 'safe')
           WHERE kind = 'scam' AND status = 'finished' AND outcome IS NOT NULL""",
        "DROP INDEX calls_for_reports",
        """CREATE INDEX calls_for_reports ON calls (scenario, scenario_hash, kind, status, outcome, severity,
            judged_scam, acted_scam, mode, lost, spotted, missed)""",
    ):
        db.execute(statement)


def _v4(db: sqlite3.Connection) -> None:
    """Quick-fire rounds: each round taken (form A or B) and what was said of each item; and which turn of its
    scenario each workshop test item was (the tests are drawn from the quick-fire forms now)."""
    for statement in (
        """CREATE TABLE quizzes (
            id INTEGER PRIMARY KEY,
            trainee TEXT NOT NULL,
            form TEXT NOT NULL CHECK (form IN ('A', 'B')),
            form_key TEXT NOT NULL,
            lang TEXT NOT NULL,
            finished_at TEXT NOT NULL
        )""",
        "CREATE INDEX quizzes_by_trainee ON quizzes (trainee, finished_at)",
        """CREATE TABLE quiz_answers (
            quiz_id INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            scenario TEXT NOT NULL,
            node TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scam', 'legit')),
            said_scam INTEGER NOT NULL CHECK (said_scam IN (0, 1)),
            PRIMARY KEY (quiz_id, item)
        ) WITHOUT ROWID""",
        "ALTER TABLE test_answers ADD COLUMN node TEXT",
    ):
        db.execute(statement)


def _v5(db: sqlite3.Connection) -> None:
    """A workshop's follow-up test, weeks later (a third phase); and what each resident's phone answered in
    each test, under a random device id (no name, no number), so a resident's before and after pair up."""
    for statement in (
        """CREATE TABLE test_answers_v5 (
            workshop_id TEXT NOT NULL REFERENCES workshops (id),
            phase TEXT NOT NULL CHECK (phase IN ('pre', 'post', 'follow')),
            item INTEGER NOT NULL,
            scenario TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scam', 'legit')),
            said_scam INTEGER NOT NULL CHECK (said_scam >= 0),
            said_not INTEGER NOT NULL CHECK (said_not >= 0),
            at TEXT NOT NULL,
            node TEXT,
            PRIMARY KEY (workshop_id, phase, item)
        ) WITHOUT ROWID""",
        """INSERT INTO test_answers_v5
               (workshop_id, phase, item, scenario, kind, said_scam, said_not, at, node)
           SELECT workshop_id, phase, item, scenario, kind, said_scam, said_not, at, node
           FROM test_answers""",
        "DROP TABLE test_answers",
        "ALTER TABLE test_answers_v5 RENAME TO test_answers",
        """CREATE TABLE device_answers (
            workshop_id TEXT NOT NULL REFERENCES workshops (id),
            device TEXT NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('pre', 'post', 'follow')),
            item INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scam', 'legit')),
            said_scam INTEGER NOT NULL CHECK (said_scam IN (0, 1)),
            at TEXT NOT NULL,
            PRIMARY KEY (workshop_id, device, phase, item)
        ) WITHOUT ROWID""",
    ):
        db.execute(statement)


# The real calls' ids began with "real-", and an id is shown where a trainee picks a call (`roleplay list`,
# `roleplay play ID`): the prefix told which calls are real. Version 6 moves the calls already recorded to the
# new ids, so progress, reports and the next-call choice still count them.
RENAMED_IN_V6 = {
    "real-bank-fraud-alert": "bank-card-risk-alert",
    "real-courier-delivery": "courier-delivery",
    "real-courier-pickup-code": "courier-pickup-code",
    "real-douyin-complaint-callback": "douyin-complaint-callback",
    "real-flight-schedule-change": "flight-schedule-change",
    "real-membership-renewal-sms": "membership-renewal-sms",
    "real-platform-service": "platform-service-hotline",
    "real-shop-out-of-stock": "shop-out-of-stock",
    "real-xianyu-buyer": "xianyu-buyer",
}


def _v6(db: sqlite3.Connection) -> None:
    """The real calls' new ids, in every table that names a scenario."""
    for table in ("calls", "test_answers", "quiz_answers"):
        db.executemany(
            f"UPDATE {table} SET scenario = ? WHERE scenario = ?",
            [(new, old) for old, new in RENAMED_IN_V6.items()],
        )


# Version N is reached by running MIGRATIONS[N - 1] on a file at version N - 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3, _v4, _v5, _v6)
assert len(MIGRATIONS) == SCHEMA_VERSION


def check_version(db: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; a newer one than this roleplay knows is refused, never rewritten."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: this history was written by a newer roleplay (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); update roleplay"
        )
    return version


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the file to SCHEMA_VERSION, each step in the transaction that records it."""
    if check_version(db, path) == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target - 1](db)
            db.execute(f"PRAGMA user_version = {target}")
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
