"""What the residents' phones vote on, and what they voted: one question open at a time (a turn's replies,
a test item, the room's judgement of a call), an anonymous token per phone, each phone's vote counted once,
and each phone's own before/after answers kept so the room's change can be paired resident by resident.

Why it is built this way: the presenter (the projector's screens) and the phone server (its own thread) both
use one `Ballot`, so everything here is guarded by one lock and nothing blocks for long. A phone can only
vote for an option of the question on screen; the question's id travels with every vote, so a vote sent for
a question already closed (a replayed or late request) is refused instead of landing on the next one.
Nothing about a person is kept: a token is a random secret, a device id a random name the phone makes up.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

QuestionKind = Literal["turn", "test", "judge"]
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what a phone may call itself: random, nothing personal
CODE_DIGITS = 6  # the join code: easy to read aloud, slow to guess at the server's rate limits
MAX_PHONES = 500  # a community hall; more is someone scripting the server


class Refused(Exception):
    """A phone's request that is not accepted; `reason` is a short code the phone page words itself."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class ServerError(Exception):
    """The phone server could not start (the address is not this computer's, every port is taken)."""


@dataclass(frozen=True)
class Option:
    key: str  # what a vote names: "1"…"n", "h", "v", "scam", "legit"
    zh: str
    en: str


@dataclass(frozen=True)
class Question:
    id: str  # unique in the workshop: "pre-3", "call-2-turn-4", "call-2-judge"
    kind: QuestionKind
    prompt_zh: str
    prompt_en: str
    options: tuple[Option, ...]
    phase: str | None = None  # a test item's phase ("pre", "post", "follow") …
    item: int | None = None  # … and its number

    def option_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options)

    def public(self) -> dict[str, object]:
        """What a phone is told: the question and its options, never the answer."""
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": {"zh": self.prompt_zh, "en": self.prompt_en},
            "options": [{"key": o.key, "zh": o.zh, "en": o.en} for o in self.options],
        }


@dataclass
class Phone:
    token: str
    device: str
    address: str  # the network address it joined from: a token heard on the network is no use elsewhere
    role: str = "phone"  # or "trainer": a resident's own trainer, which sends its calls and never votes
    votes: dict[str, str] = field(default_factory=dict)  # question id → option
    answers: dict[tuple[str, int], str] = field(default_factory=dict)  # (phase, item) → "scam" or "legit"


@dataclass(frozen=True)
class Tally:
    question: str | None
    counts: dict[str, int]  # every option of the question, zero where no phone chose it
    phones: int  # phones joined
    voted: int  # phones that voted on this question
    by_device: dict[str, str] = field(default_factory=dict)  # device id → its vote: pairs before and after


@dataclass(frozen=True)
class OwnResult:
    """One phone's own score in a test: right answers out of the items it answered."""

    right: int
    answered: int


class Ballot:
    """The room's phones and the one question they may vote on (thread-safe)."""

    def __init__(self, code: str | None = None) -> None:
        self.code = (
            code if code is not None else "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        )
        self._lock = threading.Lock()
        self._phones: dict[str, Phone] = {}
        self._by_device: dict[str, str] = {}  # device id → its current token
        self._question: Question | None = None
        self._version = 0
        self._listeners: list[tuple[Callable[[], None], bool]] = []
        self._finished = False  # the workshop's tests are over: phones show their own result
        self._earlier: dict[str, dict[tuple[str, int], str]] = {}  # answers saved before this server ran
        self._answer_key: dict[tuple[str, int], str] = {}  # (phase, item) → the item's right answer

    # -- what the presenter does ------------------------------------------------------------------------

    def listen(self, listener: Callable[[], None], *, phones_only: bool = False) -> None:
        """Called (on whatever thread changed it, with the ballot's lock held: it must not wait or call
        back) whenever a phone joins or votes or the question changes; `phones_only`: only when what the
        phones show changes (a question opened or closed), so one vote does not wake every phone."""
        with self._lock:
            self._listeners.append((listener, phones_only))

    def unlisten(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners = [(fn, only) for fn, only in self._listeners if fn is not listener]

    def ask(self, question: Question) -> None:
        """Open `question` to the phones (the one before it, if still open, is closed without its votes
        being lost: they stay with their question)."""
        with self._lock:
            self._question = question
            self._finished = False
            self._changed()

    def withdraw(self) -> None:
        """Take the open question off the phones without counting it (the facilitator left the screen):
        its votes stay with it, for when it is asked again."""
        with self._lock:
            if self._question is not None:
                self._question = None
                self._changed()

    def close(self) -> Tally:
        """Stop the open question's vote; its tally (empty when nothing was open)."""
        with self._lock:
            tally = self._tally()
            question = self._question
            if question is not None:
                if question.kind == "test" and question.phase is not None and question.item is not None:
                    for phone in self._phones.values():
                        said = phone.votes.get(question.id)
                        if said is not None:
                            phone.answers[(question.phase, question.item)] = said
                self._question = None
                self._changed()
            return tally

    def finish(self) -> None:
        """The workshop's tests are over: each phone now shows its own before and after."""
        with self._lock:
            self._finished = True
            self._question = None
            self._changed()

    def tally(self) -> Tally:
        with self._lock:
            return self._tally()

    def phones(self) -> int:
        with self._lock:
            return sum(p.role == "phone" for p in self._phones.values())

    def trainers(self) -> int:
        """Residents' own trainers joined (they send their calls; they do not vote)."""
        with self._lock:
            return sum(p.role == "trainer" for p in self._phones.values())

    def device_answers(self) -> dict[str, dict[tuple[str, int], str]]:
        """Each phone's test answers by device id: what pairs a resident's before with their after."""
        with self._lock:
            return {p.device: dict(p.answers) for p in self._phones.values() if p.answers}

    def remember(self, device: str, answers: Mapping[tuple[str, int], str]) -> None:
        """Answers a device gave before this server started (the presenter was restarted): kept with it."""
        with self._lock:
            token = self._by_device.get(device)
            if token is not None:
                self._phones[token].answers.update(answers)
            else:
                self._earlier.setdefault(device, {}).update(answers)

    # -- what a phone does ----------------------------------------------------------------------------

    def join(self, code: str, device: str | None, address: str, role: str = "phone") -> tuple[str, str]:
        """A phone (or a resident's trainer) joins with the room's code: (its token, its device id).
        Raises Refused."""
        if not secrets.compare_digest(code.strip().replace(" ", "").encode(), self.code.encode()):
            raise Refused("wrong-code")
        if device is None or not DEVICE_ID.fullmatch(device):
            device = secrets.token_urlsafe(16)
        with self._lock:
            if len(self._phones) >= MAX_PHONES and device not in self._by_device:  # phones and trainers
                raise Refused("full", 429)
            old = self._by_device.pop(device, None)
            previous = self._phones.pop(old) if old is not None else None
            token = secrets.token_urlsafe(24)
            phone = Phone(token, device, address, "trainer" if role == "trainer" else "phone")
            if previous is not None:  # the same phone again (a reload): its answers and votes stay
                phone.votes, phone.answers = previous.votes, previous.answers
            phone.answers.update(self._earlier.pop(device, {}))
            self._phones[token] = phone
            self._by_device[device] = token
            self._changed(phones_see_it=False)
            return token, device

    def phone(self, token: str, address: str) -> Phone:
        """The phone this token belongs to. Raises Refused for an unknown token, or one sent from another
        address than the phone's own (a token overheard on the network)."""
        with self._lock:
            phone = self._phones.get(token)
        if phone is None:
            raise Refused("unknown-token", 401)
        if phone.address != address:
            raise Refused("token-elsewhere", 401)
        return phone

    def vote(self, token: str, address: str, question_id: str, option: str) -> None:
        """A phone's vote on the open question; voting again changes it (counted once). Raises Refused."""
        phone = self.phone(token, address)
        if phone.role != "phone":
            raise Refused("not-a-phone", 403)
        with self._lock:
            question = self._question
            if question is None or question.id != question_id:
                raise Refused("closed", 409)
            if option not in question.option_keys():
                raise Refused("no-such-option", 422)
            if phone.votes.get(question_id) == option:
                return  # the same vote again (a retry): nothing changes
            phone.votes[question_id] = option
            self._changed(phones_see_it=False)

    def state(self, token: str, address: str) -> dict[str, object]:
        """What this phone shows now: the open question and its own vote, or its own results."""
        phone = self.phone(token, address)
        with self._lock:
            question = self._question
            state: dict[str, object] = {
                "version": self._version,
                "question": question.public() if question is not None else None,
                "mine": phone.votes.get(question.id) if question is not None else None,
                "finished": self._finished,
            }
            if self._finished:
                state["results"] = {
                    phase: {"right": r.right, "answered": r.answered}
                    for phase, r in own_results(phone.answers, self._answer_key).items()
                }
            return state

    @property
    def version(self) -> int:
        """Goes up each time what the phones show changes (not with every vote)."""
        return self._version

    # -- inside the lock ------------------------------------------------------------------------------

    def key(self, answers: Mapping[tuple[str, int], str]) -> None:
        """The right answers of the test items, (phase, item) → "scam" or "legit": what each phone's own
        result is scored against."""
        with self._lock:
            self._answer_key = dict(answers)

    def _tally(self) -> Tally:
        question = self._question
        phones = sum(p.role == "phone" for p in self._phones.values())
        if question is None:
            return Tally(None, {}, phones, 0)
        counts = dict.fromkeys(question.option_keys(), 0)
        by_device: dict[str, str] = {}
        for phone in self._phones.values():
            said = phone.votes.get(question.id)
            if said is not None:
                counts[said] += 1
                by_device[phone.device] = said
        return Tally(question.id, counts, phones, len(by_device), by_device)

    def _changed(self, *, phones_see_it: bool = True) -> None:
        if phones_see_it:
            self._version += 1  # what a phone waits on: the question it shows, or its results
        for listener, phones_only in self._listeners:
            if phones_see_it or not phones_only:
                listener()


def own_results(
    answers: Mapping[tuple[str, int], str], key: Mapping[tuple[str, int], str]
) -> dict[str, OwnResult]:
    """A phone's right answers in each test phase, scored against the items' answers."""
    results: dict[str, OwnResult] = {}
    for (phase, item), said in answers.items():
        truth = key.get((phase, item))
        if truth is None:
            continue
        was = results.get(phase, OwnResult(0, 0))
        results[phase] = OwnResult(was.right + (said == truth), was.answered + 1)
    return results
