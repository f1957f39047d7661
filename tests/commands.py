"""Run the real `roleplay` command, as a user at a prompt would, and capture what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def roleplay(*args: str, answers: str = "", home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`roleplay ARGS` with `answers` on stdin. The history and settings are the test's own folder (the
    autouse `isolated_home` fixture), or `home` when given."""
    env = os.environ | {"PYTHONPATH": str(ROOT)} | ({"ROLEPLAY_HOME": str(home)} if home else {})
    return subprocess.run(
        [sys.executable, "-m", "roleplay", *args],
        input=answers,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def roleplay_in(home: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    """`roleplay ARGS` with its history in `home`, for tests that also open that history themselves."""
    return roleplay(*args, answers=answers, home=home)
