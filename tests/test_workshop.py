"""Workshop mode: the room votes, the majority is played unless the facilitator overrides, and the room's
discernment is measured before and after; trainees on their own terminals join the same record."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from roleplay.core.quiz import WITH_FOLLOW_UP, forms
from roleplay.core.transcript import reply_order
from roleplay.history.discernment import Discernment
from roleplay.history.errors import UnknownWorkshop
from roleplay.history.names import room_trainee
from roleplay.history.records import ALL_PHASES
from roleplay.history.store import Store
from roleplay.history.workshops import paired_change, phase_discernment
from roleplay.library.library import Library
from roleplay.workshop.excerpts import PHASE_FORMS, workshop_forms
from roleplay.workshop.session import WorkshopSession
from roleplay.workshop.vote import Decision, VoteError, decide, majority, options_at
from tests.commands import roleplay_in
from tests.moves import keys

ROOT = Path(__file__).parent.parent


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "history.sqlite3") as opened:
        yield opened


@pytest.fixture
def session(store: Store, library: Library) -> WorkshopSession:
    workshop = store.create_workshop("王警官", "幸福社区 11月")
    return WorkshopSession(store, library, workshop.id)


# -- votes ----------------------------------------------------------------------------------------------


def test_the_options_are_the_replies_then_hang_up_and_verify(library: Library) -> None:
    scenario = library.get("taobao-refund")
    replies = len(scenario.nodes[scenario.start].choices)
    assert options_at(scenario, scenario.start) == [str(i) for i in range(1, replies + 1)] + ["h", "v"]


def test_the_majority_is_played() -> None:
    assert majority({"1": 12, "2": 3, "h": 5}) == "1"
    assert decide(["1", "2", "h", "v"], {"1": 12, "2": 3, "h": 5}) == Decision(
        counts={"1": 12, "2": 3, "h": 5, "v": 0}, majority="1", played="1", overridden=False
    )


def test_the_facilitator_can_override_the_majority_and_it_is_recorded_as_such() -> None:
    decision = decide(["1", "2", "h", "v"], {"1": 12, "h": 5}, override="h")
    assert (decision.majority, decision.played, decision.overridden) == ("1", "h", True)
    agreeing = decide(["1", "2", "h", "v"], {"1": 12, "h": 5}, override="1")
    assert agreeing.overridden is False


def test_a_tie_or_no_votes_is_the_facilitators_to_decide() -> None:
    assert majority({"1": 4, "h": 4}) is None
    with pytest.raises(VoteError, match="tie between 1 and h"):
        decide(["1", "2", "h", "v"], {"1": 4, "h": 4})
    with pytest.raises(VoteError, match="nobody voted"):
        decide(["1", "2", "h", "v"], {})
    assert decide(["1", "2", "h", "v"], {"1": 4, "h": 4}, override="v").played == "v"


def test_votes_for_options_that_do_not_exist_or_negative_counts_are_refused() -> None:
    with pytest.raises(VoteError, match="no option 7"):
        decide(["1", "2", "h", "v"], {"7": 3})
    with pytest.raises(VoteError, match="0 or more"):
        decide(["1", "2", "h", "v"], {"1": -1})
    with pytest.raises(VoteError, match="no option x"):
        decide(["1", "2", "h", "v"], {"1": 1}, override="x")


def test_a_call_played_by_the_room_records_every_vote_and_override(
    store: Store, session: WorkshopSession, library: Library
) -> None:
    room = session.room_call("taobao-refund", seed=4)
    room.start()
    order = reply_order(room.scenario, 4, room.call.current_node)
    one, two = (str(order.index(written) + 1) for written in (0, 1))  # written replies 1 and 2, as shown
    first, _, problem = room.vote({one: 20, two: 5, "h": 3})
    assert problem is None and first.played == one
    second_shown = keys(library.get("taobao-refund"), 1, 1, seed=4)[1]
    second, _, _ = room.vote({second_shown: 15, "v": 10}, override="v")  # the facilitator steps in
    assert room.call.ended
    result = room.judge(said_scam=24, said_not=4)
    assert result.judged_scam is True and result.ending == room.call.transcript.ending
    (record,) = store.calls(workshop_id=session.workshop.id)
    assert (record.trainee, record.mode, record.status) == (
        room_trainee(session.workshop.id),
        "room",
        "finished",
    )
    # The record names the replies as written, whatever their place on the screen.
    assert record.steps[0].votes == {**dict.fromkeys(first.counts, 0), "1": 20, "2": 5, "h": 3}
    assert record.steps[1].votes == {**dict.fromkeys(second.counts, 0), "1": 15, "v": 10}
    assert [s.overridden for s in record.steps] == [False, True]
    assert record.room_votes == (24, 4) and record.judged_scam is True


def test_a_tied_judgement_keeps_no_judgement_unless_the_facilitator_decides(session: WorkshopSession) -> None:
    room = session.room_call("taobao-refund", seed=4)
    room.start()
    room.vote({"h": 9})
    assert room.judge(5, 5).judged_scam is None
    other = session.room_call("taobao-refund", seed=5)
    other.start()
    other.vote({"h": 9})
    assert other.judge(5, 5, override=True).judged_scam is True


# -- the pre- and post-test -----------------------------------------------------------------------------


def test_the_pre_test_is_form_a_the_post_test_b_the_follow_up_c_in_the_workshops_order(
    library: Library,
) -> None:
    tests = workshop_forms(library, "ABC234")
    assert {phase: tests[phase].letter for phase in ALL_PHASES} == PHASE_FORMS
    assert PHASE_FORMS == {"pre": "A", "post": "B", "follow": "C"}
    standard = forms(library.scenarios, letters=WITH_FOLLOW_UP)
    for phase in ALL_PHASES:
        items = tests[phase].items
        assert [i.number for i in items] == list(range(1, len(items) + 1))
        assert {i.kind for i in items} == {"scam", "legit"}
        # The same items as anyone's form of that letter, in the workshop's own order and wording.
        letter = PHASE_FORMS[phase]
        turns = [(i.scenario, i.node) for i in items]
        assert sorted(turns) == sorted((i.scenario, i.node) for i in standard[letter].items)
        assert workshop_forms(library, "ABC234")[phase] == tests[phase]  # every screen shows the same
    other = workshop_forms(library, "XYZ789")
    assert [(i.scenario, i.node) for i in other["pre"].items] != [
        (i.scenario, i.node) for i in tests["pre"].items
    ]
    seen = {phase: {(i.scenario, i.node) for i in tests[phase].items} for phase in ALL_PHASES}
    assert not seen["pre"] & seen["post"]
    assert not seen["follow"] & (seen["pre"] | seen["post"])  # weeks later, still nothing seen before


def test_the_rooms_answers_give_its_discernment_before_and_after(session: WorkshopSession) -> None:
    # 20 people. Before: scams caught by 12 of 20, real calls called a scam by 10 of 20.
    for item in session.items("pre"):
        session.answer("pre", item.number, *((12, 8) if item.kind == "scam" else (10, 10)))
    # After: 18 of 20 catch the scams, 4 of 20 still call a real call a scam.
    for item in session.items("post"):
        session.answer("post", item.number, *((18, 2) if item.kind == "scam" else (4, 16)))
    pre, post = session.results("pre"), session.results("post")
    scams = sum(1 for i in session.items("pre") if i.kind == "scam")
    reals = len(session.items("pre")) - scams
    assert pre == Discernment(12 * scams, 8 * scams, 10 * reals, 10 * reals)
    assert pre.d_prime is not None and post.d_prime is not None and post.d_prime > pre.d_prime
    session.answer("pre", 1, 1, 19)  # typed again: it corrects, it does not add
    answers = session.store.test_answers(session.workshop.id, "pre")
    assert len(answers) == len(session.items("pre")) and answers[0].said_scam == 1
    # Each answer names the turn of its scenario the item showed.
    assert [(a.scenario, a.node) for a in answers] == [(i.scenario, i.node) for i in session.items("pre")]
    assert phase_discernment(session.store, session.workshop.id, "post") == post


def test_an_answer_for_an_item_that_does_not_exist_is_refused(session: WorkshopSession) -> None:
    with pytest.raises(VoteError):
        session.answer("pre", 99, 1, 1)


def test_no_hands_counted_is_no_answer(session: WorkshopSession) -> None:
    with pytest.raises(VoteError, match="nobody answered"):
        session.answer("pre", 1, 0, 0)
    assert session.store.test_answers(session.workshop.id) == []


def test_an_unknown_workshop_id_is_a_clear_error(store: Store, library: Library) -> None:
    with pytest.raises(UnknownWorkshop, match="no workshop 'ZZZZZZ'"):
        WorkshopSession(store, library, "zzzzzz")


# -- the commands ---------------------------------------------------------------------------------------


def roleplay(home: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    """The command in English, so the tests can read its messages."""
    return roleplay_in(home, "--lang", "en", *args, answers=answers)


def test_trainees_on_their_own_terminals_join_the_workshops_record(tmp_path: Path) -> None:
    home = tmp_path / "home"
    created = roleplay(home, "workshop", "new", "--facilitator", "王警官", "--title", "幸福社区")
    assert created.returncode == 0, created.stderr
    workshop_id = created.stdout.strip()
    assert workshop_id in created.stderr  # and how trainees join
    listed = roleplay(home, "workshop", "list")
    assert workshop_id in listed.stdout and "王警官" in listed.stdout
    for name, answers in (("ana", "h\ny\n"), ("bo", "1\nv\ny\n")):
        joined = roleplay(
            home,
            "play",
            "taobao-refund",
            "--plain",
            "--trainee",
            name,
            "--workshop",
            workshop_id.lower(),
            answers=answers,
        )
        assert joined.returncode == 0, joined.stderr
    roleplay(home, "play", "taobao-refund", "--plain", "--trainee", "cy", answers="h\ny\n")  # not in it
    with Store.open(home / "history.sqlite3") as store:
        assert sorted(r.trainee for r in store.calls(workshop_id=workshop_id)) == ["ana", "bo"]


def test_joining_an_unknown_workshop_is_one_clear_line_and_no_call(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = roleplay(home, "play", "taobao-refund", "--plain", "--workshop", "NOPE42", answers="h\ny\n")
    assert result.returncode == 2
    assert result.stdout == ""  # refused before the call starts
    (line,) = result.stderr.strip().splitlines()
    assert "NOPE42" in line and "workshop" in line and str(home) in line


def test_workshop_with_no_action_opens_the_presenter(monkeypatch: pytest.MonkeyPatch) -> None:
    import roleplay.tui.app as presenter
    from roleplay.cli import main as cli

    opened: dict[str, object] = {}

    def run_presenter(**options: object) -> int:
        opened.update(options)
        return 0

    monkeypatch.setattr(presenter, "run_presenter", run_presenter)
    assert cli.main(["--lang", "en", "workshop", "--workshop", "abc234", "--facilitator", "王警官"]) == 0
    assert opened == {"lang": "en", "workshop_id": "abc234", "facilitator": "王警官", "follow_up": False}
    opened.clear()
    assert cli.main(["workshop", "--follow-up", "abc234"]) == 0  # weeks later: the same workshop, its test C
    assert opened == {"lang": None, "workshop_id": "abc234", "facilitator": None, "follow_up": True}


def test_the_trainer_refuses_an_unknown_workshop_before_it_opens(tmp_path: Path) -> None:
    result = roleplay(tmp_path / "home", "play", "taobao-refund", "--workshop", "NOPE42")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "NOPE42" in line and "workshop" in line


# -- the same residents before and after (their phones) ------------------------------------------------


def test_each_residents_before_is_paired_with_their_after() -> None:
    kinds = {("pre", 1): "scam", ("pre", 2): "legit", ("post", 1): "scam", ("post", 2): "legit"}
    phones = {
        "better": {("pre", 1): "legit", ("pre", 2): "scam", ("post", 1): "scam", ("post", 2): "legit"},
        "same": {("pre", 1): "scam", ("pre", 2): "legit", ("post", 1): "scam", ("post", 2): "legit"},
        "worse": {("pre", 1): "scam", ("pre", 2): "legit", ("post", 1): "scam", ("post", 2): "scam"},
        "left-early": {("pre", 1): "scam", ("pre", 2): "scam"},  # no after: not compared with anyone
    }
    change = paired_change(phones, kinds)
    assert (change.residents, change.improved, change.same, change.worse) == (3, 1, 1, 1)
    assert (change.before.hits, change.before.misses) == (2, 1)
    assert (change.before.false_alarms, change.before.correct_rejections) == (1, 2)
    assert (change.after.hits, change.after.false_alarms) == (3, 1)


def test_a_resident_who_missed_an_item_is_compared_by_share_right() -> None:
    kinds = {("pre", 1): "scam", ("pre", 2): "legit", ("post", 1): "scam", ("post", 2): "legit"}
    phones = {"late": {("pre", 1): "scam", ("pre", 2): "legit", ("post", 2): "legit"}}  # 2 of 2, then 1 of 1
    assert paired_change(phones, kinds).same == 1


def test_the_report_gives_the_rooms_paired_change(
    store: Store, session: WorkshopSession, library: Library
) -> None:
    from roleplay.exports.report import build_report
    from roleplay.exports.wording import discernment_rows

    workshop_id = session.workshop.id
    for phase in ("pre", "post"):
        for item in session.items(phase):
            wrong = "legit" if item.kind == "scam" else "scam"
            before = {"a-phone-000000000001": wrong, "a-phone-000000000002": item.kind}
            said = before if phase == "pre" else dict.fromkeys(before, item.kind)
            session.answer(
                phase,
                item.number,
                sum(v == "scam" for v in said.values()),
                sum(v == "legit" for v in said.values()),
            )
            store.record_device_answers(workshop_id, phase, item.number, item.kind, said)
    report = build_report(store, library, workshop_id=workshop_id)
    change = report.paired[("pre", "post")]
    assert (change.residents, change.improved, change.same, change.worse) == (2, 1, 1, 0)
    assert ("post", "follow") not in report.paired  # no follow-up yet
    labels = [row[0] for row in discernment_rows(report)]
    assert sum("同样这 2 位居民" in label for label in labels) == 2
