"""The folders of the scenario library: the shipped scenarios, then the folders `ROLEPLAY_LIBRARY` names
(an officer's or an author's own calls). Read without loading anything, so `roleplay --help` stays quick."""

from __future__ import annotations

import os
from pathlib import Path

SCENARIO_DIR = Path(__file__).parent / "data" / "scenarios"
LIBRARY_ENV = "ROLEPLAY_LIBRARY"  # folders of scenarios beside the shipped ones, separated by os.pathsep


def library_folders() -> list[Path]:
    """The folders of the library: the shipped scenarios, then each folder of `ROLEPLAY_LIBRARY` (the
    `--library DIR` option adds to it), in that order; a folder named twice counts once."""
    folders = [SCENARIO_DIR]
    for entry in os.environ.get(LIBRARY_ENV, "").split(os.pathsep):
        folder = Path(entry).expanduser() if entry else None
        if folder is not None and folder not in folders:
            folders.append(folder)
    return folders


def missing_folders() -> list[Path]:
    """The library folders that are not folders (a typo in `ROLEPLAY_LIBRARY` or `--library`)."""
    return [folder for folder in library_folders() if not folder.is_dir()]


def scenario_files(paths: list[Path] | None = None) -> list[Path]:
    """The YAML files named, with folders expanded; the library's folders when none are named."""
    found: list[Path] = []
    for path in paths or library_folders():
        if path.is_dir():
            found += sorted(path.glob("*.yaml"), key=lambda file: file.name)  # Path < Path is slow
        elif paths:
            found.append(path)
    return found
