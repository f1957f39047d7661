"""Training records as xAPI 1.0.3 statements, written to a file or posted to a learning record store (LRS).

Why: police training departments and community learning platforms keep records in an LRS; xAPI lets
them import these calls without knowing anything about roleplay. One "completed" statement per finished
call (with success, score, duration and extensions for outcome, money lost and flags missed) and one
"answered" statement per decision, linked by the call's registration id. In workshops the facilitator is
the statement's `context.instructor`. Statement ids are UUIDs derived from the history file's install id
and the call, so exporting the same calls again gives the same ids (an LRS then sees the same statements,
not new ones).
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from roleplay.core.inert import inert
from roleplay.history.clock import timestamp
from roleplay.history.names import ROOM_PREFIX, room_trainee
from roleplay.history.records import CallRecord, ExcerptAnswer, Workshop
from roleplay.history.store import Store
from roleplay.history.versions import Versions
from roleplay.library.library import Library

XAPI_VERSION = "1.0.3"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
ACTIVITY_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ACTIVITY_MEETING = "http://adlnet.gov/expapi/activities/meeting"
# Where the trainees' accounts and the activities are said to live. An LRS operator can pass their own.
DEFAULT_HOME_PAGE = "https://roleplay.invalid"
# Fixed: with the install id, the same call always gets the same statement ids.
_NAMESPACE = uuid.UUID("8a4c3e0e-5d1b-4f43-9a55-6b1f2f1f7c10")


def iso_duration(span: timedelta) -> str:
    """An ISO 8601 duration such as PT1M5.25S; hundredths of a second, the precision xAPI keeps."""
    centis = max(0, round(span.total_seconds() * 100))
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, hundredths = divmod(rest, 100)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if hundredths:
        out += f"{seconds}.{hundredths:02d}".rstrip("0") + "S"
    elif seconds or out == "PT":
        out += f"{seconds}S"
    return out


@dataclass(frozen=True)
class Identity:
    """How this export names people and things: accounts and activity ids live under `home_page`."""

    home_page: str = DEFAULT_HOME_PAGE

    def agent(self, nickname: str) -> dict[str, Any]:
        return {
            "objectType": "Agent",
            "name": nickname,
            "account": {"homePage": self.home_page, "name": nickname},
        }

    def extension(self, name: str) -> str:
        """The IRI of one of roleplay's extensions (outcome, money-lost, flags-missed…)."""
        return self.activity("extensions", name)

    def activity(self, *path: str) -> str:
        return self.home_page.rstrip("/") + "/" + "/".join(urllib.parse.quote(p, safe="") for p in path)


def _language_map(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en-US": en}


def _score(record: CallRecord) -> dict[str, Any]:
    """Flags spotted plus one for judging the call right, out of flags met plus one: 0 to 1."""
    raw = len(record.spotted_flags) + (1 if record.judged_right else 0)
    top = len(record.flags) + 1
    return {"scaled": round(raw / top, 4), "raw": raw, "min": 0, "max": top}


def call_statements(
    record: CallRecord,
    library: Library,
    *,
    install_id: str,
    identity: Identity,
    workshop: Workshop | None = None,
    versions: Versions | None = None,
) -> list[dict[str, Any]]:
    """The statements of one finished call: one "answered" per decision, then one "completed"."""
    if record.status != "finished" or record.ended_at is None:
        return []
    key = f"{install_id}/call/{record.id}"
    registration = str(uuid.uuid5(_NAMESPACE, key))
    actor = identity.agent(record.trainee)
    scenario_activity = {
        "objectType": "Activity",
        "id": identity.activity("scenarios", record.scenario),
        "definition": {
            "type": ACTIVITY_SIMULATION,
            "name": _language_map(record.title.zh, record.title.en),
        },
    }
    context: dict[str, Any] = {
        "registration": registration,
        "platform": "roleplay",
        "language": "zh-CN" if record.lang == "zh" else "en-US",
        "extensions": {
            identity.extension("scenario-hash"): record.scenario_hash,
            identity.extension("seed"): record.seed,
        },
    }
    if workshop is not None:
        context["instructor"] = identity.agent(workshop.facilitator)
        context["contextActivities"] = {"grouping": [_workshop_activity(identity, workshop)]}
    if record.trainee.startswith(ROOM_PREFIX):
        context["extensions"][identity.extension("played-by-room")] = True
    scenario = library.scenarios.get(record.scenario)
    versions = versions or Versions(library)
    same_version = scenario is not None and record.matches(versions.of(record))
    statements = []
    for step_record in record.steps:
        step = step_record.step
        met = [f for f in record.flags if f.turn == step.turn]
        response = "hang-up" if step.action == "hang_up" else "verify" if step.action == "verify" else None
        if response is None:
            response = f"reply-{(step.index or 0) + 1}"
        definition: dict[str, Any] = {
            "type": ACTIVITY_INTERACTION,
            "interactionType": "choice",
            "name": _language_map(
                f"{record.title.zh} · 第{step.turn}轮", f"{record.title.en} · turn {step.turn}"
            ),
        }
        if same_version and scenario is not None and step.node in scenario.nodes:
            node = scenario.nodes[step.node]
            definition["choices"] = [
                {"id": f"reply-{i}", "description": _language_map(c.text.zh, c.text.en)}
                for i, c in enumerate(node.choices, 1)
            ] + [
                {"id": "hang-up", "description": _language_map("挂断电话", "Hang up")},
                {"id": "verify", "description": _language_map("通过官方渠道核实", "Check officially")},
            ]
        result: dict[str, Any] = {"response": response}
        extensions: dict[str, Any] = {}
        if met:
            result["success"] = all(f.status == "spotted" for f in met)
            extensions[identity.extension("flags-spotted")] = [f.flag for f in met if f.status == "spotted"]
            extensions[identity.extension("flags-missed")] = [f.flag for f in met if f.status == "missed"]
        if step_record.votes is not None:
            extensions[identity.extension("room-votes")] = dict(step_record.votes)
            extensions[identity.extension("facilitator-override")] = bool(step_record.overridden)
        if extensions:
            result["extensions"] = extensions
        statements.append(
            {
                "id": str(uuid.uuid5(_NAMESPACE, f"{key}/turn/{step.turn}")),
                "actor": actor,
                "verb": {"id": VERB_ANSWERED, "display": {"en-US": "answered", "zh-CN": "回答"}},
                "object": {
                    "objectType": "Activity",
                    "id": identity.activity("scenarios", record.scenario, "nodes", step.node),
                    "definition": definition,
                },
                "result": result,
                "context": context | {"contextActivities": _with_parent(context, scenario_activity)},
                "timestamp": timestamp(step_record.at),
            }
        )
    completed_extensions: dict[str, Any] = {
        identity.extension("outcome"): record.outcome,
        identity.extension("severity"): record.severity,
        identity.extension("money-lost"): record.lost,
        identity.extension("given-away"): list(record.exposed),
        identity.extension("flags-missed"): record.missed_flags,
        identity.extension("flags-spotted"): record.spotted_flags,
        identity.extension("judged-scam"): record.judged_scam,
        # What the trainee did: hit, miss, false_alarm (a real call treated as a scam), correct_rejection.
        identity.extension("behaviour"): record.behaviour,
        identity.extension("kind"): record.kind,
    }
    if record.room_votes is not None:
        completed_extensions[identity.extension("room-judgement")] = {
            "scam": record.room_votes[0],
            "not-scam": record.room_votes[1],
        }
    statements.append(
        {
            "id": str(uuid.uuid5(_NAMESPACE, f"{key}/completed")),
            "actor": actor,
            "verb": {"id": VERB_COMPLETED, "display": {"en-US": "completed", "zh-CN": "完成"}},
            "object": scenario_activity,
            "result": {
                # Safe, judged right, and no real caller treated as a fraud (hung up on, turned away).
                "success": record.outcome == "safe"
                and record.judged_right is not False
                and record.behaviour != "false_alarm",
                "completion": True,
                "score": _score(record),
                "duration": iso_duration(record.ended_at - record.started_at),
                "extensions": completed_extensions,
            },
            "context": context,
            "timestamp": timestamp(record.ended_at),
        }
    )
    return statements


def _workshop_activity(identity: Identity, workshop: Workshop) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": identity.activity("workshops", workshop.id),
        "definition": {"type": ACTIVITY_MEETING, "name": {"und": workshop.title or workshop.id}},
    }


_VERDICTS = {"scam": ("是诈骗", "A scam"), "not-scam": ("不是诈骗", "Not a scam")}


def test_statements(
    answer: ExcerptAnswer, library: Library, *, install_id: str, identity: Identity, workshop: Workshop
) -> list[dict[str, Any]]:
    """One "answered" statement for how the room judged one item of the quick-fire test before or after the
    talk: the room is the actor (its counts are of raised hands, not of people), the workshop the grouping."""
    if answer.said_scam + answer.said_not == 0:
        return []
    right = "scam" if answer.kind == "scam" else "not-scam"
    if answer.said_scam == answer.said_not:
        response = "scam[,]not-scam"  # the room was split evenly: both answers, as xAPI writes several
    else:
        response = "scam" if answer.said_scam > answer.said_not else "not-scam"
    correct = answer.said_scam if answer.kind == "scam" else answer.said_not
    total = answer.said_scam + answer.said_not
    scenario = library.scenarios.get(answer.scenario)
    title = scenario.title if scenario is not None else None
    phase_zh, phase_en = {
        "pre": ("测前", "before the talk"),
        "post": ("测后", "after the talk"),
        "follow": ("复测", "at the follow-up"),
    }[answer.phase]
    name = _language_map(
        f"{phase_zh}第{answer.item}题" + (f" · {title.zh}" if title else ""),
        f"Item {answer.item} {phase_en}" + (f" · {title.en}" if title else ""),
    )
    return [
        {
            "id": str(
                uuid.uuid5(_NAMESPACE, f"{install_id}/workshop/{workshop.id}/{answer.phase}/{answer.item}")
            ),
            "actor": identity.agent(room_trainee(workshop.id)),
            "verb": {"id": VERB_ANSWERED, "display": {"en-US": "answered", "zh-CN": "回答"}},
            "object": {
                "objectType": "Activity",
                "id": identity.activity("workshops", workshop.id, "tests", answer.phase, str(answer.item)),
                "definition": {
                    "type": ACTIVITY_INTERACTION,
                    "interactionType": "choice",
                    "name": name,
                    "choices": [
                        {"id": choice, "description": _language_map(*words)}
                        for choice, words in _VERDICTS.items()
                    ],
                    "correctResponsesPattern": [right],
                },
            },
            "result": {
                "response": response,
                "success": response == right,
                "score": {"scaled": round(correct / total, 4), "raw": correct, "min": 0, "max": total},
                "extensions": {
                    identity.extension("room-answers"): {
                        "scam": answer.said_scam,
                        "not-scam": answer.said_not,
                    },
                    identity.extension("test-phase"): answer.phase,
                    identity.extension("kind"): answer.kind,
                    identity.extension("scenario"): answer.scenario,
                },
            },
            "context": {
                "platform": "roleplay",
                "instructor": identity.agent(workshop.facilitator),
                "contextActivities": {"grouping": [_workshop_activity(identity, workshop)]},
            },
            "timestamp": timestamp(answer.at),
        }
    ]


def _with_parent(context: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    activities = dict(context.get("contextActivities", {}))
    activities["parent"] = [parent]
    return activities


def statements(
    store: Store,
    library: Library,
    *,
    workshop_id: str | None = None,
    trainee: str | None = None,
    identity: Identity | None = None,
) -> list[dict[str, Any]]:
    """The statements of every finished call in scope, oldest first, then the workshops' test answers (a
    trainee's export has none: those are the room's). Raises UnknownWorkshop."""
    identity = identity or Identity()
    if workshop_id is not None:
        store.workshop(workshop_id)  # an unknown id is an error, not an empty export
    workshops = {w.id: w for w in store.workshops()}
    install_id = store.install_id()
    versions = Versions(library)
    out: list[dict[str, Any]] = []
    for record in store.calls(
        trainee=trainee, workshop_id=workshop_id, status="finished", newest_first=False
    ):
        workshop = workshops.get(record.workshop_id) if record.workshop_id else None
        out += call_statements(
            record, library, install_id=install_id, identity=identity, workshop=workshop, versions=versions
        )
    if trainee is None:
        for workshop in workshops.values():
            if workshop_id is not None and workshop.id != workshop_id:
                continue
            for answer in store.test_answers(workshop.id):
                out += test_statements(
                    answer, library, install_id=install_id, identity=identity, workshop=workshop
                )
    return out


def dumps(batch: Iterable[dict[str, Any]]) -> str:
    # JSON escapes C0 itself; C1 and bidi overrides it writes as they are, so they are made inert too.
    return inert(json.dumps(list(batch), ensure_ascii=False, indent=2)) + "\n"
