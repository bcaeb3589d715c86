"""Files shipped with pfm: JSON Schemas and templates."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
TEMPLATE_FOLDER = "templates"  # pfm's own, and a portfolio's overrides of them

# Document kind -> schema file stem, in the order reports list kinds.
KINDS: dict[str, str] = {
    "Portfolio": "portfolio",
    "Item": "item",
    "BusinessCase": "business-case",
    "Team": "team",
    "Risk": "risk",
    "Scenario": "scenario",
    "Decision": "decision",
}

# Where each kind's files live by convention.
FOLDERS: dict[str, str] = {
    "Portfolio": ".",
    "Item": "items",
    "BusinessCase": "business-cases",
    "Team": "teams",
    "Risk": "risks",
    "Scenario": "scenarios",
    "Decision": "decisions",
}


def resource_dir(name: str) -> Path:
    """A shipped folder: inside the installed package, or at the top of a source checkout."""
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def schema_path(kind: str) -> Path:
    return resource_dir("schemas") / f"{KINDS[kind]}.schema.json"


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a document kind."""
    with schema_path(kind).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema
