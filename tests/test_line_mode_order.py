"""Line mode with a pipe: a seed repeats a call exactly, and other seeds show the replies in other orders."""

from __future__ import annotations

import re

from tests.commands import roleplay


def _replies(seed: int) -> list[str]:
    out = roleplay("play", "taobao-refund", "--plain", "--seed", str(seed), answers="h\ny\n")
    assert out.returncode == 0, out.stderr
    return re.findall(r"^  \d\. (.*)$", out.stdout, flags=re.M)


def test_the_same_seed_repeats_the_call_exactly() -> None:
    first = roleplay("play", "taobao-refund", "--plain", "--seed", "5", answers="h\ny\n")
    again = roleplay("play", "taobao-refund", "--plain", "--seed", "5", answers="h\ny\n")
    assert first.stdout == again.stdout


def test_two_seeds_show_the_first_replies_in_different_orders() -> None:
    orders = {tuple(_replies(seed)) for seed in range(1, 5)}
    assert len({frozenset(order) for order in orders}) == 1  # the same replies of the first turn each time
    assert len(orders) > 1  # in other orders
