"""The JSON Schemas themselves: valid draft-07, every property described, unknown keys refused but x- allowed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from pfm.resources import KINDS, load_schema


def properties(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{path}.{name}", sub
        for key, sub in schema.items():
            if key != "definitions":
                yield from properties(sub, f"{path}/{key}")
    elif isinstance(schema, list):
        for position, sub in enumerate(schema):
            yield from properties(sub, f"{path}[{position}]")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_07(kind: str) -> None:
    jsonschema.Draft7Validator.check_schema(load_schema(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind: str) -> None:
    undescribed = [path for path, sub in properties(load_schema(kind)) if "description" not in sub]
    assert undescribed == []


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_keys_are_refused_and_extension_keys_allowed(kind: str) -> None:
    schema = load_schema(kind)
    assert schema["additionalProperties"] is False
    assert "^x-" in schema["patternProperties"]
    assert schema["properties"]["kind"] == {"description": "Document kind.", "const": kind}
