"""Sentences about a trainee's progress: why a call is recommended next."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.model import Catalog, Text
from roleplay.history.next_call import Recommendation
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _

# How many of the targeted flags the reason names: the first are the most missed.
SHOWN_FLAGS = 3


def recommendation_reason(
    recommendation: Recommendation, catalog: Catalog, say: Callable[[Text], str] = v.say
) -> str:
    """Why this call comes next, in the interface language; `say` turns a Text into a string."""
    shown = [f for f in recommendation.flags if f in catalog.flags][:SHOWN_FLAGS]
    names = _(", ").join(say(catalog.flags[f].name) for f in shown)
    reason = recommendation.reason
    if reason == "start":
        return _("Start here: the most common refund scam, as the police advisories describe it.")
    if reason == "review":
        return _("Time to review red flags you missed before: {flags}.").format(flags=names)
    if reason == "most_missed":
        return _("It contains the red flags you miss most: {flags}.").format(flags=names)
    if reason == "real_call":
        return _("A real call: practise telling real calls from scams, not hanging up on everyone.")
    if reason == "unplayed":
        return _("You have not played this call yet.")
    return _("Keep practising: you have played this call the least.")
