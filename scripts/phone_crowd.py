"""A room of simulated phones on 127.0.0.1: each joins the phone server with the code, waits for the question
on the projector as the phone page does (a long poll), and votes; the "projector" plays one whole call with
the room's majority, closing each vote once every phone has voted.

Used by the load test (tests/test_phone_load.py: no vote lost, each counted once) and by scripts/bench.py
(`vote_to_projector_ms_median`: from a phone sending its vote to the projector's count including it, with the
projector reading the tally on its own event loop after the ballot's wake-up, as the presenter's PhoneCount
does).

Usage: python scripts/phone_crowd.py [--phones 200] [--scenario taobao-refund]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from roleplay.core.engine import Call
from roleplay.core.events import CallEnded, RepliesOffered
from roleplay.library.library import load_library
from roleplay.workshop.ballot import Ballot, Option, Question
from roleplay.workshop.phone_server import PhoneServer
from roleplay.workshop.questions import judgement_question, turn_question
from roleplay.workshop.vote import HANG_UP, VERIFY, decide

DEADLINE_SECONDS = 120.0  # the whole run; it stops by itself well before


@dataclass
class CrowdResult:
    phones: int
    questions: int = 0
    votes_sent: int = 0
    votes_counted: int = 0
    lost: list[str] = field(default_factory=list)  # "question: expected … counted …" where they differ
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    refused: int = 0  # requests the server refused (none expected)

    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def choice_of(phone: int, question: Question) -> str:
    """What phone number `phone` votes: three in five the first option, the rest spread over all."""
    keys = question.option_keys()
    return keys[0] if phone % 5 < 3 else keys[phone % len(keys)]


@dataclass
class Phones:
    """What the simulated phones share: where the room is, and what they sent."""

    url: str
    code: str
    sent: dict[tuple[str, str], float] = field(default_factory=dict)  # (question, device) → when
    votes_sent: int = 0
    refused: int = 0


async def phone(number: int, room: Phones) -> None:
    """One phone: its own connections (as a phone has), joining, then following and voting."""
    async with httpx.AsyncClient(timeout=30) as client:
        await _follow(number, client, room)


async def _follow(number: int, client: httpx.AsyncClient, room: Phones) -> None:
    url = room.url
    headers = {"Origin": url}
    joined = await client.post(f"{url}/api/join", json={"code": room.code}, headers=headers)
    joined.raise_for_status()
    token, device = joined.json()["token"], joined.json()["device"]
    headers["X-Roleplay-Token"] = token
    version, voted = -1, set()
    while True:
        answer = await client.get(f"{url}/api/state", params={"after": version}, headers=headers)
        if answer.status_code != 200:
            room.refused += 1
            await asyncio.sleep(0.2)
            continue
        state = answer.json()
        version = state["version"]
        if state["finished"]:
            return
        shown = state["question"]
        if shown is None or shown["id"] in voted:
            continue
        question = Question(shown["id"], shown["kind"], "", "", _options(shown))
        option = choice_of(number, question)
        room.sent[(shown["id"], device)] = time.monotonic()  # one clock for every process of this machine
        vote = await client.post(
            f"{url}/api/vote", json={"question": shown["id"], "option": option}, headers=headers
        )
        if vote.status_code == 200:
            voted.add(shown["id"])
            room.votes_sent += 1
        else:
            room.refused += 1


def _options(shown: dict[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(o["key"], o["zh"], o["en"]) for o in shown["options"])


async def projector_wait(ballot: Ballot, question: Question, phones: int, wake: asyncio.Event,
                         seen: dict[tuple[str, str], float]) -> dict[str, int]:  # fmt: skip
    """Wait until every phone's vote on `question` is counted; note when the projector first saw each."""
    deadline = time.monotonic() + 30
    while True:
        tally = ballot.tally()
        now = time.monotonic()
        for device in tally.by_device:
            seen.setdefault((question.id, device), now)
        if tally.voted >= phones or time.monotonic() > deadline:
            return dict(ballot.close().counts)
        wake.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(wake.wait(), 1.0)


async def crowd(phones: int = 200, scenario_id: str = "taobao-refund", seed: int = 2) -> CrowdResult:
    """The server and the projector here; the phones in a process of their own, as phones are other
    devices (sharing this process's interpreter they would slow the server they measure). Seed 2 of the
    model call goes eight turns with the room's majority."""
    library = load_library()
    scenario = library.scenarios[scenario_id]
    ballot = Ballot()
    server = PhoneServer(ballot, "127.0.0.1")
    server.start()
    result = CrowdResult(phones)
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()
    ballot.listen(lambda: (loop.call_soon_threadsafe(wake.set), None)[1])
    seen: dict[tuple[str, str], float] = {}
    began = time.perf_counter()
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--phones-only", server.url, ballot.code, str(phones),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while ballot.phones() < phones:  # everyone in before the call rings
            if child.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"only {ballot.phones()} of {phones} phones joined")
            await asyncio.sleep(0.02)
        asking = questions(Call(scenario, seed), scenario.channel)
        question: Question | None = next(asking)
        while question is not None:
            ballot.ask(question)
            counted = await projector_wait(ballot, question, phones, wake, seen)
            check(result, question, expected_counts(question, phones), counted)
            question = next_question(asking, decide(list(question.option_keys()), counted).played)
        ballot.finish()  # every phone shows its results and stops
        out, _ = await asyncio.wait_for(child.communicate(), 30)
    finally:
        if child.returncode is None:
            child.kill()
        server.stop()
    report = json.loads(out)
    result.votes_sent, result.refused = report["votes_sent"], report["refused"]
    for question_id, device, at in report["sent"]:
        if (question_id, device) in seen:
            result.latencies_ms.append((seen[(question_id, device)] - at) * 1000)
    result.seconds = time.perf_counter() - began
    return result


async def phones_only(url: str, code: str, phones: int) -> None:
    """The child process: `phones` phones, then what they sent, as JSON on stdout."""
    room = Phones(url, code)
    await asyncio.gather(*(phone(n, room) for n in range(phones)))
    print(json.dumps({
        "votes_sent": room.votes_sent, "refused": room.refused,
        "sent": [[q, d, at] for (q, d), at in room.sent.items()],
    }))  # fmt: skip


def questions(call: Call, channel: str) -> Generator[Question, str, None]:
    """The call's turns as the room is asked them, then its judgement; `send()` the room's decision on each,
    which is played before the next."""
    events = call.start()
    while True:
        offered = next((e for e in events if isinstance(e, RepliesOffered)), None)
        if offered is None or any(isinstance(e, CallEnded) for e in events):
            break
        played = yield turn_question(1, offered, channel)
        if played == HANG_UP:
            events = call.hang_up()
        elif played == VERIFY:
            events = call.verify()
        else:
            events = call.choose(int(played) - 1)
    yield judgement_question(1, channel)


def next_question(asking: Generator[Question, str, None], played: str) -> Question | None:
    try:
        return asking.send(played)
    except StopIteration:
        return None


def expected_counts(question: Question, phones: int) -> dict[str, int]:
    counts = dict.fromkeys(question.option_keys(), 0)
    for n in range(phones):
        counts[choice_of(n, question)] += 1
    return counts


def check(result: CrowdResult, question: Question, expected: dict[str, int], counted: dict[str, int]) -> None:
    result.questions += 1
    result.votes_counted += sum(counted.values())
    if counted != expected:
        result.lost.append(f"{question.id}: expected {expected}, counted {counted}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--scenario", default="taobao-refund")
    parser.add_argument("--phones-only", nargs=3, metavar=("URL", "CODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phones_only:
        url, code, count = args.phones_only
        asyncio.run(asyncio.wait_for(phones_only(url, code, int(count)), DEADLINE_SECONDS))
        return 0
    result = asyncio.run(asyncio.wait_for(crowd(args.phones, args.scenario), DEADLINE_SECONDS))
    print(json.dumps({
        "phones": result.phones, "questions": result.questions, "votes_sent": result.votes_sent,
        "votes_counted": result.votes_counted, "lost": result.lost, "refused": result.refused,
        "vote_to_projector_ms_median": round(result.median_ms(), 1),
        "vote_to_projector_ms_p95": round(statistics.quantiles(result.latencies_ms, n=20)[18], 1)
        if len(result.latencies_ms) > 20 else None,
        "seconds": round(result.seconds, 2),
    }, ensure_ascii=False))  # fmt: skip
    return 0 if not result.lost else 1


if __name__ == "__main__":
    sys.exit(main())
