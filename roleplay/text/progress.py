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


# Where the plain words for discernment change. d′ of 1 is about 69% right on each kind, 2 about 84%; c of
# ±0.25 is a small lean either way (signal-detection theory's usual reading).
TELLS_APART_WELL = 1.5
TELLS_APART_SOME = 0.5
LEAN = 0.25


def discernment_words(d_prime: float | None, criterion: float | None) -> str:
    """How well a trainee tells scams from real calls, and which way they lean, in words a trainee reads
    (the officer's report and the JSON give d′ and c themselves)."""
    if d_prime is None or criterion is None:
        return _("Play both scam and real calls to see how well you tell them apart.")
    if d_prime >= TELLS_APART_WELL:
        apart = _("You tell scams from real calls well.")
    elif d_prime >= TELLS_APART_SOME:
        apart = _("You tell scams from real calls apart some of the time.")
    else:
        apart = _("You cannot yet tell scams from real calls apart.")
    if criterion < -LEAN:
        lean = _("You lean towards taking calls for scams, real ones too.")
    elif criterion > LEAN:
        lean = _("You lean towards trusting calls, scams too.")
    else:
        lean = _("You lean neither way.")
    return f"{apart} {lean}"
