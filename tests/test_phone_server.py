"""The residents' phones: joining with the room's code, voting on what the projector shows, and everything
the server must refuse (a wrong code, a foreign Origin or Host, a token from another address, a vote replayed
after its question closed, an option not on screen, anything but the phone page)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from roleplay.library.library import Library
from roleplay.workshop.ballot import Ballot, Option, Question, Refused, own_results
from roleplay.workshop.phone_server import PhoneServer, phone_app

ORIGIN = "http://testserver"


def turn(question_id: str = "call-1-turn-1", replies: int = 2) -> Question:
    options = tuple(Option(str(n), f"回复 {n}", f"reply {n}") for n in range(1, replies + 1))
    options += (Option("h", "挂断", "hang up"), Option("v", "官方核实", "check officially"))
    return Question(question_id, "turn", "你怎么回？", "What do you say?", options)


def quiz_item(phase: str, item: int) -> Question:
    options = (Option("scam", "是诈骗", "a scam"), Option("legit", "不是诈骗", "not a scam"))
    return Question(f"{phase}-{item}", "test", "这是诈骗吗？", "A scam?", options, phase, item)


@pytest.fixture
def ballot() -> Ballot:
    return Ballot(code="123456")


@pytest.fixture
def client(ballot: Ballot) -> Iterator[httpx.Client]:
    # Starlette's test client: requests from "testclient" to the host "testserver", as ORIGIN names it.
    with TestClient(phone_app(ballot, ORIGIN), base_url=ORIGIN) as test_client:
        yield test_client


def joined(client: httpx.Client, code: str = "123456") -> dict[str, str]:
    answer = client.post("/api/join", json={"code": code}, headers={"Origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    return {"X-Roleplay-Token": answer.json()["token"], "Origin": ORIGIN}


def test_a_phone_joins_with_the_code_and_votes_on_the_open_question(
    ballot: Ballot, client: httpx.Client
) -> None:
    headers = joined(client)
    ballot.ask(turn())
    state = client.get("/api/state", headers=headers).json()
    assert state["question"]["id"] == "call-1-turn-1"
    assert [o["key"] for o in state["question"]["options"]] == ["1", "2", "h", "v"]
    assert client.post(
        "/api/vote", json={"question": "call-1-turn-1", "option": "2"}, headers=headers
    ).is_success
    tally = ballot.tally()
    assert (tally.counts, tally.phones, tally.voted) == ({"1": 0, "2": 1, "h": 0, "v": 0}, 1, 1)
    assert client.get("/api/state", headers=headers).json()["mine"] == "2"


def test_voting_again_changes_the_vote_and_it_is_counted_once(ballot: Ballot, client: httpx.Client) -> None:
    headers = joined(client)
    ballot.ask(turn())
    for option in ("1", "1", "h", "h"):
        client.post("/api/vote", json={"question": "call-1-turn-1", "option": option}, headers=headers)
    assert ballot.tally().counts == {"1": 0, "2": 0, "h": 1, "v": 0}


def test_a_wrong_code_gets_no_token(client: httpx.Client) -> None:
    answer = client.post("/api/join", json={"code": "654321"}, headers={"Origin": ORIGIN})
    assert (answer.status_code, answer.json()) == (403, {"refused": "wrong-code"})
    assert "token" not in answer.text


def test_guessing_the_code_is_slowed_down(client: httpx.Client) -> None:
    statuses = [
        client.post("/api/join", json={"code": f"{n:06d}"}, headers={"Origin": ORIGIN}).status_code
        for n in range(15)
    ]
    assert statuses[:10] == [403] * 10
    assert set(statuses[10:]) == {429}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},  # another site's page in the phone's browser
        {},  # a POST that does not say where it comes from
    ],
)
def test_a_request_from_another_origin_is_refused(
    ballot: Ballot, client: httpx.Client, headers: dict[str, str]
) -> None:
    answer = client.post("/api/join", json={"code": "123456"}, headers=headers)
    assert answer.status_code == 403
    assert ballot.phones() == 0


def test_a_foreign_origin_cannot_read_the_question_either(ballot: Ballot, client: httpx.Client) -> None:
    headers = joined(client)
    ballot.ask(turn())
    answer = client.get("/api/state", headers={**headers, "Origin": "http://evil.example"})
    assert answer.status_code == 403
    assert "call-1-turn-1" not in answer.text


def test_a_host_name_that_is_not_the_servers_is_refused(client: httpx.Client) -> None:
    """A page on a name that resolves to this laptop (DNS rebinding) reaches it with another Host."""
    assert client.get("/", headers={"Host": "rebind.example"}).status_code == 403


def test_an_unknown_or_overheard_token_is_refused(ballot: Ballot, client: httpx.Client) -> None:
    ballot.ask(turn())
    made_up = {"X-Roleplay-Token": "x" * 32, "Origin": ORIGIN}
    assert (
        client.post(
            "/api/vote", json={"question": "call-1-turn-1", "option": "1"}, headers=made_up
        ).status_code
        == 401
    )
    token, _ = ballot.join("123456", None, "10.0.0.7")  # a phone elsewhere in the room
    with pytest.raises(Refused, match="token-elsewhere"):
        ballot.vote(token, "10.0.0.99", "call-1-turn-1", "1")  # its token heard and replayed from another
    overheard = {"X-Roleplay-Token": token, "Origin": ORIGIN}
    assert (
        client.post(
            "/api/vote", json={"question": "call-1-turn-1", "option": "1"}, headers=overheard
        ).status_code
        == 401
    )
    assert ballot.tally().voted == 0


def test_a_vote_replayed_after_its_question_closed_is_refused(ballot: Ballot, client: httpx.Client) -> None:
    headers = joined(client)
    ballot.ask(turn("call-1-turn-1"))
    vote = {"question": "call-1-turn-1", "option": "1"}
    assert client.post("/api/vote", json=vote, headers=headers).is_success
    closed = ballot.close()
    assert closed.counts["1"] == 1
    ballot.ask(turn("call-1-turn-2"))
    replayed = client.post("/api/vote", json=vote, headers=headers)
    assert (replayed.status_code, replayed.json()) == (409, {"refused": "closed"})
    assert ballot.tally().voted == 0


@pytest.mark.parametrize("option", ["3", "scam", "<b>free text</b>", ""])
def test_only_an_option_on_screen_is_accepted(ballot: Ballot, client: httpx.Client, option: str) -> None:
    headers = joined(client)
    ballot.ask(turn(replies=2))
    answer = client.post("/api/vote", json={"question": "call-1-turn-1", "option": option}, headers=headers)
    assert answer.status_code in (400, 422)  # too long to be an option, or not one of them
    assert ballot.tally().voted == 0


def test_nothing_is_served_but_the_phone_page(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get("/phone.js").status_code == 200
    for path in ("/../pyproject.toml", "/history.sqlite3", "/phone_page/index.html", "/api", "/docs"):
        assert client.get(path).status_code == 404, path


def test_a_body_that_is_not_small_json_is_refused(client: httpx.Client) -> None:
    assert client.post("/api/join", content="code=123456", headers={"Origin": ORIGIN}).status_code == 415
    big = {"code": "123456", "device": "d" * 2000}
    assert client.post("/api/join", json=big, headers={"Origin": ORIGIN}).status_code == 413


def test_a_phone_that_reloads_keeps_its_votes_and_answers(ballot: Ballot) -> None:
    first, device = ballot.join("123456", None, "10.0.0.7")
    ballot.ask(quiz_item("pre", 1))
    ballot.vote(first, "10.0.0.7", "pre-1", "scam")
    ballot.close()
    again, same = ballot.join("123456", device, "10.0.0.7")
    assert same == device and again != first
    assert ballot.phones() == 1
    with pytest.raises(Refused):
        ballot.phone(first, "10.0.0.7")  # the old token is gone
    assert ballot.device_answers() == {device: {("pre", 1): "scam"}}


def test_each_phone_sees_only_its_own_result_at_the_end(ballot: Ballot) -> None:
    alice, _ = ballot.join("123456", None, "10.0.0.7")
    bob, _ = ballot.join("123456", None, "10.0.0.8")
    answers = {("pre", 1): "scam", ("post", 1): "legit"}
    ballot.key(answers)
    for phase, truth in (("pre", "scam"), ("post", "legit")):
        ballot.ask(quiz_item(phase, 1))
        ballot.vote(alice, "10.0.0.7", f"{phase}-1", "scam")
        ballot.vote(bob, "10.0.0.8", f"{phase}-1", truth)
        ballot.close()
    ballot.finish()
    assert ballot.state(alice, "10.0.0.7")["results"] == {
        "pre": {"right": 1, "answered": 1},
        "post": {"right": 0, "answered": 1},
    }
    assert ballot.state(bob, "10.0.0.8")["results"] == {
        "pre": {"right": 1, "answered": 1},
        "post": {"right": 1, "answered": 1},
    }


def test_the_answer_of_a_test_item_never_reaches_a_phone(ballot: Ballot) -> None:
    token, _ = ballot.join("123456", None, "10.0.0.7")
    ballot.key({("pre", 1): "legit"})
    ballot.ask(quiz_item("pre", 1))
    assert "answer" not in str(ballot.state(token, "10.0.0.7"))


def test_own_results_skip_items_without_a_key() -> None:
    result = own_results({("pre", 1): "scam", ("pre", 2): "legit"}, {("pre", 1): "scam"})
    assert (result["pre"].right, result["pre"].answered) == (1, 1)


def test_the_server_binds_only_the_chosen_address_and_stops() -> None:
    ballot = Ballot(code="123456")
    server = PhoneServer(ballot, "127.0.0.1")
    server.start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        page = httpx.get(server.url + "/", timeout=5)
        assert page.status_code == 200
        assert "反诈来电演练" in page.text
    finally:
        server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/", timeout=2)


# -- residents' own trainers ------------------------------------------------------------------------------


def test_a_trainer_sends_calls_and_cannot_vote_and_a_phone_cannot_send_calls(library: Library) -> None:
    from roleplay.core.engine import Call
    from roleplay.workshop.remote import call_payload, replay

    kept: list[object] = []
    ballot = Ballot(code="123456")
    ballot.ask(turn())
    app = phone_app(
        ballot, ORIGIN, workshop="ABC234", receive=lambda body: kept.append(replay(library.scenarios, body))
    )
    with TestClient(app, base_url=ORIGIN) as client:
        answer = client.post(
            "/api/join", json={"code": "123456", "role": "trainer"}, headers={"Origin": ORIGIN}
        )
        assert answer.json()["workshop"] == "ABC234"
        trainer = {"X-Roleplay-Token": answer.json()["token"], "Origin": ORIGIN}
        assert ballot.phones() == 0 and ballot.trainers() == 1
        vote = {"question": "call-1-turn-1", "option": "1"}
        assert client.post("/api/vote", json=vote, headers=trainer).status_code == 403
        call = Call(library.scenarios["taobao-refund"], 2)
        call.start()
        call.hang_up()
        payload = call_payload(call, trainee="张阿姨", lang="zh", judged_scam=True)
        assert client.post("/api/calls", json=payload, headers=trainer).is_success
        assert len(kept) == 1
        phone = joined(client)
        assert client.post("/api/calls", json=payload, headers=phone).status_code == 403
        assert len(kept) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"scenario": "no-such-call"},
        {"moves": [["reply", 99]]},  # no such reply
        {"moves": [["say", "<b>anything</b>"]]},  # only the three moves
        {"moves": []},  # not a call that happened
        {"moves": [["reply", 0]]},  # a call that has not ended
        {"seed": "2"},
        {"trainee": "\x1b[31mred"},  # a name that would draw on the projector
        {"judged_scam": "yes"},
    ],
)
def test_a_call_that_is_not_a_finished_call_of_this_library_is_refused(
    library: Library, change: dict[str, object]
) -> None:
    from roleplay.core.engine import Call
    from roleplay.workshop.remote import call_payload, replay

    call = Call(library.scenarios["taobao-refund"], 2)
    call.start()
    call.hang_up()
    payload = {**call_payload(call, trainee="张阿姨", lang="zh", judged_scam=True), **change}
    with pytest.raises(Refused, match="not-a-call"):
        replay(library.scenarios, payload)


def test_an_address_is_told_from_a_workshop_id() -> None:
    from roleplay.workshop.remote import presenter_url

    assert presenter_url("192.168.1.23:8765") == "http://192.168.1.23:8765"
    assert presenter_url("http://192.168.1.23:8765/") == "http://192.168.1.23:8765"
    assert presenter_url("localhost:8765") == "http://localhost:8765"
    assert presenter_url("ABC234") is None  # a workshop id, for the computer that keeps the history
    assert presenter_url("not an address") is None
