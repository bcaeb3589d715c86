"""The dependency graph: cycles, layers, critical path method and slip impact."""

from __future__ import annotations

import random
from types import MappingProxyType

import networkx as nx
import pytest

from pfm.analysis.graph import (
    Impact,
    critical_edges,
    critical_path,
    dependency_graph,
    find_cycles,
    impact,
    layers,
)
from pfm.model import Item, Portfolio, Source
from pfm.records import Dependency
from tests.helpers import bare_portfolio

FS, SS, FF, SF = "finish-to-start", "start-to-start", "finish-to-finish", "start-to-finish"


def item(
    ident: str,
    *depends_on: str | Dependency,
    start: str | None = None,
    duration: int | None = None,
    end: str | None = None,
) -> Item:
    return Item(
        id=ident,
        title=ident.title(),
        type="project",
        stage="idea",
        source=Source(f"items/{ident}.yaml"),
        start=start,
        duration=duration,
        end=end,
        depends_on=tuple(d if isinstance(d, Dependency) else Dependency(d) for d in depends_on),
    )


def portfolio(*items: Item) -> Portfolio:
    return bare_portfolio(items=MappingProxyType({i.id: i for i in items}))


def network(
    activities: dict[str, tuple[int, str]], links: dict[tuple[str, str], tuple[str, int]] | None = None
) -> nx.DiGraph:
    """Activity-on-node network: id -> (duration, immediate predecessors as "A,B"); `links` sets an edge's type and lag."""
    graph = nx.DiGraph()
    for ident, (duration, _) in activities.items():
        graph.add_node(ident, duration=duration, title=ident, parent=None)
    for ident, (_, before) in activities.items():
        for position, prerequisite in enumerate(p for p in before.split(",") if p):
            kind, lag = (links or {}).get((prerequisite, ident), (FS, 0))
            graph.add_edge(prerequisite, ident, type=kind, lag=lag, position=position)
    return graph


# --- the graph ---------------------------------------------------------------------------------


def test_dependency_graph_nodes_and_edges() -> None:
    graph = dependency_graph(
        portfolio(
            item("a", start="2027-Q1", end="2027-Q4"),
            item("b", "a", Dependency("ghost"), Dependency("a", SS, 2, "kick-off together"), duration=3),
            item("c", "c"),
        )
    )
    assert sorted(graph.nodes) == ["a", "b", "c"]
    assert graph.nodes["a"] == {"duration": 4, "title": "A", "parent": None}
    assert graph.nodes["b"]["duration"] == 3
    assert graph.nodes["c"]["duration"] == 0
    assert sorted(graph.edges) == [("a", "b"), ("c", "c")]  # unknown id dropped, self-loop kept
    assert graph.edges["a", "b"] == {"type": FS, "lag": 0, "position": 0}  # the first entry for a pair wins
    assert graph.edges["c", "c"]["position"] == 0


# --- cycles ------------------------------------------------------------------------------------


def test_cycles_of_length_one_two_and_five_are_reported_once_each() -> None:
    graph = dependency_graph(
        portfolio(
            item("s", "s"),  # s depends on itself
            item("x", "y"),
            item("y", "x"),
            item("m", "k"),  # the five-cycle j -> o -> m -> k -> n -> j, declared out of order
            item("k", "n"),
            item("n", "j"),
            item("j", "o"),
            item("o", "m"),
            item("z", "j", "a"),  # acyclic parts, one hanging off the five-cycle
            item("a", "b"),
            item("b"),
        )
    )
    assert find_cycles(graph) == [["j", "o", "m", "k", "n"], ["s"], ["x", "y"]]


def test_a_cycle_is_the_shortest_one_through_the_smallest_id() -> None:
    # b -> c -> d -> e -> b and the shortcut b -> e -> b share one strongly connected component.
    graph = dependency_graph(portfolio(item("b", "c", "e"), item("c", "d"), item("d", "e"), item("e", "b")))
    assert find_cycles(graph) == [["b", "e"]]


def test_a_self_loop_inside_a_larger_cycle_is_reported_too() -> None:
    graph = dependency_graph(portfolio(item("a", "a", "b"), item("b", "a")))
    assert find_cycles(graph) == [["a"], ["a", "b"]]


def test_no_cycle_in_a_large_acyclic_graph() -> None:
    rng = random.Random(7)
    edges: set[tuple[int, int]] = set()
    while len(edges) < 30_000:
        low, high = sorted(rng.sample(range(10_000), 2))
        edges.add((low, high))  # always from the lower number: no cycle
    graph = nx.DiGraph()
    graph.add_nodes_from(range(10_000))
    graph.add_edges_from(sorted(edges))
    assert find_cycles(graph) == []
    assert len(layers(graph)[0]) > 0


# --- layers ------------------------------------------------------------------------------------


def test_layers_are_topological_generations_sorted_by_id() -> None:
    graph = dependency_graph(portfolio(item("d", "c", "b"), item("c", "a"), item("b", "a"), item("a"), item("e")))
    assert layers(graph) == [["a", "e"], ["b", "c"], ["d"]]


def test_layers_name_a_cycle() -> None:
    graph = dependency_graph(portfolio(item("a"), item("x", "y", "a"), item("y", "x")))
    with pytest.raises(ValueError, match="x -> y -> x"):
        layers(graph)
    with pytest.raises(ValueError, match="x -> y -> x"):
        critical_path(graph)


# --- critical path method: published textbook networks -----------------------------------------


def assert_timings(graph: nx.DiGraph, duration: int, published: dict[str, tuple[int, int, int]]) -> None:
    """`published`: activity -> (ES, LS, slack) as the source prints them."""
    result = critical_path(graph)
    assert result.duration == duration
    got = {t.id: (t.es, t.ls, t.float) for t in result.items}
    assert got == published
    for t in result.items:
        assert (t.ef, t.lf) == (t.es + t.duration, t.ls + t.duration)


def test_cpm_hillier_lieberman_reliable_construction() -> None:
    # Hillier & Lieberman, "Introduction to Operations Research", chapter "Project Management with
    # PERT/CPM": the Reliable Construction Co. project, 14 activities in weeks, 44 weeks in all,
    # critical path START -> A -> B -> C -> E -> F -> J -> L -> N -> FINISH.
    graph = network(
        {
            "A": (2, ""),  # excavate
            "B": (4, "A"),  # lay the foundation
            "C": (10, "B"),  # put up the rough wall
            "D": (6, "C"),  # put up the roof
            "E": (4, "C"),  # install the exterior plumbing
            "F": (5, "E"),  # install the interior plumbing
            "G": (7, "D"),  # put up the exterior siding
            "H": (9, "E,G"),  # do the exterior painting
            "I": (7, "C"),  # do the electrical work
            "J": (8, "F,I"),  # put up the wallboard
            "K": (4, "J"),  # install the flooring
            "L": (5, "J"),  # do the interior painting
            "M": (2, "H"),  # install the exterior fixtures
            "N": (6, "K,L"),  # install the interior fixtures
        }
    )
    published = {
        "A": (0, 0, 0),
        "B": (2, 2, 0),
        "C": (6, 6, 0),
        "D": (16, 20, 4),
        "E": (16, 16, 0),
        "F": (20, 20, 0),
        "G": (22, 26, 4),
        "H": (29, 33, 4),
        "I": (16, 18, 2),
        "J": (25, 25, 0),
        "K": (33, 34, 1),
        "L": (33, 33, 0),
        "M": (38, 42, 4),
        "N": (38, 38, 0),
    }
    assert_timings(graph, 44, published)
    result = critical_path(graph)
    assert result.critical_paths == (("A", "B", "C", "E", "F", "J", "L", "N"),)
    assert critical_edges(graph, result) == {
        ("A", "B"),
        ("B", "C"),
        ("C", "E"),
        ("E", "F"),
        ("F", "J"),
        ("J", "L"),
        ("L", "N"),
    }


def test_cpm_heizer_render_milwaukee_paper() -> None:
    # Heizer & Render, "Operations Management", chapter 3 "Project Management": Milwaukee Paper
    # Manufacturing's pollution-control project, 8 activities in weeks, 15 weeks, critical path
    # A-C-E-G-H; slack 1 week for B and D, 6 weeks for F.
    graph = network(
        {
            "A": (2, ""),  # build internal components
            "B": (3, ""),  # modify roof and floor
            "C": (2, "A"),  # construct collection stack
            "D": (4, "A,B"),  # pour concrete and install frame
            "E": (4, "C"),  # build high-temperature burner
            "F": (3, "C"),  # install pollution control system
            "G": (5, "D,E"),  # install air pollution device
            "H": (2, "F,G"),  # inspect and test
        }
    )
    published = {
        "A": (0, 0, 0),
        "B": (0, 1, 1),
        "C": (2, 2, 0),
        "D": (3, 4, 1),
        "E": (4, 4, 0),
        "F": (4, 10, 6),
        "G": (8, 8, 0),
        "H": (13, 13, 0),
    }
    assert_timings(graph, 15, published)
    result = critical_path(graph)
    assert [t.id for t in result.items] == ["A", "B", "C", "D", "E", "F", "G", "H"]
    assert result.critical_paths == (("A", "C", "E", "G", "H"),)


def test_cpm_taylor_activity_on_arrow_network_with_a_dummy() -> None:
    # Taylor, "Introduction to Management Science", chapter 8 "Project Management", solutions
    # manual: an activity-on-arrow network of 13 activities, days, 38 in all, critical path
    # 1-3-5-7-8-9, with dummy activity 4-5 of zero duration. Activity i-j follows every k-i.
    arrows = {
        "1-2": 8,
        "1-3": 10,
        "1-4": 9,
        "2-5": 6,
        "2-6": 4,
        "3-5": 5,
        "4-5": 0,
        "4-7": 7,
        "5-7": 12,
        "5-8": 15,
        "6-9": 18,
        "7-8": 4,
        "8-9": 7,
    }
    graph = network(
        {
            arrow: (days, ",".join(a for a in arrows if a.split("-")[1] == arrow.split("-")[0]))
            for arrow, days in arrows.items()
        }
    )
    published = {  # ES, LS, slack
        "1-2": (0, 1, 1),
        "1-3": (0, 0, 0),
        "1-4": (0, 6, 6),
        "2-5": (8, 9, 1),
        "2-6": (8, 16, 8),
        "3-5": (10, 10, 0),
        "4-5": (9, 15, 6),
        "4-7": (9, 20, 11),
        "5-7": (15, 15, 0),
        "5-8": (15, 16, 1),
        "6-9": (12, 20, 8),
        "7-8": (27, 27, 0),
        "8-9": (31, 31, 0),
    }
    assert_timings(graph, 38, published)
    assert critical_path(graph).critical_paths == (("1-3", "3-5", "5-7", "7-8", "8-9"),)


# --- critical path method: dependency types and lags, by hand ----------------------------------


def test_cpm_with_start_to_start_finish_to_finish_start_to_finish_and_lead() -> None:
    # P (4) starts at 0 and ends at 4.
    # Q (2) start-to-start lag 1 on P: ES 1, EF 3.
    # R (1) finish-to-finish lag 2 on Q: EF >= 3 + 2, so ES 4, EF 5.
    # S (3) finish-to-start lag -1 (a lead) on P: ES 3, EF 6.
    # U (2) start-to-finish on P: EF >= 0, so ES 0 (never before the project start), EF 2.
    # M (0) milestone after S: ES = EF = 6. The project takes 6.
    # Backward: S LS 3; R LS 5; Q LS = min(6 - 2, LS R - (2 + 2 - 1)) = 2; U LS 4;
    # P LS = min(6 - 4, LS Q - 1, LS S - (4 - 1)) = 0.
    graph = network(
        {"P": (4, ""), "Q": (2, "P"), "R": (1, "Q"), "S": (3, "P"), "U": (2, "P"), "M": (0, "S")},
        {("P", "Q"): (SS, 1), ("Q", "R"): (FF, 2), ("P", "S"): (FS, -1), ("P", "U"): (SF, 0)},
    )
    result = critical_path(graph)
    assert result.duration == 6
    got = {t.id: (t.es, t.ef, t.ls, t.lf, t.float) for t in result.items}
    assert got == {
        "P": (0, 4, 0, 4, 0),
        "Q": (1, 3, 2, 4, 1),
        "R": (4, 5, 5, 6, 1),
        "S": (3, 6, 3, 6, 0),
        "U": (0, 2, 4, 6, 4),
        "M": (6, 6, 6, 6, 0),
    }
    assert result.critical_paths == (("P", "S", "M"),)
    assert critical_edges(graph, result) == {("P", "S"), ("S", "M")}


def test_every_critical_path_is_listed_up_to_the_limit() -> None:
    graph = network({"a": (1, ""), "b": (2, "a"), "c": (2, "a"), "d": (1, "b,c"), "e": (1, "")})
    assert critical_path(graph).critical_paths == (("a", "b", "d"), ("a", "c", "d"))
    assert critical_path(graph, max_paths=1).critical_paths == (("a", "b", "d"),)
    assert critical_path(nx.DiGraph()).duration == 0


# --- impact of a slip, by hand -----------------------------------------------------------------


def slip_network() -> nx.DiGraph:
    # A 0-2; B after A 2-3; C (not downstream) 0-5; D after B and C 5-6, so 2 periods of slack
    # between B and D; E start-to-start on A 0-1; F after D 6-7. G stands apart.
    return network(
        {"A": (2, ""), "B": (1, "A"), "C": (5, ""), "D": (1, "B,C"), "E": (1, "A"), "F": (1, "D"), "G": (1, "")},
        {("A", "E"): (SS, 0)},
    )


def test_impact_absorbs_slack() -> None:
    assert impact(slip_network(), "A", 3) == [
        Impact("B", 3, "A"),  # no slack after A
        Impact("D", 1, "B"),  # 2 of the 3 absorbed between B and D
        Impact("F", 1, "D"),
        Impact("E", 0, "A"),  # tied to A's start, which holds
    ]
    assert impact(slip_network(), "A", 1) == [
        Impact("B", 1, "A"),
        Impact("D", 0, "B"),
        Impact("E", 0, "A"),
        Impact("F", 0, "D"),
    ]
    assert impact(slip_network(), "G", 4) == []


def test_impact_rejects_unknown_items_and_negative_slips() -> None:
    with pytest.raises(ValueError, match="no item 'Z'"):
        impact(slip_network(), "Z", 1)
    with pytest.raises(ValueError, match="zero or more"):
        impact(slip_network(), "A", -1)
