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
    Href,
    label,
    money_axis,
    nothing,
    render,
    tidy,
    wrap,
)
from pfm.reporting.placement import Mark, place, renderer_of
from pfm.wording import compact_money, counted

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


_BUBBLE_MIN = 24.0  # points²: a free item stays visible
_BUBBLE_MAX = 1600.0  # points²: the costliest item
_LABELLED = 30  # names in the value-risk chart at most: more would crowd it
_NEAR_FULL = 0.85
_LOAD_BANDS = (("up to 85 %", PALE), ("85–100 %", AMBER), ("over 100 %", RED))
_RISK_BANDS = (GREEN, AMBER, RED)
_CELL_LINES = 5  # lines of text in a risk cell
_CELL_CHARACTERS = 24  # the width of a risk cell, in characters
_KIND_COLOURS = {"in flight": "#4f7396", "selected": NAVY, "planned": GREY, "late": AMBER}
_OTHER_KIND = "#6b7785"
_TITLE_CHARACTERS = 60  # a roadmap title's line
_ROTATE_AFTER = 12  # quarters: more tick labels than this are turned upright


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


def value_risk_chart(
    bubbles: Sequence[Bubble], *, value_label: str, risk_label: str, currency: str
) -> tuple[str, list[Bubble]]:
    """Value against risk, bubble area = cost, selected items navy, the rest grey; the most valuable items named
    where their names find room. Returns the SVG and the bubbles left unnamed, most valuable first."""
    if not bubbles:
        return nothing(), []
    unnamed: list[Bubble] = []
    svg = render(
        (WIDTH, 6.0),
        f"{label(value_label, 60)} against {label(risk_label, 60)} for {counted(len(bubbles), 'item')}",
        lambda figure: unnamed.extend(_draw_value_risk(figure, bubbles, value_label, risk_label, currency)),
    )
    return svg, unnamed


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
        f"Capacity used by {counted(len(teams), 'team')} over {counted(len(periods), 'quarter')}",
        lambda figure: _draw_capacity(figure, teams, periods, utilisation),
    )


def gantt_chart(bars: Sequence[Bar], periods: Sequence[str], href: Href = None) -> str:
    """Roadmap: one row per bar, labelled with its whole title (wrapped), in the given order (first at top),
    coloured by kind, lateness hatched before it; with `href`, each bar a link to `href(id)`."""
    if not bars:
        return nothing()
    titles = [wrap(bar.title or bar.id, _TITLE_CHARACTERS) for bar in bars]
    lines = max(title.count("\n") + 1 for title in titles)
    return render(
        (WIDTH, max(2.5, (0.11 * lines + 0.1) * len(bars) + 1.0)),
        f"Roadmap of {counted(len(bars), 'item')}",
        lambda figure: _draw_gantt(figure, bars, titles, periods, href),
    )


def risk_heatmap(risks: Sequence[RiskCell]) -> str:
    """5×5 probability-impact matrix banded by exposure, in each cell the ids of the risks that fit, then '+n more'."""
    placed = [risk for risk in risks if 1 <= risk.probability <= 5 and 1 <= risk.impact <= 5]
    if not placed:
        return nothing()
    return render(
        (WIDTH, 5.8), f"{counted(len(placed), 'risk')} by probability and impact", lambda f: _draw_risks(f, placed)
    )


def _draw_value_risk(
    figure: Figure, bubbles: Sequence[Bubble], value_label: str, risk_label: str, currency: str
) -> list[Bubble]:
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
    if all(float(bubble.risk).is_integer() for bubble in bubbles):  # a 1-5 scale: no ticks at 2.5
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.12, y=0.08)  # room for the names of the outermost bubbles
    ax.set_xlabel(label(risk_label, 60))
    ax.set_ylabel(label(value_label, 60))
    tidy(ax)
    selection = [_dot("selected", NAVY, _BUBBLE_MIN * 4), _dot("not selected", GREY, _BUBBLE_MIN * 4)]
    figure.legend(handles=selection, loc="outside right upper")
    if top > 0:
        sizes = [_dot(compact_money(amount, currency), GREY, _area(amount, top)) for amount in _size_key(top)]
        widest = math.sqrt(_area(_size_key(top)[0], top)) / 9  # the largest marker, in font sizes
        figure.legend(
            handles=sizes,
            loc="outside right lower",
            title="Cost",
            handlelength=widest + 0.5,
            handletextpad=widest / 2 + 0.8,
            labelspacing=widest,
            borderpad=1.2,
        )
    ranked = sorted(bubbles, key=lambda bubble: (-bubble.value, bubble.id))
    marks = [Mark(b.risk, b.value, math.sqrt(_area(b.cost, top)) / 2, b.id) for b in ranked]
    left = {mark.text for mark in place(ax, renderer_of(figure), marks, limit=_LABELLED)}
    return [bubble for bubble in ranked if bubble.id in left]


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
    ax = figure.add_subplot()
    if drawn:
        ax.plot(*zip(*drawn, strict=True), marker="o", markersize=4, color=NAVY, linewidth=1.2)
    marks = []
    for point, text, marker, size in ((selection, "recommended", "*", 16), (committed, "committed", "D", 7)):
        if point is not None:
            ax.plot(*point, linestyle="none", marker=marker, markersize=size, color=AMBER, markeredgecolor=NAVY)
            marks.append(Mark(*point, size / 2, text))
    if budget is not None:
        ax.axvline(budget, color=INK, linestyle="--", linewidth=1)
    money_axis(ax.xaxis, currency)
    ax.margins(x=0.08, y=0.12)
    ax.set_xlabel("Spend in the budgeted years")
    ax.set_ylabel(label(value_label, 60))
    tidy(ax)
    renderer = renderer_of(figure)
    if budget is not None:  # the bottom of the budget line: below a rising frontier, empty
        right = budget > sum(ax.get_xlim()) / 2
        where = ax.get_xaxis_transform()
        text = f" budget {compact_money(budget, currency)} "
        ax.text(budget, 0.02, text, transform=where, ha="right" if right else "left", va="bottom", color=INK)
    style = {"color": NAVY, "fontweight": "bold"}
    place(ax, renderer, [*marks, *(Mark(x, y, 2, "") for x, y in drawn)], limit=len(marks), style=style)


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
    ax.set_yticks(np.arange(len(teams)) + 0.5, labels=[wrap(team, 32) for team in teams])
    ax.set_ylim(len(teams), 0)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    figure.legend(handles=_swatches(_LOAD_BANDS), loc="outside right upper", title="Used of available")


def _swatches(bands: Sequence[tuple[str, str]], hatch: str | None = None) -> list[Artist]:
    from matplotlib.patches import Patch

    return [Patch(facecolor=colour, edgecolor=GREY, linewidth=0.5, hatch=hatch, label=text) for text, colour in bands]


def _draw_gantt(figure: Figure, bars: Sequence[Bar], titles: Sequence[str], periods: Sequence[str], href: Href) -> None:
    ax = figure.add_subplot()
    colours = [_KIND_COLOURS.get(bar.kind, _OTHER_KIND) for bar in bars]
    drawn = ax.barh(
        range(len(bars)), [bar.duration for bar in bars], left=[bar.start for bar in bars], height=0.62, color=colours
    )
    if href is not None:
        for bar, patch in zip(bars, drawn.patches, strict=True):
            patch.set_url(href(bar.id))
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
    ax.set_yticks(range(len(bars)), labels=titles)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    quarter_axis(ax, periods)
    kinds = sorted(dict.fromkeys(bar.kind for bar in bars), key=_kind_order)
    keys = _swatches([(kind, _KIND_COLOURS.get(kind, _OTHER_KIND)) for kind in kinds])
    if late:
        keys += _swatches([("later than requested", "white")], hatch="////")
    figure.legend(handles=keys, loc="outside upper center", ncols=len(keys))


def _kind_order(kind: str) -> int:
    known = list(_KIND_COLOURS)
    return known.index(kind) if kind in known else len(known)


def quarter_axis(ax: Axes, periods: Sequence[str]) -> None:
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
        cells.setdefault((risk.impact, risk.probability), []).append(risk.id)
    for (impact, probability), ids in cells.items():
        ax.text(impact, probability, _cell_text(ids), ha="center", va="center", fontsize=8, linespacing=1.3)
    ax.set_xticks(scale)
    ax.set_yticks(scale)
    ax.set_xlabel("Impact")
    ax.set_ylabel("Probability")
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)


def _cell_text(ids: Sequence[str]) -> str:
    """As many whole ids as fit the cell's lines, wrapped at hyphens, then how many more."""
    lines: list[str] = []
    for shown, ident in enumerate(ids):
        wrapped = wrap(ident, _CELL_CHARACTERS).split("\n")
        rest = len(ids) - shown - 1
        if len(lines) + len(wrapped) + (1 if rest else 0) > _CELL_LINES:
            return "\n".join([*lines, f"+{len(ids) - shown} more"])
        lines += wrapped
    return "\n".join(lines)
