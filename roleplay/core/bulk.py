"""Building large structures (a scenario model, its state machine) without the cyclic collector's costs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file becomes a model, or a model a state machine.

    Both build tens of thousands of objects and no garbage cycles; meanwhile the collector would walk every
    one of them again and again (a third of the load time of a 5,000-turn file). Reference counting still
    frees whatever is dropped, and the collector is back as it was afterwards.

    What was built is then handed to the oldest generation (`gc.freeze()` then `gc.unfreeze()`: two list
    splices), not left young: the first young collection after the pause would otherwise walk all of it at
    once, another third of the load time. Nothing stays out of the collector's reach: the oldest generation is
    collected in full collections, so an author's --watch reloads, which replace what was built, are still
    reclaimed."""
    was_on = gc.isenabled()
    none_frozen = gc.get_freeze_count() == 0  # objects someone else froze must stay frozen
    gc.disable()
    try:
        yield
    finally:
        if none_frozen:
            gc.freeze()
            gc.unfreeze()
        if was_on:
            gc.enable()
