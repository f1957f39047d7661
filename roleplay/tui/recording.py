"""A trainee's call saved as it is played, through the history thread: begun, each move, finished or left.

Why it is built this way: the recorder (`roleplay.history.recorder.CallRecorder`) writes at every move, and
a write may wait seconds for another terminal; so every write is a job on the history thread, in order, and
the call goes on at once. The recorder is made and used only on that thread. A write that fails is told
once per call, and the call is not lost: finishing saves every step again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.engine import Call
from roleplay.core.model import Catalog, Language
from roleplay.text.i18n import _
from roleplay.tui.history_thread import HistoryFailed, HistoryThread, NoHistory, problem_text

if TYPE_CHECKING:
    from roleplay.history.recorder import CallRecorder
    from roleplay.history.store import Store
    from roleplay.workshop.remote import Link, LinkError


def link_problem(exc: LinkError) -> str:
    """What went wrong with the presenter's laptop, in the trainee's words."""
    return {
        "wrong-code": _("the join code is not right: look at the screen at the front again"),
        "slow-down": _("too many tries: wait a minute and try again"),
        "unknown-token": _("the workshop was restarted: press w and join again"),
        "token-elsewhere": _("this computer's network changed: press w and join again"),
        "not-a-call": _("the presenter's laptop has other scenarios than this computer"),
        "not-saved": _("the presenter's laptop could not save it"),
        "full": _("the workshop is full"),
        "not-a-workshop": _("{address} is not a workshop's address").format(address=exc.url),
    }.get(exc.reason or "", _("the presenter's laptop did not answer at {address}").format(address=exc.url))


class RecordedCall:
    """Saves `call` for `trainee` (in `workshop_id`'s record when given). `tell` is called on the history
    thread with the message for the user, so it must be thread-safe."""

    def __init__(
        self,
        history: HistoryThread,
        call: Call,
        *,
        trainee: str,
        lang: Language,
        workshop_id: str | None,
        source: Path | None,
        link: Link | None = None,
    ) -> None:
        """`link`: joined to a workshop over the network; the finished call is sent there too."""
        self._history = history
        self._link = link
        self._call = call
        self._trainee = trainee
        self._lang = lang
        self._workshop_id = workshop_id
        self._source = source
        self._recorder: CallRecorder | None = None  # only touched on the history thread
        self._told = False  # a call's first problem is told; the ones after it would say the same
        self._left = False
        self._job(self._begin)

    def sync(self) -> None:
        """Save the moves made since the last time."""
        self._job(self._sync)

    def finish(self, catalog: Catalog, judged_scam: bool | None) -> None:
        """Save the call's end with the trainee's judgement (every step again, in one transaction); and,
        joined over the network, send it to the workshop (on a thread of its own: the presenter's laptop
        may take seconds to answer, or not answer at all)."""
        self._job(lambda store: self._finish(catalog, judged_scam))
        if self._link is not None:
            import threading

            from roleplay.workshop.remote import call_payload

            payload = call_payload(
                self._call, trainee=self._trainee, lang=self._lang, judged_scam=judged_scam
            )
            threading.Thread(target=self._send, args=(self._link, payload), daemon=True).start()

    def _send(self, link: Link, payload: dict[str, Any]) -> None:
        from roleplay.workshop.remote import LinkError

        try:
            link.send(payload)
        except LinkError as exc:
            self._history.report(
                _("This call is saved on this computer but did not reach the workshop: {problem}").format(
                    problem=link_problem(exc)
                )
            )

    def leave(self) -> None:
        """The screen is closing: a call not finished is kept, marked abandoned (once)."""
        if not self._left:
            self._left = True
            self._job(self._abandon)

    def _job(self, job: Callable[[Store], None]) -> None:
        future: Future[None] = self._history.submit(job)
        future.add_done_callback(self._tell_once)

    def _tell_once(self, finished: Future[None]) -> None:
        exc = finished.exception()
        problem = None if exc is None else problem_text(exc)
        if problem and not self._told:
            self._told = True
            self._history.report(_("This call will not be saved: {problem}").format(problem=problem))

    # -- on the history thread

    def _begin(self, store: Store) -> None:
        from roleplay.history.files import played_hash
        from roleplay.history.recorder import CallRecorder

        digest = played_hash(self._source) if self._source else ""
        self._recorder = CallRecorder(
            store,
            self._call,
            self._trainee,
            digest,
            self._lang,
            workshop_id=self._workshop_id,
            source_path=self._source,
        )

    def _started(self) -> CallRecorder:
        if self._recorder is None:  # its start could not be saved: that was told already
            raise NoHistory(None)
        return self._recorder

    def _sync(self, store: Store) -> None:
        problem = self._started().sync()
        if problem:
            raise HistoryFailed(problem)

    def _finish(self, catalog: Catalog, judged_scam: bool | None) -> None:
        self._started().finish(catalog, judged_scam)

    def _abandon(self, store: Store) -> None:
        recorder = self._started()
        problem = None if recorder.closed else recorder.abandon()
        if problem:
            raise HistoryFailed(problem)
