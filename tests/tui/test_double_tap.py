"""Keys typed in one quick burst: each is spent on the screen it was meant for, never carried to the next one.
(The real-terminal check is scripts/e2e_tmux.sh, which types `n n` at the question.)"""

from __future__ import annotations

from roleplay.tui.app import TrainerApp
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from roleplay.tui.widgets.judgement import JudgementBar
from tests.tui.conftest import SIZE, settle


async def test_the_question_is_answered_once_however_fast_the_keys_come(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h")
        screen = trainer.screen
        assert isinstance(screen, CallScreen)
        depth = len(trainer.screen_stack)
        bar = screen.query_one(JudgementBar)
        bar.action_judge(False)  # "n"…
        bar.action_judge(True)  # …and "y" before the call screen has gone
        await settle(pilot)
        debrief = trainer.screen
        assert isinstance(debrief, DebriefScreen) and debrief.result.judged_scam is False
        assert len(trainer.screen_stack) == depth  # the call screen left once, the debrief came once


async def test_a_screen_is_dismissed_once(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h", "n")
        debrief = trainer.screen
        assert isinstance(debrief, DebriefScreen)
        depth = len(trainer.screen_stack)
        debrief.dismiss("home")
        debrief.dismiss("next")  # a second key before it has gone: no second pop, no second result
        await settle(pilot)
        assert len(trainer.screen_stack) == depth - 1
        assert not isinstance(trainer.screen, DebriefScreen)
