"""The before/after test of a workshop: the quick-fire round's two forms (`roleplay.core.quiz`), form A
before the calls and form B after, for the room to judge "scam" or "not a scam" item by item; the room's
discernment before and after is the workshop's measure.

Why the quick-fire forms: they share no item, so the post-test does not measure the room remembering the
pre-test's answers; each has enough items, scams and real calls, for a d′ worth comparing; and they are the
forms residents take on their own (`roleplay quiz`), so a workshop's figures and a resident's compare. The
workshop id orders and words them, so every screen (and a restarted laptop) shows the same items."""

from __future__ import annotations

from roleplay.core.quiz import Form, Letter, forms
from roleplay.history.records import PHASES, Phase
from roleplay.library.library import Library

PHASE_FORMS: dict[Phase, Letter] = {"pre": "A", "post": "B"}


def workshop_forms(library: Library, workshop_id: str) -> dict[Phase, Form]:
    """The workshop's pre-test (form A) and post-test (form B). Raises QuizError for a tiny library."""
    made = forms(library.scenarios, key=workshop_id)
    return {phase: made[PHASE_FORMS[phase]] for phase in PHASES}
