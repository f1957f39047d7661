"""Two hundred phones in one room: simulated phones (a process of their own, on 127.0.0.1) join and vote
through a whole eight-turn call and its judgement. No vote is lost, none is counted twice, nothing is
refused, and the run stops by itself in bounded time."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import phone_crowd

PHONES = 200


def test_two_hundred_phones_vote_through_a_call_and_every_vote_counts_once() -> None:
    result = asyncio.run(asyncio.wait_for(phone_crowd.crowd(PHONES), 90))
    assert result.questions == 9  # eight turns and the judgement
    assert result.lost == []  # each question's count is exactly what the phones voted
    assert result.votes_sent == result.votes_counted == PHONES * result.questions
    assert result.refused == 0
    assert len(result.latencies_ms) == result.votes_sent  # the projector saw every vote arrive
    assert result.seconds < 60
