"""Documents compared across two revisions: entities added or removed, and the fields of those on both sides.

Documents are compared raw, so a side with errors still shows what changed in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pfm.io.loading import Document
from pfm.validation.validator import Validation

KINDS = ("Portfolio", "Item", "BusinessCase", "Team", "Risk", "Scenario", "Decision")
# Rewording these changes no figure, rank or plan: on its own such an edit is not material.
FREE_TEXT = frozenset(
    {
        "title",
        "name",
        "description",
        "note",
        "notes",
        "assumptions",
        "owner",
        "sponsor",
        "manager",
        "tags",
        "rationale",
        "mitigation",
        "decision",
        "decided_by",
        "conditions",
        "forum",
    }
)
EntityKey = tuple[str, str]  # (kind, id)


@dataclass(frozen=True, slots=True)
class Entity:
    """A document present on one side only."""

    kind: str
    id: str
    title: str
    file: str

    def to_dict(self) -> dict[str, Any]:
        """The entity as `pfm diff -f json` lists it."""
        return {"kind": self.kind, "id": self.id, "title": self.title, "file": self.file}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entity, by dotted path; `old` is None when added, `new` is None when removed."""

    path: str  # e.g. "scores.customer-impact", "budget.2028.capex"
    old: Any
    new: Any
    change: Literal["added", "removed", "changed"]

    @property
    def material(self) -> bool:
        return self.path.rsplit(".", 1)[-1] not in FREE_TEXT


@dataclass(frozen=True, slots=True)
class EntityChange:
    """An entity on both sides whose fields changed or whose file moved (a move is not a field change)."""

    kind: str
    id: str
    title: str
    old_file: str
    new_file: str
    fields: tuple[FieldChange, ...]

    @property
    def moved(self) -> bool:
        return self.old_file != self.new_file

    @property
    def material(self) -> bool:
        return any(field.material for field in self.fields)

    def to_dict(self) -> dict[str, Any]:
        """The change as `pfm diff -f json` lists it, each field with its path, old and new value."""
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "old_file": self.old_file,
            "new_file": self.new_file,
            "moved": self.moved,
            "material": self.material,
            "fields": [
                {"path": f.path, "change": f.change, "old": f.old, "new": f.new, "material": f.material}
                for f in self.fields
            ],
        }


def compare_documents(
    old: Validation, new: Validation
) -> tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[EntityChange, ...]]:
    """The entities only `new` has, those only `old` has, and those on both sides that changed, in kind order."""
    before, after = _entities(old), _entities(new)
    return (
        tuple(_entity(after[key]) for key in _ordered(after.keys() - before.keys())),
        tuple(_entity(before[key]) for key in _ordered(before.keys() - after.keys())),
        tuple(_changes(before, after)),
    )


def _entities(validation: Validation) -> dict[EntityKey, Document]:
    """Documents by (kind, id); of duplicates (an error of their own) the first counts."""
    found: dict[EntityKey, Document] = {}
    for document in validation.documents:
        if document.kind is not None and document.id is not None:
            found.setdefault((document.kind, document.id), document)
    return found


def _ordered(keys: Iterable[EntityKey]) -> list[EntityKey]:
    """Kinds in the order of DESIGN.md (unknown kinds last), then ids."""
    return sorted(keys, key=lambda key: (KINDS.index(key[0]) if key[0] in KINDS else len(KINDS), key))


def _title(data: Mapping[str, Any]) -> str:
    title = data.get("title") or data.get("name")
    return title if isinstance(title, str) else ""


def _entity(document: Document) -> Entity:
    assert document.kind is not None and document.id is not None
    return Entity(document.kind, document.id, _title(document.data), document.file)


def _changes(before: Mapping[EntityKey, Document], after: Mapping[EntityKey, Document]) -> Iterator[EntityChange]:
    for key in _ordered(before.keys() & after.keys()):
        old, new = before[key], after[key]
        fields = tuple(field_changes(old.data, new.data))
        if fields or old.file != new.file:
            yield EntityChange(key[0], key[1], _title(new.data), old.file, new.file, fields)


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> Iterator[FieldChange]:
    """Mappings compared key by key (in the new document's order), lists of records by their key
    (`costs[year=2028].capex`), other lists and scalars as whole values."""
    for key in [*new, *(key for key in old if key not in new)]:
        path = f"{prefix}{key}"
        if key not in new:
            yield FieldChange(path, old[key], None, "removed")
        elif key not in old:
            yield FieldChange(path, None, new[key], "added")
        elif isinstance(old[key], dict) and isinstance(new[key], dict):
            yield from field_changes(old[key], new[key], f"{path}.")
        elif old[key] != new[key] and (by := _record_key(old[key], new[key])) is not None:
            yield from field_changes(_keyed(old[key], by), _keyed(new[key], by), f"{path}[{by}=")
        elif old[key] != new[key]:
            yield FieldChange(path, old[key], new[key], "changed")


RECORD_KEYS = ("id", "year", "name", "period", "rater")  # what tells the records of a list apart


def _record_key(old: Any, new: Any) -> str | None:
    """The field that identifies every record of both lists once, if they are lists of records."""
    records = [*old, *new] if isinstance(old, list) and isinstance(new, list) else []
    if not records or not all(isinstance(record, dict) for record in records):
        return None
    for key in RECORD_KEYS:
        if all(key in record for record in records) and all(
            len({str(r[key]) for r in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


def _keyed(records: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Records by the value of their key, as the `key=value]` part of a path (closed by the caller's `.`)."""
    return {f"{record[key]}]": {k: v for k, v in record.items() if k != key} for record in records}
