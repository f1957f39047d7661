"""The scenario and red-flag catalog as immutable, typed models. No I/O: `loader` reads files into these."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

# Re-exported (the `as` form tells mypy so): every text of the model is in these languages.
from roleplay.core.languages import LANGUAGES as LANGUAGES  # noqa: PLC0414
from roleplay.core.languages import Language as Language  # noqa: PLC0414
from roleplay.core.limits import MAX_YUAN as MAX_YUAN  # noqa: PLC0414 - re-exported

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]

# What a trainee can give away during a call. Labels for each live in `roleplay.text.vocabulary`.
Exposure = Literal[
    "name",
    "id_number",
    "bank_card",
    "card_password",
    "payment_password",
    "account_login",  # a shopping or payment account's name and login password (seed 004's phishing page)
    "sms_code",
    "face_scan",
    "screen_share",
    "payment_code",
    "app_installed",
    "loans",
]

Outcome = Literal["safe", "loss"]
# Graded as police case write-ups grade them.
Severity = Literal["safe", "exposed", "partial_loss", "major_loss"]
SEVERITIES: tuple[Severity, ...] = ("safe", "exposed", "partial_loss", "major_loss")
SEVERITIES_BY_OUTCOME: dict[str, tuple[Severity, ...]] = {
    "safe": ("safe", "exposed"),
    "loss": ("partial_loss", "major_loss"),
}

PhoneEventKind = Literal[
    "sms",  # a text message: sender is the number
    "link",  # a web page opened from a link: sender is the address, fields are the form
    "qr_code",  # a QR code to scan
    "app_prompt",  # install an app, open a meeting, share the screen: sender is the app
    "bank_notice",  # the bank's own debit or credit message
    "friend_request",  # QQ / WeChat friend request: sender is the account
    "incoming_call",  # a second call arrives during this one (e.g. the 96110 warning)
    "notice",  # anything else the phone shows
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    """The `{name}` variables a string asks for."""
    if "{" not in text:  # most texts: skip the regular expression
        return set()
    return set(_PLACEHOLDER.findall(text))


# An amount of yuan: a number, or `{name}`, a variable of the scenario whose every value is a number (one is
# drawn per run, so a replay need not lose the same sum; `roleplay.library.checks` makes sure of the values),
# or a sum of such terms, `{deposit} + 5000`: an ending's loss after several payments, each drawn or fixed.
_TERM = r"(\{[a-z_][a-z0-9_]*\}|\d+)"
AmountVariable = Annotated[str, StringConstraints(pattern=rf"^{_TERM}( \+ {_TERM})*$")]
Amount = Annotated[
    Annotated[int, Field(ge=0, le=MAX_YUAN), Tag("yuan")] | Annotated[AmountVariable, Tag("variable")],
    # One branch by the value's type, so a wrong amount gets one error, not one per branch.
    Discriminator(lambda value: "variable" if isinstance(value, str) else "yuan"),
]


def amount_terms(amount: int | str) -> list[int | str]:
    """The terms an amount adds up: numbers, and the names of the variables it draws."""
    if isinstance(amount, int):
        return [amount]
    return [int(term) if term.isdigit() else term[1:-1] for term in amount.split(" + ")]


def yuan(amount: int | str, values: Mapping[str, Text]) -> int:
    """An amount in yuan for a run whose variables have `values` (a `{name}` takes the run's value)."""
    if isinstance(amount, int):
        return amount
    return sum(term if isinstance(term, int) else int(values[term].zh) for term in amount_terms(amount))


def amount_variables_of(amount: int | str) -> list[str]:
    """The variables an amount names."""
    return [term for term in amount_terms(amount) if isinstance(term, str)]


# A name any text may use without declaring it: the number the phone shows for this run (the number a text
# message tells you to ring is the one you then dial).
CALLER_NUMBER = "caller_number"

OURS = "ours"  # the `figures:` key for sums a scenario sets itself, where the advisories give none


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """One piece of text in Simplified Chinese and English. `{name}` marks a per-run variable."""

    zh: NonEmpty
    en: NonEmpty

    def get(self, lang: Language) -> str:
        return self.zh if lang == "zh" else self.en

    def placeholders(self) -> set[str]:
        if "{" not in self.zh and "{" not in self.en:  # most texts: no call at all
            return set()
        return placeholders(self.zh) | placeholders(self.en)

    def fill(self, values: dict[str, Text]) -> Text:
        """Replace `{name}` with the run's values. Plain substitution: scenario text is never evaluated."""
        if not values or "{" not in self.zh + self.en:
            return self
        # Built from two valid texts, so skip re-validation: this runs for every line of every turn.
        return Text.model_construct(
            zh=_PLACEHOLDER.sub(lambda m: values[m[1]].zh if m[1] in values else m[0], self.zh),
            en=_PLACEHOLDER.sub(lambda m: values[m[1]].en if m[1] in values else m[0], self.en),
        )


def _plain_to_text(value: object) -> object:
    return {"zh": value, "en": value} if isinstance(value, str) else value


# A variable's value: a Text, or one plain string that reads the same in both languages (a number, a name).
PlainOrText = Annotated[Text, BeforeValidator(_plain_to_text, json_schema_input_type=Text | str)]


class Source(Frozen):
    """A public police advisory that scenarios and red flags are traced to."""

    publisher: Text
    title: Text
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = Field(
        default=None,
        description=(
            "YYYY-MM-DD, or YYYY-MM or YYYY when the page gives no more; left out when it gives no date (the"
            " trainee then reads 'undated'): never a day we guessed"
        ),
    )
    seed: str | None = Field(default=None, description="file name prefix in shared/seeds, when it is one")
    url: str | None = None


class RedFlag(Frozen):
    name: Text
    why: Text = Field(description="why this is a red flag")
    instead: Text = Field(description="what to do instead")
    sources: tuple[Id, ...] = Field(min_length=1)


class Rule(Frozen):
    """One of the advisories' own rules, shown at the end of every debrief."""

    text: Text
    flags: tuple[Id, ...] = Field(default=(), description="shown when one of these was met; empty: always")
    sources: tuple[Id, ...] = Field(min_length=1)


class Catalog(Frozen):
    schema_: str | None = Field(default=None, alias="$schema")
    sources: dict[Id, Source]
    flags: dict[Id, RedFlag]
    rules: tuple[Rule, ...] = Field(min_length=1)
    known_cues: dict[Id, Text] = Field(
        default_factory=dict,
        description="cue-audit rules this edition still fails, each with why (roleplay audit)",
    )


class Effects(Frozen):
    pay: Amount = Field(
        default=0, description="yuan that leave the trainee's accounts: a number or {variable}"
    )
    give: tuple[Exposure, ...] = Field(default=(), description="what the trainee gives away")


class Choice(Frozen):
    """A reply the trainee can pick."""

    text: Text
    to: Id = Field(description="the node or ending it leads to")
    effects: Effects = Effects()
    spots: tuple[Id, ...] = Field(default=(), description="red flags of this turn this reply recognises")


class PhoneEvent(Frozen):
    kind: PhoneEventKind
    sender: str | None = Field(default=None, description="number, account, app or web address shown")
    title: Text | None = None
    body: Text
    fields: tuple[Text, ...] = Field(default=(), description="form fields of a link page")


class Node(Frozen):
    """One turn: what the caller says, what the phone shows, the red flags present, the replies offered."""

    say: tuple[Text, ...] = Field(min_length=1)
    speaker: Text | None = Field(
        default=None, description="who speaks at this turn when it is not the caller (e.g. the 96110 officer)"
    )
    events: tuple[PhoneEvent, ...] = ()
    flags: tuple[Id, ...] = ()
    flag_lines: dict[Id, Annotated[int, Field(strict=True, json_schema_extra={"minimum": 1})]] = Field(
        default_factory=dict,
        description="for each red flag, the line of `say` that carries it (1 is the first line)",
    )
    choices: tuple[Choice, ...] = ()
    order: Literal["shuffled", "pinned"] = Field(
        default="shuffled",
        description="the replies' order on screen: drawn anew each run, or pinned as written (a sequence)",
    )
    hang_up: Id | None = Field(
        default=None, description="where hanging up leads here (default: the scenario's)"
    )
    verify: Id | None = Field(default=None, description="where checking officially leads here")


class Ending(Frozen):
    outcome: Outcome
    severity: Severity
    lost: Amount = Field(
        default=0, description="yuan lost on the way here, as the advisory tells it (a number or {variable})"
    )
    paid_after: Amount = Field(
        default=0,
        description=(
            "of `lost`, what goes after the call has ended, because of how it ended (a payment the trainee"
            " let through by brushing off a real warning): told with the ending, after the question, never"
            " in the money shown while the call goes on"
        ),
    )
    exposed: tuple[Exposure, ...] = ()
    title: Text
    say: tuple[Text, ...] = Field(default=(), description="last lines heard, e.g. the number is switched off")
    lesson: Text
    treated_as_scam: bool | None = Field(
        default=None,
        description=(
            "real calls only, and required there: true when the trainee got here by acting as if the genuine"
            " caller were a fraud (hung up on the warning, brushed it off, turned the real courier away);"
            " false otherwise, checking officially and carrying on included. Hanging up on a real call counts"
            " as treating it as a scam whatever the ending says. A scam's ending says it by its outcome."
        ),
    )


class CallerDisplay(Frozen):
    """One way the phone can show the caller: a name (or 「未知来电」) and a number."""

    name: Text = Field(description="the name the phone shows")
    number: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="the number (or account) as the phone shows it; each # is a digit drawn for the run"
    )
    weight: int = Field(default=1, ge=1, le=100, description="how often, against the other ways")


class Caller(Frozen):
    """What the phone shows: one name and number, or `shows:`, the ways it can show this caller, one drawn
    per run. Scammers spoof official numbers and names and real callers ring from plain mobiles, so calls
    of both kinds draw from the same kinds of display and the display alone does not tell them apart."""

    name: Text | None = Field(default=None, description="the name the phone shows (with `number`)")
    number: NonEmpty | None = None
    shows: tuple[CallerDisplay, ...] = Field(default=(), description="the ways the phone can show the caller")
    dialled: bool = Field(
        default=False,
        description=(
            "true when the trainee rang this number (a hotline in an app, a number in a text message): the"
            " phone shows the number dialled instead of an incoming call. Scams and real calls both do it."
        ),
    )

    @model_validator(mode="after")
    def _one_way_or_several(self) -> Caller:
        single = self.name is not None or self.number is not None
        if single and self.shows:
            raise ValueError("give either name and number, or shows:, not both")
        if not self.shows and (self.name is None or self.number is None):
            raise ValueError("give the name and the number the phone shows, or a list of them in shows:")
        return self

    @property
    def displays(self) -> tuple[CallerDisplay, ...]:
        if self.shows:
            return self.shows
        assert self.name is not None and self.number is not None  # the validator made sure
        return (CallerDisplay(name=self.name, number=self.number),)


class Scenario(Frozen):
    schema_: str | None = Field(default=None, alias="$schema")
    id: Id
    kind: Literal["scam", "legit"]
    channel: Literal["phone", "qq", "wechat", "sms"]
    perspective: Literal["victim", "helper"] = "victim"
    title: Text
    summary: Text
    caller: Caller
    sources: tuple[Id, ...] = Field(min_length=1)
    figures: dict[Id, tuple[Annotated[int, Field(ge=1, le=MAX_YUAN)], ...]] = Field(
        default_factory=dict,
        description=(
            "where each sum paid in this call comes from: a source id of `sources` (or `ours`, for a sum"
            " we set where the advisories give none) and the sums taken from it; the debrief names the"
            " source of every sum the trainee lost"
        ),
    )
    twin: Id | None = Field(
        default=None,
        description="a scam's real counterpart: the id of the legit call with the same platform and opening",
    )
    variables: dict[Id, tuple[PlainOrText, ...]] = Field(
        default_factory=dict,
        description="one value of each is drawn per run; use as {name} in any text",
    )
    verify_how: Text = Field(description="what checking through an official channel means in this call")
    hang_up: Id = Field(description="where hanging up leads, unless a node says otherwise")
    verify: Id = Field(description="where checking officially leads, unless a node says otherwise")
    start: Id
    nodes: dict[Id, Node] = Field(min_length=1)
    endings: dict[Id, Ending] = Field(min_length=1)

    def amounts(self) -> Iterator[tuple[tuple[str | int, ...], int | str]]:
        """Every amount of yuan (a reply's `pay`, an ending's `lost` and `paid_after`), with where it sits."""
        for node_id, node in self.nodes.items():
            for i, choice in enumerate(node.choices):
                yield ("nodes", node_id, "choices", i, "effects", "pay"), choice.effects.pay
        for ending_id, ending in self.endings.items():
            yield ("endings", ending_id, "lost"), ending.lost
            yield ("endings", ending_id, "paid_after"), ending.paid_after

    def target(self, node_id: str, action: Literal["hang_up", "verify"]) -> str:
        """Where hanging up or checking leads at a node: its own choice, else the scenario's. Every move of a
        node is listed in `roleplay.core.moves`."""
        node = self.nodes[node_id]
        override = node.hang_up if action == "hang_up" else node.verify
        return override or (self.hang_up if action == "hang_up" else self.verify)
