"""The history file's own thread: every read and write of the store, one at a time, in the order asked.

Why one thread and not a worker per write: a write waits up to the store's busy timeout while another
terminal saves (a workshop's residents share one history file), and the event loop must never wait with it;
writes must land in the order they were made (a call's start before its steps, its steps before its end);
and a read asked after a write must see it (the home screen's progress after a call). One thread gives all
three. The store is opened on first use, in that thread too: opening may migrate or repair the file.

Screens await a job's result (`run`) in a worker of their own, or submit it and let a failure be told to
the user (`tell_failure`). Nothing here imports SQLite before the first job: the first screen comes first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from roleplay.history.store import Store

T = TypeVar("T")


class HistoryFailed(Exception):
    """A job could not read or write the history; `problem` says why in one line (None: nothing to tell)."""

    def __init__(self, problem: str | None) -> None:
        super().__init__(problem or "")
        self.problem = problem


class NoHistory(HistoryFailed):
    """There is no history to use: it is turned off (`problem` is None), or it could not be opened (why)."""


def problem_text(exc: BaseException) -> str | None:
    """What to tell the user about a failed job; None when there is nothing to tell (history turned off)."""
    return exc.problem if isinstance(exc, HistoryFailed) else str(exc)


class HistoryThread:
    """Runs jobs `job(store)` on one thread, in order. `open_store` None keeps no history at all."""

    def __init__(self, open_store: Callable[[], Store] | None) -> None:
        self._open_store = open_store
        self._store: Store | None = None
        self._opened = False
        self.problem: str | None = None  # why the history could not be opened, once it was tried
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roleplay-history")
        self._closed = False
        # Set by the app: how a failure is told to the user. Called on the history thread, so it must be
        # thread-safe (the app posts itself a message).
        self.report: Callable[[str], None] = lambda problem: None

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Run `job` with the open store once every job asked before it has run. The future raises
        HistoryFailed when the store could not be used (NoHistory: there is none); any other error of
        the job as it was raised."""
        if self._closed:
            closed: Future[T] = Future()
            closed.set_exception(NoHistory(None))
            return closed
        return self._executor.submit(self._run, job)

    async def run(self, job: Callable[[Store], T]) -> T:
        """`submit`, then wait for the result without holding up the event loop."""
        return await asyncio.wrap_future(self.submit(job))

    def tell_failure(self, future: Future[Any], say: Callable[[str], str] = str) -> None:
        """When `future` fails, tell the user; `say` words the problem. A history turned off is not told."""

        def done(finished: Future[Any]) -> None:
            exc = finished.exception()
            problem = None if exc is None else problem_text(exc)
            if problem:
                self.report(say(problem))

        future.add_done_callback(done)

    async def close(self) -> None:
        """Wait for every job asked so far (a call's last step is saved before the app exits), then close."""
        if self._closed:
            return
        self._closed = True
        await asyncio.wrap_future(self._executor.submit(self._close_store))
        self._executor.shutdown(wait=False)

    # -- on the history thread

    def _run(self, job: Callable[[Store], T]) -> T:
        from roleplay.history.errors import StoreError

        store = self._store_or_raise()
        try:
            return job(store)
        except (StoreError, OSError) as exc:  # the history file's faults, each already one line
            raise HistoryFailed(str(exc)) from exc

    def _store_or_raise(self) -> Store:
        from roleplay.history.errors import StoreError

        if not self._opened:
            self._opened = True
            if self._open_store is not None:
                try:
                    self._store = self._open_store()
                except StoreError as exc:
                    self.problem = str(exc)
        if self._store is None:
            raise NoHistory(self.problem)
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
