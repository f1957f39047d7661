"""Building large, long-lived structures (a scenario model, its state machine) without collector costs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file becomes a model, or a model a state machine.

    Both build tens of thousands of objects that all live on, and no garbage cycles; meanwhile the collector
    would walk every one of them again and again (a third of the load time of a 5,000-turn file). Reference
    counting still frees whatever is dropped, and the collector is back as it was afterwards, with what was
    built frozen out of its future work."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was just built lives as long as the program: keep later collections (during a call, when
        # a step's few objects are freed) from walking all of it again.
        gc.freeze()
        if was_on:
            gc.enable()
