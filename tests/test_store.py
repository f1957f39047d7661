"""The history store: every call saved, nothing lost — through migrations, crashes, concurrency and faults."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from roleplay.core.debrief import debrief
from roleplay.core.engine import Call
from roleplay.history.errors import StoreError, UnknownWorkshop
from roleplay.history.files import DB_NAME, default_path, scenario_hash
from roleplay.history.migrations import MIGRATIONS, RENAMED_IN_V6, SCHEMA_VERSION
from roleplay.history.names import WORKSHOP_ALPHABET
from roleplay.history.recorder import CallRecorder
from roleplay.history.records import CallStatus
from roleplay.history.store import Store
from roleplay.library.library import Library
from tests.recording import play

ROOT = Path(__file__).parent.parent


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    with Store.open() as opened:
        yield opened


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


# -- where and how it is created ---------------------------------------------------------------------------


def test_a_new_history_lives_in_roleplay_home_in_wal_mode_at_the_current_schema(home: Path) -> None:
    with Store.open() as store:
        assert store.path == home / DB_NAME == default_path()
        assert store.notices == ()
    assert user_version(home / DB_NAME) == SCHEMA_VERSION
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_empty_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert store.notices == ()  # an empty file is a new database, not a damaged one
        assert store.calls() == []
    assert user_version(path) == SCHEMA_VERSION


def test_a_version_1_file_without_workshops_is_migrated_and_keeps_its_calls(
    tmp_path: Path, library: Library
) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:  # exactly what roleplay wrote at schema 1
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            """INSERT INTO calls (trainee, scenario, scenario_hash, kind, title_zh, title_en, seed, bindings,
                   lang, status, ending, outcome, severity, lost, judged_scam, started_at, ended_at)
               VALUES ('ana', 'taobao-refund', 'abc', 'scam', '网店客服来电', 'A call from an online shop', 1,
                   '{}', 'zh', 'finished', 'safe-hung-up', 'safe', 'safe', 0, 1,
                   '2026-01-01T10:00:00.000+00:00', '2026-01-01T10:02:00.000+00:00')"""
        )
        db.execute(
            "INSERT INTO steps VALUES (1, 1, 'greeting', 'hang_up', NULL, '2026-01-01T10:01:00.000+00:00')"
        )
        db.execute("INSERT INTO call_flags VALUES (1, 1, 'knows-your-order', 'spotted')")
    with Store.open(path) as store:
        (old,) = store.calls()
        assert (old.trainee, old.status, old.workshop_id, old.mode, old.judged_scam) == (
            "ana",
            "finished",
            None,
            "solo",
            True,
        )
        assert [s.step.action for s in old.steps] == ["hang_up"]
        assert old.steps[0].votes is None
        workshop = store.create_workshop("王警官")  # the new tables are there
        assert store.workshop(workshop.id) == workshop
    assert user_version(path) == SCHEMA_VERSION


def test_a_version_2_file_gets_the_behaviour_of_its_scam_calls_from_their_outcome(tmp_path: Path) -> None:
    """A scam's behaviour is its outcome (safe: treated as a scam); a real call's needs its scenario
    file's `treated_as_scam`, which SQL cannot read, so real calls saved before schema 3 stay unknown."""
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:  # exactly what roleplay wrote at schema 2
        MIGRATIONS[0](db)
        MIGRATIONS[1](db)
        db.execute("PRAGMA user_version = 2")
        for kind, status, outcome in (
            ("scam", "finished", "safe"),
            ("scam", "finished", "loss"),
            ("legit", "finished", "safe"),
            ("scam", "abandoned", None),
        ):
            db.execute(
                """INSERT INTO calls (trainee, scenario, scenario_hash, kind, title_zh, title_en, seed,
                       bindings, lang, status, outcome, started_at)
                   VALUES ('ana', 'x', 'abc', ?, '来电', 'A call', 1, '{}', 'zh', ?, ?,
                       '2026-01-01T10:00:00.000+00:00')""",
                (kind, status, outcome),
            )
    with Store.open(path) as store:
        assert [c.acted_scam for c in store.calls(newest_first=False)] == [True, False, None, None]
        assert [c.behaviour for c in store.calls(newest_first=False)] == ["hit", "miss", None, None]
    assert user_version(path) == SCHEMA_VERSION


def test_a_version_5_file_moves_the_real_calls_to_their_new_ids(tmp_path: Path, library: Library) -> None:
    """The real calls' ids lost their "real-" prefix (it told which calls are real where a trainee picks one);
    calls recorded under the old ids count under the new ones, and every old id names a shipped scenario."""
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:  # exactly what roleplay wrote at schema 5
        for migration in MIGRATIONS[:5]:
            migration(db)
        db.execute("PRAGMA user_version = 5")
        for scenario in ("real-shop-out-of-stock", "taobao-refund"):
            db.execute(
                """INSERT INTO calls (trainee, scenario, scenario_hash, kind, title_zh, title_en, seed,
                       bindings, lang, status, outcome, started_at)
                   VALUES ('ana', ?, 'abc', 'legit', '来电', 'A call', 1, '{}', 'zh', 'finished', 'safe',
                       '2026-01-01T10:00:00.000+00:00')""",
                (scenario,),
            )
    with Store.open(path) as store:
        assert [c.scenario for c in store.calls(newest_first=False)] == ["shop-out-of-stock", "taobao-refund"]
    assert user_version(path) == SCHEMA_VERSION
    assert set(RENAMED_IN_V6.values()) <= set(library.scenarios)
    assert not set(RENAMED_IN_V6) & set(library.scenarios)


def test_a_history_from_a_newer_roleplay_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer roleplay"):
        Store.open(path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_scenario_hash_is_the_sha256_of_the_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"id: x\n")
    assert scenario_hash(path) == hashlib.sha256(b"id: x\n").hexdigest()


# -- what a finished call keeps ------------------------------------------------------------------------------


def test_a_finished_call_keeps_everything_needed_to_recompute_its_debrief(
    store: Store, library: Library
) -> None:
    scenario = library.get("taobao-refund")
    call_id = play(store, library, "taobao-refund", 1, 1, "v", judged=True, seed=5)
    record = store.call(call_id)
    assert record.status == "finished"
    assert (record.trainee, record.scenario, record.kind, record.lang, record.seed) == (
        "ana",
        "taobao-refund",
        "scam",
        "zh",
        5,
    )
    assert record.scenario_hash == scenario_hash(library.paths["taobao-refund"])
    assert record.started_at <= record.steps[0].at <= record.ended_at  # type: ignore[operator]
    recomputed = debrief(scenario, library.catalog, record.transcript(), record.judged_scam)
    replayed = Call(scenario, 5)
    replayed.start()
    replayed.reply(0)
    replayed.reply(0)
    replayed.verify()
    assert recomputed == debrief(scenario, library.catalog, replayed.transcript, True)
    assert (record.outcome, record.severity, record.lost, record.exposed) == (
        recomputed.outcome,
        recomputed.severity,
        recomputed.lost,
        recomputed.exposed,
    )
    assert sorted((f.flag, f.turn, f.status) for f in record.flags) == sorted(
        (m.flag, m.turn, m.status) for m in recomputed.flags
    )
    assert record.judged_right is True


def test_a_call_cannot_be_finished_twice(store: Store, library: Library) -> None:
    call_id = play(store, library, "taobao-refund", "h")
    record = store.call(call_id)
    scenario = library.get("taobao-refund")
    with pytest.raises(StoreError, match="already finished"):
        store.finish_call(
            call_id, record.transcript(), debrief(scenario, library.catalog, record.transcript()), None
        )


# -- abandoned calls -----------------------------------------------------------------------------------------

_CRASHING_PLAYER = """
import os, sys
from roleplay.core.engine import Call
from roleplay.library.library import load_library
from roleplay.history.files import scenario_hash
from roleplay.history.recorder import CallRecorder
from roleplay.history.store import Store
library = load_library()
store = Store.open()
call = Call(library.get("taobao-refund"), seed=3)
recorder = CallRecorder(store, call, "ana", scenario_hash(library.paths["taobao-refund"]), "zh")
call.start()
call.reply(0)
recorder.sync()
call.reply(0)
recorder.sync()
print(recorder.call_id)
sys.stdout.flush()
os._exit(9)  # a crash: no finish, no abandon, no cleanup
"""


def test_a_call_whose_process_died_is_found_abandoned_with_its_steps(home: Path) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASHING_PLAYER], capture_output=True, text=True, timeout=60, check=False
    )
    assert crashed.returncode == 9, crashed.stderr
    call_id = int(crashed.stdout)
    with Store.open() as store:
        record = store.call(call_id)
    assert record.status == "abandoned"
    assert [(s.step.turn, s.step.node, s.step.action, s.step.index) for s in record.steps] == [
        (1, "greeting", "reply", 0),
        (2, "offer", "reply", 0),
    ]
    assert record.ended_at == record.steps[-1].at  # abandoned when the trainee last acted
    assert record.transcript().ending is None


def test_a_call_still_being_played_by_a_live_process_is_left_in_progress(
    store: Store, library: Library
) -> None:
    call = Call(library.get("taobao-refund"), seed=1)
    recorder = CallRecorder(store, call, "ana", "hash", "zh")
    with Store.open(store.path) as second_window:
        assert second_window.call(recorder.call_id).status == "in_progress"


def test_an_in_progress_call_older_than_half_a_day_is_abandoned_whatever_its_pid(
    home: Path, library: Library
) -> None:
    clock = Clock(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc))
    with Store.open(clock=clock) as store:
        call = Call(library.get("taobao-refund"), seed=1)
        call_id = CallRecorder(store, call, "ana", "hash", "zh").call_id
    clock.now += timedelta(hours=13)
    with Store.open(clock=clock) as store:
        assert store.call(call_id).status == "abandoned"


def test_quitting_mid_call_saves_it_as_abandoned(store: Store, library: Library) -> None:
    call = Call(library.get("taobao-refund"), seed=1)
    recorder = CallRecorder(store, call, "ana", "hash", "zh")
    call.start()
    call.reply(1)
    assert recorder.abandon() is None
    record = store.call(recorder.call_id)
    assert record.status == "abandoned"
    assert [s.step.index for s in record.steps] == [1]


# -- several processes at once -------------------------------------------------------------------------------

_SAVER = """
import sys, time
from pathlib import Path
from roleplay.core.debrief import debrief
from roleplay.core.engine import Call
from roleplay.library.library import load_library
from roleplay.history.recorder import CallRecorder
from roleplay.history.store import Store
library = load_library()
store = Store.open()
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
for n in range(25):
    call = Call(library.get("taobao-refund"), seed=n)
    recorder = CallRecorder(store, call, sys.argv[2], "hash", "zh")
    call.start()
    call.reply(0)
    recorder.sync()
    call.hang_up()
    recorder.sync()
    recorder.finish(library.catalog, True)
print("ok")
"""


def test_two_processes_saving_at_the_same_moment_both_succeed(home: Path, tmp_path: Path) -> None:
    Store.open().close()
    go = tmp_path / "go"
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(go), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ana", "bo")
    ]
    go.touch()  # both start writing at once
    results = [saver.communicate(timeout=120) for saver in savers]
    assert [saver.returncode for saver in savers] == [0, 0], results
    with Store.open() as store:
        assert {(r.trainee, r.status) for r in store.calls()} == {("ana", "finished"), ("bo", "finished")}
        assert len(store.calls(trainee="ana")) == len(store.calls(trainee="bo")) == 25
        assert all(len(r.steps) == 2 for r in store.calls())


# -- faults: one clear line, nothing lost ----------------------------------------------------------------


def test_a_damaged_file_is_moved_aside_with_a_timestamp_and_a_new_one_started(home: Path) -> None:
    home.mkdir()
    junk = b"this is not a database" * 100
    (home / DB_NAME).write_bytes(junk)
    with Store.open() as store:
        (notice,) = store.notices
        assert store.calls() == []
    (moved,) = [p for p in home.iterdir() if ".damaged-" in p.name]
    assert moved.read_bytes() == junk  # never silently destroyed
    assert str(moved) in notice and str(home / DB_NAME) in notice
    assert moved.name.startswith(DB_NAME + ".damaged-20")
    assert user_version(home / DB_NAME) == SCHEMA_VERSION


def test_a_damaged_file_that_looks_like_sqlite_is_moved_aside_too(home: Path, library: Library) -> None:
    with Store.open() as store:
        play(store, library, "taobao-refund", "h")
    path = home / DB_NAME
    data = bytearray(path.read_bytes())
    for wal in ("-wal", "-shm"):
        (home / (DB_NAME + wal)).unlink(missing_ok=True)
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page is garbage; the header still says SQLite
    path.write_bytes(bytes(data))
    with Store.open() as store:
        assert len(store.notices) == 1
        assert store.calls() == []


def test_a_locked_database_is_one_clear_line_and_loses_nothing(home: Path, library: Library) -> None:
    with Store.open(busy_timeout=0.2) as store:
        first = play(store, library, "taobao-refund", "h")
        other = sqlite3.connect(store.path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError) as failure:
                play(store, library, "taobao-refund", "v")
        finally:
            other.execute("ROLLBACK")
            other.close()
        message = str(failure.value)
        assert "\n" not in message and str(store.path) in message and "locked" in message
        assert store.call(first).status == "finished"
        play(store, library, "taobao-refund", "v")  # once the lock is gone, saving works again
        assert len(store.calls()) == 2


def test_a_full_disk_is_one_clear_line_and_loses_nothing(
    store: Store, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = play(store, library, "taobao-refund", "h")
    with contextlib.closing(sqlite3.connect(store.path)) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        """SQLite's own "database or disk is full", the error a full disk gives, by capping the file's size
        (a cap holds for the connection that sets it)."""
        connection: sqlite3.Connection = connect(*args, **kwargs)
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return connection

    with monkeypatch.context() as patched:
        patched.setattr(sqlite3, "connect", capped)
        full = Store.open(store.path)
    with full:
        with pytest.raises(StoreError) as failure:
            for n in range(200):  # fill the last free pages until the cap is hit
                call = Call(library.get("taobao-refund"), seed=n)
                CallRecorder(full, call, "ana" * 13, "h" * 5000, "zh")
        message = str(failure.value)
        assert "\n" not in message and "disk is full" in message and str(full.path) in message
        assert full.call(first).status == "finished"
    assert store.call(first).status == "finished"


def run_on_read_only(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `roleplay ARGS` with `home` read-only, as a trainee without write access would see it.

    An ordinary user gets a folder without write permission; root (who writes anywhere) gets a read-only
    bind mount of it in a private mount namespace — a read-only file system.
    """
    command = [sys.executable, "-m", "roleplay", "--lang", "en", *args]
    environment = os.environ | {"ROLEPLAY_HOME": str(home), "PYTHONPATH": str(ROOT)}
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [home, *home.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            return subprocess.run(
                command, capture_output=True, text=True, env=environment, timeout=60, check=False
            )
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only for root")
    script = f'mount --bind "{home}" "{home}" && mount -o remount,ro,bind "{home}" && exec "$@"'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *command],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    if "mount" in result.stderr and "roleplay" not in result.stderr:
        pytest.skip(f"cannot mount read-only here: {result.stderr.strip()}")
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and mounts")
def test_a_read_only_data_folder_is_one_clear_line_and_loses_nothing(home: Path, library: Library) -> None:
    home.mkdir()
    new = run_on_read_only(home, "history")  # no history yet, and none can be created
    assert new.returncode == 1, new.stderr
    (line,) = new.stderr.strip().splitlines()
    assert line.startswith("roleplay: ") and str(home) in line and "read-only" in line

    with Store.open() as store:
        saved = play(store, library, "taobao-refund", "h")
    # A history that can no longer be written is still read (read-only and immutable: SQLite needs no shared
    # memory file then), with one line saying nothing new will be saved.
    old = run_on_read_only(home, "history", "--trainee", "ana")
    assert old.returncode == 0, old.stderr
    (line,) = old.stderr.strip().splitlines()
    assert line.startswith("roleplay: ") and str(home) in line and "read-only media" in line
    played = run_on_read_only(home, "play", "taobao-refund", "--plain", "--trainee", "ana")
    assert "read-only" in played.stdout and "Traceback" not in played.stderr  # played, said not saved
    with Store.open() as store:
        assert [r.id for r in store.calls()] == [saved]


# -- workshops --------------------------------------------------------------------------------------------


def test_workshop_ids_are_short_unambiguous_and_typed_in_any_case(store: Store) -> None:
    workshop = store.create_workshop("王警官", "幸福社区")
    assert len(workshop.id) == 6 and set(workshop.id) <= set(WORKSHOP_ALPHABET)
    assert store.workshop(f"  {workshop.id.lower()} ") == workshop
    assert [w.id for w in store.workshops()] == [workshop.id]


def test_an_unknown_workshop_id_is_a_clear_error(store: Store, library: Library) -> None:
    with pytest.raises(UnknownWorkshop, match="no workshop 'NOPE42'"):
        store.workshop("nope42")
    call = Call(library.get("taobao-refund"), seed=1)
    with pytest.raises(UnknownWorkshop):
        CallRecorder(store, call, "ana", "hash", "zh", workshop_id="NOPE42")
    assert store.calls() == []  # nothing half-recorded


def test_nicknames_are_checked(store: Store, library: Library) -> None:
    call = Call(library.get("taobao-refund"), seed=1)
    for bad in ("", "   ", "a@b", "x" * 41, "tab\there"):
        with pytest.raises(StoreError):
            CallRecorder(store, call, bad, "hash", "zh")


def test_calls_are_counted_with_the_filters_of_the_list_without_reading_them(
    store: Store, library: Library
) -> None:
    workshop = store.create_workshop("王警官")
    play(store, library, "taobao-refund", "h")
    play(store, library, "taobao-refund", 1)  # abandoned
    play(store, library, "taobao-refund", "v", trainee="bo", workshop_id=workshop.id)
    play(store, library, "bank-card-risk-alert", "h", trainee="bo", workshop_id=workshop.id)
    filters: list[tuple[str | None, str | None, CallStatus | None]] = [
        (None, None, None),
        ("ana", None, None),
        ("bo", None, None),
        ("cy", None, None),
        (None, workshop.id.lower(), None),  # typed in any case, as for the list
        (None, None, "abandoned"),
        ("ana", None, "finished"),
        ("bo", workshop.id, "finished"),
    ]
    for trainee, workshop_id, status in filters:
        counted = store.count_calls(trainee=trainee, workshop_id=workshop_id, status=status)
        listed = store.calls(trainee=trainee, workshop_id=workshop_id, status=status)
        assert counted == len(listed), (trainee, workshop_id, status)
    assert store.count_calls() == 4
    assert store.count_calls(workshop_id=workshop.id) == 2
    assert store.count_calls(trainee="ana", status="finished") == 1
    assert store.count_calls(trainee="cy") == 0


def test_the_install_id_is_a_stable_uuid(store: Store) -> None:
    import uuid

    first = store.install_id()
    assert uuid.UUID(first).version == 4
    with Store.open(store.path) as again:
        assert again.install_id() == first


def test_a_version_4_file_keeps_its_workshop_answers_and_gains_the_follow_up_and_phones(
    tmp_path: Path,
) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:  # what roleplay wrote at schema 4
        for migration in MIGRATIONS[:4]:
            migration(db)
        db.execute("PRAGMA user_version = 4")
        db.execute("INSERT INTO workshops VALUES ('ABC234', '王警官', NULL, '2026-11-01T10:00:00.000+00:00')")
        db.execute(
            """INSERT INTO test_answers VALUES ('ABC234', 'pre', 1, 'taobao-refund', 'scam', 7, 3,
                   '2026-11-01T10:05:00.000+00:00', 'greeting')"""
        )
    with Store.open(path) as store:
        (kept,) = store.test_answers("ABC234")
        assert (kept.phase, kept.item, kept.said_scam, kept.said_not, kept.node) == (
            "pre",
            1,
            7,
            3,
            "greeting",
        )
        store.record_test_answer(
            "ABC234", "follow", 1, scenario="taobao-refund", kind="scam", said_scam=5, said_not=1
        )
        store.record_device_answers("ABC234", "follow", 1, "scam", {"phone-aaaaaaaaaaaaaaaa": "scam"})
        assert store.device_answers("ABC234") == {"phone-aaaaaaaaaaaaaaaa": {("follow", 1): "scam"}}
    assert user_version(path) == SCHEMA_VERSION
