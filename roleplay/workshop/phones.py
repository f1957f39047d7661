"""The room's phones for one workshop: the ballot they vote on and the server they reach it through, opened
on the address the facilitator picks and closed with the workshop.

Why a class of its own: the presenter's screens only ask questions, read tallies and close votes; where the
server runs, and which addresses this laptop has, is decided here, out of the interface.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from roleplay.workshop.ballot import Ballot, Question, ServerError, Tally

__all__ = ["Address", "RoomPhones", "ServerError", "addresses"]


@dataclass(frozen=True)
class Address:
    interface: str  # the name the laptop gives it: "wlan0", "Wi-Fi", "en0"
    address: str
    loopback: bool  # only this laptop can reach it (a rehearsal)


def addresses() -> list[Address]:
    """This laptop's addresses a phone could reach: IPv4 first (short to type), the room's network before
    loopback. Never the wildcard: the facilitator picks one."""
    import socket

    import psutil

    found: list[Address] = []
    for interface, entries in psutil.net_if_addrs().items():
        for entry in entries:
            if entry.family != socket.AF_INET:  # IPv6 addresses are too long to read off a projector
                continue
            ip = ipaddress.ip_address(entry.address)
            if ip.is_link_local or ip.is_unspecified or ip.is_multicast:
                continue
            found.append(Address(interface, entry.address, ip.is_loopback))
    found.sort(key=lambda a: (a.loopback, not ipaddress.ip_address(a.address).is_private, a.interface))
    return found


class RoomPhones:
    """The phones' ballot and server, on one address."""

    def __init__(
        self,
        address: str,
        *,
        lang: str = "zh",
        code: str | None = None,
        workshop: str = "",
        receive: Callable[[Any], None] | None = None,
    ) -> None:
        """`receive` keeps the calls residents' own trainers send (`roleplay.workshop.remote.keep_calls`)."""
        from roleplay.workshop.phone_server import PhoneServer  # the web stack, only once a room opens

        self.ballot = Ballot(code)
        self.server = PhoneServer(self.ballot, address, lang=lang, workshop=workshop, receive=receive)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def code(self) -> str:
        return self.ballot.code

    def open(self, answer_key: Mapping[tuple[str, int], str]) -> None:
        """Start serving. Raises ServerError."""
        self.ballot.key(answer_key)
        self.server.start()

    def close(self) -> None:
        self.server.stop()

    def ask(self, question: Question) -> None:
        self.ballot.ask(question)

    def end_vote(self) -> Tally:
        return self.ballot.close()

    def withdraw(self) -> None:
        self.ballot.withdraw()


def with_phones(
    typed: Mapping[str, int], tally: Tally, names: Mapping[str, str] | None = None
) -> dict[str, int]:
    """The hands typed plus the phones' votes, option by option (`names`: a phone option's name in the
    typed counts, where they differ: "legit" is typed as "not")."""
    merged = dict(typed)
    for option, count in tally.counts.items():
        name = (names or {}).get(option, option)
        merged[name] = merged.get(name, 0) + count
    return merged


def spaced_code(code: str) -> str:
    """The join code as read aloud: 483 219."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code
