"""The names people type: trainee nicknames and workshop ids, checked and normalised."""

from __future__ import annotations

# Workshop ids are typed by residents from a slide: no 0/O or 1/I/L to confuse.
WORKSHOP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
WORKSHOP_ID_LENGTH = 6
ROOM_PREFIX = "room@"
MAX_NICKNAME = 40


def room_trainee(workshop_id: str) -> str:
    """The trainee name under which a workshop room's calls are recorded (nicknames cannot contain '@')."""
    return ROOM_PREFIX + workshop_id


def check_nickname(name: str) -> str:
    """A trainee nickname, stripped. Raises ValueError saying what is wrong: names come from users."""
    name = name.strip()
    if not name:
        raise ValueError("a trainee nickname cannot be empty")
    if len(name) > MAX_NICKNAME:
        raise ValueError(f"a trainee nickname has at most {MAX_NICKNAME} characters")
    if "@" in name or any(not ch.isprintable() for ch in name):
        raise ValueError("a trainee nickname cannot contain '@' or control characters")
    return name


def normalise_workshop_id(text: str) -> str:
    """Workshop ids are typed by hand: ignore case and surrounding spaces."""
    return text.strip().upper()
