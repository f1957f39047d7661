"""The Call: a state machine from the scenario, effects, endings, transcript and the events it emits."""

from __future__ import annotations

import re

import pytest

from roleplay.core.debrief import debrief
from roleplay.core.engine import Call, CallError, resume
from roleplay.core.events import (
    CallEnded,
    CallerSpoke,
    EffectApplied,
    PhoneShowed,
    RepliesOffered,
    TraineeActed,
)
from roleplay.core.machine import machine_for
from roleplay.core.model import CallerDisplay, Scenario, Text
from roleplay.core.transcript import reply_order
from roleplay.library.library import Library


def test_start_says_the_first_turn_and_offers_its_replies(minimal: Scenario) -> None:
    events = Call(minimal, seed=1).start()
    assert [type(e) for e in events] == [CallerSpoke, RepliesOffered]
    offered = events[-1]
    assert isinstance(offered, RepliesOffered)
    assert offered.turn == 1
    assert sorted(offered.order) == [0, 1]  # each written reply once, in the order drawn for this run
    written = ["OK.", "I'll check in the app."]
    assert [r.en for r in offered.replies] == [written[i] for i in offered.order]


def test_variables_are_drawn_from_the_seed(minimal: Scenario) -> None:
    lines = {seed: Call(minimal, seed).start()[0] for seed in range(20)}
    assert len({str(line) for line in lines.values()}) == 2  # both items appear across seeds
    assert str(Call(minimal, 7).start()[0]) == str(Call(minimal, 7).start()[0])
    first = lines[0]
    assert isinstance(first, CallerSpoke)
    assert "{item}" not in first.text.zh and "{item}" not in first.text.en


def test_paying_and_giving_away_are_applied_and_the_call_ends_in_a_loss(minimal: Scenario) -> None:
    call = Call(minimal, seed=3)
    call.start()
    events = call.reply(0)
    assert isinstance(events[0], TraineeActed) and events[0].index == 0
    sms = [e for e in events if isinstance(e, PhoneShowed)]
    assert sms and sms[0].kind == "sms" and sms[0].sender == "95588"
    events = call.reply(0)
    effect = next(e for e in events if isinstance(e, EffectApplied))
    assert (effect.paid, effect.gave, effect.total_lost) == (500, ("sms_code",), 500)
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert (ended.ending, ended.outcome, ended.severity, ended.lost) == (
        "loss-code",
        "loss",
        "major_loss",
        500,
    )
    assert call.ended and call.lost == 500 and call.exposed == ("sms_code",)


def test_hang_up_and_verify_are_open_at_every_turn(minimal: Scenario) -> None:
    for moves, ending in (((), "safe-hung-up"), ((0,), "safe-hung-up")):
        call = Call(minimal, 1)
        call.start()
        for i in moves:
            call.reply(i)
        ended = call.hang_up()[-1]
        assert isinstance(ended, CallEnded) and ended.ending == ending
    call = Call(minimal, 1)
    call.start()
    ended = call.verify()[-1]
    assert isinstance(ended, CallEnded) and ended.ending == "safe-checked" and ended.outcome == "safe"


def test_the_transcript_records_every_decision(minimal: Scenario) -> None:
    call = Call(minimal, seed=5)
    call.start()
    call.reply(0)
    call.verify()
    t = call.transcript
    assert [(s.turn, s.node, s.action, s.index) for s in t.steps] == [
        (1, "offer", "reply", 0),
        (2, "code", "verify", None),
    ]
    assert t.ending == "safe-checked" and t.seed == 5


def test_replay_gives_the_same_call(minimal: Scenario) -> None:
    call = Call(minimal, seed=9)
    call.start()
    call.reply(0)
    call.reply(0)
    again, _ = resume(minimal, call.transcript.seed, call.transcript.steps)
    assert again.transcript == call.transcript
    assert again.lost == call.lost


def test_wrong_moves_are_refused_clearly(minimal: Scenario) -> None:
    call = Call(minimal)
    with pytest.raises(CallError, match="not started"):
        call.reply(0)
    call.start()
    with pytest.raises(CallError, match="no reply 3"):
        call.reply(2)
    with pytest.raises(CallError, match="already started"):
        call.start()
    call.hang_up()
    with pytest.raises(CallError, match="ended"):
        call.verify()


def test_the_state_machine_has_no_auto_transitions(minimal: Scenario) -> None:
    triggers = set(machine_for(minimal).events)
    assert not any(t.startswith("to_") for t in triggers)
    assert triggers == {"reply_0", "reply_1", "hang_up", "verify"}


def test_calls_of_one_scenario_share_a_machine_and_keep_their_own_state(minimal: Scenario) -> None:
    machine = machine_for(minimal)
    assert machine_for(minimal) is machine
    in_progress = len(machine.models)
    first, second = Call(minimal, 1), Call(minimal, 2)
    assert len(machine.models) == in_progress + 2  # each call is one model on the one machine
    first.start()
    second.start()
    first.reply(0)
    assert (first.current_node, second.current_node) == ("code", "offer")
    second.hang_up()
    assert second.ended and not first.ended
    assert len(machine.models) == in_progress + 1  # a call that ended leaves the machine
    assert first.reply(0)[-1].ending == "loss-code"  # type: ignore[union-attr]


def test_resume_repeats_the_steps_that_still_fit_an_edited_scenario(minimal: Scenario) -> None:
    call = Call(minimal, seed=4)
    call.start()
    call.reply(0)
    steps = list(call.transcript.steps)
    again, events = resume(minimal, 4, steps, at="code")
    assert again.current_node == "code" and again.transcript.steps == steps
    assert sum(isinstance(e, RepliesOffered) for e in events) == 2
    offer = minimal.nodes["offer"]
    edited = minimal.model_copy(  # the author removed the first reply: the call stays at the first turn
        update={"nodes": {**minimal.nodes, "offer": offer.model_copy(update={"choices": offer.choices[1:]})}}
    )
    shorter, _ = resume(edited, 4, steps, at="code")
    assert shorter.current_node == "offer" and shorter.transcript.steps == []


def _orders(scenario: Scenario, seed: int) -> tuple[tuple[int, ...], ...]:
    """The order every turn of `scenario` shows its replies in, for the run of `seed`."""
    return tuple(reply_order(scenario, seed, node) for node in scenario.nodes)


def test_the_replies_are_shown_in_an_order_drawn_from_the_seed(library: Library) -> None:
    for scenario in library.scenarios.values():
        assert _orders(scenario, 7) == _orders(scenario, 7)  # the same seed, the same order
        assert len({_orders(scenario, seed) for seed in range(20)}) > 1  # other seeds, other orders
    taobao = library.get("taobao-refund")
    assert {reply_order(taobao, seed, taobao.start)[-1] for seed in range(40)} == set(
        range(len(taobao.nodes[taobao.start].choices))
    )  # any reply can be the last one shown


def test_choose_takes_the_reply_shown_and_the_transcript_names_it_as_written(library: Library) -> None:
    taobao = library.get("taobao-refund")
    for seed in range(10):
        call = Call(taobao, seed)
        offered = call.start()[-1]
        assert isinstance(offered, RepliesOffered)
        acted = call.choose(len(offered.replies) - 1)[0]  # the last reply on screen
        written = offered.order[-1]
        assert isinstance(acted, TraineeActed) and acted.index == written
        assert acted.text == offered.replies[-1]
        assert call.transcript.steps[0].index == written


def test_a_pinned_turn_shows_its_replies_as_written(minimal: Scenario) -> None:
    pinned = minimal.model_copy(
        update={"nodes": {k: n.model_copy(update={"order": "pinned"}) for k, n in minimal.nodes.items()}}
    )
    for seed in range(10):
        offered = Call(pinned, seed).start()[-1]
        assert isinstance(offered, RepliesOffered) and offered.order == (0, 1)


def test_the_debrief_does_not_depend_on_where_the_replies_were_shown(library: Library) -> None:
    """The same replies taken (as written) in runs that show them in other orders: the same debrief."""
    taobao = library.get("taobao-refund")
    results = set()
    for seed in range(6):
        call = Call(taobao, seed)
        call.start()
        call.reply(1)
        call.hang_up()
        d = debrief(taobao, library.catalog, call.transcript, True)
        results.add((d.ending, tuple((f.flag, f.turn, f.status) for f in d.flags)))
    assert len(results) == 1


def test_a_call_given_up_before_its_end_leaves_the_shared_machine(minimal: Scenario) -> None:
    machine = machine_for(minimal)
    before = len(machine.models)
    call = Call(minimal, seed=1)
    call.start()
    assert len(machine.models) == before + 1
    call.close()
    call.close()  # twice is harmless
    assert len(machine.models) == before
    assert call.transcript.steps == []  # the record stays


def test_a_text_may_name_the_number_the_phone_shows_and_digits_drawn_per_run(minimal: Scenario) -> None:
    """`{caller_number}` is the run's display (the number a text message gave is the one dialled), and each
    `#` of a variable's value is a digit the seed draws, the same in both languages and on every replay."""
    variables = {**minimal.variables, "qq": (Text(zh="QQ ### ###", en="QQ ### ###"),)}
    caller = minimal.caller.model_copy(
        update={"shows": (CallerDisplay(name=minimal.caller.displays[0].name, number="400-### ####"),)}
    )
    scenario = minimal.model_copy(update={"variables": variables, "caller": caller})
    line = Text(zh="请拨{caller_number}，加{qq}", en="Ring {caller_number}, add {qq}")
    seen = set()
    for seed in range(6):
        call = Call(scenario, seed)
        filled = call.fill(line)
        assert filled.zh == f"请拨{call.caller_number}，加{filled.en.split('add ')[1]}"
        assert re.fullmatch(r"Ring 400-\d{3} \d{4}, add QQ \d{3} \d{3}", filled.en)
        assert Call(scenario, seed).fill(line) == filled  # the same seed, the same digits
        seen.add(filled.en)
    assert len(seen) == 6
