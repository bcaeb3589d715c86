"""What moving starts changes, as a chart: each moved item's quarters as written against its chosen quarters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pfm.periods import quarter_index
from pfm.reporting.charts import quarter_axis
from pfm.reporting.figures import INK, NAVY, PALE, WIDTH, nothing, render, wrap
from pfm.selection.schedule import Placement
from pfm.wording import counted

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_TITLE_CHARACTERS = 60  # an item's title line; how far it moved goes on the line below


def starts_chart(moved: Sequence[Placement], periods: Sequence[str]) -> str:
    """Two strips per moved item (first at top), labelled with its title and how far it moved: above, a pale bar
    over the quarters its start as written gives it; below, a navy bar over the quarters of its chosen start."""
    rows = [p for p in moved if p.stated is not None]
    if not rows:
        return nothing()
    names = [f"{wrap(p.title, _TITLE_CHARACTERS)}\n{_moved(p.moved)}" for p in rows]
    lines = max(name.count("\n") + 1 for name in names)
    return render(
        (WIDTH, max(2.5, (0.11 * lines + 0.16) * len(rows) + 1.2)),
        f"Starts moved for {counted(len(rows), 'item')}",
        lambda figure: _draw(figure, rows, names, periods),
    )


def _moved(quarters: int) -> str:
    return f"{counted(abs(quarters), 'quarter')} {'later' if quarters > 0 else 'earlier'}"


def _draw(figure: Figure, rows: Sequence[Placement], names: Sequence[str], periods: Sequence[str]) -> None:
    from matplotlib.patches import Patch

    ax = figure.add_subplot()
    first = quarter_index(periods[0])
    length = [quarter_index(p.end) - quarter_index(p.start) + 1 for p in rows]
    stated = [quarter_index(p.stated or p.start) - first for p in rows]
    chosen = [quarter_index(p.start) - first for p in rows]
    at = range(len(rows))
    ax.barh([y - 0.18 for y in at], length, left=stated, height=0.32, color=PALE, edgecolor=NAVY, linewidth=0.6)
    ax.barh([y + 0.18 for y in at], length, left=chosen, height=0.32, color=NAVY)
    ax.set_yticks(at, labels=names)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    quarter_axis(ax, periods)
    keys = [
        Patch(facecolor=PALE, edgecolor=NAVY, linewidth=0.6, label="start as written"),
        Patch(facecolor=NAVY, label="start chosen"),
    ]
    figure.legend(handles=keys, loc="outside upper center", ncols=len(keys), labelcolor=INK)
