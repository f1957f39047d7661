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
    frees whatever is dropped, and the collector is back as it was afterwards. Nothing is frozen out of its
    reach: an author's --watch reloads replace what was built, and the collector must reclaim it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
