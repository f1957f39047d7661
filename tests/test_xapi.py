"""xAPI 1.0.3 statements: checked with ralph's xAPI models, and posted to a real LRS (ralph's too)."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ralph.models.xapi.base.results import BaseXapiResult  # type: ignore[import-untyped]
from ralph.models.xapi.base.statements import BaseXapiStatement  # type: ignore[import-untyped]
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb  # type: ignore[import-untyped]
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb  # type: ignore[import-untyped]

from roleplay.exports.lrs import LrsError, post
from roleplay.exports.xapi import (
    VERB_ANSWERED,
    VERB_COMPLETED,
    Identity,
    iso_duration,
    statements,
)
from roleplay.history.store import Store
from roleplay.library.library import Library
from roleplay.workshop.session import WorkshopSession
from tests.moves import keys
from tests.recording import play

ROOT = Path(__file__).parent.parent

# -- the statements checked by ralph's xAPI models ------------------------------------------------------

# Ralph's model of each verb roleplay uses (its display is English only, so only that part is checked).
VERB_MODELS = {VERB_ANSWERED: AnsweredVerb, VERB_COMPLETED: CompletedVerb}


def checked(statement: dict[str, Any]) -> None:
    """Raise ValueError (pydantic's ValidationError is one) for a statement that is not valid xAPI: ralph's
    base statement model, then ralph's model of its verb; the timestamp must carry its time zone too (ralph
    reads one without as local time, which an LRS elsewhere would misplace)."""
    model = BaseXapiStatement.model_validate(statement)
    verb = statement["verb"]
    if verb["id"] in VERB_MODELS:
        english = {"en-US": verb["display"]["en-US"]} if "display" in verb else None
        VERB_MODELS[verb["id"]].model_validate({"id": verb["id"], "display": english})
    if model.timestamp is not None and model.timestamp.utcoffset() is None:
        raise ValueError(f"timestamp without a time zone: {statement['timestamp']!r}")


def test_the_checks_catch_what_the_specification_forbids() -> None:
    good = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://example.org", "name": "ana"}},
        "verb": {"id": VERB_COMPLETED},
        "object": {"id": "https://example.org/a"},
        "timestamp": "2026-01-01T10:00:00.000+08:00",
    }
    checked(good)
    for broken in (
        good | {"id": "42"},
        good | {"mood": "happy"},
        good | {"verb": {"id": "completed"}},
        good | {"verb": {"id": VERB_COMPLETED, "display": {"en-US": "answered"}}},  # not the verb's word
        good | {"timestamp": "2026-01-01 10:00"},
        good | {"timestamp": "2026-01-01T10:00:00"},  # no time zone
        good | {"result": {"score": {"scaled": 1.5}}},
        good | {"result": {"duration": "3 minutes"}},
        good | {"actor": {"name": "ana"}},  # no identifier
        good | {"context": {"registration": "x"}},
        {k: v for k, v in good.items() if k != "verb"},
    ):
        with pytest.raises(ValueError):
            checked(broken)


# -- the statements -----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, library: Library) -> Iterator[Store]:
    """Solo calls, an abandoned one, and a workshop with a trainee and a call played by the room."""
    with Store.open(tmp_path / "home" / "history.sqlite3") as opened:
        play(opened, library, "taobao-refund", 1, 1, "v")
        play(opened, library, "bank-card-risk-alert", "h", judged=False)
        play(opened, library, "taobao-refund", 1)  # abandoned: no statements
        workshop = opened.create_workshop("王警官", "幸福社区")
        play(opened, library, "taobao-refund", "h", trainee="bo", workshop_id=workshop.id)
        room = WorkshopSession(opened, library, workshop.id).room_call("taobao-refund", seed=3)
        room.start()
        first, second = keys(library.get("taobao-refund"), 1, 1, seed=3)  # written reply 1, as shown
        room.vote({first: 12, "h": 8})
        room.vote({second: 3, "v": 5}, override="h")
        room.judge(18, 2)
        session = WorkshopSession(opened, library, workshop.id)
        pre, post = session.items("pre"), session.items("post")
        session.answer("pre", pre[0].number, 11, 9)
        session.answer("pre", pre[1].number, 10, 10)  # the room split evenly
        session.answer("post", post[0].number, 17, 3)
        yield opened


def by_verb(batch: list[dict[str, Any]], verb: str) -> list[dict[str, Any]]:
    return [s for s in batch if s["verb"]["id"] == verb]


def test_every_statement_is_valid_xapi(store: Store, library: Library) -> None:
    batch = statements(store, library)
    assert batch
    for statement in batch:
        checked(statement)
    assert len({s["id"] for s in batch}) == len(batch)


def test_one_completed_statement_per_finished_call_and_one_answered_per_decision(
    store: Store, library: Library
) -> None:
    batch = statements(store, library)
    finished = store.calls(status="finished")
    assert len(by_verb(batch, VERB_COMPLETED)) == len(finished) == 4
    decisions = [s for s in by_verb(batch, VERB_ANSWERED) if "/tests/" not in s["object"]["id"]]
    assert len(decisions) == sum(len(r.steps) for r in finished)
    assert set(by_verb(batch, VERB_ANSWERED)[0]["verb"]) == {"id", "display"}
    assert VERB_COMPLETED == "http://adlnet.gov/expapi/verbs/completed"
    assert VERB_ANSWERED == "http://adlnet.gov/expapi/verbs/answered"


def test_a_completed_statement_says_how_the_call_went(store: Store, library: Library) -> None:
    batch = statements(store, library, trainee="ana")
    record = store.calls(trainee="ana", status="finished", newest_first=False)[0]
    completed = by_verb(batch, VERB_COMPLETED)[0]
    assert completed["actor"] == {
        "objectType": "Agent",
        "name": "ana",
        "account": {"homePage": "https://roleplay.invalid", "name": "ana"},
    }
    assert completed["object"]["id"] == "https://roleplay.invalid/scenarios/taobao-refund"
    result = completed["result"]
    assert result["success"] is (record.outcome == "safe") and result["completion"] is True
    missed = [f.flag for f in record.flags if f.status == "missed"]
    spotted = len(record.flags) - len(missed)
    # Flags spotted plus one for the right judgement, out of flags met plus one.
    raw, top = spotted + (1 if record.judged_right else 0), len(record.flags) + 1
    assert result["score"] == {"scaled": round(raw / top, 4), "raw": raw, "min": 0, "max": top}
    assert result["duration"] == iso_duration(record.ended_at - record.started_at)  # type: ignore[operator]
    extensions = result["extensions"]
    assert extensions["https://roleplay.invalid/extensions/outcome"] == record.outcome
    assert extensions["https://roleplay.invalid/extensions/money-lost"] == record.lost
    assert extensions["https://roleplay.invalid/extensions/flags-missed"] == missed
    stamp = datetime.fromisoformat(completed["timestamp"])
    assert stamp == record.ended_at and stamp.utcoffset() == timedelta(0)
    registration = completed["context"]["registration"]
    answered = [s for s in by_verb(batch, VERB_ANSWERED) if s["context"]["registration"] == registration]
    assert [s["result"]["response"] for s in answered] == ["reply-1", "reply-1", "verify"]
    assert answered[0]["object"]["definition"]["interactionType"] == "choice"
    assert answered[0]["context"]["contextActivities"]["parent"][0]["id"] == completed["object"]["id"]


def test_hanging_up_on_a_real_call_judged_real_is_not_a_success(store: Store, library: Library) -> None:
    """The verdict was right, but the trainee treated the genuine bank as a fraud: a false alarm by deed."""
    batch = statements(store, library, trainee="ana")
    completed = by_verb(batch, VERB_COMPLETED)[1]
    assert completed["object"]["id"] == "https://roleplay.invalid/scenarios/bank-card-risk-alert"
    extensions = completed["result"]["extensions"]
    assert extensions["https://roleplay.invalid/extensions/judged-scam"] is False
    assert extensions["https://roleplay.invalid/extensions/behaviour"] == "false_alarm"
    assert completed["result"]["success"] is False
    first = by_verb(batch, VERB_COMPLETED)[0]
    assert first["result"]["extensions"]["https://roleplay.invalid/extensions/behaviour"] == "hit"


def test_in_a_workshop_the_facilitator_is_the_instructor_and_the_votes_are_kept(
    store: Store, library: Library
) -> None:
    workshop = store.workshops()[0]
    batch = statements(store, library, workshop_id=workshop.id)
    assert batch and all(s["context"]["instructor"]["account"]["name"] == "王警官" for s in batch)
    assert {s["actor"]["name"] for s in batch} == {"bo", f"room@{workshop.id}"}
    grouping = batch[0]["context"]["contextActivities"]["grouping"][0]
    assert grouping["id"].endswith(f"/workshops/{workshop.id}")
    room_answers = [s for s in by_verb(batch, VERB_ANSWERED) if s["actor"]["name"].startswith("room@")]
    extensions = room_answers[1]["result"]["extensions"]
    votes = extensions["https://roleplay.invalid/extensions/room-votes"]
    assert (votes["1"], votes["v"], sum(votes.values())) == (3, 5, 8)  # every option, zeros included
    assert extensions["https://roleplay.invalid/extensions/facilitator-override"] is True
    solo = [s for s in batch if s["actor"]["name"] == "ana"]
    assert solo == []


def test_the_rooms_answers_before_and_after_the_talk_are_answered_statements(
    store: Store, library: Library
) -> None:
    workshop = store.workshops()[0]
    answers = {(a.phase, a.item): a for a in store.test_answers(workshop.id)}
    batch = [s for s in statements(store, library, workshop_id=workshop.id) if "/tests/" in s["object"]["id"]]
    assert len(batch) == len(answers) == 3
    for statement in batch:
        checked(statement)
        *_, phase, item = statement["object"]["id"].split("/")
        answer = answers[(phase, int(item))]
        right = "scam" if answer.kind == "scam" else "not-scam"
        assert statement["object"]["definition"]["correctResponsesPattern"] == [right]
        assert statement["actor"]["name"] == f"room@{workshop.id}"
        assert statement["context"]["instructor"]["name"] == "王警官"
        assert statement["context"]["contextActivities"]["grouping"][0]["id"].endswith(
            f"/workshops/{workshop.id}"
        )
        result = statement["result"]
        counts = result["extensions"]["https://roleplay.invalid/extensions/room-answers"]
        assert (counts["scam"], counts["not-scam"]) == (answer.said_scam, answer.said_not)
        correct = answer.said_scam if answer.kind == "scam" else answer.said_not
        assert result["score"] == {"scaled": round(correct / 20, 4), "raw": correct, "min": 0, "max": 20}
        if answer.said_scam == answer.said_not:
            assert result["response"] == "scam[,]not-scam" and result["success"] is False
        else:
            assert result["success"] == (result["response"] == right)
    assert not [s for s in statements(store, library, trainee="bo") if "/tests/" in s["object"]["id"]]


def test_exporting_again_gives_the_same_ids(store: Store, library: Library) -> None:
    first = [s["id"] for s in statements(store, library)]
    assert first == [s["id"] for s in statements(store, library)]
    other_home = statements(store, library, identity=Identity("https://police.example/training"))
    assert other_home[0]["actor"]["account"]["homePage"] == "https://police.example/training"


def test_durations_are_iso_8601() -> None:
    assert iso_duration(timedelta(0)) == "PT0S"
    assert iso_duration(timedelta(seconds=5.25)) == "PT5.25S"
    assert iso_duration(timedelta(minutes=3, seconds=2)) == "PT3M2S"
    assert iso_duration(timedelta(hours=1, seconds=0.5)) == "PT1H0.5S"
    spans = (timedelta(0), timedelta(seconds=5.25), timedelta(minutes=3, seconds=2), timedelta(hours=1.5))
    for span in spans:  # ralph's result model reads each back as the same span
        assert BaseXapiResult.model_validate({"duration": iso_duration(span)}).duration == span


def test_export_command_writes_the_statements(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "export", "--xapi", str(out)],
        capture_output=True,
        text=True,
        env=os.environ | {"ROLEPLAY_HOME": str(store.path.parent), "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    batch = json.loads(out.read_text(encoding="utf-8"))
    assert batch
    for statement in batch:
        checked(statement)


def test_an_unreachable_lrs_is_one_clear_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(LrsError) as failure:
        post(f"http://127.0.0.1:{port}/xAPI", [{"id": "x"}], user="u", password="p", deadline=5)
    assert "连不上 LRS" in str(failure.value) and str(port) in str(failure.value)
    with pytest.raises(LrsError, match="要以 http:// 或 https:// 开头"):
        post("file:///etc", [], user="u", password="p")


# -- a real learning record store ------------------------------------------------------------------------

LRS_MODULES = ("ralph", "uvicorn", "fastapi", "bcrypt", "requests")


@pytest.fixture
def lrs(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """Ralph's LRS with its file-system backend on 127.0.0.1: (xAPI address, user, password)."""
    missing = [m for m in LRS_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(
            f"the LRS test needs {', '.join(missing)}: pip install 'ralph-malph[lrs]' requests "
            "(ralph's LRS imports requests without declaring it)"
        )
    import bcrypt

    user, password = "trainer", "s3cret-pass"
    auth = tmp_path / "auth.json"
    auth.write_text(
        json.dumps(
            [
                {
                    "username": user,
                    "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
                    "scopes": ["all"],
                    "agent": {"account": {"name": user, "homePage": "https://roleplay.invalid"}},
                }
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "lrs").mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = os.environ | {
        "RALPH_APP_DIR": str(tmp_path / "ralph"),
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(tmp_path / "lrs"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                output = server.stdout.read().decode(errors="replace") if server.stdout else ""
                pytest.fail(f"the LRS did not start:\n{output[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/__heartbeat__", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the LRS did not answer within 60 s")
            time.sleep(0.2)
        yield f"{base}/xAPI", user, password
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def read_back(address: str, user: str, password: str) -> list[dict[str, Any]]:
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(
        f"{address}/statements?limit=100",
        headers={"Authorization": f"Basic {credentials}", "X-Experience-API-Version": "1.0.3"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return list(json.loads(response.read())["statements"])


def test_posting_to_a_real_lrs_as_one_batch_and_reading_it_back(
    store: Store, library: Library, lrs: tuple[str, str, str]
) -> None:
    address, user, password = lrs
    with pytest.raises(LrsError, match=r"401.*请检查 --user 和 --password"):
        post(address, statements(store, library), user=user, password="wrong")
    # The file back end takes one write per folder: post everything once, with the command, then read it.
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "--lang", "en", "export", "--lrs", address, "--user", user,
         "--password", password],
        capture_output=True,
        text=True,
        env=os.environ | {"ROLEPLAY_HOME": str(store.path.parent), "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sent = statements(store, library)
    assert f"Posted {len(sent)} statements" in result.stderr
    stored = read_back(address, user, password)
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in sent)
    completed = {s["id"]: s for s in stored if s["verb"]["id"] == VERB_COMPLETED}
    for statement in by_verb(sent, VERB_COMPLETED):
        kept = completed[statement["id"]]
        assert kept["result"]["extensions"] == statement["result"]["extensions"]
        assert kept["actor"]["account"] == statement["actor"]["account"]
