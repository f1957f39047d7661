"""A resident's own trainer joining the workshop on the presenter's laptop over the room's network: it joins
with the address and code on the projector, and each call it finishes is sent there, to join the workshop's
record (it is saved on the resident's own computer too).

What travels is the call's moves, never its text: the scenario's id, the seed that drew its names and
amounts, each move (a reply by its number as written, hanging up, checking), the trainee's answer to "was it
a scam?", the trainee's name and language. The presenter plays the moves again on its own library, so a
record it keeps is always a call its library can play; anything else is refused.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roleplay.core.engine import Call, CallError
from roleplay.core.inert import has_control
from roleplay.core.model import Scenario
from roleplay.library.library import Library
from roleplay.workshop.ballot import Refused

MAX_MOVES = 60  # longer than any scenario's longest path; a flood of moves is not a call
TIMEOUT_SECONDS = 5.0
ADDRESS = re.compile(r"^(?:https?://)?(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(?P<port>\d{1,5}))?/?$")


class LinkError(Exception):
    """The presenter's laptop could not be reached, or it refused; `reason` is the server's word for why
    (None: no answer at all)."""

    def __init__(self, url: str, message: str, reason: str | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url  # the words for the trainee are `roleplay.tui.recording.link_problem`'s
        self.reason = reason


def call_payload(call: Call, *, trainee: str, lang: str, judged_scam: bool | None) -> dict[str, Any]:
    """What is sent of a finished call: its moves, not its text."""
    transcript = call.transcript
    return {
        "scenario": transcript.scenario,
        "seed": transcript.seed,
        "moves": [[step.action, step.index] for step in transcript.steps],
        "judged_scam": judged_scam,
        "trainee": trainee,
        "lang": lang,
    }


@dataclass(frozen=True)
class ReceivedCall:
    call: Call
    trainee: str
    lang: str
    judged_scam: bool | None


def replay(scenarios: dict[str, Scenario], payload: Any) -> ReceivedCall:
    """The call a trainer sent, played again here. Raises Refused("not-a-call") for anything that is not a
    finished call of this library."""
    if not isinstance(payload, dict):
        raise Refused("not-a-call", 422)
    scenario = scenarios.get(payload.get("scenario"))  # type: ignore[arg-type]
    seed, moves, judged = payload.get("seed"), payload.get("moves"), payload.get("judged_scam")
    trainee, lang = payload.get("trainee"), payload.get("lang")
    if (
        scenario is None
        or not isinstance(seed, int)
        or not 0 <= seed < 2**63
        or not isinstance(moves, list)
        or not 0 < len(moves) <= MAX_MOVES
        or judged not in (True, False, None)
        or lang not in ("zh", "en")
        or not isinstance(trainee, str)
        or not 0 < len(trainee.strip()) <= 40
        or has_control(trainee)
    ):
        raise Refused("not-a-call", 422)
    call = Call(scenario, seed)
    try:
        call.start()
        for move in moves:
            if not isinstance(move, list) or len(move) != 2:
                raise Refused("not-a-call", 422)
            action, index = move
            if action == "reply" and isinstance(index, int) and not isinstance(index, bool):
                call.reply(index)
            elif action == "hang_up" and index is None:
                call.hang_up()
            elif action == "verify" and index is None:
                call.verify()
            else:
                raise Refused("not-a-call", 422)
    except CallError:
        raise Refused("not-a-call", 422) from None
    if not call.ended:
        raise Refused("not-a-call", 422)
    return ReceivedCall(call, trainee.strip(), lang, judged)


# -- the trainer's side ------------------------------------------------------------------------------------


def presenter_url(typed: str) -> str | None:
    """The address a resident typed ("192.168.1.23:8765", with or without http://) as a URL; None when
    it is not an address."""
    found = ADDRESS.match(typed.strip())
    if found is None or ("." not in found["host"] and ":" not in found["host"] and found["port"] is None):
        return None
    port = f":{found['port']}" if found["port"] else ""
    return f"http://{found['host']}{port}"


@dataclass(frozen=True)
class Link:
    """A trainer joined to the presenter's workshop."""

    url: str
    token: str
    workshop_id: str

    def send(self, payload: dict[str, Any]) -> None:
        """Send one finished call. Raises LinkError."""
        _post(self.url, "/api/calls", payload, self.token)


def join_presenter(url: str, code: str) -> Link:
    """Join the workshop on the presenter's laptop as a trainer. Raises LinkError."""
    answer = _post(url, "/api/join", {"code": code, "role": "trainer"}, None)
    token, workshop_id = answer.get("token"), answer.get("workshop")
    if not isinstance(token, str) or not isinstance(workshop_id, str):
        raise LinkError(url, "this is not a workshop's address", "not-a-workshop")
    return Link(url, token, workshop_id)


def _post(url: str, path: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json", "Origin": url}
    if token is not None:
        headers["X-Roleplay-Token"] = token
    request = urllib.request.Request(url + path, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(64_000)
    except urllib.error.HTTPError as exc:
        reason = _reason(exc.read(4_000))
        raise LinkError(url, f"refused ({exc.code} {reason or ''})".strip(), reason) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        why = getattr(exc, "reason", exc)
        raise LinkError(url, str(why)) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise LinkError(url, "this is not a workshop's address", "not-a-workshop") from None
    if not isinstance(answer, dict):
        raise LinkError(url, "this is not a workshop's address", "not-a-workshop")
    return answer


def _reason(raw: bytes) -> str | None:
    try:
        answer = json.loads(raw)
    except ValueError:
        return None
    reason = answer.get("refused") if isinstance(answer, dict) else None
    return reason if isinstance(reason, str) else None


# -- the presenter's side ----------------------------------------------------------------------------------


def keep_calls(store_path: Path, library: Library, workshop_id: str) -> Callable[[Any], None]:
    """What the phone server does with a trainer's call: play it again, then save it in the workshop's
    record, on its own connection to the history (the presenter's screens keep theirs)."""
    lock = threading.Lock()  # one write at a time from the server: SQLite would make them wait anyway

    def keep(payload: Any) -> None:
        from roleplay.history.errors import StoreError
        from roleplay.history.files import played_hash
        from roleplay.history.recorder import CallRecorder
        from roleplay.history.store import Store

        received = replay(library.scenarios, payload)
        scenario_id = received.call.scenario.id
        path = library.paths.get(scenario_id)
        try:
            with lock, Store.open(store_path) as store:
                recorder = CallRecorder(
                    store,
                    received.call,
                    received.trainee,
                    played_hash(path) if path else "",
                    "zh" if received.lang == "zh" else "en",
                    workshop_id=workshop_id,
                    source_path=path,
                )
                recorder.finish(library.catalog, received.judged_scam)
        except StoreError:
            raise Refused("not-saved", 503) from None

    return keep
