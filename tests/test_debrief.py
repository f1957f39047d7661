"""The debrief: flags spotted and missed, the earliest safe exit, the rules, the verdict and the behaviour."""

from __future__ import annotations

import itertools
from pathlib import Path

from roleplay.core.debrief import Debrief, SourcedSums, debrief
from roleplay.core.engine import Call
from roleplay.core.model import Catalog, Language, Scenario
from roleplay.library.library import Library
from roleplay.library.loader import load_scenario
from roleplay.text.i18n import set_language
from roleplay.text.sentences import behaviour_sentence, source_lines
from tests.moves import played

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_reply_that_goes_along_misses_the_flag(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0, 0).transcript)
    assert [(f.flag, f.turn, f.status) for f in d.flags] == [
        ("unsolicited-refund", 1, "missed"),
        ("sms-code", 2, "missed"),
    ]
    missed = d.flags[1]
    assert missed.reply is not None and missed.reply.en.startswith("It's ")
    assert missed.safe_reply.en == "I can't tell you the code."
    assert missed.why == catalog.flags["sms-code"].why
    assert "Read me the code." in missed.caller_line.en
    assert (d.outcome, d.severity, d.lost, d.exposed) == ("loss", "major_loss", 500, ("sms_code",))


def test_a_flag_quotes_the_line_that_carried_it_filled_for_the_run(
    library: Library, catalog: Catalog
) -> None:
    taobao = library.scenarios["taobao-refund"]
    d = debrief(taobao, catalog, played(taobao, 0, 0, 0).transcript)  # greeting, offer, add-qq
    assert [t.node for t in d.turns] == ["greeting", "offer", "add-qq"]
    quoted = {(f.turn, f.flag): f.caller_line for f in d.flags}
    greeting, offer, add_qq = (t.caller_lines for t in d.turns)
    assert quoted[1, "knows-your-order"] == greeting[2]  # "you bought {item} for {price} yuan, …right?"
    assert "{" not in greeting[2].zh + greeting[2].en + greeting[1].zh  # a line drawn whole is filled too
    assert quoted[2, "unsolicited-refund"] == offer[1]
    assert quoted[3, "move-to-chat"] == add_qq[0]
    assert quoted[3, "abnormal-order-centre"] == add_qq[1]


def test_without_flag_lines_a_flag_quotes_the_whole_turn(catalog: Catalog) -> None:
    scenario = load_scenario(FIXTURES / "lint" / "flag-line-missing.yaml", catalog)
    d = debrief(scenario, catalog, played(scenario, 0, 0).transcript)
    one_line, two_lines = d.flags
    assert one_line.caller_line == d.turns[0].caller_lines[0]
    assert two_lines.caller_line.en == "Good, the refund is on its way. Read me the code, quickly."
    assert two_lines.caller_line.zh == "好，马上就退。把验证码念给我，快点。"


def test_a_reply_that_recognises_the_flag_spots_it(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0, 1).transcript)
    assert [(f.flag, f.status) for f in d.flags] == [
        ("unsolicited-refund", "missed"),
        ("sms-code", "spotted"),
    ]
    assert d.outcome == "safe" and d.lost == 0


def test_hanging_up_or_verifying_spots_every_flag_of_that_turn(minimal: Scenario, catalog: Catalog) -> None:
    for move in ("h", "v"):
        d = debrief(minimal, catalog, played(minimal, move).transcript)
        assert [(f.flag, f.status, f.reply) for f in d.flags] == [("unsolicited-refund", "spotted", None)]


def test_when_no_reply_recognises_a_flag_the_safe_reply_is_the_official_check(
    minimal: Scenario, catalog: Catalog
) -> None:
    # Remove the spotting reply at turn 1: the advice becomes the scenario's official check.
    offer = minimal.nodes["offer"]
    no_spot = minimal.model_copy(
        update={"nodes": {**minimal.nodes, "offer": offer.model_copy(update={"choices": offer.choices[:1]})}}
    )
    d = debrief(no_spot, catalog, played(no_spot, 0, 1).transcript)
    assert d.flags[0].safe_reply == minimal.verify_how


def test_earliest_safe_exit_is_the_first_turn_with_a_way_out(minimal: Scenario, catalog: Catalog) -> None:
    assert debrief(minimal, catalog, played(minimal, 0, 0).transcript).earliest_safe_exit == 1


def test_rules_shown_are_the_general_ones_and_those_of_flags_met(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0, 0).transcript)
    # The catalog's four general rules, and the one about codes and passwords (its flags include sms-code).
    expected = [
        "The “three don'ts and one more”",
        "When a call is about a refund",
        "If in doubt, call the 96110 anti-fraud line.",
        "Give nobody your codes, passwords or payment code",
        "If you have been scammed or are unsure, call 110",
    ]
    assert len(d.rules) == len(expected)
    assert all(rule.en.startswith(start) for rule, start in zip(d.rules, expected, strict=True))
    assert len(d.rules) < len(catalog.rules)


def test_judgement_is_scored_against_the_kind(minimal: Scenario, catalog: Catalog) -> None:
    transcript = played(minimal, "h").transcript
    assert debrief(minimal, catalog, transcript, judged_scam=True).judged_right is True
    assert debrief(minimal, catalog, transcript, judged_scam=False).judged_right is False
    assert debrief(minimal, catalog, transcript).judged_right is None


def test_same_transcript_same_debrief(minimal: Scenario, catalog: Catalog) -> None:
    transcript = played(minimal, 0, 1).transcript
    assert debrief(minimal, catalog, transcript) == debrief(minimal, catalog, transcript)


def test_an_abandoned_call_has_no_outcome(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0).transcript)
    assert d.outcome is None and d.ending is None
    assert d.to_json()["outcome"] is None


def test_json_has_the_documented_keys(minimal: Scenario, catalog: Catalog) -> None:
    data = debrief(minimal, catalog, played(minimal, 0, 0).transcript, True).to_json()
    assert {"scenario", "outcome", "severity", "lost", "exposed", "flags", "earliest_safe_exit"} <= set(data)
    assert data["flags"][0] == {"id": "unsolicited-refund", "status": "missed", "turn": 1}


def test_the_phone_event_of_a_flagged_turn_is_in_the_debrief(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0, 0).transcript)
    assert d.flags[0].shown == ()
    assert len(d.flags[1].shown) == 1 and d.flags[1].shown[0].en.startswith("Code ")


def test_hanging_up_on_a_real_caller_recognises_nothing(library: Library, catalog: Catalog) -> None:
    """In the 96110 call the flags belong to the scammer in the chat window, not to the officer calling."""
    real = library.scenarios["anti-fraud-96110-warning"]
    call = Call(real, 1)
    call.start()
    while not real.nodes[call.current_node].flags:  # go along until the scammer's chat shows a red flag
        call.reply(0)
    call.hang_up()
    d = debrief(real, catalog, call.transcript)
    assert d.flags and all(f.status == "missed" for f in d.flags)
    same_moves_in_a_scam = debrief(real.model_copy(update={"kind": "scam"}), catalog, call.transcript)
    assert all(f.status == "spotted" for f in same_moves_in_a_scam.flags)


def test_hanging_up_on_the_scammer_who_rings_back_between_real_calls_spots_his_flags(
    library: Library, catalog: Catalog
) -> None:
    """In the 96110 call, hanging up on 96110 puts the "customer service" scammer on the line; hanging up on
    him is the right move, and it recognises the red flags of his call."""
    real = library.scenarios["anti-fraud-96110-warning"]
    call = played(real, "h")  # hang up on 96110: the scammer rings straight back
    assert call.current_node == "scammer-voice" and real.nodes["scammer-voice"].flags
    call.hang_up()
    d = debrief(real, catalog, call.transcript)
    assert d.ending == "safe-hung-up-scammer"
    assert [f.status for f in d.flags if f.turn == 2] == ["spotted"] * len(real.nodes["scammer-voice"].flags)


def test_a_real_call_has_no_earliest_safe_exit(library: Library, catalog: Catalog) -> None:
    real = library.scenarios["courier-delivery"]
    d = debrief(real, catalog, played(real, 0, 0).transcript)
    assert d.earliest_safe_exit is None


# -- behaviour: what the trainee did, beside what they said ----------------------------------------------


def sentence_in(lang: Language, d: Debrief) -> str | None:
    set_language(lang)
    try:
        return behaviour_sentence(d)
    finally:
        set_language("zh")


def test_in_a_scam_call_ending_safe_is_a_hit_and_a_loss_is_a_miss(
    minimal: Scenario, catalog: Catalog
) -> None:
    for moves, behaviour in (("h", "hit"), ("v", "hit"), ((0, 1), "hit"), ((0, 0), "miss")):
        d = debrief(minimal, catalog, played(minimal, *moves).transcript, judged_scam=False)
        assert (d.verdict, d.behaviour) == ("miss", behaviour)  # said "real" every time: a miss by verdict
        assert d.to_json()["behaviour"] == behaviour
    abandoned = debrief(minimal, catalog, played(minimal, 0).transcript)
    assert abandoned.behaviour is None and abandoned.to_json()["behaviour"] is None


def test_hanging_up_on_a_real_warning_is_a_false_alarm_even_when_the_verdict_is_right(
    library: Library, catalog: Catalog
) -> None:
    real = library.scenarios["anti-fraud-96110-warning"]
    call = played(real, "h", 1)  # hang up on 96110, then refuse the scammer who calls straight back
    assert call.transcript.ending == "safe-hung-up-scammer"
    d = debrief(real, catalog, call.transcript, judged_scam=False)
    assert (d.outcome, d.lost, d.judged_right) == ("safe", 0, True)
    assert (d.verdict, d.behaviour) == ("correct_rejection", "false_alarm")
    assert (
        sentence_in("zh", d)
        == "你的做法：这通“理赔办到一半时来的电话”是真的，你却把它挂断了。把真电话当成骗局，这也算一次误判。"
    )
    assert sentence_in("en", d) == (
        "What you did: this call (“A call half-way through a claim”) was real, and you hung up on it. "
        "Taking a real call for a scam is a mistake too."
    )


def test_hanging_up_on_a_real_call_counts_even_when_an_official_check_follows(
    library: Library, catalog: Catalog
) -> None:
    """Hang up on 96110, then, when the scammer rings back, go to the police station: the money is safe
    and the ending is the one a straight check reaches, but the genuine warning was hung up on first."""
    real = library.scenarios["anti-fraud-96110-warning"]
    call = played(real, "h", "v")
    assert call.transcript.ending == "safe-station" == real.target(real.start, "verify")
    assert real.endings["safe-station"].treated_as_scam is False
    assert debrief(real, catalog, call.transcript).behaviour == "false_alarm"
    assert debrief(real, catalog, played(real, "v").transcript).behaviour == "correct_rejection"


def test_dismissing_a_real_warning_without_hanging_up_is_a_false_alarm_and_says_what_it_cost(
    library: Library, catalog: Catalog
) -> None:
    bank = library.scenarios["bank-card-risk-alert"]
    call = played(bank, 2)  # "Another scam call, right? Fine, it was me. Stop bothering me."
    d = debrief(bank, catalog, call.transcript, judged_scam=True)
    assert (call.transcript.ending, d.behaviour, d.lost) == ("loss-released", "false_alarm", 2980)
    assert sentence_in("zh", d) == (
        "你的做法：这通“银行来电”是真的，你却把它当成了骗局。把真电话当成骗局，这也算一次误判。没听它的，你损失了¥2,980。"
    )


def test_checking_officially_and_carrying_on_is_not_a_false_alarm(library: Library, catalog: Catalog) -> None:
    bank = library.scenarios["bank-card-risk-alert"]
    d = debrief(bank, catalog, played(bank, "v").transcript, judged_scam=True)
    assert (d.ending, d.verdict, d.behaviour) == ("safe-called-back", "false_alarm", "correct_rejection")
    assert sentence_in("zh", d) == "你的做法：这通是真电话，你也是按真电话来应对的，没有误当成诈骗。"


def test_trusting_a_real_caller_too_far_is_no_false_alarm(library: Library, catalog: Catalog) -> None:
    """Paying for a parcel one never ordered is a loss, and the ending's lesson says so; but the trainee did
    not take the real courier for a fraud."""
    courier = library.scenarios["courier-delivery"]
    # "Bring it up", to the spouse "that's the one, bring it up", then pay 199 for the unknown parcel
    call = played(courier, 0, 1, 2)
    d = debrief(courier, catalog, call.transcript)
    assert (d.ending, d.outcome, d.behaviour) == ("loss-cod-paid", "loss", "correct_rejection")


def test_a_scam_gone_along_with_says_what_it_cost(minimal: Scenario, catalog: Catalog) -> None:
    d = debrief(minimal, catalog, played(minimal, 0, 0).transcript)
    assert sentence_in("zh", d) == "你的做法：照着骗子说的做了，被骗走了¥500。"
    assert sentence_in("en", d) == "What you did: you went along with the scammer, and lost ¥500."
    safe = debrief(minimal, catalog, played(minimal, "h").transcript)
    assert (
        sentence_in("en", safe) == "What you did: you treated it as the scam it was, and lost no money to it."
    )


def test_the_truth_is_worded_against_the_answer_in_chinese() -> None:
    """确实 ("indeed") when the answer was right, 其实 ("in fact") when it was wrong, whichever the truth."""
    from roleplay.text.sentences import truth_sentence

    set_language("zh")
    try:
        assert [
            truth_sentence(is_scam, judged) for is_scam, judged in itertools.product((True, False), repeat=2)
        ] == [
            "它确实是诈骗。",  # scam, said scam
            "它其实是诈骗。",  # scam, said real
            "它其实是正常来电。",  # real, said scam
            "它确实是正常来电。",  # real, said real
        ]
        assert (
            truth_sentence(False, None) == "这通是正常来电。"
        )  # a split room: no answer to weigh it against
    finally:
        set_language("zh")


def test_the_sources_line_says_whose_case_each_sum_lost_is(minimal: Scenario, catalog: Catalog) -> None:
    """A call that joins several cases still names, for each sum the trainee lost, the advisory it is from."""
    sourced = minimal.model_copy(update={"figures": {"wuhan-2020-06": (500,)}})
    d = debrief(sourced, catalog, played(sourced, 0, 0).transcript)
    assert d.paid_from == (SourcedSums(catalog.sources["wuhan-2020-06"], (500,)),)
    set_language("zh")
    try:
        assert source_lines(d)[0].endswith("（这次的金额：¥500）")
    finally:
        set_language("en")
    ours = minimal.model_copy(update={"figures": {"ours": (500,)}})
    d = debrief(ours, catalog, played(ours, 0, 0).transcript)
    assert source_lines(d)[-1] == "¥500: the advisories give no sum for this step; this one is ours."
    safe = debrief(sourced, catalog, played(sourced, "h").transcript)
    assert safe.paid_from == () and "sums" not in " ".join(source_lines(safe))
