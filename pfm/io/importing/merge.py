"""Imported documents merged into the portfolio's files: updated in place, added, or (asked to) removed.

An existing document is edited through ruamel.yaml's round trip: only the mapped fields whose value changed are
set, so comments, key order and every field the mapping does not name stay as they were. A new document starts
from its kind's template with the schema modeline, as `pfm new` writes it. Every change is planned first and
written only when the whole plan is sound, each file through an atomic rename.
"""

from __future__ import annotations

import copy
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pfm.io.entities import default_title, first_stage, modeline, render_template
from pfm.io.files import write_atomic
from pfm.io.importing.mapping import Imported
from pfm.io.importing.newfiles import document_text, split_template
from pfm.io.loading import discover_files, load_file
from pfm.resources import FOLDERS


@dataclass(frozen=True, slots=True)
class ImportedField:
    """One field of a document: its value before (None: absent) and after."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """A document added, changed, removed, or missing from the source (kept: no --prune)."""

    action: str  # added | changed | removed | missing
    kind: str
    id: str
    file: str
    fields: tuple[ImportedField, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "kind": self.kind,
            "id": self.id,
            "file": self.file,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass
class Plan:
    """What an import changes: per document, and the text each touched file gets (None: deleted)."""

    changes: list[DocumentChange] = field(default_factory=list)
    unchanged: int = 0
    texts: dict[str, str | None] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        for file, text in self.texts.items():
            if text is None:
                (root / file).unlink(missing_ok=True)
            else:
                write_atomic(root / file, text)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # `key:\n  - item`, as pfm's templates and examples write lists
    return yaml


def plan_merge(root: Path, documents: list[Imported], prune: bool) -> Plan:
    """The changes that bring the portfolio's files in line with `documents`, keyed by kind and id."""
    yaml = _yaml()
    kinds = {document.kind for document in documents}
    where, plain = _existing(root, kinds)
    loaded: dict[str, list[Any]] = {}
    templates: dict[str, Any] = {"stage": None}  # per kind: the template, and its entries; the first stage
    plan = Plan()
    for document in documents:
        found = where.pop((document.kind, document.id.lower()), None)
        if found is None:
            file, text, changes = _new_document(root, document, yaml, templates)
            plan.texts[file] = modeline(root, root / file, document.kind) + text
            plan.changes.append(DocumentChange("added", document.kind, document.id, file, tuple(changes)))
            continue
        file, index = found
        if file not in loaded and not _apply(copy.deepcopy(plain[found]), document):  # as it is: not read again
            plan.unchanged += 1
            continue
        if file not in loaded:
            loaded[file] = list(yaml.load_all((root / file).read_text(encoding="utf-8")))
        changes = _apply(loaded[file][index], document)
        if changes:
            plan.texts[file] = _dump(yaml, loaded[file])
            plan.changes.append(DocumentChange("changed", document.kind, document.id, file, tuple(changes)))
        else:
            plan.unchanged += 1
    for (kind, _), (file, index) in sorted(where.items(), key=lambda entry: entry[1]):
        ident = str(_document(root, file, index, loaded, yaml)["id"])
        plan.changes.append(DocumentChange("removed" if prune else "missing", kind, ident, file))
        if prune:
            loaded[file][index] = None
    for file, held in loaded.items():
        if any(document is None for document in held):
            kept = [document for document in held if document is not None]
            plan.texts[file] = _dump(yaml, kept) if kept else None
    return plan


def _existing(root: Path, kinds: set[str]) -> tuple[dict[tuple[str, str], tuple[str, int]], dict[tuple[str, int], Any]]:
    """(kind, id in lower case) -> (file, document index) of every document of those kinds in the portfolio, and
    (file, index) -> the document as plain data (to tell an unchanged document without its round trip)."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    plain: dict[tuple[str, int], Any] = {}
    for file in discover_files(root):
        for document in load_file(root, file).documents:
            if document.kind in kinds and document.id is not None:
                found.setdefault((document.kind, document.id.lower()), (file, document.index))
                plain[(file, document.index)] = document.data
    return found, plain


def _document(root: Path, file: str, index: int, loaded: dict[str, list[Any]], yaml: Any) -> Any:
    if file not in loaded:
        loaded[file] = list(yaml.load_all((root / file).read_text(encoding="utf-8")))
    return loaded[file][index]


def _new_document(
    root: Path, document: Imported, yaml: Any, templates: dict[str, Any]
) -> tuple[str, str, list[ImportedField]]:
    """A new document's file, text and fields: the kind's template (read once per import) with the defaults `pfm
    new` gives and the imported values; written as text where the template allows it (`newfiles`)."""
    file = f"{FOLDERS[document.kind]}/{document.id}.yaml"
    values: dict[str, Any] = {"id": document.id}
    if document.kind == "Item":
        values["title"] = default_title(document.id)
        templates["stage"] = templates["stage"] or first_stage(root)
        values["stage"] = templates["stage"]
    if document.kind == "BusinessCase":
        values["item"] = document.id.removesuffix("-case")
        if document.costs:
            values["costs"] = []
    if document.kind not in templates:
        text = render_template(root, document.kind, {})
        templates[document.kind] = (yaml.load(text), split_template(text))
    template, entries = templates[document.kind]
    data = {**_plain(template), **values}
    changes = [ImportedField(change.field, None, change.new) for change in _apply(data, document)]
    written = document_text(entries, _plain(data)) if entries is not None else None
    if written is None:  # a template or a value the text writer does not take: the round trip
        styled = copy.deepcopy(template)
        for key, value in data.items():
            styled[key] = _styled(value)
        written = _dump(yaml, [styled])
    return file, written, changes


def _apply(data: Any, document: Imported) -> list[ImportedField]:
    """Set each mapped value that differs from the document's; the changes made, in the mapping's order."""
    changes = []
    for path, value in document.values.items():
        name, _, key = path.partition(".")
        holder = data
        if key:
            if not isinstance(data.get(name), dict):
                data[name] = _styled({})
            holder, name = data[name], key
        old = _plain(holder.get(name))
        if old != value and not (old is None and path in document.defaults and document.defaults[path] == value):
            holder[name] = _styled(value)
            changes.append(ImportedField(path, old, value))
    if document.costs:
        changes += _apply_costs(data, document.costs)
    return changes


def _apply_costs(data: Any, costs: list[dict[str, Any]]) -> list[ImportedField]:
    """Cost rows merged by year: figures that changed are set, new years inserted in order, other years kept."""
    if not isinstance(data.get("costs"), list):
        data["costs"] = _styled([])
    rows = data["costs"]
    changes = []
    for row in costs:
        same = next((old for old in rows if isinstance(old, dict) and old.get("year") == row["year"]), None)
        if same is None:
            later = [
                i for i, old in enumerate(rows) if isinstance(old, dict) and _plain(old.get("year", 0)) > row["year"]
            ]
            rows.insert(later[0] if later else len(rows), _styled(row))
            changes.append(ImportedField(f"costs[{row['year']}]", None, row))
            continue
        for measure in ("capex", "opex"):
            old = _plain(same.get(measure))
            if measure in row and old != row[measure] and not (old is None and row[measure] == 0):  # absent is 0
                changes.append(ImportedField(f"costs[{row['year']}].{measure}", old, row[measure]))
                same[measure] = row[measure]
    return changes


def _styled(value: Any) -> Any:
    """A value as ruamel writes it: short lists and cost rows in flow style (`[a, b]`, `{year: 2027, ...}`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        styled = CommentedMap((key, _styled(item)) for key, item in value.items())
        if value and all(not isinstance(item, dict | list) for item in value.values()):
            styled.fa.set_flow_style()
        return styled
    if isinstance(value, list):
        sequence = CommentedSeq(_styled(item) for item in value)
        if value and all(not isinstance(item, dict | list) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    return value


def _plain(value: Any) -> Any:
    """ruamel's round-trip value as plain data, to compare with an imported one."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else float(value)
    return str(value)


def _dump(yaml: Any, documents: list[Any], head: str = "") -> str:
    buffer = io.StringIO()
    yaml.dump_all(documents, buffer)
    return head + buffer.getvalue()
