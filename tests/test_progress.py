"""A trainee's progress: counts, red flags, discernment (d′ and c), and which call to play next."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from roleplay.core.engine import Call
from roleplay.core.model import Catalog, Language, Scenario
from roleplay.history.discernment import Discernment
from roleplay.history.files import scenario_hash
from roleplay.history.flags import REVIEW_DAYS, flag_stats
from roleplay.history.next_call import recommend
from roleplay.history.progress import summaries, trainee_progress
from roleplay.history.recorder import CallRecorder
from roleplay.history.store import Store
from roleplay.history.versions import recompute_debrief
from roleplay.library.library import Library, load_library
from roleplay.text.i18n import set_language
from roleplay.text.progress import recommendation_reason
from tests.commands import roleplay_in as roleplay
from tests.moves import keys
from tests.recording import play

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(DAY0)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    with Store.open(tmp_path / "history.sqlite3", clock=clock) as opened:
        yield opened


@pytest.fixture
def small(tmp_path: Path, catalog: Catalog, library: Library) -> Library:
    """Two small scam calls with known flags, and one real call: results that do not move with the library.

    minimal: turn 1 "unsolicited-refund" (reply 1 misses it, 2 spots it), turn 2 "sms-code" (the same).
    other: the same shape with "link-or-qr" and "pressure".
    """
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(
        text.replace("id: minimal", "id: other")
        .replace("unsolicited-refund", "link-or-qr")
        .replace("sms-code", "pressure"),
        encoding="utf-8",
    )
    small = load_library([FIXTURES / "minimal.yaml", other], catalog)
    assert not small.problems, small.problems
    small.scenarios["bank-card-risk-alert"] = library.get("bank-card-risk-alert")
    small.paths["bank-card-risk-alert"] = library.paths["bank-card-risk-alert"]
    return small


# -- d′ and c -----------------------------------------------------------------------------------------


def test_d_prime_and_c_match_a_hand_computation_with_the_log_linear_correction() -> None:
    # 10 scam calls, 8 judged a scam; 5 real calls, 1 judged a scam.
    #   H = (8 + 0.5) / (10 + 1) = 0.772727…   z(H) =  0.747859
    #   F = (1 + 0.5) / (5 + 1)  = 0.25         z(F) = -0.674490
    #   d′ = z(H) − z(F) = 1.422348              c = −(z(H) + z(F)) / 2 = −0.036684
    d = Discernment(hits=8, misses=2, false_alarms=1, correct_rejections=4)
    assert d.hit_rate == pytest.approx(8.5 / 11)
    assert d.false_alarm_rate == pytest.approx(0.25)
    assert d.d_prime == pytest.approx(1.422348, abs=1e-6)
    assert d.criterion == pytest.approx(-0.036684, abs=1e-6)


def test_perfect_scores_stay_finite() -> None:
    # 3 of 3 scams caught, 0 of 2 real calls called a scam.
    #   H = 3.5 / 4 = 0.875  z(H) = 1.150349;  F = 0.5 / 3 = 0.166667  z(F) = −0.967422
    #   d′ = 2.117771;  c = −(1.150349 − 0.967422) / 2 = −0.091464
    d = Discernment(hits=3, misses=0, false_alarms=0, correct_rejections=2)
    assert d.d_prime == pytest.approx(2.117771, abs=1e-6)
    assert d.criterion == pytest.approx(-0.091464, abs=1e-6)
    everything_a_scam = Discernment(hits=5, misses=0, false_alarms=5, correct_rejections=0)
    assert everything_a_scam.d_prime is not None and math.isfinite(everything_a_scam.d_prime)
    assert everything_a_scam.d_prime == pytest.approx(0.0)  # hanging up on everyone tells nothing apart
    assert (
        everything_a_scam.criterion is not None and everything_a_scam.criterion < -1
    )  # a strong "scam" bias


def test_d_prime_needs_both_scam_and_real_calls() -> None:
    only_scams = Discernment(hits=4, misses=1, false_alarms=0, correct_rejections=0)
    assert only_scams.d_prime is None and only_scams.criterion is None
    assert only_scams.to_json()["d_prime"] is None


# -- what history counts ----------------------------------------------------------------------------------


def test_progress_counts_calls_outcomes_money_flags_and_judgements(store: Store, small: Library) -> None:
    play(store, small, "minimal", 1, 1, judged=True)  # misses both flags, loses ¥500
    play(store, small, "minimal", 2, judged=True)  # spots the refund, ends safe
    play(store, small, "bank-card-risk-alert", "h", judged=True)  # a real call judged a scam
    play(store, small, "minimal", 1)  # abandoned at turn 2
    play(store, small, "minimal", "h", trainee="bo")  # someone else's
    p = trainee_progress(store, "ana", small)
    assert (p.calls, p.finished, p.abandoned, p.safe, p.loss, p.money_lost) == (4, 3, 1, 2, 1, 500)
    flags = {f.flag: (f.met, f.spotted, f.missed) for f in p.flags}
    assert flags == {"unsolicited-refund": (2, 1, 1), "sms-code": (1, 0, 1)}
    assert [f.flag for f in p.flags] == ["sms-code", "unsolicited-refund"]  # most missed first (by rate)
    assert p.discernment == Discernment(hits=2, misses=0, false_alarms=1, correct_rejections=0)
    assert [c.status for c in p.recent] == ["abandoned", "finished", "finished", "finished"]
    assert p.recent[1].judged_right is False
    data = p.to_json()
    assert data["outcomes"] == {"safe": 2, "loss": 1} and data["money_lost"] == 500
    json.dumps(data)  # all of it is plain JSON


def test_discernment_over_time_is_by_day_and_cumulative(store: Store, small: Library, clock: Clock) -> None:
    play(store, small, "minimal", "h", judged=True)
    play(store, small, "bank-card-risk-alert", "h", judged=True)
    clock.now += timedelta(days=1)
    play(store, small, "minimal", "h", judged=True)
    play(store, small, "bank-card-risk-alert", "h", judged=False)
    p = trainee_progress(store, "ana", small)
    first, second = p.timeline
    assert first.day < second.day
    assert first.that_day == Discernment(1, 0, 1, 0)
    assert second.that_day == Discernment(1, 0, 0, 1)
    assert second.so_far == Discernment(2, 0, 1, 1) == p.discernment
    assert second.so_far.d_prime is not None and first.so_far.d_prime is not None
    assert second.so_far.d_prime > first.so_far.d_prime  # better at telling them apart


# -- discernment by behaviour, beside the verdicts --------------------------------------------------------

SCAMS_PLAYED = ("taobao-refund", "credit-score-loans", "frozen-funds-safe-account", "reserve-fund-return")
REAL_CALLS = (
    "bank-card-risk-alert",
    "courier-delivery",
    "platform-service-hotline",
    "anti-fraud-96110-warning",
)


def hang_up_on(store: Store, library: Library, scenario_id: str, *, judged: bool) -> None:
    """Hang up at once; in the 96110 call the scammer rings straight back, and is hung up on too."""
    twice = scenario_id == "anti-fraud-96110-warning"
    play(store, library, scenario_id, *(("h", "h") if twice else ("h",)), judged=judged)


def test_a_trainee_who_hangs_up_on_every_call_and_calls_it_a_scam_is_not_rewarded(
    store: Store, library: Library
) -> None:
    for scenario_id in SCAMS_PLAYED + REAL_CALLS:
        hang_up_on(store, library, scenario_id, judged=True)
    p = trainee_progress(store, "ana", library)
    # Every call answered "scam", by word and by deed: 4 of 4 hits, 4 of 4 false alarms.
    #   H = F = (4 + 0.5) / (4 + 1) = 0.9, z = 1.281552: d′ = 0, c = −1.281552
    for d in (p.discernment, p.behaviour):
        assert d == Discernment(hits=4, misses=0, false_alarms=4, correct_rejections=0)
        assert d.d_prime == pytest.approx(0.0)
        assert d.criterion == pytest.approx(-1.281552, abs=1e-6)


def test_right_verdicts_do_not_hide_hanging_up_on_every_real_call(store: Store, library: Library) -> None:
    """Says "real" of every real call, and still hangs up on each: the verdicts score well, the behaviour
    does not — hanging up on the bank's or 96110's genuine warning lets the fraud through."""
    for scenario_id in SCAMS_PLAYED:
        hang_up_on(store, library, scenario_id, judged=True)
    for scenario_id in REAL_CALLS:
        hang_up_on(store, library, scenario_id, judged=False)
    p = trainee_progress(store, "ana", library)
    assert p.discernment == Discernment(hits=4, misses=0, false_alarms=0, correct_rejections=4)
    assert p.behaviour == Discernment(hits=4, misses=0, false_alarms=4, correct_rejections=0)
    assert p.discernment.d_prime is not None and p.discernment.d_prime > 2
    assert p.behaviour.d_prime == pytest.approx(0.0)
    assert p.behaviour.criterion is not None and p.behaviour.criterion < -1  # liberal: "scam" by default
    assert all(c.behaviour == "false_alarm" for c in p.recent if c.kind == "legit")
    data = p.to_json()
    assert data["discernment"]["false_alarms"] == 0 and data["discernment_by_behaviour"]["false_alarms"] == 4


def test_a_discerning_trainee_scores_well_by_verdict_and_by_behaviour(store: Store, library: Library) -> None:
    """Hangs up on the scams, checks each real call through its official channel and carries on."""
    for scenario_id in SCAMS_PLAYED:
        play(store, library, scenario_id, "h", judged=True)
    for scenario_id in REAL_CALLS:
        play(store, library, scenario_id, "v", judged=False)
    p = trainee_progress(store, "ana", library)
    # All hits, no false alarms: the log-linear correction keeps both rates off 0 and 1.
    #   H = (4 + 0.5) / 5 = 0.9, z = 1.281552;  F = (0 + 0.5) / 5 = 0.1, z = −1.281552
    #   d′ = 2.563103, c = 0
    for d in (p.discernment, p.behaviour):
        assert d == Discernment(hits=4, misses=0, false_alarms=0, correct_rejections=4)
        assert d.hit_rate == pytest.approx(0.9) and d.false_alarm_rate == pytest.approx(0.1)
        assert d.d_prime == pytest.approx(2.563103, abs=1e-6)
        assert d.criterion == pytest.approx(0.0, abs=1e-9)


def test_behaviour_counts_calls_left_without_a_verdict(store: Store, small: Library) -> None:
    play(store, small, "minimal", 1, 1, judged=None)  # input ended at the verdict: lost ¥500 all the same
    play(store, small, "bank-card-risk-alert", "h", judged=None)
    p = trainee_progress(store, "ana", small)
    assert p.discernment.judged == 0
    assert p.behaviour == Discernment(hits=0, misses=1, false_alarms=1, correct_rejections=0)
    (day,) = p.timeline
    assert day.that_day.judged == 0 and day.acted_so_far == p.behaviour


def test_behaviour_over_time_is_by_day_and_cumulative(store: Store, small: Library, clock: Clock) -> None:
    play(store, small, "minimal", 1, 1, judged=True)  # a loss: a miss by behaviour
    play(store, small, "bank-card-risk-alert", "h", judged=False)  # hung up on the bank: a false alarm
    clock.now += timedelta(days=1)
    play(store, small, "minimal", "h", judged=True)
    play(store, small, "bank-card-risk-alert", "v", judged=False)  # checked officially, then carried on
    p = trainee_progress(store, "ana", small)
    first, second = p.timeline
    assert first.acted_that_day == Discernment(0, 1, 1, 0)
    assert second.acted_that_day == Discernment(1, 0, 0, 1)
    assert second.acted_so_far == Discernment(1, 1, 1, 1) == p.behaviour
    assert first.acted_so_far.d_prime is not None and second.acted_so_far.d_prime is not None
    assert second.acted_so_far.d_prime > first.acted_so_far.d_prime
    assert p.to_json()["timeline"][1]["by_behaviour"]["so_far"]["hits"] == 1


# -- what to play next ------------------------------------------------------------------------------------


def test_a_new_trainee_starts_with_the_model_refund_call(store: Store, library: Library) -> None:
    r = recommend(store, "ana", library, ())
    assert r is not None and (r.scenario, r.reason) == ("taobao-refund", "start")
    expected: dict[Language, str] = {
        "zh": "从这里开始：警方提醒里最常见的退款骗局。",
        "en": "Start here: the most common refund scam, as the police advisories describe it.",
    }
    try:
        for lang, sentence in expected.items():
            set_language(lang)
            assert recommendation_reason(r, library.catalog) == sentence
    finally:
        set_language("zh")


def test_the_next_call_brings_back_the_flags_most_missed(store: Store, small: Library) -> None:
    play(store, small, "other", 1, 2, judged=True)  # misses link-or-qr, spots pressure
    play(store, small, "minimal", 2, judged=True)  # spots the refund
    r = trainee_progress(store, "ana", small).recommendation
    assert r is not None
    assert (r.scenario, r.reason, r.flags) == ("other", "most_missed", ("link-or-qr",))
    assert "link" in recommendation_reason(r, small.catalog, say=lambda t: t.en).lower()


def test_a_flag_missed_before_comes_back_after_some_days_and_later_each_time_it_is_spotted(
    store: Store, small: Library, clock: Clock
) -> None:
    play(store, small, "minimal", 1, 2)  # misses unsolicited-refund on day 0
    assert REVIEW_DAYS[:2] == (1, 3)

    def due() -> bool:
        stats = {f.flag: f for f in flag_stats(store, "ana", clock.now)}
        return stats["unsolicited-refund"].due_for_review

    clock.now = DAY0 + timedelta(hours=20)
    assert not due()
    clock.now = DAY0 + timedelta(days=1, minutes=1)
    assert due()
    p = trainee_progress(store, "ana", small, now=clock.now)
    assert p.recommendation is not None and p.recommendation.reason == "review"
    assert "unsolicited-refund" in p.recommendation.flags
    play(store, small, "minimal", 2)  # spotted on day 1: next review 3 days later
    clock.now = DAY0 + timedelta(days=3)
    assert not due()
    clock.now = DAY0 + timedelta(days=4, minutes=1)
    assert due()


def test_a_real_call_is_mixed_in_every_few_calls(store: Store, small: Library) -> None:
    for _ in range(3):
        play(store, small, "minimal", 1, 1, judged=True)
    r = trainee_progress(store, "ana", small).recommendation
    assert r is not None and (r.scenario, r.reason) == ("bank-card-risk-alert", "real_call")


def test_with_nothing_missed_the_next_call_is_one_not_played_yet(store: Store, small: Library) -> None:
    play(store, small, "minimal", 2, judged=True)
    r = trainee_progress(store, "ana", small).recommendation
    assert r is not None and r.reason == "unplayed" and r.scenario != "minimal"


# -- calls recorded against an older scenario file ------------------------------------------------------


def test_a_call_recorded_against_an_older_scenario_file_is_shown_but_not_recomputed(
    tmp_path: Path, store: Store, catalog: Catalog
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    mine = load_library([path], catalog)
    scenario: Scenario = mine.get("minimal")
    call = Call(scenario, seed=2)
    recorder = CallRecorder(store, call, "ana", scenario_hash(path), "zh", source_path=path)
    call.start()
    call.reply(0)
    call.reply(0)
    recorder.sync()
    saved = recorder.finish(catalog, True)
    record = store.call(recorder.call_id)
    assert recompute_debrief(record, mine) == saved  # same file: the debrief is recomputed, identically
    assert summaries([record], mine)[0].current is True

    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert summaries([record], mine)[0].current is False
    assert recompute_debrief(record, mine) is None
    p = trainee_progress(store, "ana", mine)
    assert p.recent[0].to_json()["scenario_changed"] is True
    assert p.finished == 1  # still counted: the history keeps it


# -- the command ----------------------------------------------------------------------------------------


def test_history_command_after_playing_in_line_mode(tmp_path: Path) -> None:
    home = tmp_path / "home"
    as_xiaoming = ("play", "taobao-refund", "--plain", "--seed", "2", "--trainee", "小明")
    first = keys(load_library().get("taobao-refund"), 1, seed=2)[0]  # written reply 1, as seed 2 shows it
    assert roleplay(home, *as_xiaoming, answers=f"{first}\nh\ny\n").returncode == 0
    assert roleplay(home, *as_xiaoming, answers=f"{first}\n").returncode == 3  # input ends mid-call
    data = json.loads(roleplay(home, "history", "--trainee", "小明", "--json").stdout)
    assert (data["calls"], data["finished"], data["abandoned"]) == (2, 1, 1)
    assert data["flags"] and data["recommendation"]["scenario"] in load_library().scenarios
    assert data["discernment"]["hits"] == 1
    assert data["discernment_by_behaviour"]["hits"] == 1  # hung up on the scam: ended safe

    text = roleplay(home, "--lang", "en", "history", "--trainee", "小明")
    assert text.returncode == 0, text.stderr
    assert "Calls: 2 (1 finished, 1 abandoned)" in text.stdout
    assert "Next call:" in text.stdout and "roleplay play " in text.stdout
    assert "  By what you said: hits 1/1, false alarms 0/0, d′ —, c —" in text.stdout
    assert "  By what you did: hits 1/1, false alarms 0/0, d′ —, c —" in text.stdout
    chinese = roleplay(home, "history", "--trainee", "小明")
    assert "学员：小明" in chinese.stdout
    assert "按你的做法：" in chinese.stdout

    finished_id = next(c["id"] for c in data["recent"] if c["status"] == "finished")
    shown = roleplay(home, "--lang", "en", "history", "--call", str(finished_id))
    assert "=== Debrief ===" in shown.stdout
    missing = roleplay(home, "history", "--call", "999")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "999" in missing.stderr
