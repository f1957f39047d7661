"""Posting xAPI statements to a learning record store (LRS): in batches, within one overall deadline, and only
counted as stored when the answer is an LRS's (a JSON list of the ids it stored).

A plain web server at the wrong address answers 200 with a page; a stalled one may trickle its answer for
minutes. Neither is success: the first is told as "not an LRS", the second as the deadline passing. Each batch
is sent on a daemon thread so the deadline holds whatever the socket does (its timeout is per read, and a
trickle never trips it); a thread still waiting when the command ends is dropped with the process.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from roleplay.exports.xapi import XAPI_VERSION
from roleplay.text.i18n import _

DEADLINE = 60.0  # seconds for the whole export
BATCH = 200  # statements a request: a few hundred KB, well inside what LRSs accept


class LrsError(Exception):
    """Posting failed. The message is one line in the user's language: what went wrong, at which address."""


Progress = Callable[[int, int], None]  # (statements stored so far, statements in all)


def post(
    url: str,
    statements: list[dict[str, Any]],
    *,
    user: str,
    password: str,
    deadline: float = DEADLINE,
    progress: Progress | None = None,
) -> list[str]:
    """POST the statements to `url` + "/statements" in batches of BATCH; the ids the LRS stored, in order."""
    endpoint = url.rstrip("/") + "/statements"
    if not endpoint.startswith(("http://", "https://")):
        raise LrsError(_("{url}: the LRS address must start with http:// or https://").format(url=url))
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    ends_at = time.monotonic() + deadline
    stored: list[str] = []
    for start in range(0, len(statements), BATCH):
        batch = statements[start : start + BATCH]
        left = ends_at - time.monotonic()
        answer = _within(left, functools.partial(_send, endpoint, batch, credentials, left))
        if answer is None:
            raise LrsError(
                _(
                    "{endpoint}: the LRS did not answer within {seconds:.0f} seconds; {stored} of {total} "
                    "statements were stored. Try again later: statements already stored keep their ids."
                ).format(endpoint=endpoint, seconds=deadline, stored=len(stored), total=len(statements))
            )
        stored += _stored_ids(endpoint, batch, *answer)
        if progress is not None:
            progress(len(stored), len(statements))
    return stored


def _within(
    seconds: float, work: Callable[[], tuple[dict[str, str], str]]
) -> tuple[dict[str, str], str] | None:
    """`work()` run on a daemon thread; None if it has not finished within `seconds`. Its exception, if any,
    is raised here."""
    if seconds <= 0:
        return None
    outcome: list[tuple[dict[str, str], str]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name="lrs-post", daemon=True)
    thread.start()
    thread.join(seconds)
    if failure:
        raise failure[0]
    return outcome[0] if outcome else None


def _send(
    endpoint: str, batch: list[dict[str, Any]], credentials: str, timeout: float
) -> tuple[dict[str, str], str]:
    """One request: the answer's headers (names in lower case) and body."""
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(batch, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Experience-API-Version": XAPI_VERSION,
            "Authorization": f"Basic {credentials}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers = {name.lower(): value for name, value in response.headers.items()}
            return headers, response.read(4 << 20).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip().replace("\n", " ")[:200]
        hint = _(" (check --user and --password)") if exc.code in (401, 403) else ""
        raise LrsError(
            _("{endpoint}: the LRS refused the statements: {code} {reason}{hint} {detail}")
            .format(endpoint=endpoint, code=exc.code, reason=exc.reason, hint=hint, detail=detail)
            .strip()
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LrsError(
            _("{endpoint}: cannot reach the LRS: {reason}").format(endpoint=endpoint, reason=reason)
        ) from None


def _stored_ids(endpoint: str, batch: list[dict[str, Any]], headers: dict[str, str], body: str) -> list[str]:
    """The ids an LRS answers a POST with (xAPI 1.0.3, 2.1.2: a JSON array of the statement ids). Anything
    else means the address is not an LRS's statements resource, whatever its status. The version header
    the standard asks for is not required: some LRSs (Ralph among them) leave it out."""
    try:
        ids = json.loads(body)
    except ValueError:
        ids = None
    sent = [str(statement.get("id")) for statement in batch]
    if not isinstance(ids, list) or [str(i) for i in ids] != sent:
        kind = headers.get("content-type", "").split(";")[0] or _("no content type")
        raise LrsError(
            _(
                "{endpoint}: the address answered, but not as an LRS does (it sent {kind}, not the list of "
                "stored statement ids): check that it is the LRS's xAPI address"
            ).format(endpoint=endpoint, kind=kind)
        )
    return sent
