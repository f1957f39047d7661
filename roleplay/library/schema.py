"""JSON Schema (draft-07) of the scenario and catalog files, generated from the model, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from roleplay.core.model import Catalog, Scenario

SCHEMA_DIR = Path(__file__).parent / "schema"
SCENARIO_SCHEMA = SCHEMA_DIR / "scenario.schema.json"
CATALOG_SCHEMA = SCHEMA_DIR / "catalog.schema.json"


def _closed(schema: Any) -> Any:
    """Maps whose keys must match a pattern (ids) admit no other key, as the validator says: pydantic's
    schema lists `patternProperties` but leaves other keys allowed."""
    if isinstance(schema, dict):
        if "patternProperties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _closed(value)
    elif isinstance(schema, list):
        for value in schema:
            _closed(value)
    return schema


def _draft07(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = _closed(model.model_json_schema(ref_template="#/definitions/{model}"))
    definitions = schema.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "title": title,
        "definitions": definitions,
    }


def scenario_schema() -> dict[str, Any]:
    return _draft07(Scenario, "roleplay scenario")


def catalog_schema() -> dict[str, Any]:
    return _draft07(Catalog, "roleplay red-flag catalog")


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write() -> None:
    """Regenerate the committed schema files (run after changing the model)."""
    SCENARIO_SCHEMA.write_text(render(scenario_schema()), encoding="utf-8")
    CATALOG_SCHEMA.write_text(render(catalog_schema()), encoding="utf-8")


if __name__ == "__main__":
    write()
