"""The tests of a workshop: three parallel forms of the quick-fire round (`roleplay.core.quiz`), form A
before the calls, form B after, form C at a follow-up two or three weeks later, for the room to judge
"scam" or "not a scam" item by item; the room's discernment in each is the workshop's measure.

Why the quick-fire items, dealt three ways: the forms share no item, so neither the post-test nor the
follow-up measures the room remembering an earlier test's answers; each has scams and real calls, for a d′
worth comparing. Dealt three ways, each form is smaller than the trainer's pair of forms (today 8 real calls
and 8 scams each, where `roleplay quiz` has 10 and 10), so a workshop's forms are not the ones residents take
on their own. The workshop id orders and words them, so every screen (and a restarted laptop) shows the
same items."""

from __future__ import annotations

from roleplay.core.quiz import WITH_FOLLOW_UP, Form, Letter, forms
from roleplay.history.records import ALL_PHASES, Phase
from roleplay.library.library import Library

PHASE_FORMS: dict[Phase, Letter] = {"pre": "A", "post": "B", "follow": "C"}


def workshop_forms(library: Library, workshop_id: str) -> dict[Phase, Form]:
    """The workshop's pre-test (form A), post-test (form B) and follow-up (form C), dealt three ways so the
    follow-up shares no item with either. Raises QuizError for a tiny library."""
    made = forms(library.scenarios, key=workshop_id, letters=WITH_FOLLOW_UP)
    return {phase: made[PHASE_FORMS[phase]] for phase in ALL_PHASES}
