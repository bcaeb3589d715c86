"""Write new portfolio files: a skeleton repository (with its CI workflow and pre-commit configuration),
an entity from its template, the schemas.

Every document written into a portfolio goes through ruamel.yaml's round-trip mode, so the
templates' comments and key order survive; the CI files are text with pfm's version filled in.
Every file is written through an atomic rename.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from pfm.errors import UsageError
from pfm.io.entities import ID_PATTERN, SCHEMA_FOLDER, default_title, first_stage, modeline, render_template
from pfm.io.files import make_folder, write_atomic
from pfm.io.loading import ROOT_FILES
from pfm.resources import FOLDERS, KINDS, load_schema, resource_dir, schema_path

# What `pfm init` adds for CI, from templates/ci/: the repository's path -> the template's name.
CI_FILES = {
    ".github/workflows/pfm.yml": "github-workflow.yml",
    ".github/workflows/pfm-site.yml": "github-site-workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
}


def kind_of(name: str) -> str:
    """The document kind named on the command line: `item`, `business-case`, `BusinessCase`, ..."""
    wanted = name.replace("-", "").replace("_", "").lower()
    for kind in KINDS:
        if kind.lower() == wanted and kind != "Portfolio":
            return kind
    choices = ", ".join(stem for kind, stem in KINDS.items() if kind != "Portfolio")
    raise UsageError(f"unknown kind '{name}' (choose one of: {choices})")


def export_schemas(directory: Path) -> list[Path]:
    """Copy every kind's JSON Schema into `directory`."""
    make_folder(directory)
    written = []
    for kind in KINDS:
        target = directory / schema_path(kind).name
        write_atomic(target, json.dumps(load_schema(kind), indent=2, ensure_ascii=False) + "\n")
        written.append(target)
    return written


def render_ci_template(name: str) -> str:
    """A template of templates/ci/ with pfm's version filled in for @PFM_VERSION@.

    A plain replacement, not Jinja: the workflows are full of GitHub's own ${{ ... }} expressions.
    """
    from pfm import __version__

    text = (resource_dir("templates") / "ci" / name).read_text(encoding="utf-8")
    return text.replace("@PFM_VERSION@", __version__)


def new_entity(
    root: Path, kind: str, ident: str, title: str | None = None, item: str | None = None, force: bool = False
) -> Path:
    """Write `<folder>/<id>.yaml` for a new entity of `kind`; returns its path."""
    if not ID_PATTERN.match(ident):
        raise UsageError(
            f"'{ident}' is not a valid id: use letters, digits, '.', '_' and '-', starting with a letter or digit"
        )
    target = root / FOLDERS[kind] / f"{ident}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target.relative_to(root)} already exists (use --force to overwrite)")
    values: dict[str, Any] = {"id": ident}
    if kind != "BusinessCase":
        values["title"] = title or default_title(ident)
    if kind == "Item":
        values["stage"] = first_stage(root)
    if kind == "BusinessCase":
        values["item"] = item or ident.removesuffix("-case")
    if kind == "Decision":
        values["date"] = datetime.date.today().isoformat()
    write_atomic(target, modeline(root, target, kind) + render_template(root, kind, values))
    return target


def init_portfolio(directory: Path, name: str | None = None) -> list[Path]:
    """Scaffold a new portfolio repository in `directory`; returns the files written."""
    if any((directory / file).exists() for file in ROOT_FILES):
        raise UsageError(f"{directory} already holds a portfolio")
    make_folder(directory)
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", directory.resolve().name).strip("-._") or "portfolio"
    written = export_schemas(directory / SCHEMA_FOLDER)
    portfolio = directory / ROOT_FILES[0]
    text = render_template(directory, "Portfolio", {"id": ident, "name": name or ident.replace("-", " ").title()})
    write_atomic(portfolio, modeline(directory, portfolio, "Portfolio") + text)
    written.append(portfolio)
    for kind, folder in FOLDERS.items():
        if kind != "Portfolio":
            keep = directory / folder / ".gitkeep"
            write_atomic(keep, "")
            written.append(keep)
    settings = directory / ".vscode" / "settings.json"
    globs = {
        f"{SCHEMA_FOLDER}/{schema_path(kind).name}": [f"{folder}/*.yaml" if folder != "." else "portfolio.yaml"]
        for kind, folder in FOLDERS.items()
    }
    write_atomic(settings, json.dumps({"yaml.schemas": globs}, indent=2) + "\n")
    written.append(settings)
    for path, template in CI_FILES.items():
        target = directory / path
        text = render_ci_template(template)
        if target.is_file():  # the repository's own: kept, and a .gitignore gains only the lines it lacks
            if path != ".gitignore":
                continue
            present = target.read_text(encoding="utf-8")
            missing = [line for line in text.splitlines() if line not in present.splitlines()]
            text = (
                present + ("" if present.endswith("\n") or not present else "\n") + "".join(f"{m}\n" for m in missing)
            )
        write_atomic(target, text)
        written.append(target)
    return written
