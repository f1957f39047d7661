"""A chat (the WeChat part-time-job group) is opened, left and ended as a chat: no 接听, 挂断电话, 通话结束
or 来电."""

from __future__ import annotations

from pathlib import Path

from roleplay.tui.app import make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.ringing import RingingScreen
from tests.tui.conftest import SIZE, settle, visible_text

CALL_WORDS = ("接听", "挂断", "通话结束", "来电：")


def _footer(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return " ".join(b.binding.description for b in screen.active_bindings.values() if b.binding.show)


async def test_the_wechat_group_is_opened_left_and_ended_as_a_chat(tmp_path: Path) -> None:
    app = make_app(
        scenario="order-brushing-linked-orders",
        seed=3,
        lang="zh",
        speak_delay=0,
        trainee="张阿姨",
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RingingScreen)
        ringing = visible_text(app) + _footer(app)
        assert "回车：打开聊天" in ringing and "打开聊天" in _footer(app)
        await pilot.press("enter")
        assert isinstance(app.screen, CallScreen)
        during = visible_text(app) + _footer(app)
        assert "退出聊天" in during and "新消息：" in during
        await pilot.press("h")
        after = visible_text(app) + _footer(app)
        assert "你：（退出了聊天）" in after and "对话结束。" in after and "这是诈骗吗？" in after
        for text in (ringing, during, after):
            assert not any(word in text for word in CALL_WORDS), text
