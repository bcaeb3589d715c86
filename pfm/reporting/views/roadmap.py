"""`pfm roadmap` as a table: each item's requested and scheduled quarters and why it moved, with bars in the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from pfm.analysis.roadmap import Roadmap
from pfm.analysis.roadmap_risk import RoadmapRisk
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


def roadmap_risk_table(risk: RoadmapRisk) -> Table:
    """Each item, then each milestone: its date, P50/P80/P95 finish, the chance of meeting the date, criticality."""
    p50, p80, p95 = risk.finish
    rows: list[list[Cell]] = [
        [e.id, e.milestone or "", e.date, e.p50, e.p80, e.p95, e.on_time, e.criticality, e.spread]
        for e in (*risk.items, *risk.milestones)
    ]
    seed = "" if risk.seed is None else f", seed {risk.seed}"
    last = f"the last finish: P50 {p50}, P80 {p80}, P95 {p95} (planned {risk.planned_finish})"
    remarks = [
        last if risk.planned_finish else "nothing is scheduled, so nothing is drawn",
        "P50/P80/P95: the quarter by which half, 80 % and 95 % of the draws finish; on time: the share finishing"
        " by the date; critical: the share of draws on the critical path to the last finish",
    ]
    if not risk.uncertain:
        remarks.append(
            "no item has a duration_estimate and the portfolio sets no schedule_risk: every draw is the roadmap"
        )
    return Table(
        f"Risk-adjusted roadmap: {risk.draws:,} draws{seed}, PERT-beta durations",
        ["id", "milestone", "date", "P50", "P80", "P95", "on time", "critical", "spread"],
        rows,
        risk.to_dict(),
        [Kind.TEXT] * 6 + [Kind.PERCENT, Kind.PERCENT, Kind.TEXT],
        [f"{ident} does not fit in the roadmap and is not drawn" for ident in risk.unscheduled],
        remarks=remarks,
    )
