"""xAPI 1.0.3 statements: checked against the specification's rules here, and posted to a real LRS."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
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

from roleplay.core.engine import Call
from roleplay.exports.xapi import (
    VERB_ANSWERED,
    VERB_COMPLETED,
    Identity,
    LrsError,
    iso_duration,
    post,
    statements,
)
from roleplay.history.files import scenario_hash
from roleplay.history.recorder import CallRecorder
from roleplay.history.store import Store
from roleplay.library.library import Library
from roleplay.workshop.session import WorkshopSession
from tests.moves import make

ROOT = Path(__file__).parent.parent

# -- a validator for the rules of the xAPI 1.0.3 specification (Part Two: Experience API data) ------------

STATEMENT_KEYS = {
    *("id", "actor", "verb", "object", "result", "context", "timestamp"),
    *("stored", "authority", "version", "attachments"),
}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {
    *("name", "description", "type", "moreInfo", "extensions", "interactionType"),
    *("correctResponsesPattern", "choices", "scale", "source", "target", "steps"),
}
INTERACTION_TYPES = {
    *("true-false", "choice", "fill-in", "long-fill-in", "matching"),
    *("performance", "sequencing", "likert", "numeric", "other"),
}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {
    *("registration", "instructor", "team", "contextActivities", "revision"),
    *("platform", "language", "statement", "extensions"),
}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def is_uuid(value: object) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


class _Rules:
    """The checks, one method per kind of object in the specification; problems collect in `found`."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def need(self, condition: bool, message: str) -> None:
        if not condition:
            self.found.append(message)

    def only(self, value: dict[str, Any], allowed: set[str], where: str) -> None:
        self.need(set(value) <= allowed, f"{where}: unknown properties {sorted(set(value) - allowed)}")

    def iri(self, value: object, where: str) -> None:
        self.need(isinstance(value, str) and bool(IRI.match(value)), f"{where}: not an IRI: {value!r}")

    def language_map(self, value: object, where: str) -> None:
        self.need(isinstance(value, dict) and bool(value), f"{where}: not a language map")
        for tag, text in value.items() if isinstance(value, dict) else ():
            self.need(bool(LANGUAGE_TAG.match(tag)), f"{where}: {tag!r} is not an RFC 5646 tag")
            self.need(isinstance(text, str), f"{where}.{tag}: not a string")

    def extensions(self, value: object, where: str) -> None:
        self.need(isinstance(value, dict), f"{where}: extensions must be an object")
        for key in value if isinstance(value, dict) else ():
            self.iri(key, f"{where} key")

    def agent(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{where}: not an object")
            return
        self.only(value, AGENT_KEYS, where)
        self.need(value.get("objectType", "Agent") == "Agent", f"{where}: objectType must be Agent")
        self.need(sum(1 for ifi in IFIS if ifi in value) == 1, f"{where}: exactly one identifier is required")
        self.need(isinstance(value.get("name", ""), str), f"{where}.name: not a string")
        account = value.get("account")
        if account is None:
            return
        self.need(isinstance(account, dict) and set(account) == {"homePage", "name"}, f"{where}.account")
        if isinstance(account, dict):
            home = account.get("homePage")
            self.need(
                isinstance(home, str) and home.startswith(("http://", "https://")), f"{where}: homePage"
            )
            self.need(isinstance(account.get("name"), str) and bool(account["name"]), f"{where}.account.name")

    def activity(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{where}: not an object")
            return
        self.only(value, ACTIVITY_KEYS, where)
        self.need(value.get("objectType", "Activity") == "Activity", f"{where}: objectType must be Activity")
        self.iri(value.get("id"), f"{where}.id")
        if "definition" in value:
            self.definition(value["definition"], f"{where}.definition")

    def definition(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            self.found.append(f"{where}: not an object")
            return
        self.only(value, DEFINITION_KEYS, where)
        for key in ("name", "description"):
            if key in value:
                self.language_map(value[key], f"{where}.{key}")
        if "type" in value:
            self.iri(value["type"], f"{where}.type")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{where}.extensions")
        if "interactionType" in value:
            self.need(value["interactionType"] in INTERACTION_TYPES, f"{where}: unknown interactionType")
        if "choices" in value:
            self.need(
                value.get("interactionType") in ("choice", "sequencing"), f"{where}: choices need choice"
            )
            ids = [c.get("id") for c in value["choices"]]
            self.need(len(ids) == len(set(ids)), f"{where}: choice ids must be unique")
            for c in value["choices"]:
                self.need(
                    set(c) <= {"id", "description"} and isinstance(c.get("id"), str), f"{where}: choice"
                )
                if "description" in c:
                    self.language_map(c["description"], f"{where}: choice description")

    def result(self, value: dict[str, Any]) -> None:
        self.only(value, RESULT_KEYS, "result")
        for flag in ("success", "completion"):
            self.need(isinstance(value.get(flag, True), bool), f"result.{flag}: not a boolean")
        self.need(isinstance(value.get("response", ""), str), "result.response: not a string")
        if "duration" in value:
            self.need(bool(DURATION.match(str(value["duration"]))), f"result.duration: {value['duration']!r}")
        if "extensions" in value:
            self.extensions(value["extensions"], "result.extensions")
        score = value.get("score")
        if score is None:
            return
        self.only(score, SCORE_KEYS, "result.score")
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in score.values())
        self.need(numbers, "result.score: numbers only")
        if "scaled" in score:
            self.need(-1 <= score["scaled"] <= 1, "result.score.scaled must be in [-1, 1]")
        if {"min", "max"} <= set(score):
            self.need(score["min"] < score["max"], "result.score: min < max")
        if "raw" in score:
            raw = score["raw"]
            self.need(score.get("min", raw) <= raw <= score.get("max", raw), "result.score.raw out of range")

    def context(self, value: dict[str, Any]) -> None:
        self.only(value, CONTEXT_KEYS, "context")
        if "registration" in value:
            self.need(is_uuid(value["registration"]), "context.registration: not a UUID")
        if "instructor" in value:
            self.agent(value["instructor"], "context.instructor")
        if "language" in value:
            self.need(bool(LANGUAGE_TAG.match(value["language"])), "context.language: not RFC 5646")
        self.need(isinstance(value.get("platform", ""), str), "context.platform: not a string")
        if "extensions" in value:
            self.extensions(value["extensions"], "context.extensions")
        for key, activities in value.get("contextActivities", {}).items():
            self.need(key in CONTEXT_ACTIVITY_KEYS, f"context.contextActivities: unknown {key}")
            for i, a in enumerate(activities if isinstance(activities, list) else [activities]):
                self.activity(a, f"context.contextActivities.{key}[{i}]")

    def statement(self, value: dict[str, Any]) -> None:
        self.only(value, STATEMENT_KEYS, "statement")
        for required in ("actor", "verb", "object"):
            self.need(required in value, f"{required} is required")
        self.need(is_uuid(value.get("id")), f"id is not a UUID: {value.get('id')!r}")
        self.need("stored" not in value and "authority" not in value, "stored and authority are the LRS's")
        self.agent(value.get("actor"), "actor")
        verb = value.get("verb", {})
        self.need(isinstance(verb, dict) and set(verb) <= {"id", "display"}, "verb: id and display only")
        self.iri(verb.get("id"), "verb.id")
        if "display" in verb:
            self.language_map(verb["display"], "verb.display")
        self.activity(value.get("object"), "object")
        if "result" in value:
            self.result(value["result"])
        if "context" in value:
            self.context(value["context"])
        if "timestamp" in value:
            stamp = str(value["timestamp"])
            self.need(bool(TIMESTAMP.match(stamp)), f"timestamp: not ISO 8601 with a time zone: {stamp!r}")


def xapi_problems(statement: dict[str, Any]) -> list[str]:
    """Every way `statement` breaks the xAPI 1.0.3 rules that apply to what a client sends."""
    rules = _Rules()
    rules.statement(statement)
    return rules.found


def test_the_validator_catches_what_the_specification_forbids() -> None:
    good = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://example.org", "name": "ana"}},
        "verb": {"id": VERB_COMPLETED},
        "object": {"id": "https://example.org/a"},
        "timestamp": "2026-01-01T10:00:00.000+08:00",
    }
    assert xapi_problems(good) == []
    for broken in (
        good | {"id": "42"},
        good | {"mood": "happy"},
        good | {"verb": {"id": "completed"}},
        good | {"timestamp": "2026-01-01 10:00"},
        good | {"timestamp": "2026-01-01T10:00:00"},  # no time zone
        good | {"result": {"score": {"scaled": 1.5}}},
        good | {"result": {"duration": "3 minutes"}},
        good | {"actor": {"name": "ana"}},  # no identifier
        good | {"context": {"registration": "x"}},
        {k: v for k, v in good.items() if k != "verb"},
    ):
        assert xapi_problems(broken), broken


# -- the statements -----------------------------------------------------------------------------------


def play(store: Store, library: Library, scenario_id: str, *moves: int | str, **how: Any) -> None:
    call = Call(library.get(scenario_id), seed=1)
    recorder = CallRecorder(
        store,
        call,
        how.get("trainee", "ana"),
        scenario_hash(library.paths[scenario_id]),
        "zh",
        workshop_id=how.get("workshop"),
    )
    call.start()
    for move in moves:
        make(call, move, first=1)
        recorder.sync()
    if call.ended:
        recorder.finish(library.catalog, how.get("judged", True))
    else:
        recorder.abandon()


@pytest.fixture
def store(tmp_path: Path, library: Library) -> Iterator[Store]:
    """Solo calls, an abandoned one, and a workshop with a trainee and a call played by the room."""
    with Store.open(tmp_path / "home" / "history.sqlite3") as opened:
        play(opened, library, "taobao-refund", 1, 1, "v")
        play(opened, library, "real-bank-fraud-alert", "h", judged=False)
        play(opened, library, "taobao-refund", 1)  # abandoned: no statements
        workshop = opened.create_workshop("王警官", "幸福社区")
        play(opened, library, "taobao-refund", "h", trainee="bo", workshop=workshop.id)
        room = WorkshopSession(opened, library, workshop.id).room_call("taobao-refund", seed=3)
        room.start()
        room.vote({"1": 12, "h": 8})
        room.vote({"1": 3, "v": 5}, override="h")
        room.judge(18, 2)
        yield opened


def by_verb(batch: list[dict[str, Any]], verb: str) -> list[dict[str, Any]]:
    return [s for s in batch if s["verb"]["id"] == verb]


def test_every_statement_is_valid_xapi(store: Store, library: Library) -> None:
    batch = statements(store, library)
    assert batch
    for statement in batch:
        assert xapi_problems(statement) == [], statement
    assert len({s["id"] for s in batch}) == len(batch)


def test_one_completed_statement_per_finished_call_and_one_answered_per_decision(
    store: Store, library: Library
) -> None:
    batch = statements(store, library)
    finished = store.calls(status="finished")
    assert len(by_verb(batch, VERB_COMPLETED)) == len(finished) == 4
    assert len(by_verb(batch, VERB_ANSWERED)) == sum(len(r.steps) for r in finished)
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
    for text in ("PT0S", "PT5.25S", "PT3M2S", "PT1H0.5S"):
        assert DURATION.match(text)


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
    assert batch and all(xapi_problems(s) == [] for s in batch)


def test_an_unreachable_lrs_is_one_clear_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(LrsError) as failure:
        post(f"http://127.0.0.1:{port}/xAPI", [], user="u", password="p", timeout=5)
    assert "cannot reach the LRS" in str(failure.value) and str(port) in str(failure.value)
    with pytest.raises(LrsError, match="http:// or https://"):
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
    with pytest.raises(LrsError, match=r"401.*check --user and --password"):
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
