"""Dependency rules: cycles (with the line of every edge), date conflicts, prerequisites that will not come."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from pfm.constraints import span, violation
from pfm.findings import JsonPath
from pfm.loading import Document
from pfm.rules.context import Context

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


def find_cycles(successors: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected component (and every self-loop), as [a, b, ...]: a depends on b ...

    Tarjan's algorithm without recursion, then a breadth-first search inside each
    component: linear in the graph, however large (listing every cycle could be exponential).
    """
    cycles = [[node] for node, targets in successors.items() if node in targets]
    for component in _components(successors):
        if len(component) > 1:
            cycles.append(_cycle_in(component, successors))
    rotated = [cycle[cycle.index(min(cycle)) :] + cycle[: cycle.index(min(cycle))] for cycle in cycles]
    return sorted(rotated)


def _components(successors: dict[str, list[str]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(successors):
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(successors.get(target, []))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _cycle_in(component: set[str], successors: dict[str, list[str]]) -> list[str]:
    """The shortest cycle through the component's smallest id, by breadth-first search."""
    start = min(component)
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(successors.get(node, [])):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if target in component and target not in parent:
                parent[target] = node
                queue.append(target)
    raise AssertionError("a strongly connected component always has a cycle")


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
    broken = violation(kind, entry.get("lag", 0), theirs, mine, entry["id"])
    if broken:
        context.report("deps.date-conflict", f"{data['id']} {broken}, a {kind} dependency", document, path)
