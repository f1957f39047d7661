"""Sentences more than one front end shows, written once so the trainer, line mode, the presenter and the
command line say the same thing in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.text import vocabulary as v
from roleplay.text.i18n import _

if TYPE_CHECKING:  # annotations only: the trainer shows these before pydantic is imported
    from roleplay.core.model import Exposure, Severity


def outcome_sentence(
    outcome: str | None, severity: Severity | None, lost: int, exposed: tuple[Exposure, ...] | list[Exposure]
) -> str:
    """How a call ended, in one line: the outcome with its grade, the money lost, what was given away."""
    return _("Outcome: {result}. Money lost: {money}. Given away: {items}.").format(
        result=v.result(outcome, severity), money=v.money(lost), items=v.exposures(exposed)
    )


def call_over() -> str:
    """What a front end says when a call ends, before the trainee has judged it: the same words for every
    ending, so that nothing but the call itself tells a scam from a real call."""
    return _("The call is over.")
