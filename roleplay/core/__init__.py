"""The headless core: the scenario model, the moves from a turn, a running call on its state machine, the
events it emits, its transcript and the debrief computed from it.

Owns: what a scenario is and what happens in a call. No I/O, no gettext, no Textual.
May import: nothing of roleplay but itself (pydantic and transitions from outside)."""
