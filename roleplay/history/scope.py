"""Which calls a query covers (a trainee, a workshop, a status), as one SQL condition on `calls AS c`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roleplay.history.names import normalise_workshop_id
from roleplay.history.records import CallStatus


@dataclass(frozen=True)
class Scope:
    """The calls of one trainee, one workshop, one status, or any combination; None means any."""

    trainee: str | None = None
    workshop_id: str | None = None
    status: CallStatus | None = None

    @property
    def everything(self) -> bool:
        return self == Scope()

    def where(self) -> tuple[str, list[Any]]:
        """The condition on the table aliased `c`, and its parameters; "1" when every call is in scope."""
        where, params = ["1"], []
        if self.trainee is not None:
            where.append("c.trainee = ?")
            params.append(self.trainee)
        if self.workshop_id is not None:
            # Workshop ids are typed by hand: any case matches.
            where.append("c.workshop_id = ?")
            params.append(normalise_workshop_id(self.workshop_id))
        if self.status is not None:
            where.append("c.status = ?")
            params.append(self.status)
        return " AND ".join(where), params
