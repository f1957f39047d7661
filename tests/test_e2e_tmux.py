"""The real app in a real terminal: scripts/e2e_tmux.sh plays a call by keys at 80x24 and reads the screen."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed here")
def test_a_call_in_a_real_terminal() -> None:
    roleplay = Path(sys.executable).parent / "roleplay"
    result = subprocess.run(
        [str(ROOT / "scripts" / "e2e_tmux.sh"), str(roleplay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
