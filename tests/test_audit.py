"""The cue audit: each naive rule finds the cue planted for it in a small library, and the shipped library
passes (or names the cue it still has, with a reason)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from roleplay.authoring.audit import MARGIN, RULES, Audit, audit, number_shape
from roleplay.core.model import Caller, CallerDisplay, Catalog, Choice, Scenario, Text
from roleplay.library.library import Library
from tests.commands import roleplay


@pytest.fixture
def plain_catalog(catalog: Catalog) -> Catalog:
    """The shipped catalog without its known cues: every planted cue must fail."""
    return catalog.model_copy(update={"known_cues": {}})


def _text(zh: str) -> Text:
    return Text(zh=zh, en=zh)


def _variant(base: Scenario, kind: str, **changes: object) -> Scenario:
    # The ids tell nothing (a random word each) unless a test plants a cue in them.
    return base.model_copy(update={"id": uuid.uuid4().hex[:8], "kind": kind, **changes})


def _library(
    base: Scenario, scam: dict[str, object] | None = None, real: dict[str, object] | None = None
) -> list[Scenario]:
    """Six scams and six real calls made from one scenario; `scam` and `real` plant a difference."""
    return [_variant(base, "scam", **(scam or {})) for _ in range(6)] + [
        _variant(base, "legit", **(real or {})) for _ in range(6)
    ]


def _result(result: Audit, rule: str) -> tuple[float | None, float | None, str]:
    (found,) = [r for r in result.results if r.rule == rule]
    return found.rate, found.chance, found.status


def _with_replies(
    base: Scenario, node: str, replies: list[tuple[str, bool]], **node_changes: object
) -> Scenario:
    """`base` whose turn `node` offers `replies` (text, spots the flag), each leading where the first did."""
    old = base.nodes[node]
    flag = old.flags[0]
    choices = tuple(
        Choice(text=_text(zh), to=old.choices[0].to, spots=(flag,) if spots else ()) for zh, spots in replies
    )
    nodes = {**base.nodes, node: old.model_copy(update={"choices": choices, **node_changes})}
    return base.model_copy(update={"nodes": nodes})


def test_the_caller_display_is_found_when_it_tells_the_kinds_apart(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    unknown = Caller(shows=(CallerDisplay(name=_text("未知来电"), number="0571-#### ####"),))
    bank = Caller(shows=(CallerDisplay(name=_text("银行客服"), number="95588"),))
    rate, chance, status = _result(
        audit(_library(minimal, {"caller": unknown}, {"caller": bank}), plain_catalog), "caller-display"
    )
    assert (rate, chance, status) == (1.0, 0.5, "over")


def test_ids_that_name_the_kind_are_found(minimal: Scenario, plain_catalog: Catalog) -> None:
    """The real calls' ids once began with "real-"; `roleplay list` shows ids where a trainee picks a call."""
    library = _library(minimal)
    calls = [c.model_copy(update={"id": f"real-{c.id}"}) if c.kind == "legit" else c for c in library]
    rate, chance, status = _result(audit(calls, plain_catalog), "id-words")
    # A real call is always told (the word is there); a scam is left to chance (nothing is there).
    assert (rate, chance, status) == (0.75, 0.5, "over")


def test_a_shared_caller_display_tells_nothing(minimal: Scenario, plain_catalog: Catalog) -> None:
    both = Caller(
        shows=(
            CallerDisplay(name=_text("未知来电"), number="13# #### ####"),
            CallerDisplay(name=_text("银行客服"), number="95588"),
        )
    )
    rate, chance, status = _result(
        audit(_library(minimal, {"caller": both}, {"caller": both}), plain_catalog), "caller-display"
    )
    assert rate is not None and chance is not None and rate <= chance + MARGIN and status == "ok"


def test_words_that_name_the_answer_before_the_question_are_found(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    offer = minimal.nodes["offer"]
    says_real = offer.model_copy(update={"say": (_text("您好，这是真的银行来电，不是诈骗。"),)})
    real: dict[str, object] = {"nodes": {**minimal.nodes, "offer": says_real}}
    rate, chance, status = _result(audit(_library(minimal, None, real), plain_catalog), "answer-words")
    assert (rate, chance, status) == (1.0, 0.5, "over")


def test_the_number_of_turns_is_found_when_real_calls_are_shorter(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    short: dict[str, object] = {
        "nodes": {
            "offer": minimal.nodes["offer"].model_copy(update={"choices": minimal.nodes["offer"].choices[1:]})
        }
    }
    rate, _, status = _result(audit(_library(minimal, None, short), plain_catalog), "turns")
    assert rate == 1.0 and status == "over"


def test_the_longest_reply_is_found_when_it_is_always_the_safe_one(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    planted = _with_replies(
        minimal, "code", [("好。", False), ("这个验证码我不能随便告诉别人。", True), ("行。", False)]
    )
    result = audit([planted], plain_catalog)
    assert result.turns == 2
    rate, chance, status = _result(result, "longest")
    assert rate == 1.0 and chance is not None and chance < 0.5 and status == "over"


def test_a_spotting_reply_that_is_always_the_shortest_is_found_too(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    offer = _with_replies(
        minimal, "offer", [("好的，你慢慢说，我听着。", False), ("免了。", True), ("行啊，退多少？", False)]
    )
    planted = _with_replies(
        offer,
        "code",
        [("好的，我这就把验证码念给你听。", False), ("不念。", True), ("行，你等我找一下短信。", False)],
    )
    result = audit([planted], plain_catalog)
    assert _result(result, "shortest")[2] == "over"
    assert _result(result, "longest")[0] == 0.0  # the other end of the same cue says nothing


def test_cue_words_are_found_even_when_every_reply_is_as_long(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    offer = _with_replies(minimal, "offer", [("好的好的", False), ("别急别急", True), ("我听着呢", False)])
    planted = _with_replies(offer, "code", [("马上就念", False), ("别念出来", True), ("我在找呢", False)])
    result = audit([planted], plain_catalog)
    assert _result(result, "cue-words")[2] == "over"
    rate, chance, _ = _result(result, "longest")
    assert rate == chance  # four characters each: length says nothing here


def test_a_pinned_order_puts_the_safe_reply_in_the_same_place(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    replies = [("好的，您说。", False), ("嗯，然后呢？", False), ("我先挂了。", True)]
    pinned = _with_replies(
        _with_replies(minimal, "offer", replies, order="pinned"), "code", replies, order="pinned"
    )
    assert _result(audit([pinned], plain_catalog), "last-shown")[:2] == (1.0, 1 / 3)
    shuffled = _with_replies(_with_replies(minimal, "offer", replies), "code", replies)
    many = [shuffled.model_copy(update={"id": f"shuffled-{i}"}) for i in range(10)]  # each run draws its own
    rate, chance, status = _result(audit(many, plain_catalog), "last-shown")
    assert rate is not None and chance is not None and abs(rate - chance) <= MARGIN and status == "ok"


def test_a_known_cue_is_allowed_with_its_reason_and_a_stale_one_is_told(
    minimal: Scenario, plain_catalog: Catalog
) -> None:
    planted = _with_replies(minimal, "code", [("好。", False), ("这个验证码我要先想一想再说。", True)])
    reasons = {rule: _text("改写中") for rule in ("longest", "cue-words", "first-shown", "no-such-rule")}
    result = audit([planted], plain_catalog.model_copy(update={"known_cues": reasons}))
    assert _result(result, "longest")[2] == "known" and not result.failed
    # "first-shown" is at chance here (the replies are shuffled) and "no-such-rule" is no rule: both stale.
    assert result.stale == ("first-shown", "no-such-rule")


def test_number_shapes() -> None:
    assert [
        number_shape(n) for n in ("139 1234 5678", "0571-2687 4410", "95588", "023-96110", "+00 852 1234")
    ] == [
        "mobile",
        "landline",
        "service number",
        "area code + 96110",
        "overseas",
    ]


def test_the_shipped_library_passes_the_audit_or_names_each_cue_it_still_has(library: Library) -> None:
    result = audit(list(library.scenarios.values()), library.catalog)
    assert not result.failed and not result.stale
    assert {r.rule for r in result.results} == set(RULES)
    for rule in RULES:
        assert _result(result, rule)[2] == "ok", rule  # the cues this edition removed stay removed


def test_audit_json_prints_every_rule_with_its_rate_and_chance() -> None:
    out = roleplay("audit", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenarios"] >= 14 and data["turns"] > 50
    assert [r["rule"] for r in data["rules"]] == list(RULES)
    assert all(isinstance(r["rate"], float) and isinstance(r["chance"], float) for r in data["rules"])


def test_audit_speaks_chinese_by_default() -> None:
    out = roleplay("audit")
    assert out.returncode == 0
    assert "线索审计" in out.stdout and "来电显示" in out.stdout


def test_audit_of_a_file_whose_safe_replies_give_themselves_away_fails() -> None:
    # minimal.yaml's safe replies are the ones with 自己 and 不: a trainee could pick them without reading.
    out = roleplay("--lang", "en", "audit", str(Path(__file__).parent / "fixtures" / "minimal.yaml"))
    assert out.returncode == 1
    assert (
        "cue words such as 不, 别, 骗, 报警, 自己, 官方: right 100%, chance 50% · beats chance by more"
        in out.stdout
    )
