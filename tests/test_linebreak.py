"""Chinese line breaking (禁则): no line opens with closing punctuation, none closes with an opening mark or a
bullet; English words stay whole; nothing is lost or reordered."""

from __future__ import annotations

import itertools

from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len

from roleplay.text.linebreak import NO_LINE_END, NO_LINE_START, wrap


def test_a_comma_is_carried_down_with_the_character_before_it() -> None:
    line = "对方：我这边是淘宝店铺的售后客服。您前几天在我们店里买了一条牛仔裤，89块钱，对吧？"
    lines = wrap(line, 74)
    assert lines == ["对方：我这边是淘宝店铺的售后客服。您前几天在我们店里买了一条牛仔裤，89块", "钱，对吧？"]


def test_a_full_stop_never_stands_alone_on_a_line() -> None:
    assert wrap("您好，这里是顺丰速运。", 20) == ["您好，这里是顺丰速", "运。"]


def test_an_opening_quote_goes_down_with_what_it_opens() -> None:
    assert wrap("填好点“提交”，然后跟我说", 8) == ["填好点", "“提交”，", "然后跟我", "说"]


def test_a_bullet_stays_with_its_item() -> None:
    """Rich moves a run of Chinese that does not fit to the next line whole, leaving 「·」 alone above it."""
    lines = wrap("· 任何自称客服、要你共享屏幕或下载会议软件的，都是诈骗", 40)
    assert lines[0].startswith("· 任何自称客服") and len(lines) == 2


def test_english_words_stay_whole() -> None:
    assert wrap("Hello, is this Mr Zhang? I am calling from a shop.", 20) == [
        "Hello, is this Mr",
        "Zhang? I am calling",
        "from a shop.",
    ]


def test_newlines_are_kept() -> None:
    assert wrap("第一行\n第二行", 40) == ["第一行", "第二行"]


CHINESE = st.text(
    alphabet="银行卡密码验证码退款客服淘宝，。？！“”（）「」、：· abcXYZ12", min_size=1, max_size=120
)


@given(CHINESE, st.integers(min_value=6, max_value=100))
def test_lines_fit_and_keep_every_character_in_order(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(CHINESE, st.integers(min_value=8, max_value=100))
@example("1111111、", 8)  # a number fills the line up to a comma: its last digit goes down with it
@example("111111 、", 8)  # the same with a space before the comma, which the break drops
def test_breaks_fall_between_the_right_characters_where_they_can(text: str, width: int) -> None:
    lines = wrap(text, width)
    for before, after in itertools.pairwise(lines):
        if len(before) > 4:  # a line is only shortened by three characters for the rule
            assert after[:1] not in NO_LINE_START or all(ch in NO_LINE_START for ch in before[-3:])
            assert before.rstrip()[-1:] not in NO_LINE_END or len(before.rstrip()) <= 4
