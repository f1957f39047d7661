"""Time as the history stores it: UTC, one sortable text format."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with its offset. One fixed format, so the text sorts in time order in SQL."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


# What a time the history cannot read (changed outside roleplay, a damaged page) is taken to be: long ago, so
# that the call is still listed and shown (dated 1970-01-01) and spaced review counts it as long past.
UNREADABLE_TIME = datetime(1970, 1, 1, tzinfo=timezone.utc)


def parse_time(text: object) -> datetime:
    """A time as the history writes it (`timestamp`); UNREADABLE_TIME for anything else, never an error."""
    try:
        moment = datetime.fromisoformat(text)  # type: ignore[arg-type] # anything else is caught below
    except (TypeError, ValueError):
        return UNREADABLE_TIME
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
