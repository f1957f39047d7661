"""Where roleplay keeps its files, and the settings that survive a restart (nickname, language, pace)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from roleplay.core.languages import LANGUAGES, Language
from roleplay.history.files import data_dir


def settings_path() -> Path:
    return data_dir() / "settings.json"


@dataclass
class Settings:
    trainee: str = ""
    lang: Language = "zh"
    speak_delay: float = 0.8  # seconds between the caller's lines; 0 shows them at once
    light: bool = False  # the light theme, for a bright room or a projector

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings; defaults when the file is missing or unreadable (never an error at startup)."""
        try:
            raw = json.loads((path or settings_path()).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in raw.items() if k in known})
        if settings.lang not in LANGUAGES:
            settings.lang = "zh"
        if not isinstance(settings.trainee, str):
            settings.trainee = ""
        if not isinstance(settings.speak_delay, (int, float)) or not 0 <= settings.speak_delay <= 5:
            settings.speak_delay = 0.8
        settings.light = settings.light is True
        return settings

    def save(self, path: Path | None = None) -> str | None:
        """Write atomically. Returns a message when it could not be saved (read-only folder, full disk)."""
        target = path or settings_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            return f"{target}: {exc.strerror or exc}"
        return None
