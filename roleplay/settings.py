"""Where roleplay keeps its files, and the settings that survive a restart (nickname, language, pace).

The settings file is read like a shared file: only a regular file, at most MAX_BYTES, any JSON error (too
deep, not UTF-8) caught. One that cannot be used is never overwritten unseen: it is moved aside with a
message (`Settings.read`), and whatever in it is still usable is kept.
"""

from __future__ import annotations

import errno
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from roleplay.core.inert import inert
from roleplay.core.languages import LANGUAGES, Language
from roleplay.history.files import data_dir
from roleplay.history.names import check_nickname
from roleplay.library.reading import TooBig, read_regular
from roleplay.text.i18n import _

MAX_BYTES = 64_000  # a settings file is about 100 bytes


def settings_path() -> Path:
    return data_dir() / "settings.json"


class _Unusable(Exception):
    """What is wrong with the settings file, in one sentence."""


@dataclass
class Settings:
    trainee: str = ""
    lang: Language = "zh"
    speak_delay: float = 0.8  # seconds between the caller's lines; 0 shows them at once
    light: bool = False  # the light theme, for a bright room or a projector

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings; defaults when the file is missing or unusable (never an error at startup)."""
        return cls.read(path)[0]

    @classmethod
    def read(cls, path: Path | None = None) -> tuple[Settings, str | None]:
        """The saved settings, and a message for the user when the file could not be used as it is: then it
        has been moved aside (so the next save cannot overwrite it unseen) and the defaults stand in for
        what was wrong."""
        target = path or settings_path()
        try:
            raw = _parse(read_regular(target, MAX_BYTES))
        except FileNotFoundError:
            return cls(), None
        except TooBig:
            return cls(), _moved(target, _("it is over {size:,} bytes").format(size=MAX_BYTES))
        except OSError as exc:  # a FIFO, a device, a symlink loop, no permission: left where it is
            why = exc.strerror or str(exc)
            return cls(), _("The settings file {path} cannot be read ({why}); the defaults are used.").format(
                path=target, why=why
            )
        except _Unusable as exc:
            return cls(), _moved(target, str(exc))
        settings, problem = cls._from(raw)
        return settings, (_moved(target, problem) if problem else None)

    @classmethod
    def _from(cls, raw: dict[str, Any]) -> tuple[Settings, str | None]:
        """The usable values of `raw`; the first problem found, if any."""
        settings = cls()
        problems: list[str] = []
        lang = raw.get("lang", settings.lang)
        if lang in LANGUAGES:
            settings.lang = lang
        else:
            problems.append(_("the language must be zh or en"))
        trainee = raw.get("trainee", "")
        try:
            settings.trainee = check_nickname(trainee) if trainee else ""
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(_("the saved nickname cannot be used: {why}").format(why=exc))
        delay = raw.get("speak_delay", settings.speak_delay)
        if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 5:
            settings.speak_delay = float(delay)
        else:
            problems.append(_("the pace must be a number of seconds from 0 to 5"))
        light = raw.get("light", False)
        if isinstance(light, bool):
            settings.light = light
        else:
            problems.append(_("the theme must be true or false"))
        known = {f.name for f in fields(cls)}
        unknown = sorted(k for k in raw if k not in known)
        if unknown:
            name = json.dumps(unknown[0][:40], ensure_ascii=False)[1:-1]  # one line: a newline shows as \n
            problems.append(_("unknown setting '{name}'").format(name=inert(name)))
        return settings, (problems[0] if problems else None)

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


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Unusable(_("it is not UTF-8 text")) from None
    except RecursionError:
        raise _Unusable(_("it is nested too deeply")) from None
    except ValueError as exc:
        raise _Unusable(_("it is not valid JSON ({why})").format(why=str(exc)[:80])) from None
    if not isinstance(data, dict):
        raise _Unusable(_("it is not a JSON object"))
    return data


def _moved(path: Path, why: str) -> str:
    """Move the unusable file aside (never deleted); the message that says so."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.unusable-{stamp}")
    try:
        path.replace(aside)
    except OSError as exc:
        if exc.errno == errno.ENOENT:  # another roleplay moved it a moment ago
            return _("The settings file {path} could not be used ({why}); the defaults are used.").format(
                path=path, why=why
            )
        return _(
            "The settings file {path} could not be used ({why}) nor moved aside ({error}); "
            "the defaults are used and it will be replaced on the next save."
        ).format(path=path, why=why, error=exc.strerror or exc)
    return _(
        "The settings file {path} could not be used ({why}): it was moved to {aside}, and the defaults "
        "stand in for what was wrong."
    ).format(path=path, why=why, aside=aside)
