"""The main screens at a fixed size, seed and clock. Update with `pytest --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.tui.app import TrainerApp
from tests.tui.conftest import settle, taobao_keys

SnapCompare = Callable[..., bool]


def test_ringing_screen(snap_compare: SnapCompare, trainer: TrainerApp) -> None:
    assert snap_compare(trainer, terminal_size=(100, 30), run_before=settle)


def test_conversation_with_a_text_message(snap_compare: SnapCompare, trainer: TrainerApp) -> None:
    # Answer, then go along with the caller until the bank's SMS with the code arrives.
    assert snap_compare(
        trainer, terminal_size=(100, 30), run_before=settle, press=["enter", *taobao_keys(1, 1, 1, 1, 1)]
    )


def test_debrief(snap_compare: SnapCompare, trainer: TrainerApp) -> None:
    assert snap_compare(
        trainer, terminal_size=(100, 30), run_before=settle, press=["enter", *taobao_keys(1), "h", "y"]
    )


def test_end_of_call_question(snap_compare: SnapCompare, trainer: TrainerApp) -> None:
    # The trainee goes along at the first turn, then hangs up: the question, at the smallest terminal it
    # must fit in, with nothing yet about how the call ended.
    assert snap_compare(
        trainer, terminal_size=(80, 24), run_before=settle, press=["enter", *taobao_keys(1), "h"]
    )
