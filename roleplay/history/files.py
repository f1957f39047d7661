"""Where the history file lives, and the fingerprint of a scenario file a call was played against."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from roleplay.library.reading import MAX_SCENARIO_BYTES as MAX_BYTES
from roleplay.library.reading import read_regular

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
    """sha256 of a scenario file's bytes: shows whether a recorded call was played against this version.
    Read as the loader reads it (a regular file only, at most its limit); raises OSError."""
    return hashlib.sha256(read_regular(path, MAX_BYTES)).hexdigest()


def played_hash(path: Path) -> str:
    """The hash to record for a call about to be played from `path`; empty when the file cannot be read any
    more (deleted or replaced since it was loaded): the call is saved all the same, of an unknown version."""
    try:
        return scenario_hash(path)
    except OSError:
        return ""
