"""The risk-adjusted roadmap as a chart: per item, the quarters from its P50 to its P95 finish against its date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pfm.analysis.roadmap_risk import FinishOdds
from pfm.periods import quarter_index, quarter_range
from pfm.reporting.charts import quarter_axis
from pfm.reporting.figures import AMBER, INK, NAVY, PALE, WIDTH, nothing, render, wrap
from pfm.wording import counted

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_TITLE_CHARACTERS = 60  # an item's line, with its chance of finishing on time


def finish_chart(rows: Sequence[FinishOdds], titles: Sequence[str], periods: Sequence[str]) -> str:
    """One row per item (first at top): a pale bar over the quarters from its P50 to its P95 finish, a navy tick
    in its P80 quarter, its date a diamond; the quarter axis runs from the horizon's start to the latest P95."""
    if not rows:
        return nothing()
    last = max([periods[-1], *(row.p95 for row in rows)], key=quarter_index)
    axis = quarter_range(periods[0], last)
    names = [
        wrap(f"{title} ({row.on_time:.0%} on time)", _TITLE_CHARACTERS) for title, row in zip(titles, rows, strict=True)
    ]
    lines = max(name.count("\n") + 1 for name in names)
    return render(
        (WIDTH, max(2.5, (0.11 * lines + 0.1) * len(rows) + 1.2)),
        f"Finish distributions of {counted(len(rows), 'item')}",
        lambda figure: _draw(figure, rows, names, axis),
    )


def _draw(figure: Figure, rows: Sequence[FinishOdds], names: Sequence[str], axis: Sequence[str]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax = figure.add_subplot()
    first = quarter_index(axis[0])

    def at(quarter: str) -> int:
        return quarter_index(quarter) - first

    ax.barh(
        range(len(rows)),
        [at(row.p95) - at(row.p50) + 1 for row in rows],
        left=[at(row.p50) for row in rows],
        height=0.62,
        color=PALE,
        edgecolor=NAVY,
        linewidth=0.6,
    )
    ax.scatter([at(row.p80) + 0.5 for row in rows], range(len(rows)), marker="|", s=220, linewidths=2.5, color=NAVY)
    ax.scatter([at(row.date) + 0.5 for row in rows], range(len(rows)), marker="D", s=30, color=AMBER, zorder=3)
    ax.set_yticks(range(len(rows)), labels=names)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    quarter_axis(ax, axis)
    keys = [
        Patch(facecolor=PALE, edgecolor=NAVY, linewidth=0.6, label="P50 to P95 finish"),
        Line2D([], [], marker="|", linestyle="", color=NAVY, markersize=12, markeredgewidth=2.5, label="P80 quarter"),
        Line2D([], [], marker="D", linestyle="", color=AMBER, markersize=5, label="date in the roadmap"),
    ]
    figure.legend(handles=keys, loc="outside upper center", ncols=len(keys), labelcolor=INK)
