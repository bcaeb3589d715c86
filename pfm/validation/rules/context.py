"""What the cross-file rules look things up in: ids per kind and the portfolio's declarations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from pfm.findings import JsonPath, Location, Problem, did_you_mean
from pfm.io.loading import Document


@dataclass
class Context:
    """Documents grouped for lookup, and the problems found so far."""

    documents: list[Document]
    usable: list[Document]  # documents pruned to what passes their schema: safe to read field by field
    by_kind: dict[str, dict[str, Document]] = field(default_factory=lambda: defaultdict(dict))
    portfolio: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    usable_by_kind: dict[str | None, list[Document]] = field(default_factory=lambda: defaultdict(list))

    written: dict[tuple[str, int], Document] = field(default_factory=dict)  # as written, before pruning

    def __post_init__(self) -> None:
        for document in self.usable:
            self.usable_by_kind[document.kind].append(document)
        self.written = {(document.file, document.index): document for document in self.documents}

    def as_written(self, document: Document) -> Any:
        """A document's data before invalid values were pruned from it."""
        return self.written[(document.file, document.index)].data

    def of_kind(self, kind: str) -> list[Document]:
        return self.usable_by_kind[kind]

    def ids(self, kind: str) -> dict[str, Document]:
        return self.by_kind[kind]

    def report(
        self,
        rule: str,
        message: str,
        document: Document,
        path: JsonPath = (),
        hint: str = "",
        target: Literal["value", "key"] = "value",
    ) -> None:
        where = Location(document.file, document.index, path, target)
        self.problems.append(Problem(rule, message, where, hint=hint))

    def check_ref(self, document: Document, path: JsonPath, value: str, known: Collection[str], what: str) -> bool:
        """Report `value` at `path` unless it is one of `known` (a set or a mapping); True when it is."""
        if value in known:
            return True
        field_name = next(
            (part for part in reversed(path) if isinstance(part, str) and part not in (value, "id")), "reference"
        )
        target: Literal["value", "key"] = "key" if path and path[-1] == value else "value"  # written as a key
        self.report(
            "ref.unknown", f"{field_name} '{value}' is not {what}", document, path, did_you_mean(value, known), target
        )
        return False
