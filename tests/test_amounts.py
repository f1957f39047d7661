"""Amounts drawn per run: a reply's `pay` and an ending's `lost` may name a variable of numbers, so a replay
need not lose the same sum; the engine, the debrief, the checks, the money lint and the diagram agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.authoring.graph import diagram
from roleplay.authoring.lint import lint_scenario
from roleplay.core.debrief import debrief
from roleplay.core.engine import Call, act
from roleplay.core.events import CallEnded, EffectApplied, Event
from roleplay.core.model import Catalog, Scenario
from roleplay.library.loader import read_document, read_scenario
from roleplay.library.yamlread import Document
from tests.commands import roleplay
from tests.moves import keys

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")


def drawn_amount(text: str = MINIMAL, values: str = '["3000", "9000"]') -> str:
    """The minimal scenario with its code reply paying `{amount}` and its loss ending losing `{amount}`."""
    text = text.replace('  code: ["111111", "222222"]', f'  code: ["111111", "222222"]\n  amount: {values}')
    text = text.replace(
        "effects: {pay: 500, give: [sms_code]}", 'effects: {pay: "{amount}", give: [sms_code]}'
    )
    if values == '["3000", "9000"]':  # each sum traced to where it comes from, as the library's are
        text = text.replace("figures: {ours: [500]}", "figures: {ours: [3000, 9000]}")
    return text.replace("    lost: 500\n", '    lost: "{amount}"\n')


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "amounts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def loaded(tmp_path: Path, catalog: Catalog, text: str) -> Scenario:
    scenario, problems = read_scenario(write(tmp_path, text), catalog, cached=False)
    assert scenario is not None, problems
    return scenario


def lose(scenario: Scenario, seed: int) -> tuple[Call, list[Event]]:
    call = Call(scenario, seed)
    call.start()
    call.reply(0)
    return call, call.reply(0)


def test_each_run_pays_and_loses_the_amount_its_seed_drew(tmp_path: Path, catalog: Catalog) -> None:
    scenario = loaded(tmp_path, catalog, drawn_amount())
    seen = set()
    for seed in range(12):
        call, events = lose(scenario, seed)
        effect = next(e for e in events if isinstance(e, EffectApplied))
        ended = events[-1]
        assert isinstance(ended, CallEnded)
        assert effect.paid == effect.total_lost == ended.lost == call.lost
        assert debrief(scenario, catalog, call.transcript).lost == call.lost  # recomputed from the record
        seen.add(call.lost)
    assert seen == {3000, 9000}


def test_the_loss_sentence_names_the_amount_drawn(tmp_path: Path, catalog: Catalog) -> None:
    scenario = loaded(tmp_path, catalog, drawn_amount())
    call, _ = lose(scenario, 0)
    said = debrief(scenario, catalog, call.transcript)
    assert said.lost in (3000, 9000)
    assert "{amount}" not in str(said.to_json())


@pytest.mark.parametrize(
    ("values", "wrong"),
    [
        ('["3000", "lots"]', "its value 'lots' is not a number of yuan"),
        ('["3000", "0"]', "its value '0' is not a number of yuan"),
        ('["3000", "200000000"]', "its value '200000000' is not a number of yuan"),
        ('["3000", {zh: 三千, en: "3000"}]', "its value '三千' is not a number of yuan"),
    ],
)
def test_an_amount_variable_must_hold_whole_numbers_of_yuan(
    tmp_path: Path, catalog: Catalog, values: str, wrong: str
) -> None:
    text = drawn_amount(values=values)
    scenario, problems = read_scenario(write(tmp_path, text), catalog, cached=False)
    assert scenario is None
    [problem] = [p for p in problems if wrong in p.message]
    amount_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("  amount:"))
    assert problem.line == amount_line


def test_an_amount_naming_no_variable_is_one_problem_at_its_line(tmp_path: Path, catalog: Catalog) -> None:
    text = drawn_amount().replace('pay: "{amount}"', 'pay: "{amuont}"')
    scenario, problems = read_scenario(write(tmp_path, text), catalog, cached=False)
    assert scenario is None
    [problem] = [p for p in problems if "{amuont}" in p.message]
    assert "did you mean 'amount'?" in problem.hint
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "{amuont}" in line)


def test_an_amount_that_is_neither_a_number_nor_a_variable_says_so(tmp_path: Path, catalog: Catalog) -> None:
    text = drawn_amount().replace('pay: "{amount}"', 'pay: "five hundred"')
    scenario, problems = read_scenario(write(tmp_path, text), catalog, cached=False)
    assert scenario is None
    assert [p.message for p in problems] == [
        "nodes.code.choices[0].effects.pay: 'five hundred' is not an amount"
    ]


def test_the_money_lint_checks_every_draw(tmp_path: Path, catalog: Catalog) -> None:
    """An ending that says ¥3,000 while the reply pays the drawn amount is right for one draw only."""
    text = drawn_amount().replace('    lost: "{amount}"\n', "    lost: 3000\n")
    [money] = [w for w in money_warnings(tmp_path, catalog, text) if "lost" in w]
    assert "says ¥3,000 lost" in money and "¥9,000" in money and "(when amount = 9000)" in money
    assert money_warnings(tmp_path, catalog, drawn_amount()) == []


def money_warnings(tmp_path: Path, catalog: Catalog, text: str) -> list[str]:
    scenario = loaded(tmp_path, catalog, text)
    path = write(tmp_path, text)
    doc = read_document(path)
    assert isinstance(doc, Document)
    return [p.message for p in lint_scenario(scenario, doc, str(path)) if "paid" in p.message]


def test_the_diagram_shows_the_range_an_amount_is_drawn_from(tmp_path: Path, catalog: Catalog) -> None:
    drawn = diagram(loaded(tmp_path, catalog, drawn_amount()))
    assert "¥3,000–9,000" in drawn and "{amount}" not in drawn


def two_payments() -> str:
    """The drawn-amount scenario where the code costs the drawn sum and a fixed ¥200 fee on top."""
    text = drawn_amount().replace('effects: {pay: "{amount}"', 'effects: {pay: "{amount} + 200"', 1)
    text = text.replace("figures: {ours: [3000, 9000]}", "figures: {ours: [200, 3000, 9000]}")
    return text.replace('    lost: "{amount}"\n', '    lost: "{amount} + 200"\n')


def test_an_amount_may_add_a_drawn_sum_and_a_fixed_one_for_every_draw(
    tmp_path: Path, catalog: Catalog
) -> None:
    scenario = loaded(tmp_path, catalog, two_payments())
    assert money_warnings(tmp_path, catalog, two_payments()) == []
    lost = {lose(scenario, seed)[0].lost for seed in range(12)}
    assert lost == {3200, 9200}
    assert "¥3,200–9,200" in diagram(scenario)
    forgot = two_payments().replace('    lost: "{amount} + 200"\n', '    lost: "{amount}"\n')
    [money] = [w for w in money_warnings(tmp_path, catalog, forgot) if "lost" in w]
    assert "having paid ¥3,200" in money or "having paid ¥9,200" in money


def let_through() -> str:
    """The minimal scenario with a second reply to the offer that ends the call, and ¥300 goes once it has."""
    text = MINIMAL.replace(
        "        to: code\n",
        "        to: code\n"
        '      - text: {zh: 那就放行吧。, en: "Let it through, then."}\n'
        "        to: let-through\n",
        1,
    )
    text = text.replace("figures: {ours: [500]}", "figures: {ours: [500, 300]}")
    return text.replace(
        "endings:\n",
        "endings:\n"
        "  let-through:\n"
        "    outcome: loss\n"
        "    severity: partial_loss\n"
        "    lost: 300\n"
        "    paid_after: 300\n"
        "    title: {zh: 放行了, en: Let through}\n"
        "    lesson: {zh: 那笔钱在通话之后被扣走了。, en: The money went after the call.}\n",
        1,
    )


def test_money_that_goes_after_the_call_is_never_shown_before_the_question(
    tmp_path: Path, catalog: Catalog
) -> None:
    """A payment let through by how the call ended counts in the loss, but nothing on screen shows it while
    the call goes on: it would tell the trainee what the call was before they are asked."""
    scenario = loaded(tmp_path, catalog, let_through())
    assert money_warnings(tmp_path, catalog, let_through()) == []
    call = Call(scenario, 1)
    call.start()
    events = act(call, "reply", 1)  # the reply written second
    assert not [e for e in events if isinstance(e, EffectApplied)]
    ended = events[-1]
    assert isinstance(ended, CallEnded) and ended.lost == call.lost == 300 and call.paid_out == 0
    assert debrief(scenario, catalog, call.transcript).lost == 300
    path = write(tmp_path, let_through())
    shown = roleplay(
        "play",
        str(path),
        "--plain",
        "--lang",
        "en",
        "--seed",
        "1",
        answers=f"{keys(scenario, 2, seed=1)[0]}\ny\n",
    ).stdout
    question = shown.index("Was this a scam call?")
    assert "300" not in shown[:question] and "¥300" in shown[question:]
