"""The LRS client: batches, one deadline for the whole export, and success only when an LRS answered.

Each test serves one kind of answer on 127.0.0.1 from a thread: an LRS that echoes the ids, a web server
that answers 200 with a page, one that trickles its answer, one that never answers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from roleplay.exports.lrs import BATCH, LrsError, post
from roleplay.text.i18n import set_language


class Answer(BaseHTTPRequestHandler):
    kind: ClassVar[str] = "lrs"
    bodies: ClassVar[list[int]] = []  # statements a request, as received

    def do_POST(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(len(sent))
        if self.kind == "silent":
            time.sleep(30)
            return
        self.send_response(200)
        if self.kind == "page":
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>It works!</body></html>")
            return
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        ids = json.dumps([s["id"] for s in sent]).encode()
        if self.kind == "trickle":
            for byte in ids:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
            return
        self.wfile.write(ids)

    def log_message(self, *args: Any) -> None:
        pass


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    Answer.kind = request.param
    Answer.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI"
    server.shutdown()
    server.server_close()


def statements(count: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}"} for i in range(count)]


@pytest.mark.parametrize("served", ["lrs"], indirect=True)
def test_a_large_export_goes_in_batches_with_progress(served: str) -> None:
    seen: list[tuple[int, int]] = []
    sent = statements(BATCH * 2 + 5)
    stored = post(
        served, sent, user="u", password="p", progress=lambda done, total: seen.append((done, total))
    )
    assert stored == [s["id"] for s in sent]
    assert Answer.bodies == [BATCH, BATCH, 5]
    assert seen == [(BATCH, len(sent)), (BATCH * 2, len(sent)), (len(sent), len(sent))]


@pytest.mark.parametrize("served", ["page"], indirect=True)
def test_a_web_server_that_answers_with_a_page_is_not_an_lrs(served: str) -> None:
    with pytest.raises(LrsError, match=r"not as an LRS does \(it sent text/html"):
        post(served, statements(3), user="u", password="p")


@pytest.mark.parametrize("served", ["trickle", "silent"], indirect=True)
def test_an_lrs_that_trickles_or_never_answers_fails_at_the_deadline(served: str) -> None:
    started = time.monotonic()
    with pytest.raises(LrsError, match=r"did not answer within 2 seconds; 0 of 3 statements were stored"):
        post(served, statements(3), user="u", password="p", deadline=2)
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("served", ["page"], indirect=True)
def test_the_lrs_faults_are_said_in_chinese(served: str) -> None:
    set_language("zh")
    with pytest.raises(LrsError) as failure:
        post(served, statements(1), user="u", password="p")
    assert "LRS" in str(failure.value) and "xAPI 地址" in str(failure.value)
