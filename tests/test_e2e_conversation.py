"""In a real terminal, the caller's newest line is in view whenever the replies that answer it are: turn by
turn along the longest path of a call, after a resize mid-call, and after scrolling up and pressing End.
(The Pilot tests in tests/tui/test_conversation.py check the same through Textual; this sees the screen a
trainee sees, at the caller's own pace.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roleplay.core.engine import Call, act
from roleplay.core.events import CallerSpoke, Event, RepliesOffered
from roleplay.core.moves import Move
from roleplay.core.transcript import reply_order
from roleplay.library.library import load_library
from roleplay.text.vocabulary import say
from tests.tmux import Terminal, squeeze

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed here")

SEED = 3


def longest_path(scenario_id: str) -> list[Move]:
    from roleplay.authoring.walk import paths

    return max(paths(load_library().get(scenario_id)), key=len)


def tail(events: list[Event]) -> tuple[str, str]:
    """The last thing the caller says in `events` (its last 10 characters) and the first reply offered."""
    spoken = [say(e.text) for e in events if isinstance(e, CallerSpoke)]
    offered = [e for e in events if isinstance(e, RepliesOffered)]
    first_reply = say(offered[-1].replies[0])[:10] if offered else ""
    return squeeze(spoken[-1])[-10:], squeeze(first_reply)


def follow(
    term: Terminal, scenario_id: str, *, turns: int | None = None, resize_at: int | None = None
) -> str:
    """Answer the phone and take the longest path (its first `turns` moves), checking at each turn that the
    caller's newest line is on screen with the replies; returns the newest line of the last turn seen."""
    scenario = load_library().get(scenario_id)
    call = Call(scenario, SEED)
    events = call.start()
    term.wait_for("回车：接听")
    term.press("Enter")
    for turn, move in enumerate(longest_path(scenario_id)):
        newest, reply = tail(events)
        term.wait_for(reply)  # the replies are offered…
        screen = term.wait_for(newest, seconds=3)  # …and the line they answer is in view with them
        assert squeeze(reply) in squeeze(screen)
        if turn == turns:
            return newest
        if turn == resize_at:
            term.resize(64, 20)
            term.wait_for(newest, seconds=3)
            term.resize(100, 30)
            term.wait_for(newest, seconds=3)
        if move.index is None:
            term.press("h" if move.action == "hang_up" else "v")
            events = act(call, move.action)
        else:
            term.press(str(reply_order(scenario, SEED, call.current_node).index(move.index) + 1))
            events = act(call, "reply", move.index)
    term.wait_for("这是诈骗电话吗")
    term.wait_for("通话结束。", seconds=3)
    return "通话结束。"


@pytest.mark.parametrize(
    ("scenario_id", "size"), [("taobao-refund", (80, 24)), ("credit-score-loans", (100, 30))]
)
def test_the_newest_line_is_in_view_at_every_turn(
    tmp_path: Path, scenario_id: str, size: tuple[int, int]
) -> None:
    term = Terminal(
        tmp_path, ["play", scenario_id, "--seed", str(SEED), "--lang", "zh"], width=size[0], height=size[1]
    )
    try:
        follow(term, scenario_id, resize_at=3)
    finally:
        term.close()


def test_page_up_reads_back_and_end_returns_to_the_newest_line(tmp_path: Path) -> None:
    term = Terminal(
        tmp_path, ["play", "taobao-refund", "--seed", str(SEED), "--lang", "zh"], width=80, height=24
    )
    try:
        newest = follow(term, "taobao-refund", turns=5)  # far enough that the first lines have scrolled away
        assert "来电：" not in term.screen()
        term.press("PageUp", "PageUp", "PageUp", "Home")
        screen = term.wait_for("来电：", seconds=3)
        assert newest not in squeeze(screen)
        term.press("End")
        term.wait_for(newest, seconds=3)
    finally:
        term.close()
