"""Dependency rules: cycles (with the line of every edge), date conflicts, prerequisites that will not come."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pfm.findings import JsonPath
from pfm.io.loading import Document
from pfm.validation.constraints import span, violation
from pfm.validation.cycles import find_cycles
from pfm.validation.rules.context import Context

Edge = tuple[str, JsonPath]  # prerequisite id, and where the dependent names it


def check_dependencies(context: Context) -> None:
    """Report dependency cycles, date conflicts and prerequisites that are closed or cancelled."""
    items = {document.data["id"]: document for document in context.of_kind("Item")}
    edges = {ident: _edges(document.data, items) for ident, document in items.items()}
    for cycle in find_cycles({ident: [target for target, _ in out] for ident, out in edges.items()}):
        _report_cycle(context, cycle, items, edges)
    states = {stage["id"]: stage["state"] for stage in context.portfolio.get("stages", [])}
    for ident, document in items.items():
        for (prerequisite, path), entry in zip(edges[ident], _entries(document.data, items), strict=True):
            _check_dates(context, document, items[prerequisite].data, entry, path)
            state = states.get(items[prerequisite].data.get("stage", ""))
            if state == "cancelled":
                context.report("deps.cancelled", f"depends on {prerequisite}, which is cancelled", document, path)
            elif state == "closed":
                context.report("deps.closed", f"depends on {prerequisite}, which is closed (delivered)", document, path)


def _entries(data: dict[str, Any], items: dict[str, Document]) -> list[dict[str, Any]]:
    normal = [{"id": e} if isinstance(e, str) else e for e in data.get("depends_on", [])]
    return [entry for entry in normal if entry["id"] in items]


def _edges(data: dict[str, Any], items: Mapping[str, Any]) -> list[Edge]:
    """The dependencies naming a known item, with where each is written; malformed entries are skipped."""
    out: list[Edge] = []
    entries = data.get("depends_on")
    for position, entry in enumerate(entries if isinstance(entries, list) else []):
        path: JsonPath
        if isinstance(entry, str):
            ident, path = entry, ("depends_on", position)
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            ident, path = entry["id"], ("depends_on", position, "id")
        else:
            continue
        if ident in items:
            out.append((ident, path))
    return out


def successors_of(documents: Iterable[Document]) -> dict[str, list[str]]:
    """Item id -> the ids of the items it depends on, from documents as read."""
    items = {d.id: d for d in documents if d.kind == "Item" and d.id is not None and isinstance(d.data, dict)}
    return {ident: [target for target, _ in _edges(document.data, items)] for ident, document in items.items()}


def _report_cycle(context: Context, cycle: list[str], items: dict[str, Document], edges: dict[str, list[Edge]]) -> None:
    text = " → ".join([*cycle, cycle[0]])
    for position, ident in enumerate(cycle):
        target = cycle[(position + 1) % len(cycle)]
        path = next(p for t, p in edges[ident] if t == target)
        context.report(
            "deps.cycle", f"dependency cycle: {text} (this line: {ident} depends on {target})", items[ident], path
        )


def _check_dates(
    context: Context, document: Document, prerequisite: dict[str, Any], entry: dict[str, Any], path: JsonPath
) -> None:
    data = document.data
    mine = span(data.get("start"), data.get("duration"), data.get("end"))
    theirs = span(prerequisite.get("start"), prerequisite.get("duration"), prerequisite.get("end"))
    if mine is None or theirs is None:
        return
    kind = entry.get("type", "finish-to-start")
    broken = violation(kind, entry.get("lag", 0), theirs, mine, (data["id"], entry["id"]))
    if broken:
        context.report("deps.date-conflict", broken, document, path)
