"""Telling scams from real calls, measured as signal detection: hits, misses, false alarms, d′ and c."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

_Z = NormalDist()


@dataclass(frozen=True)
class Discernment:
    """Telling scams from real calls: scam calls are the signal, real calls the noise, and the response is
    "scam". It is measured twice over the same calls: by the verdict (the answer to "was this a scam?" at
    the end of the call) and by behaviour (whether the call ended as if the trainee took it for a scam:
    a scam ended safe, or a real call ended by treating the genuine caller as a fraud). A trainee who
    hangs up on everything says "scam" by behaviour every time, so scores d′ ≈ 0 and a strongly negative c.

    Rates use the log-linear correction (count + 0.5) / (n + 1), so that perfect or empty scores still give
    finite z-scores (Hautus 1995). d′ = z(H) − z(F): how well scams are told from real calls. c =
    −(z(H) + z(F)) / 2: the bias; negative means calling "scam" readily, positive means trusting readily.
    """

    hits: int  # scam calls judged (or treated as) a scam
    misses: int  # scam calls judged (or treated as) real
    false_alarms: int  # real calls judged (or treated as) a scam
    correct_rejections: int  # real calls judged (or treated as) real

    @classmethod
    def from_counts(cls, counts: Mapping[tuple[str, bool], int]) -> Discernment:
        """From counts by (kind, said or acted "scam"): kind is "scam" or "legit"."""
        return cls(
            hits=counts.get(("scam", True), 0),
            misses=counts.get(("scam", False), 0),
            false_alarms=counts.get(("legit", True), 0),
            correct_rejections=counts.get(("legit", False), 0),
        )

    @property
    def scam_calls(self) -> int:
        return self.hits + self.misses

    @property
    def real_calls(self) -> int:
        return self.false_alarms + self.correct_rejections

    @property
    def judged(self) -> int:
        return self.scam_calls + self.real_calls

    @property
    def judged_right(self) -> int:
        return self.hits + self.correct_rejections

    @property
    def hit_rate(self) -> float:
        return (self.hits + 0.5) / (self.scam_calls + 1)

    @property
    def false_alarm_rate(self) -> float:
        return (self.false_alarms + 0.5) / (self.real_calls + 1)

    @property
    def d_prime(self) -> float | None:
        """None until both scam and real calls were judged: with one kind only it measures nothing."""
        if not self.scam_calls or not self.real_calls:
            return None
        return _Z.inv_cdf(self.hit_rate) - _Z.inv_cdf(self.false_alarm_rate)

    @property
    def criterion(self) -> float | None:
        if not self.scam_calls or not self.real_calls:
            return None
        return -(_Z.inv_cdf(self.hit_rate) + _Z.inv_cdf(self.false_alarm_rate)) / 2

    def __add__(self, other: Discernment) -> Discernment:
        return Discernment(
            self.hits + other.hits,
            self.misses + other.misses,
            self.false_alarms + other.false_alarms,
            self.correct_rejections + other.correct_rejections,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "correct_rejections": self.correct_rejections,
            # The plain share the screens and the handout show as a percentage…
            "hit_rate": _share(self.hits, self.scam_calls),
            "false_alarm_rate": _share(self.false_alarms, self.real_calls),
            # …and the log-linear corrected rate d′ and c are computed from (see the class's docstring).
            "hit_rate_corrected": round(self.hit_rate, 4),
            "false_alarm_rate_corrected": round(self.false_alarm_rate, 4),
            "d_prime": _rounded(self.d_prime),
            "c": _rounded(self.criterion),
        }


NO_JUDGEMENTS = Discernment(0, 0, 0, 0)


def _share(count: int, out_of: int) -> float | None:
    return round(count / out_of, 4) if out_of else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
