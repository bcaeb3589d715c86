"""A document of a kind as `pfm new` writes it: from the kind's template (the portfolio's own first), through
ruamel.yaml's round trip so the template's comments and key order survive, under the schema modeline."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from pfm.io.loading import ROOT_FILES, load_file
from pfm.resources import KINDS, resource_dir, schema_path

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SCHEMA_FOLDER = "schemas"


def modeline(root: Path, file: Path, kind: str) -> str:
    """The yaml-language-server comment that points editors at the kind's schema in the portfolio."""
    relative = os.path.relpath(root / SCHEMA_FOLDER / schema_path(kind).name, file.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def render_template(root: Path, kind: str, values: dict[str, Any]) -> str:
    """A kind's template (the portfolio's own templates/entities/ first), with `values` set."""
    from ruamel.yaml import YAML

    name = f"{KINDS[kind]}.yaml"
    own = root / "templates" / "entities" / name
    template = own if own.is_file() else resource_dir("templates") / "entities" / name
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(template.read_text(encoding="utf-8"))
    for key, value in values.items():
        data[key] = value
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def default_title(ident: str) -> str:
    """The title a new entity gets from its id: `crm-replatform` is "Crm replatform"."""
    return ident.replace("-", " ").replace("_", " ").capitalize()


def first_stage(root: Path) -> str:
    """The first stage of the portfolio's lifecycle, where a new item starts."""
    stages = portfolio_document(root).get("stages")
    if isinstance(stages, list) and stages and isinstance(stages[0], dict) and "id" in stages[0]:
        return str(stages[0]["id"])
    return "idea"


def portfolio_document(root: Path) -> dict[str, Any]:
    """The Portfolio document of portfolio.yaml as plain data, or {} when there is none."""
    for name in ROOT_FILES:
        if (root / name).is_file():
            for document in load_file(root, name).documents:
                if document.kind == "Portfolio":
                    return dict(document.data)
    return {}
