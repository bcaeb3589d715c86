"""The portfolio's dependency network as results: its boxes and arrows (`pfm deps graph`), the order in which items
can start (`pfm deps order`) and the impact of a slip (`pfm deps impact`). The arithmetic is in `pfm.analysis.graph`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from pfm.analysis.graph import FINISH_TO_START, Impact, critical_edges, critical_path, dependency_graph, impact, layers
from pfm.errors import UsageError
from pfm.findings import did_you_mean
from pfm.model import Portfolio
from pfm.results import Result


@dataclass(frozen=True, slots=True)
class Node:
    """An item as a box of the drawing."""

    id: str
    title: str
    group: str | None  # the programme the item belongs to, drawn as a cluster
    group_title: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency as an arrow, prerequisite to dependent."""

    prerequisite: str
    dependent: str
    type: str
    lag: int
    critical: bool


def drawing(
    portfolio: Portfolio, graph: Any, critical: Collection[tuple[str, str]], order: Iterable[str] | None = None
) -> tuple[list[Node], list[Link]]:
    """The boxes and arrows of `graph` (part of the portfolio's dependency graph): boxes in `order` (default:
    by id) grouped by programme, arrows in order of their ends, those in `critical` marked."""
    nodes = []
    for ident in sorted(graph.nodes) if order is None else order:
        item = portfolio.items[ident]
        parent = portfolio.items.get(item.parent) if item.parent else None
        nodes.append(Node(ident, item.title, item.parent, parent.title if parent else None))
    links = [
        Link(a, b, data.get("type", FINISH_TO_START), data.get("lag", 0), (a, b) in critical)
        for a, b, data in sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1]))
    ]
    return nodes, links


@dataclass(frozen=True, slots=True)
class Network(Result):
    """The dependency network as boxes and arrows (`pfm deps graph`); its records are the arrows."""

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [{"id": n.id, "title": n.title, "programme": n.group} for n in self.nodes],
            "edges": self.records(),
            "cycles": [],  # a portfolio that loads has none; the key stays for the scripts that read it
        }

    def records(self) -> list[dict[str, Any]]:
        return [
            {"from": e.prerequisite, "to": e.dependent, "type": e.type, "lag": e.lag, "critical": e.critical}
            for e in self.links
        ]


def dependency_network(portfolio: Portfolio, focus: str | None = None, depth: int = 2) -> Network:
    """The items and their dependencies, critical ones marked; only those within `depth` links of `focus` when given."""
    graph = dependency_graph(portfolio)
    if focus is not None:
        _known_item(portfolio, focus)
        near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=depth)
        graph = graph.subgraph(near).copy()
    nodes, links = drawing(portfolio, graph, critical_edges(graph, critical_path(graph)))
    return Network(tuple(nodes), tuple(links))


@dataclass(frozen=True, slots=True)
class DependencyOrder(Result):
    """The items in layers (`pfm deps order`): those of a layer can start together once the layers before are done."""

    layers: tuple[tuple[str, ...], ...]
    titles: Mapping[str, str]  # item id -> title

    def to_dict(self) -> dict[str, Any]:
        return {"layers": [list(layer) for layer in self.layers]}

    def records(self) -> list[dict[str, Any]]:
        return [
            {"layer": number, "id": ident, "title": self.titles[ident]}
            for number, layer in enumerate(self.layers, 1)
            for ident in layer
        ]


def dependency_order(portfolio: Portfolio) -> DependencyOrder:
    """The portfolio's items in topological layers, each sorted by id."""
    ordered = layers(dependency_graph(portfolio))
    return DependencyOrder(
        tuple(map(tuple, ordered)), {i: portfolio.items[i].title for layer in ordered for i in layer}
    )


@dataclass(frozen=True, slots=True)
class SlipImpact(Result):
    """What moves if an item slips (`pfm deps impact`): everything downstream, most moved first."""

    id: str
    slip: int  # quarters
    items: tuple[Impact, ...]
    titles: Mapping[str, str]  # item id -> title

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slip": self.slip,
            "items": [{"id": e.id, "moves_by": e.moves_by, "via": e.via} for e in self.items],
        }

    def records(self) -> list[dict[str, Any]]:
        return [{"id": e.id, "title": self.titles[e.id], "moves_by": e.moves_by, "via": e.via} for e in self.items]


def slip_impact(portfolio: Portfolio, item: str, slip: int = 1) -> SlipImpact:
    """How far each item downstream of `item` moves if it finishes `slip` quarters late (see `graph.impact`)."""
    _known_item(portfolio, item)
    effects = impact(dependency_graph(portfolio), item, slip)
    return SlipImpact(item, slip, tuple(effects), {e.id: portfolio.items[e.id].title for e in effects})


def _known_item(portfolio: Portfolio, ident: str) -> None:
    """Raise a UsageError, with the closest id as a hint, unless `ident` is an item of the portfolio."""
    if ident not in portfolio.items:
        hint = did_you_mean(ident, portfolio.items)
        raise UsageError(f"no item '{ident}'" + (f"; {hint}" if hint else ""))
