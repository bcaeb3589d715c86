"""Dependency cycles, found in linear time without a graph library (pfm validate must start fast)."""

from __future__ import annotations

from collections import deque


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
            if target == start and node != start:  # a self-loop is reported on its own
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            if target in component and target not in parent:
                parent[target] = node
                queue.append(target)
    raise AssertionError("a strongly connected component always has a cycle")
