"""The dependency chart: items in columns by layer, arrows from prerequisite to dependent, the critical ones red.

A layered drawing: an arrow that skips columns passes through a free slot in each column it crosses (so it never
runs through a box), and each column is ordered by where its neighbours sit, so arrows (and above all the critical
chains) cross as little as a few sweeps can make them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from pfm.analysis.network import Link, Node
from pfm.reporting.figures import GREY, NAVY, RED, WIDTH, Href, nothing, render, wrap
from pfm.wording import counted

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

_BOX = {"boxstyle": "round,pad=0.35", "facecolor": "#eef1f5", "edgecolor": NAVY, "linewidth": 0.6}
_ORDINARY: dict[str, Any] = {"color": GREY, "linewidth": 0.8}
_CRITICAL: dict[str, Any] = {"color": RED, "linewidth": 1.6}
_SWEEPS = 8
_CRITICAL_WEIGHT = 4.0  # a critical neighbour pulls this much harder: the critical chains run straight
_FONT_SIZE = 8
_CHARACTERS = 26  # a box's line
_SLOT = 0.55  # inches per row


def dependency_chart(
    nodes: Sequence[Node], links: Sequence[Link], layers: Sequence[Sequence[str]], href: Href = None
) -> str:
    """Dependencies left to right, one column per layer; arrows prerequisite -> dependent, critical ones red.
    With `href`, each item's box is a link to `href(id)`."""
    if not nodes:
        return nothing()
    columns = _columns(nodes, layers)
    drawn = [link for link in links if _drawable(link, columns)]
    routes = _routes(columns, drawn)
    _order(columns, routes)
    tallest = max(len(column) for column in columns)
    height = min(6.2, max(4.5, _SLOT * tallest + 0.8))
    return render(
        (WIDTH, height),
        f"Dependencies between {counted(len(nodes), 'item')}",
        lambda figure: _draw(figure, columns, routes, href),
    )


def _columns(nodes: Sequence[Node], layers: Sequence[Sequence[str]]) -> list[list[str]]:
    """The drawn layers, each a list of ids: every node once, in its first layer or else in the first."""
    known = {node.id for node in nodes}
    layer_of: dict[str, int] = {}
    for number, layer in enumerate(layers):
        for item in layer:
            if item in known:
                layer_of.setdefault(item, number)
    columns: list[list[str]] = [[] for _ in range(max(len(layers), 1))]
    for item, number in layer_of.items():
        columns[number].append(item)
    columns[0] += [item for item in dict.fromkeys(node.id for node in nodes) if item not in layer_of]
    return [column for column in columns if column]


def _drawable(link: Link, columns: Sequence[Sequence[str]]) -> bool:
    where = {item for column in columns for item in column}
    return link.prerequisite in where and link.dependent in where and link.prerequisite != link.dependent


Route = tuple[Link, list[str]]  # the link and the slots it passes through, first to last column


def _routes(columns: list[list[str]], links: Sequence[Link]) -> list[Route]:
    """Each link's path: its two ends and a waypoint (a slot named after the link) in every column between."""
    column_of = {item: number for number, column in enumerate(columns) for item in column}
    routes = []
    for link in links:
        start, end = column_of[link.prerequisite], column_of[link.dependent]
        between = [f"\0{link.prerequisite}\0{link.dependent}\0{number}" for number in range(start + 1, end)]
        for number, slot in zip(range(start + 1, end), between, strict=True):
            columns[number].append(slot)
        routes.append((link, [link.prerequisite, *between, link.dependent]))
    return routes


def _order(columns: list[list[str]], routes: Sequence[Route]) -> None:
    """Barycentre sweeps, left to right then back: each column sorted by the mean row of its neighbours."""
    neighbours: dict[str, list[tuple[str, float, int]]] = {}  # slot -> (neighbour, weight, direction)
    for link, path in routes:
        weight = _CRITICAL_WEIGHT if link.critical else 1.0
        for before, after in pairwise(path):
            neighbours.setdefault(after, []).append((before, weight, -1))
            neighbours.setdefault(before, []).append((after, weight, 1))
    for sweep in range(_SWEEPS):
        direction = -1 if sweep % 2 == 0 else 1
        indices = range(1, len(columns)) if direction == -1 else range(len(columns) - 2, -1, -1)
        for number in indices:
            row_of = {slot: row for column in columns for row, slot in enumerate(column)}
            column = columns[number]

            def centre(slot: str, row: int) -> float:
                pulls = [(row_of[n], w) for n, w, side in neighbours.get(slot, []) if side == direction]  # noqa: B023
                total = sum(w for _, w in pulls)
                return sum(r * w for r, w in pulls) / total if total else row

            columns[number] = [slot for _, _, slot in sorted((centre(s, r), r, s) for r, s in enumerate(column))]


def _draw(figure: Figure, columns: Sequence[Sequence[str]], routes: Sequence[Route], href: Href) -> None:
    ax = figure.add_subplot()
    tallest = max(len(column) for column in columns)
    place: dict[str, tuple[float, float]] = {}
    boxes: dict[str, Text] = {}
    for x, column in enumerate(columns):
        for row, slot in enumerate(column):
            place[slot] = (x, (len(column) - 1) / 2 - row)
            if not slot.startswith("\0"):
                boxes[slot] = ax.text(
                    *place[slot], wrap(slot, _CHARACTERS), ha="center", va="center", fontsize=_FONT_SIZE, bbox=_BOX
                )
                if href is not None:  # the text and its box: either is a link
                    for mark in (boxes[slot], boxes[slot].get_bbox_patch()):
                        if mark is not None:
                            mark.set_url(href(slot))
    half = _CHARACTERS * 0.6 * _FONT_SIZE / 72 / (WIDTH * 0.9 / max(len(columns), 1)) / 2  # a box's half width
    for link, path in sorted(routes, key=lambda route: route[0].critical):  # critical arrows on top
        _arrow(ax, link, path, place, boxes, half)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(-tallest / 2, tallest / 2)
    ax.set_axis_off()


def _arrow(
    ax: Axes,
    link: Link,
    path: Sequence[str],
    place: dict[str, tuple[float, float]],
    boxes: dict[str, Text],
    half: float,
) -> None:
    """The line from the prerequisite's right edge through its waypoints (crossing each column level) to the
    dependent's left edge, ending in an arrowhead."""
    style = _CRITICAL if link.critical else _ORDINARY
    points = [
        xy
        for slot in path[1:-1]
        for xy in ((place[slot][0] - half, place[slot][1]), (place[slot][0] + half, place[slot][1]))
    ]
    source, target = boxes[path[0]], boxes[path[-1]]
    if points:
        ax.annotate("", xy=points[0], xytext=(1, 0.5), textcoords=source, arrowprops={"arrowstyle": "-", **style})
        ax.plot(*zip(*points, strict=True), solid_capstyle="butt", **style)
    head = {"arrowstyle": "-|>", "shrinkA": 0, "shrinkB": 3, "mutation_scale": 10 if link.critical else 8, **style}
    start = {"xytext": points[-1], "textcoords": "data"} if points else {"xytext": (1, 0.5), "textcoords": source}
    ax.annotate("", xy=(0, 0.5), xycoords=target, arrowprops=head, **start)
