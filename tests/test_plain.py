"""Line mode end to end: the real command with stdin piped in, as a screen-reader user or a script uses it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from roleplay.library.library import load_library
from tests.commands import roleplay
from tests.moves import keys

FIXTURES = Path(__file__).parent / "fixtures"


def run(answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    return roleplay("play", "taobao-refund", "--plain", "--seed", "2", *args, answers=answers)


def typed(*moves: int | str) -> str:
    """What a trainee types to take `moves` (replies numbered as written) in the run of seed 2."""
    return "".join(f"{key}\n" for key in keys(load_library().get("taobao-refund"), *moves, seed=2))


def test_played_to_a_major_loss_in_chinese() -> None:
    result = run(typed(1, 1, 1, 1, 1, 1, 1) + "y\n", "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "=== 来电演练：网店客服来电 ==="
    assert "  h. 挂断电话" in lines
    assert "=== 复盘 ===" in lines
    data = json.loads(lines[-1])
    assert (data["scenario"], data["outcome"], data["severity"], data["lost"]) == (
        "taobao-refund",
        "loss",
        "major_loss",
        41450,
    )
    given = [
        "name",
        "id_number",
        "account_login",
        "bank_card",
        "card_password",
        "payment_password",
        "sms_code",
    ]
    assert data["exposed"] == given
    assert data["earliest_safe_exit"] == 1
    assert all(f["status"] == "missed" for f in data["flags"])
    assert data["judged_right"] is True


def test_the_question_comes_before_the_ending_and_the_ending_before_the_debrief() -> None:
    out = run("h\ny\n").stdout
    over = out.index("> h\n你：（挂断了电话）\n——通话结束——\n\n你觉得这是诈骗电话吗？")
    told = out.index("> y\n\n——通话结束：你挂断了电话——\n结果：安全。损失金额：¥0。泄露的信息：无。\n")
    assert over < told < out.index("=== 复盘 ===")
    real = roleplay("play", "bank-card-risk-alert", "--plain", "--seed", "3", answers="h\nn\n").stdout
    closing = "（那笔支付没人确认，被银行拒绝了。可你的卡号已经泄露，卡也还没冻结。）\n"
    asked = real.index("——通话结束——\n\n你觉得这是诈骗电话吗？")
    assert asked < real.index("> n\n\n" + closing + "——通话结束：你挂了电话——")


def test_safe_by_hanging_up_in_english() -> None:
    result = run("h\nn\n", "--json", "--lang", "en")
    assert result.returncode == 0
    assert "=== Debrief ===" in result.stdout
    assert "You judged it a real call. It was in fact a scam. Not right." in result.stdout
    data = json.loads(result.stdout.splitlines()[-1])
    assert (data["outcome"], data["lost"], data["flags"]) == (
        "safe",
        0,
        [{"id": "knows-your-order", "status": "spotted", "turn": 1}],
    )


def test_safe_by_checking_through_the_official_channel() -> None:
    data = json.loads(run(typed(1, "v") + "y\n", "--json").stdout.splitlines()[-1])
    assert (data["ending"], data["outcome"]) == ("safe-checked-app", "safe")
    assert [f["status"] for f in data["flags"]] == ["missed", "spotted"]


def test_an_invalid_entry_is_asked_again() -> None:
    result = run("7\nhello\nv\n", "--lang", "en")
    assert result.stdout.count("Please type a number from 1 to 3, h or v.") == 2
    # No judgement typed before the input ended: the ending is still told, after the question.
    assert result.stdout.index("--- The call is over ---") < result.stdout.index("--- Call ended:")


def test_end_of_input_mid_call_abandons_cleanly_with_status_3() -> None:
    result = run("1\n", "--json")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "通话在第2轮中断" in result.stdout
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "scenario": "taobao-refund",
        "abandoned": True,
        "turn": 2,
    }


def test_no_judgement_given_still_shows_the_debrief() -> None:
    result = run("h\n", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout.splitlines()[-1])["judged_scam"] is None


def test_an_unknown_scenario_is_named_with_a_suggestion() -> None:
    result = roleplay("play", "taobao-refnd", "--plain")
    assert result.returncode == 2
    assert (
        "没有叫“taobao-refnd”的电话。你是想找“taobao-refund”吗？" in result.stderr
    )  # in the user's language
    english = roleplay("--lang", "en", "play", "taobao-refnd", "--plain")
    assert "There is no call called “taobao-refnd”. Did you mean “taobao-refund”?" in english.stderr


def test_a_stray_reply_number_is_not_taken_for_the_judgement() -> None:
    result = run("h\n2\ny\n", "--json", "--lang", "en")
    assert "Please type y or n." in result.stdout
    assert json.loads(result.stdout.splitlines()[-1])["judged_scam"] is True


def test_the_caller_name_is_shown_filled_in() -> None:
    """A caller's name may use the scenario's variables: line mode shows this run's name, never `{shop}`."""
    result = roleplay(
        "play", str(FIXTURES / "caller-variable.yaml"), "--plain", "--lang", "en", answers="h\ny\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Incoming call: Xiaomei Fashion customer service 010-0000 0000" in result.stdout.splitlines()
    assert "{" not in result.stdout


def test_a_number_the_trainee_rang_is_shown_as_dialled_not_as_an_incoming_call(tmp_path: Path) -> None:
    text = (FIXTURES / "caller-variable.yaml").read_text(encoding="utf-8")
    dialled = tmp_path / "dialled.yaml"
    dialled.write_text(text.replace("caller:\n", "caller:\n  dialled: true\n", 1), encoding="utf-8")
    result = roleplay("play", str(dialled), "--plain", "--lang", "zh", answers="h\ny\n")
    assert result.returncode == 0, result.stderr
    assert "你拨出的电话：小美服饰客服 010-0000 0000" in result.stdout.splitlines()
    assert "来电" not in result.stdout.splitlines()[2]


def test_what_happens_is_told_without_a_speakers_label() -> None:
    # Hanging up on the warning call: 「（你挂了这通电话。…）」 is what happens, not a line the caller says.
    result = roleplay("play", "anti-fraud-96110-warning", "--plain", "--seed", "1", answers="h\nh\ny\n")
    lines = result.stdout.splitlines()
    assert "（你挂了这通电话。“客服-小王”马上打来语音：）" in lines
    assert not any(line.startswith(("对方：（", "Caller: (")) for line in lines)
