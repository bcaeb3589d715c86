"""`pfm roadmap` as a table: each item's requested and scheduled quarters and why it moved, with bars in the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from pfm.analysis.roadmap import Roadmap
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table
from pfm.wording import counted, noun


def roadmap_table(roadmap: Roadmap, bars: Iterable[tuple[str, str]] | None = None) -> Table:
    """The placed items, then those that do not fit; a last column of `bars` (`gantt.text_gantt`) when given."""
    drawn = None if bars is None else dict(bars)
    rows: list[list[Cell]] = [
        [
            e.id,
            e.requested_start,
            e.scheduled_start,
            e.end,
            e.delay,
            e.reason or ("in flight" if e.fixed else ""),
            *([] if drawn is None else [drawn.get(e.id, "")]),
        ]
        for e in (*roadmap.items, *roadmap.unscheduled)
    ]
    extra = [] if drawn is None else [""]
    delayed, unfit = sum(1 for e in roadmap.items if e.delay), len(roadmap.unscheduled)
    return Table(
        f"Roadmap: {counted(len(roadmap.items), 'item')} placed, {delayed} later than requested, "
        f"{unfit} {noun(unfit, 'does', 'do')} not fit",
        ["id", "requested", "scheduled", "end", "delay", "reason", *extra],
        rows,
        roadmap.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT, *(Kind.TEXT for _ in extra)],
        [f"{e.id} does not fit: {e.reason}" for e in roadmap.unscheduled],
    )
