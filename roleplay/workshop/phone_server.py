"""The small web server the residents' phones talk to, inside the presenter's process.

What it serves and nothing more: the phone page (three fixed files of this package), joining with the room's
code, the open question, and a vote. It never serves the history, a scenario file or any other path.

Safe by default, because it listens on a room's network:
- it binds only the address the facilitator chose (never every interface), on a port it reports;
- the Host header must name that address (a page elsewhere cannot reach it by DNS tricks), and the Origin,
  when a browser sends one, must be this server's own; a request that changes anything must carry it;
- a phone needs the join code to get a token, the token is refused from any other network address, and a
  vote names its question and one of that question's options (no free text ever reaches the projector);
- joining, voting and asking are rate-limited per address and per token;
- it stops when the presenter closes the workshop.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from roleplay.text.i18n import _
from roleplay.workshop.ballot import Ballot, Refused, ServerError

Receiver = Callable[[Any], None]  # keeps a trainer's call; raises Refused for one it cannot
PORTS = range(8765, 8785)  # tried in turn: easy to read out, and a second presenter on the laptop still works
LONG_POLL_SECONDS = 20.0  # a phone's request for the next question waits this long at most
TOKEN_HEADER = "x-roleplay-token"
MAX_BODY = 1024  # a join or a vote is a few dozen bytes
# The error an address that is not this computer's gives on binding (Windows names it apart).
NOT_THIS_COMPUTERS = {errno.EADDRNOTAVAIL, getattr(errno, "WSAEADDRNOTAVAIL", errno.EADDRNOTAVAIL)}
MAX_CONNECTIONS = 1000  # every phone holds one request open while it waits for the next question
MAX_CALL_BODY = 16_384  # a trainer's finished call: its moves, a few hundred bytes
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
PAGE_FILES = {  # path → (file in this package, media type): everything a phone can fetch
    "/": ("index.html", "text/html; charset=utf-8"),
    "/phone.js": ("phone.js", "text/javascript; charset=utf-8"),
    "/phone.css": ("phone.css", "text/css; charset=utf-8"),
}


class Buckets:
    """A token bucket per key: `rate` requests a second on average, `burst` at once."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def has(self, key: str) -> bool:
        """Whether `key` may make a request now (without spending it)."""
        with self._lock:
            return self._level(key, self._clock()) >= 1

    def allow(self, key: str) -> bool:
        """Spend one request of `key`'s; False when it has none left."""
        now = self._clock()
        with self._lock:
            level = self._level(key, now)
            if level < 1:
                self._buckets[key] = (level, now)
                return False
            self._buckets[key] = (level - 1, now)
            if len(self._buckets) > 10_000:  # a flood of made-up keys: forget the full buckets
                self._buckets = {k: v for k, v in self._buckets.items() if v[0] < self.burst}
            return True

    def _level(self, key: str, now: float) -> float:
        level, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), level + (now - at) * self.rate)


class GuardHosts:
    """Refuses a request whose Host is not this server's, or whose Origin is another site's; a request that
    changes something (POST) must name its Origin."""

    def __init__(self, app: ASGIApp, origin: str) -> None:
        self.app = app
        self.origin = origin
        self.host = origin.split("://", 1)[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing else is served (no WebSocket route exists)
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if headers.get("host") != self.host:
            problem = "wrong-host"
        elif origin is not None and origin != self.origin:
            problem = "wrong-origin"
        elif scope["method"] not in ("GET", "HEAD") and origin is None:
            problem = "no-origin"
        else:
            await self.app(scope, receive, send)
            return
        await _refuse(problem, 403)(scope, receive, send)


def _refuse(reason: str, status: int) -> JSONResponse:
    return JSONResponse({"refused": reason}, status, headers=SECURITY_HEADERS)


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "?"


async def _body(request: Request, most: int = MAX_BODY) -> dict[str, Any]:
    """A small JSON object, or Refused."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refused("not-json", 415)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > most:
            raise Refused("too-large", 413)
    try:
        body = json.loads(raw)
    except ValueError:
        raise Refused("not-json", 400) from None
    if not isinstance(body, dict):
        raise Refused("not-json", 400)
    return body


def _text(body: dict[str, Any], key: str, most: int = 80) -> str:
    value = body.get(key)
    if not isinstance(value, str) or len(value) > most:
        raise Refused(f"bad-{key}", 400)
    return value


class _Handlers:
    """The four things a phone can ask, over one ballot."""

    def __init__(self, ballot: Ballot, lang: str, workshop: str, receive: Receiver | None) -> None:
        self.ballot = ballot
        self.lang = lang
        self.workshop = workshop
        self.receive = receive
        self.calls = Buckets(rate=0.2, burst=5)  # per token: a trainer finishes a call every few minutes
        # A wrong code costs a try: ten an address, then one every five seconds, and one a second for the
        # whole room (a million codes would take eleven days). A right code is never slowed: 200 phones may
        # share an address behind one access point.
        self.wrong_here = Buckets(rate=0.2, burst=10)
        self.wrong_anywhere = Buckets(rate=1.0, burst=60)
        self.votes = Buckets(rate=2.0, burst=10)  # per token
        self.asks = Buckets(rate=5.0, burst=20)  # per token
        self.changed = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        ballot.listen(self._wake, phones_only=True)

    def _wake(self) -> None:
        """The ballot changed (on whatever thread): wake the phones waiting for it."""
        if self.loop is not None:
            with suppress(RuntimeError):  # the loop has stopped: nobody is waiting
                self.loop.call_soon_threadsafe(self._wake_all)

    def _wake_all(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    def guarded(
        self, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            self.loop = asyncio.get_running_loop()
            try:
                return await handler(request)
            except Refused as refused:
                return _refuse(refused.reason, refused.status)

        return run

    async def page(self, request: Request) -> Response:
        name, media = PAGE_FILES[request.url.path]
        body = resources.files("roleplay.workshop").joinpath("phone_page").joinpath(name).read_bytes()
        if name == "index.html":
            body = body.replace(b"{{lang}}", b"zh" if self.lang == "zh" else b"en")
        return Response(body, media_type=media, headers=SECURITY_HEADERS)

    async def join(self, request: Request) -> Response:
        address = _client(request)
        if not (self.wrong_here.has(address) and self.wrong_anywhere.has("")):
            raise Refused("slow-down", 429)
        body = await _body(request)
        device = body.get("device")
        role = "trainer" if body.get("role") == "trainer" and self.receive is not None else "phone"
        try:
            token, device = self.ballot.join(
                _text(body, "code", 20), device if isinstance(device, str) else None, address, role
            )
        except Refused as refused:
            if refused.reason == "wrong-code":
                self.wrong_here.allow(address)
                self.wrong_anywhere.allow("")
            raise
        joined = {"token": token, "device": device, "workshop": self.workshop}
        return JSONResponse(joined, headers=SECURITY_HEADERS)

    async def state(self, request: Request) -> Response:
        """The phone's state, once it differs from the version it has (`after`), or after a while."""
        token = request.headers.get(TOKEN_HEADER, "")
        if not self.asks.allow(token):
            raise Refused("slow-down", 429)
        self.ballot.phone(token, _client(request))  # refused before waiting
        try:
            after = int(request.query_params.get("after", "-1"))
        except ValueError:
            after = -1
        deadline = time.monotonic() + LONG_POLL_SECONDS
        while self.ballot.version <= after:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return JSONResponse(self.ballot.state(token, _client(request)), headers=SECURITY_HEADERS)

    async def vote(self, request: Request) -> Response:
        token = request.headers.get(TOKEN_HEADER, "")
        if not self.votes.allow(token):
            raise Refused("slow-down", 429)
        body = await _body(request)
        self.ballot.vote(token, _client(request), _text(body, "question"), _text(body, "option", 8))
        return JSONResponse({"ok": True}, headers=SECURITY_HEADERS)

    async def call(self, request: Request) -> Response:
        """A finished call from a resident's own trainer, for the workshop's record."""
        token = request.headers.get(TOKEN_HEADER, "")
        sender = self.ballot.phone(token, _client(request))
        if sender.role != "trainer" or self.receive is None:
            raise Refused("not-a-trainer", 403)
        if not self.calls.allow(token):
            raise Refused("slow-down", 429)
        body = await _body(request, MAX_CALL_BODY)
        await asyncio.to_thread(self.receive, body)  # played again and saved: a write may wait
        return JSONResponse({"ok": True}, headers=SECURITY_HEADERS)


def phone_app(
    ballot: Ballot, origin: str, *, lang: str = "zh", workshop: str = "", receive: Receiver | None = None
) -> Starlette:
    """The phones' web application for `ballot`, answering only to `origin` (http://address:port);
    `receive` keeps a call a resident's own trainer sends (None: trainers cannot join)."""
    handlers = _Handlers(ballot, lang, workshop, receive)
    routes = [Route(path, handlers.guarded(handlers.page), methods=["GET"]) for path in PAGE_FILES]
    routes += [
        Route("/api/join", handlers.guarded(handlers.join), methods=["POST"]),
        Route("/api/state", handlers.guarded(handlers.state), methods=["GET"]),
        Route("/api/vote", handlers.guarded(handlers.vote), methods=["POST"]),
        Route("/api/calls", handlers.guarded(handlers.call), methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(GuardHosts, origin=origin)])


class PhoneServer:
    """The phone server on one chosen address, run by uvicorn on a thread of its own."""

    def __init__(
        self,
        ballot: Ballot,
        address: str,
        *,
        lang: str = "zh",
        workshop: str = "",
        receive: Receiver | None = None,
        ports: range = PORTS,
    ) -> None:
        import uvicorn

        self.ballot = ballot
        self.address = address
        self._socket = _bind(address, ports)
        self.port = int(self._socket.getsockname()[1])
        host = f"[{address}]" if ":" in address else address
        self.origin = f"http://{host}:{self.port}"
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # never print over the projector
            logging.getLogger(name).handlers = [logging.NullHandler()]
            logging.getLogger(name).propagate = False
        config = uvicorn.Config(
            phone_app(ballot, self.origin, lang=lang, workshop=workshop, receive=receive),
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=1,
            limit_concurrency=MAX_CONNECTIONS,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="phone-server", daemon=True)

    @property
    def url(self) -> str:
        return self.origin

    def start(self, timeout: float = 5.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ServerError(
                    _("the phone server did not start on {address}").format(address=self.origin)
                )
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        with suppress(OSError):
            self._socket.close()

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))


def _bind(address: str, ports: range) -> socket.socket:
    """A listening socket on the first free port. Raises ServerError saying why."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    last: OSError | None = None
    for port in ports:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
            sock.listen(1024)
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno in NOT_THIS_COMPUTERS:
                break
            continue
        sock.set_inheritable(False)
        return sock
    if last is not None and last.errno in NOT_THIS_COMPUTERS:
        raise ServerError(_("{address} is not an address of this computer").format(address=address))
    raise ServerError(
        _("no free port on {address} (tried {first} to {last})").format(
            address=address, first=ports.start, last=ports.stop - 1
        )
    )
