"""Where the history file lives, and the fingerprint of a scenario file a call was played against."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DB_NAME = "history.sqlite3"


def data_dir() -> Path:
    """Where roleplay keeps its files (history and settings): `ROLEPLAY_HOME` when set (tests, a workshop
    laptop with a USB stick), else the platform's user data folder."""
    home = os.environ.get("ROLEPLAY_HOME")
    if home:
        return Path(home)
    import platformdirs  # only here: it is a noticeable part of the trainer's start-up time

    return Path(platformdirs.user_data_dir("roleplay", appauthor=False))


def default_path() -> Path:
    return data_dir() / DB_NAME


def scenario_hash(path: Path) -> str:
    """sha256 of a scenario file's bytes: shows whether a recorded call was played against this version."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
