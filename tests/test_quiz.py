"""The quick-fire round: forms A and B drawn from the library (disjoint, balanced, the same every time), each
item's content the library's own, the score as signal detection, the round saved in the history and read
back, and `roleplay quiz --plain` through a pipe."""

from __future__ import annotations

import itertools
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from roleplay.core.engine import Call
from roleplay.core.events import CallerSpoke, PhoneShowed
from roleplay.core.quiz import (
    LETTERS,
    MAX_ITEMS,
    MIN_ITEMS,
    Form,
    QuizError,
    QuizResult,
    candidates,
    form_sizes,
    forms,
    real_signal,
)
from roleplay.history.discernment import Discernment
from roleplay.history.errors import StoreError
from roleplay.history.files import DB_NAME
from roleplay.history.migrations import MIGRATIONS
from roleplay.history.quizzes import latest, next_form, quizzes, save_quiz
from roleplay.history.store import Store
from roleplay.library.library import Library
from tests.commands import roleplay

KEYS = ("", "ABC234", "7QK2MW")  # the trainer's forms, and two workshops'


def turns(form: Form) -> list[tuple[str, str]]:
    return [(item.scenario, item.node) for item in form.items]


def answers_right(form: Form) -> list[bool]:
    return [item.is_scam for item in form.items]


# -- the forms ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_forms_a_and_b_share_no_item_and_are_balanced_as_far_as_the_library_allows(
    library: Library, key: str
) -> None:
    made = forms(library.scenarios, key)
    a, b = made["A"], made["B"]
    assert not set(turns(a)) & set(turns(b))
    pool = candidates(library.scenarios)
    real_pool = sum(1 for c in pool if c.kind == "legit")
    for form in (a, b):
        assert len(set(turns(form))) == len(form.items)  # no turn twice in a form either
        assert MIN_ITEMS <= len(form.items) <= MAX_ITEMS
        assert form.reals == min(real_pool // 2, MAX_ITEMS // 2) > 0
        assert form.scams == max(form.reals, MIN_ITEMS - form.reals)  # the library has scams to spare
        assert [item.number for item in form.items] == list(range(1, len(form.items) + 1))
        scenarios = [item.scenario for item in form.items]
        assert all(x != y for x, y in itertools.pairwise(scenarios))  # one scenario's turns never adjoin
    # Today's library: 10 real calls and 10 scams a form (the most a form takes), half the openings of each
    # kind in each form.
    assert (a.reals, a.scams, b.reals, b.scams) == (10, 10, 10, 10)
    openings = [c for c in pool if c.opening]
    for kind in ("scam", "legit"):
        of_kind = sum(1 for c in openings if c.kind == kind)
        for form in (a, b):
            dealt = sum(1 for i in form.items if i.opening and i.kind == kind)
            assert dealt in (of_kind // 2, (of_kind + 1) // 2)


def test_a_form_is_the_same_every_time_and_a_key_changes_only_its_order_and_wording(library: Library) -> None:
    assert forms(library.scenarios) == forms(library.scenarios)
    standard = forms(library.scenarios)
    workshop = forms(library.scenarios, "ABC234")
    for letter in LETTERS:
        assert sorted(turns(workshop[letter])) == sorted(turns(standard[letter]))
        assert forms(library.scenarios, "ABC234")[letter] == workshop[letter]
    assert turns(workshop["A"]) != turns(standard["A"])
    seeds = {(i.scenario, i.node): i.seed for i in standard["A"].items}
    assert all(seeds[(i.scenario, i.node)] != i.seed for i in workshop["A"].items)


def test_the_form_size_follows_the_number_of_real_calls_the_library_can_give(library: Library) -> None:
    scams = {k: s for k, s in library.scenarios.items() if s.kind == "scam"}
    one_real = scams | {"courier-delivery": library.get("courier-delivery")}
    made = forms(one_real)
    # The courier's call offers four fair turns (its opening, and the phone's texts and app screens later):
    # two real calls a form.
    fair = sum(1 for c in candidates(one_real) if c.kind == "legit")
    assert fair == 4 and (made["A"].reals, made["B"].reals) == (2, 2)
    assert len(made["A"].items) == len(made["B"].items) == MIN_ITEMS
    assert form_sizes(candidates(scams)) == {"scam": MIN_ITEMS, "legit": 0}


def test_a_tiny_library_still_makes_two_disjoint_forms_or_says_it_cannot(library: Library) -> None:
    two = {k: library.get(k) for k in ("taobao-refund", "bank-card-risk-alert")}
    made = forms(two)
    assert not set(turns(made["A"])) & set(turns(made["B"]))
    assert {i.kind for i in made["A"].items} == {i.kind for i in made["B"].items} == {"scam", "legit"}
    # 96110's call has one fair turn (its opening: its later turns show the scammer's messages).
    with pytest.raises(QuizError, match="too few scenarios"):
        forms({"anti-fraud-96110-warning": library.get("anti-fraud-96110-warning")})
    with pytest.raises(QuizError, match="too few scenarios"):
        forms({})


# -- what an item shows and why it is what it is --------------------------------------------------------


@pytest.mark.parametrize("key", KEYS[:2])
def test_every_item_is_the_librarys_own_text_as_a_call_of_its_seed_shows_it(
    library: Library, key: str
) -> None:
    for form in forms(library.scenarios, key).values():
        for item in form.items:
            scenario = library.get(item.scenario)
            node = scenario.nodes[item.node]
            call = Call(scenario, item.seed)
            assert (item.kind, item.channel) == (scenario.kind, scenario.channel)
            assert (item.caller_name, item.caller_number) == (call.caller_name, call.caller_number)
            if item.opening:
                assert item.node == scenario.start and item.turn == 1
                events = call.start()
                assert item.lines == tuple(e for e in events if isinstance(e, CallerSpoke))
                assert item.shown == tuple(e for e in events if isinstance(e, PhoneShowed))
            else:  # a later turn: the phone shows something there
                assert item.turn > 1 and node.events
                assert [line.text for line in item.lines] == [call.fill(line) for line in node.say]
                assert [e.body for e in item.shown] == [call.fill(e.body) for e in node.events]
            texts = [line.text for line in item.lines] + [e.body for e in item.shown]
            assert all("{" not in t.zh + t.en for t in texts)  # the variables are filled in
            if item.is_scam:  # a scam item's why: the red flags of that turn, in the catalog
                assert item.flags == node.flags and item.flags
                assert item.red_flags(library.catalog) == tuple(library.catalog.flags[f] for f in node.flags)
                assert item.real_signal is None
            else:  # a real one's: its scenario's own words; a later real turn carries no red flag
                assert item.flags == () and item.red_flags(library.catalog) == ()
                assert item.opening or not node.flags
                signal = real_signal(scenario)
                assert signal is not None and item.real_signal == call.fill(signal)


def test_what_made_a_real_call_real_is_the_lesson_of_carrying_on_with_it(library: Library) -> None:
    def lesson(scenario_id: str, ending: str) -> object:
        return library.get(scenario_id).endings[ending].lesson

    assert real_signal(library.get("anti-fraud-96110-warning")) == lesson(
        "anti-fraud-96110-warning", "safe-stopped"
    )
    assert real_signal(library.get("bank-card-risk-alert")) == lesson("bank-card-risk-alert", "safe-frozen")
    assert real_signal(library.get("platform-service-hotline")) == lesson(
        "platform-service-hotline", "safe-return-done"
    )
    # The courier's other safe endings are reached by hanging up, or send the real courier away as a scammer
    # (no answer to "why was it real?"): the lesson of checking.
    assert real_signal(library.get("courier-delivery")) == lesson("courier-delivery", "safe-verified")
    assert real_signal(library.get("taobao-refund")) is None


# -- the score ------------------------------------------------------------------------------------------


def test_the_score_counts_hits_and_false_alarms_and_gives_d_prime_and_c(library: Library) -> None:
    form = forms(library.scenarios)["A"]
    perfect = QuizResult.of(form, answers_right(form))
    assert (perfect.right, perfect.hits, perfect.misses) == (20, 10, 0)
    assert (perfect.false_alarms, perfect.correct_rejections) == (0, 10)
    d = Discernment.from_counts(perfect.counts())
    # Log-linear: H = 10.5 / 11, F = 0.5 / 11.
    assert d.d_prime == pytest.approx(3.3812, abs=1e-4) and d.criterion == pytest.approx(0.0, abs=1e-4)
    always_scam = QuizResult.of(form, [True] * len(form.items))
    assert (always_scam.right, always_scam.hits, always_scam.false_alarms) == (10, 10, 10)
    d = Discernment.from_counts(always_scam.counts())
    assert d.d_prime == pytest.approx(0.0, abs=1e-4) and d.criterion == pytest.approx(-1.6906, abs=1e-4)
    first_wrong = [not answers_right(form)[0], *answers_right(form)[1:]]
    result = QuizResult.of(form, first_wrong)
    assert result.right == 19 and not result.answers[0].right and all(a.right for a in result.answers[1:])
    with pytest.raises(QuizError, match="20 items, not 19"):
        QuizResult.of(form, first_wrong[:-1])


# -- saved with the calls -------------------------------------------------------------------------------


def test_a_round_is_saved_in_the_history_and_read_back_with_its_discernment(
    tmp_path: Path, library: Library
) -> None:
    made = forms(library.scenarios)
    with Store.open(tmp_path / DB_NAME) as store:
        assert next_form(store, "ana") == "A" and latest(store, "ana", "A") is None
        first = QuizResult.of(made["A"], [True] * 20)
        first_id = save_quiz(store, first, "ana", "zh")
        assert next_form(store, "ana") == "B" and next_form(store, "bo") == "A"
        second = QuizResult.of(made["B"], answers_right(made["B"]))
        second_id = save_quiz(store, second, "ana", "en")
        assert next_form(store, "ana") == "A"
        newest, older = quizzes(store, "ana")
        assert (newest.id, older.id) == (second_id, first_id)
        assert (newest.form, newest.lang, newest.right, older.form, older.right) == ("B", "en", 20, "A", 10)
        assert [(a.item, a.scenario, a.node, a.kind, a.said_scam) for a in older.answers] == [
            (i.number, i.scenario, i.node, i.kind, True) for i in made["A"].items
        ]
        assert older.discernment == Discernment.from_counts(first.counts())
        assert latest(store, "ana", "A") == older and quizzes(store, "ana", limit=1) == [newest]
        assert quizzes(store, "bo") == []
        with pytest.raises(StoreError, match="nickname"):
            save_quiz(store, first, "room@X", "zh")


def test_a_version_2_history_gains_the_rounds_and_keeps_its_workshop_answers(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:  # exactly what roleplay wrote at schema 2
        MIGRATIONS[0](db)
        MIGRATIONS[1](db)
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO workshops VALUES ('ABC234', '王警官', NULL, '2026-01-01T10:00:00.000+00:00')")
        db.execute(
            """INSERT INTO test_answers VALUES ('ABC234', 'pre', 1, 'taobao-refund', 'scam', 6, 4,
                   '2026-01-01T10:05:00.000+00:00')"""
        )
    with Store.open(path) as store:
        (answer,) = store.test_answers("ABC234")
        assert (answer.scenario, answer.said_scam, answer.node) == ("taobao-refund", 6, None)
        assert quizzes(store, "ana") == [] and next_form(store, "ana") == "A"


# -- `roleplay quiz --plain` through a pipe -------------------------------------------------------------


def test_line_mode_asks_every_item_then_shows_which_were_which_and_saves_the_round(library: Library) -> None:
    form = forms(library.scenarios)["A"]
    typed = ["y" if scam else "n" for scam in answers_right(form)]
    typed[0] = "no" if typed[0] == "y" else "yes"  # the first one wrong
    done = roleplay("quiz", "--plain", answers="maybe\n" + "\n".join(typed) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("=== 快速小测 · A卷 ===") and "请输入 y（是诈骗）或 n（不是诈骗）。" in out
    assert "--- 第1题，共20题 ---" in out and "--- 第20题，共20题 ---" in out
    for item in form.items:
        assert f"{item.caller_number}" in out
    assert "20题里答对了19题。" in out and "1. ✗ 你答：" in out and "2. ✓ 你答：" in out
    scam = next(i for i in form.items if i.is_scam)
    assert f"危险信号：{scam.red_flags(library.catalog)[0].name.zh}。" in out
    real = next(i for i in form.items if not i.is_scam)
    assert real.real_signal is not None and f"为什么是正常来电：{real.real_signal.zh}" in out
    assert "已保存到练习记录。" in out
    history = roleplay("--lang", "en", "history")
    assert (
        "Quick-fire rounds (roleplay quiz):" in history.stdout and "form A, right 19 of 20" in history.stdout
    )


def test_form_a_then_form_b_in_json_share_no_item_and_b_is_compared_with_a() -> None:
    first = roleplay("quiz", "--json", "--lang", "en", answers="y\n" * 20)
    second = roleplay("quiz", "--plain", "--json", "--lang", "en", answers="n\n" * 20)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    a, b = (json.loads(run.stdout.splitlines()[-1]) for run in (first, second))
    assert (a["form"], b["form"]) == ("A", "B")  # B follows A without being asked for
    assert not {(i["scenario"], i["node"]) for i in a["items"]} & {
        (i["scenario"], i["node"]) for i in b["items"]
    }
    assert (
        a["discernment"]["false_alarms"] == 10
        and b["discernment"]["hits"] == 0
        and b["saved"] == a["saved"] + 1
    )
    assert (
        "Your last form A round, on " in second.stdout
        and "right 10 of 20, d′ 0.00. Change in d′: +0.00" in second.stdout
    )
    asked = roleplay("quiz", "--plain", "--form", "b", "--lang", "en", answers="y\n" * 20)
    assert "=== Quick-fire round · form B ===" in asked.stdout


def test_input_that_ends_before_the_last_item_saves_nothing_and_exits_3() -> None:
    ended = roleplay("quiz", "--plain", "--json", "--lang", "en", answers="y\nn\n")
    assert ended.returncode == 3
    assert "Input ended before the last item: this round was not saved." in ended.stdout
    assert json.loads(ended.stdout.splitlines()[-1]) == {"form": "A", "abandoned": True, "answered": 2}
    history = json.loads(roleplay("history", "--json").stdout)
    assert history["quizzes"] == []


def test_the_help_says_how_many_items_a_form_has_in_the_language_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    english = roleplay("--lang", "en", "quiz", "--help")
    assert english.returncode == 0 and "12 to 20 short items" in " ".join(english.stdout.split())
    chinese = roleplay("quiz", "--help")
    assert "12到20道简短的题" in chinese.stdout and "A卷和B卷没有一道题相同" in "".join(
        chinese.stdout.split()
    )

    def cells(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    # Chinese has no spaces to wrap at: the help is wrapped by the cells it takes on an 80-column terminal.
    assert max(cells(line) for line in chinese.stdout.splitlines()) <= 80


def test_making_the_forms_leaves_no_call_on_the_shared_machines(library: Library) -> None:
    from roleplay.core.machine import machine_for

    machines = [machine_for(s) for s in library.scenarios.values()]
    before = [len(m.models) for m in machines]
    forms(library.scenarios, key="leak-check")
    assert [len(m.models) for m in machines] == before


def test_no_channel_gives_the_answer_away(library: Library) -> None:
    """Every WeChat call of the library is a scam, so a 「微信消息」 item would be answered by its channel."""
    for made in (forms(library.scenarios, key=key) for key in ("", "ABC234")):
        for form in made.values():
            kinds_by_channel: dict[str, set[str]] = {}
            for item in form.items:
                kinds_by_channel.setdefault(item.channel, set()).add(item.kind)
            assert all(len(kinds) == 2 for kinds in kinds_by_channel.values()), kinds_by_channel
