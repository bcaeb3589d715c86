"""The board pack's charts, each returned as SVG text to inline in HTML or save as .svg.

What each chart shows is here; pfm.reporting.figures makes the SVG (house style, user text drawn literally,
the same bytes for the same input) and imports matplotlib only when a chart is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pfm.reporting.figures import (
    AMBER,
    GREEN,
    GREY,
    INK,
    MAX_HEIGHT,
    NAVY,
    PALE,
    RED,
    RULE,
    WIDTH,
    label,
    nothing,
    render,
    tidy,
)
from pfm.wording import compact_money

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from pfm.analysis.network import Link, Node

_BUBBLE_MIN = 24.0  # points²: a free item stays visible
_BUBBLE_MAX = 1600.0  # points²: the costliest item
_LABELLED = 12
_NEAR_FULL = 0.85
_LOAD_BANDS = (("up to 85 %", PALE), ("85–100 %", AMBER), ("over 100 %", RED))
_RISK_BANDS = (GREEN, AMBER, RED)
_IDS_PER_CELL = 3
_KIND_COLOURS = {"in flight": "#4f7396", "selected": NAVY, "planned": GREY, "late": AMBER}
_OTHER_KIND = "#6b7785"
_ROTATE_AFTER = 12  # quarters: more tick labels than this are turned upright
_BOX = {"boxstyle": "round,pad=0.3", "facecolor": "#eef1f5", "edgecolor": NAVY, "linewidth": 0.6}
_ORDINARY = {"arrowstyle": "-|>", "color": GREY, "linewidth": 0.8, "shrinkA": 3, "shrinkB": 3, "mutation_scale": 8}
_CRITICAL = {**_ORDINARY, "color": RED, "linewidth": 1.6, "mutation_scale": 10}


@dataclass(frozen=True, slots=True)
class Bubble:
    id: str
    title: str
    value: float  # score (y axis)
    risk: float  # x axis
    cost: float  # bubble area proportional to cost (>= 0); 0 -> small minimum size
    selected: bool


@dataclass(frozen=True, slots=True)
class Bar:
    id: str
    title: str
    start: int  # index into periods of the first quarter
    duration: int  # quarters (>= 1)
    kind: str  # "in flight", "selected", "planned", "late"
    late: int = 0  # quarters later than requested, drawn hatched before the bar


@dataclass(frozen=True, slots=True)
class RiskCell:
    id: str
    probability: int  # 1..5
    impact: int  # 1..5


def value_risk_chart(bubbles: Sequence[Bubble], *, value_label: str, risk_label: str, currency: str) -> str:
    """Value against risk, bubble area = cost; selected items navy, the rest grey, the top 12 by value named."""
    if not bubbles:
        return nothing()
    return render(
        (WIDTH, 6.0),
        f"{label(value_label, 60)} against {label(risk_label, 60)} for {len(bubbles)} items",
        lambda figure: _draw_value_risk(figure, bubbles, value_label, risk_label, currency),
    )


def frontier_chart(
    points: Sequence[tuple[float, float | None]],
    *,
    selection: tuple[float, float] | None,
    committed: tuple[float, float] | None,
    budget: float | None,
    value_label: str,
    currency: str,
) -> str:
    """Efficient frontier: each point the best portfolio at a budget level, (its spend, its value); the recommended
    and committed selections and the declared budget marked."""
    drawn = sorted((spend, value) for spend, value in points if value is not None)
    if not drawn and selection is None and committed is None:
        return nothing()
    return render(
        (WIDTH, 5.5),
        f"Efficient frontier: {label(value_label, 60)} against spend",
        lambda figure: _draw_frontier(figure, drawn, selection, committed, budget, value_label, currency),
    )


def capacity_heatmap(
    teams: Sequence[str], periods: Sequence[str], utilisation: Sequence[Sequence[float | None]]
) -> str:
    """Teams by quarter, each cell used / available in percent: pale up to 85 %, amber to 100 %, red above."""
    if not teams or not periods:
        return nothing()
    height = min(MAX_HEIGHT, max(1.8, 0.35 * len(teams) + 1.4))
    return render(
        (WIDTH, height),
        f"Capacity used by {len(teams)} teams over {len(periods)} quarters",
        lambda figure: _draw_capacity(figure, teams, periods, utilisation),
    )


def gantt_chart(bars: Sequence[Bar], periods: Sequence[str]) -> str:
    """Roadmap: one row per bar, labelled with its title, in the given order (first at top), coloured by kind,
    lateness hatched before it."""
    if not bars:
        return nothing()
    return render(
        (WIDTH, max(2.5, 0.22 * len(bars) + 1.0)),
        f"Roadmap of {len(bars)} items",
        lambda figure: _draw_gantt(figure, bars, periods),
    )


def risk_heatmap(risks: Sequence[RiskCell]) -> str:
    """5×5 probability-impact matrix banded by exposure, the ids of up to 3 risks in each cell then '+n'."""
    placed = [risk for risk in risks if 1 <= risk.probability <= 5 and 1 <= risk.impact <= 5]
    if not placed:
        return nothing()
    return render((5.0, 4.5), f"{len(placed)} risks by probability and impact", lambda f: _draw_risks(f, placed))


def dependency_chart(nodes: Sequence[Node], links: Sequence[Link], layers: Sequence[Sequence[str]]) -> str:
    """Dependencies left to right, one column per layer; arrows prerequisite -> dependent, critical ones red."""
    if not nodes:
        return nothing()
    columns = _columns(nodes, layers)
    height = min(13.0, max(3.0, 0.35 * max(len(column) for column in columns)))
    return render(
        (WIDTH, height),
        f"Dependencies between {len(nodes)} items",
        lambda figure: _draw_dependencies(figure, columns, links),
    )


def _draw_value_risk(
    figure: Figure, bubbles: Sequence[Bubble], value_label: str, risk_label: str, currency: str
) -> None:
    ax = figure.add_subplot()
    top = max(max(bubble.cost, 0.0) for bubble in bubbles)
    for selected, colour in ((False, GREY), (True, NAVY)):
        group = [bubble for bubble in bubbles if bubble.selected is selected]
        if group:
            ax.scatter(
                [bubble.risk for bubble in group],
                [bubble.value for bubble in group],
                s=[_area(bubble.cost, top) for bubble in group],
                color=colour,
                alpha=0.7,
                edgecolors="white",
                linewidths=0.5,
                zorder=3 if selected else 2,
            )
    for bubble in sorted(bubbles, key=lambda bubble: (-bubble.value, bubble.id))[:_LABELLED]:
        ax.annotate(label(bubble.id, 24), (bubble.risk, bubble.value), xytext=(4, 4), textcoords="offset points")
    if all(float(bubble.risk).is_integer() for bubble in bubbles):  # a 1-5 scale: no ticks at 2.5
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label(risk_label, 60))
    ax.set_ylabel(label(value_label, 60))
    tidy(ax)
    selection = [_dot("selected", NAVY, _BUBBLE_MIN * 4), _dot("not selected", GREY, _BUBBLE_MIN * 4)]
    figure.legend(handles=selection, loc="outside right upper")
    if top > 0:
        sizes = [_dot(compact_money(amount, currency), GREY, _area(amount, top)) for amount in _size_key(top)]
        figure.legend(handles=sizes, loc="outside right lower", title="Cost", labelspacing=1.8, borderpad=1.2)


def _area(cost: float, top: float) -> float:
    return max(_BUBBLE_MAX * cost / top, _BUBBLE_MIN) if top > 0 else _BUBBLE_MIN


def _size_key(top: float) -> list[float]:
    """Round amounts for the size key: the largest 1, 2 or 5 × 10ⁿ not above the top cost, a quarter and a 16th."""
    return sorted({_round_down(top), _round_down(top / 4), _round_down(top / 16)}, reverse=True)


def _round_down(amount: float) -> float:
    power = 10.0 ** math.floor(math.log10(amount))
    return max(step for step in (1, 2, 5) if step * power <= amount * (1 + 1e-9)) * power


def _dot(text: str, colour: str, area: float) -> Artist:
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=math.sqrt(area),
        markerfacecolor=colour,
        markeredgecolor="white",
        alpha=0.7,
        label=text,
    )


def _draw_frontier(
    figure: Figure,
    drawn: Sequence[tuple[float, float]],
    selection: tuple[float, float] | None,
    committed: tuple[float, float] | None,
    budget: float | None,
    value_label: str,
    currency: str,
) -> None:
    from matplotlib.ticker import FuncFormatter

    ax = figure.add_subplot()
    if drawn:
        ax.plot(*zip(*drawn, strict=True), marker="o", markersize=4, color=NAVY, linewidth=1.2)
    if committed is not None:
        _mark(ax, committed, "committed", marker="D", size=7)
    if selection is not None:
        _mark(ax, selection, "recommended", marker="*", size=16)
    if budget is not None:
        ax.axvline(budget, color=INK, linestyle="--", linewidth=1)
        ax.text(budget, 1.0, "budget", transform=ax.get_xaxis_transform(), ha="center", va="bottom", color=INK)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda amount, _: compact_money(amount, currency)))
    ax.set_xlabel("Spend in the budgeted years")
    ax.set_ylabel(label(value_label, 60))
    tidy(ax)


def _mark(ax: Axes, point: tuple[float, float], text: str, *, marker: str, size: float) -> None:
    ax.plot(*point, linestyle="none", marker=marker, markersize=size, color=AMBER, markeredgecolor=NAVY, zorder=4)
    # up and to the left of a point on a rising frontier is empty
    ax.annotate(text, point, xytext=(-8, 6), textcoords="offset points", ha="right", color=NAVY, fontweight="bold")


def _draw_capacity(
    figure: Figure, teams: Sequence[str], periods: Sequence[str], utilisation: Sequence[Sequence[float | None]]
) -> None:
    from matplotlib.colors import ListedColormap

    ax = figure.add_subplot()
    used = np.array([[math.nan if cell is None else cell for cell in row] for row in utilisation], dtype=float)
    bands = np.select([used > 1.0, used > _NEAR_FULL], [2, 1], 0)
    colours = ListedColormap([colour for _, colour in _LOAD_BANDS])
    ax.pcolormesh(np.ma.masked_where(np.isnan(used), bands), cmap=colours, vmin=-0.5, vmax=2.5, edgecolors="white")
    for (row, column), share in np.ndenumerate(used):
        if not math.isnan(share):
            text = "∞" if math.isinf(share) else f"{share * 100:.0f}"
            colour = "white" if bands[row, column] == 2 else INK
            ax.text(column + 0.5, row + 0.5, text, ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(np.arange(len(periods)) + 0.5, labels=[label(period, 12) for period in periods])
    ax.set_yticks(np.arange(len(teams)) + 0.5, labels=[label(team, 24) for team in teams])
    ax.set_ylim(len(teams), 0)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    figure.legend(handles=_swatches(_LOAD_BANDS), loc="outside right upper", title="Used of available")


def _swatches(bands: Sequence[tuple[str, str]], hatch: str | None = None) -> list[Artist]:
    from matplotlib.patches import Patch

    return [Patch(facecolor=colour, edgecolor=GREY, linewidth=0.5, hatch=hatch, label=text) for text, colour in bands]


def _draw_gantt(figure: Figure, bars: Sequence[Bar], periods: Sequence[str]) -> None:
    ax = figure.add_subplot()
    colours = [_KIND_COLOURS.get(bar.kind, _OTHER_KIND) for bar in bars]
    ax.barh(
        range(len(bars)), [bar.duration for bar in bars], left=[bar.start for bar in bars], height=0.62, color=colours
    )
    late = [(row, bar, colour) for row, (bar, colour) in enumerate(zip(bars, colours, strict=True)) if bar.late > 0]
    if late:
        ax.barh(
            [row for row, _, _ in late],
            [bar.late for _, bar, _ in late],
            left=[bar.start - bar.late for _, bar, _ in late],
            height=0.3,
            color="white",
            edgecolor=[colour for _, _, colour in late],
            linewidth=0.6,
            hatch="////",
        )
    ax.set_yticks(range(len(bars)), labels=[label(bar.title or bar.id, 44) for bar in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    _quarter_axis(ax, periods)
    kinds = sorted(dict.fromkeys(bar.kind for bar in bars), key=_kind_order)
    keys = _swatches([(kind, _KIND_COLOURS.get(kind, _OTHER_KIND)) for kind in kinds])
    if late:
        keys += _swatches([("later than requested", "white")], hatch="////")
    figure.legend(handles=keys, loc="outside upper center", ncols=len(keys))


def _kind_order(kind: str) -> int:
    known = list(_KIND_COLOURS)
    return known.index(kind) if kind in known else len(known)


def _quarter_axis(ax: Axes, periods: Sequence[str]) -> None:
    ax.tick_params(axis="both", length=0, labelsize=8)
    ax.spines[["top", "right", "left"]].set_visible(False)
    if not periods:
        return
    ax.set_xlim(0, len(periods))
    upright = 90 if len(periods) > _ROTATE_AFTER else 0
    ax.set_xticks(np.arange(len(periods)) + 0.5, labels=[label(p, 12) for p in periods], rotation=upright)
    for index, period in enumerate(periods):
        if index and period.endswith("Q1"):
            ax.axvline(index, color=RULE, linewidth=0.8, zorder=0)


def _draw_risks(figure: Figure, risks: Sequence[RiskCell]) -> None:
    from matplotlib.colors import ListedColormap

    ax = figure.add_subplot()
    scale = np.arange(1, 6)
    exposure = np.outer(scale, scale)
    bands = np.select([exposure >= 15, exposure >= 5], [2, 1], 0)
    edges = np.arange(0.5, 6)
    ax.pcolormesh(
        edges, edges, bands, cmap=ListedColormap(_RISK_BANDS), vmin=-0.5, vmax=2.5, alpha=0.55, edgecolors="white"
    )
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in risks:
        cells.setdefault((risk.impact, risk.probability), []).append(label(risk.id, 12))
    for (impact, probability), ids in cells.items():
        more = [f"+{len(ids) - _IDS_PER_CELL}"] if len(ids) > _IDS_PER_CELL else []
        ax.text(impact, probability, "\n".join(ids[:_IDS_PER_CELL] + more), ha="center", va="center", fontsize=7)
    ax.set_xticks(scale)
    ax.set_yticks(scale)
    ax.set_xlabel("Impact")
    ax.set_ylabel("Probability")
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)


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


def _draw_dependencies(figure: Figure, columns: Sequence[Sequence[str]], links: Sequence[Link]) -> None:
    ax = figure.add_subplot()
    tallest = max(len(column) for column in columns)
    boxes: dict[str, tuple[int, Text]] = {}
    for x, column in enumerate(columns):
        for row, item in enumerate(column):
            y = (len(column) - 1) / 2 - row
            boxes[item] = (x, ax.text(x, y, label(item, 24), ha="center", va="center", fontsize=7, bbox=_BOX))
    for link in sorted(links, key=lambda link: link.critical):  # critical arrows on top
        if link.prerequisite in boxes and link.dependent in boxes and link.prerequisite != link.dependent:
            (before, source), (after, target) = boxes[link.prerequisite], boxes[link.dependent]
            arrow = {
                **(_CRITICAL if link.critical else _ORDINARY),
                "connectionstyle": f"arc3,rad={0 if after > before else 0.3}",
            }
            ax.annotate("", xy=(0, 0.5), xycoords=target, xytext=(1, 0.5), textcoords=source, arrowprops=arrow)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-tallest / 2, tallest / 2)
    ax.set_axis_off()
