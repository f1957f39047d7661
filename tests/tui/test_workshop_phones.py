"""A workshop with the residents' phones, through Pilot: three phones answer the pre-test and the post-test
(nobody raises a hand), the post-test's results pair each phone's before with its after, each phone then
shows its own result; weeks later the follow-up opens with `--follow-up`, the same phones rejoin a new server
and answer form C, and the results say what the room kept. The phones are the ballot's own calls here (the
server and the browser are tested in tests/test_phone_server.py and tests/test_browser_phones.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from roleplay.history.records import Phase
from roleplay.history.store import Store
from roleplay.tui.presenter.agenda import WorkshopScreen
from roleplay.tui.presenter.excerpt import ExcerptScreen
from roleplay.tui.presenter.results import PhaseSummaryScreen
from roleplay.workshop.phones import RoomPhones
from tests.tui.conftest import SIZE, settle, visible_text
from tests.tui.phones import open_to_phones, until
from tests.tui.test_workshop_ui import new_workshop, open_agenda, presenter

ADDRESSES = ("10.0.0.11", "10.0.0.12", "10.0.0.13")
DEVICES = ("phone-one-aaaaaaaaaaaa", "phone-two-bbbbbbbbbbbb", "phone-three-cccccccccc")


def join(phones: RoomPhones) -> list[str]:
    return [
        phones.ballot.join(phones.code, device, a)[0] for device, a in zip(DEVICES, ADDRESSES, strict=True)
    ]


def answer_for(phone: int, phase: Phase, truth: str) -> str:
    """Phone 0 is always right; phone 1 is wrong before and right after; phone 2 always says scam."""
    wrong = "legit" if truth == "scam" else "scam"
    if phone == 0:
        return truth
    if phone == 1:
        return wrong if phase == "pre" else truth
    return "scam"


def asking(phones: RoomPhones, question: str) -> Callable[[], bool]:
    return lambda: phones.ballot.tally().question == question


async def take_test_on_phones(pilot: Pilot[int], phones: RoomPhones, tokens: list[str], phase: Phase) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, ExcerptScreen)
    for item in screen.items:
        await until(pilot, asking(phones, f"{phase}-{item.number}"), "the item")
        for phone, (token, address) in enumerate(zip(tokens, ADDRESSES, strict=True)):
            phones.ballot.vote(token, address, f"{phase}-{item.number}", answer_for(phone, phase, item.kind))
        await until(pilot, lambda: "这一题已投：3 部" in visible_text(pilot.app), "three votes counted")
        await pilot.press("enter", "enter")  # no hands typed: the phones' votes alone
        await settle(pilot)
    await until(pilot, lambda: isinstance(pilot.app.screen, PhaseSummaryScreen), "the results")


async def test_phones_pair_each_residents_before_and_after_and_the_follow_up(
    tmp_path: Path, isolated_home: Path
) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        agenda = await open_agenda(pilot)
        phones = await open_to_phones(pilot)
        tokens = join(phones)
        await until(pilot, lambda: "已加入 3 部手机" in visible_text(app), "three phones")
        await pilot.press("1")
        await settle(pilot)
        await take_test_on_phones(pilot, phones, tokens, "pre")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is agenda
        assert agenda.status is not None and agenda.status.next_step() == 1  # the calls come next
        await pilot.press("3")
        await settle(pilot)
        await take_test_on_phones(pilot, phones, tokens, "post")
        text = visible_text(app)
        assert "两次测验都用手机答完的居民：3 位" in text
        assert "1 位答对得更多，2 位一样，0 位更少" in text
        own = [phones.ballot.state(t, a) for t, a in zip(tokens, ADDRESSES, strict=True)]
        assert all(state["finished"] for state in own)  # each phone shows its own before and after
        items = len(agenda.presenter.workshop.items("pre"))
        assert own[1]["results"] == {
            "pre": {"right": 0, "answered": items},
            "post": {"right": items, "answered": items},
        }
    with pytest.raises(httpx.ConnectError):  # the presenter closed: the server with it
        httpx.get(phones.url + "/", timeout=2)

    # Weeks later: the follow-up, on a new server; the same phones (their device ids) join again.
    app = presenter(tmp_path, workshop_id=workshop_id, follow_up=True)
    async with app.run_test(size=SIZE) as pilot:
        agenda = await open_agenda(pilot)
        assert isinstance(agenda, WorkshopScreen)
        text = visible_text(app)
        assert "复测" in text and "课前小测" not in text  # only the follow-up's test, then the report
        phones = await open_to_phones(pilot)
        tokens = join(phones)
        await pilot.press("1")
        await settle(pilot)
        await take_test_on_phones(pilot, phones, tokens, "follow")
        text = visible_text(app)
        assert "大家还记得多少" in text and "几周后（复测）" in text
        assert "两次测验都用手机答完的居民：3 位" in text  # the post-test's answers, kept from weeks before
        state = phones.ballot.state(tokens[0], ADDRESSES[0])
        results = state["results"]
        assert isinstance(results, dict) and set(results) == {"pre", "post", "follow"}
    with Store.open(isolated_home / "history.sqlite3") as store:
        answers = store.device_answers(workshop_id)
        assert set(answers) == set(DEVICES)
        assert {phase for phase, _ in answers[DEVICES[0]]} == {"pre", "post", "follow"}
