"""The risk-adjusted roadmap (`pfm roadmap --risk N`): Monte Carlo finishes of the roadmap's items and milestones.

The deterministic roadmap (`pfm.analysis.roadmap`) fixes the sequence; the draws vary the durations
(`pfm.analysis.schedule_draws`). Every placed item keeps its scheduled start as a floor: teams are booked
from then, so work slips but does not start early. Its dependencies on other placed items are links as
the roadmap reads them (type and lag), and an item the roadmap held back for a team's capacity waits,
by a finish-to-start resource link, for each item sharing that team whose scheduled end freed the slot
it was given. A duration's three points are the item's `duration_estimate`, else the portfolio's
`schedule_risk` factors times the planned duration (the most likely), else the planned duration alone.
A milestone sits at the same share of its item's duration as its quarter does in the item's own plan.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import Any

import numpy as np

from pfm.analysis.roadmap import Planned, Roadmap, plan_roadmap
from pfm.analysis.schedule_draws import ActivityNetwork, Checkpoint, Precedence, QuarterCounts, simulate
from pfm.errors import UsageError
from pfm.methods import Method
from pfm.model import Item, Portfolio
from pfm.periods import quarter_index, quarter_label, when_quarter
from pfm.records import Quarter
from pfm.results import Result

DISTRIBUTION = "pert-beta"
MAX_DRAWS = 1_000_000
_Edge = tuple[int, int, str, float]  # before, after (positions in the roadmap's items), type, lag


@dataclass(frozen=True, slots=True)
class FinishOdds:
    """When an item (or one of its milestones) finishes across the draws, against its date."""

    id: str  # the item
    milestone: str | None  # the milestone's name; None for the item itself
    date: Quarter  # the item's scheduled end in the roadmap; the milestone's forecast, else its plan
    p50: Quarter
    p80: Quarter
    p95: Quarter
    on_time: float  # share of draws finishing within `date`
    criticality: float | None  # share of draws on the critical path to the last finish; None for a milestone
    spread: str  # "estimate" (the item's), "default" (the portfolio's) or "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "milestone": self.milestone,
            "date": self.date,
            "p50": self.p50,
            "p80": self.p80,
            "p95": self.p95,
            "on_time": self.on_time,
            "criticality": self.criticality,
            "spread": self.spread,
        }


@dataclass(frozen=True, slots=True)
class RoadmapRisk(Result):
    """`pfm roadmap --risk N`: its records are the items by scheduled start, then the milestones."""

    draws: int
    seed: int | None
    finish: tuple[Quarter | None, Quarter | None, Quarter | None]  # the last finish: P50, P80, P95 (None: no item)
    planned_finish: Quarter | None  # the roadmap's last end
    items: tuple[FinishOdds, ...]
    milestones: tuple[FinishOdds, ...]
    unscheduled: tuple[str, ...]  # not in the roadmap, so not drawn
    uncertain: bool  # some item has a spread; without one every draw is the roadmap

    def to_dict(self) -> dict[str, Any]:
        p50, p80, p95 = self.finish
        return {
            "draws": self.draws,
            "seed": self.seed,
            "distribution": DISTRIBUTION,
            "finish": {"planned": self.planned_finish, "p50": p50, "p80": p80, "p95": p95},
            "items": [e.to_dict() for e in self.items],
            "milestones": [e.to_dict() for e in self.milestones],
            "unscheduled": list(self.unscheduled),
        }

    def records(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in (*self.items, *self.milestones)]


def roadmap_risk(
    portfolio: Portfolio,
    draws: int = 1000,
    seed: int | None = 0,
    method: Method | None = None,
    *,
    selection: Collection[str] | None = None,
    roadmap: Roadmap | None = None,
) -> RoadmapRisk:
    """`draws` Monte Carlo draws of the roadmap (`plan_roadmap(portfolio, method, selection=selection)`, or
    `roadmap` when given); see the module's docstring. The same `seed` gives the same answer."""
    if not 1 <= draws <= MAX_DRAWS:
        raise UsageError(f"the number of draws must be between 1 and {MAX_DRAWS:,}, not {draws}")
    plan = roadmap if roadmap is not None else plan_roadmap(portfolio, method, selection=selection)
    placed = list(plan.items)
    order, kept = _order(len(placed), _links(portfolio, placed))
    entries = [placed[i] for i in order]
    position = {e.id: n for n, e in enumerate(entries)}
    links = [Precedence(position[placed[a].id], position[placed[b].id], kind, lag) for a, b, kind, lag in kept]
    points = [_three_points(portfolio, portfolio.items[e.id], _length(e)) for e in entries]
    marks = [(n, m, share, target) for n, e in enumerate(entries) for m, share, target in _milestones(portfolio, e)]
    network = ActivityNetwork(
        floor=np.array([quarter_index(e.scheduled_start or "") for e in entries], dtype=np.float64),
        low=np.array([p[0] for p in points], dtype=np.float64),
        likely=np.array([p[1] for p in points], dtype=np.float64),
        high=np.array([p[2] for p in points], dtype=np.float64),
        links=links,
        checkpoints=[Checkpoint(n, share) for n, _, share, _ in marks],
    )
    result = simulate(network, draws, seed)
    item_odds = _odds(result.finish, [quarter_index(e.end or "") for e in entries])
    mark_odds = _odds(result.checkpoints, [t for *_, t in marks])
    ends = QuarterCounts(1)
    if entries:
        ends.add(result.end[None, :])
    last: tuple[Quarter | None, ...] = _odds(ends, [0])[0][:3] if entries else (None, None, None)
    return RoadmapRisk(
        draws=draws,
        seed=seed,
        finish=(last[0], last[1], last[2]),
        planned_finish=max((e.end or "" for e in entries), key=quarter_index, default=None),
        items=tuple(
            FinishOdds(e.id, None, e.end or "", *item_odds[n], float(result.criticality[n]), points[n][3])
            for n, e in ((position[p.id], p) for p in placed)
        ),
        milestones=tuple(
            FinishOdds(entries[n].id, name, quarter_label(t), *mark_odds[k], None, points[n][3])
            for k, (n, name, _, t) in enumerate(marks)
        ),
        unscheduled=tuple(e.id for e in plan.unscheduled),
        uncertain=any(p[0] < p[2] for p in points),
    )


def _length(entry: Planned) -> int:
    return quarter_index(entry.end or "") - quarter_index(entry.scheduled_start or "") + 1


def _links(portfolio: Portfolio, placed: Sequence[Planned]) -> tuple[list[_Edge], list[_Edge]]:
    """Dependency links between placed items, and resource links (finish-to-start) where capacity held one back."""
    at = {e.id: n for n, e in enumerate(placed)}
    span = {e.id: (quarter_index(e.scheduled_start or ""), _length(e)) for e in placed}
    depends = [
        (at[d.id], n, d.type, float(d.lag))
        for n, e in enumerate(placed)
        for d in portfolio.items[e.id].depends_on
        if d.id in at and d.id != e.id
    ]
    freed: dict[tuple[str, int], list[int]] = {}  # (team, the quarter after an item's end) -> items
    for n, e in enumerate(placed):
        for team in _teams(portfolio, portfolio.items[e.id]):
            freed.setdefault((team, sum(span[e.id])), []).append(n)
    resources = []
    for n, e in enumerate(placed):
        start = span[e.id][0]
        if e.fixed or start <= _allowed(portfolio, e, [d for d in depends if d[1] == n], placed, span):
            continue
        waits = {i for team in _teams(portfolio, portfolio.items[e.id]) for i in freed.get((team, start), ())}
        resources += [(i, n, "finish-to-start", 0.0) for i in sorted(waits - {n})]
    return depends, resources


def _teams(portfolio: Portfolio, item: Item) -> set[str]:
    return {team for team in item.demand if team in portfolio.teams}


def _allowed(
    portfolio: Portfolio,
    entry: Planned,
    depends: Sequence[_Edge],
    placed: Sequence[Planned],
    span: dict[str, tuple[int, int]],
) -> float:
    """The earliest start the horizon, the requested start and the dependencies allow (capacity aside)."""
    first = quarter_index(portfolio.first_period)
    floor = max(first, quarter_index(entry.requested_start)) if entry.requested_start else first
    length = span[entry.id][1]
    bounds = [float(floor)]
    for before, _, kind, lag in depends:
        start, theirs = span[placed[before].id]
        finish = start + theirs
        bounds.append(
            {
                "start-to-start": start + lag,
                "finish-to-finish": finish + lag - length,
                "start-to-finish": start + lag - length,
            }.get(kind, finish + lag)
        )
    return max(bounds)


def _order(count: int, links: tuple[list[_Edge], list[_Edge]]) -> tuple[list[int], list[_Edge]]:
    """A topological order of `count` items and the links it keeps: resource links closing a loop are dropped."""
    depends, resources = links
    for kept in (depends + resources, depends):
        sorter: TopologicalSorter[int] = TopologicalSorter({n: set() for n in range(count)})
        for before, after, *_ in kept:
            sorter.add(after, before)
        try:
            return list(sorter.static_order()), kept
        except CycleError:
            continue
    raise AssertionError("the roadmap places no item inside a dependency cycle")  # pragma: no cover


def _three_points(portfolio: Portfolio, item: Item, planned: int) -> tuple[float, float, float, str]:
    if item.duration_estimate is not None:
        low, likely, high = item.duration_estimate
        return float(low), float(likely), float(high), "estimate"
    if portfolio.schedule_risk is not None:
        low, likely, high = portfolio.schedule_risk
        return low * planned, likely * planned, high * planned, "default"
    return float(planned), float(planned), float(planned), "none"


def _milestones(portfolio: Portfolio, entry: Planned) -> list[tuple[str, float, int]]:
    """(name, share of the item's duration, target quarter) of each milestone not yet reached."""
    item = portfolio.items[entry.id]
    start = quarter_index(item.start or entry.scheduled_start or "")
    found = []
    for milestone in item.milestones:
        target = milestone.forecast or milestone.date or milestone.period
        if target is None or milestone.actual is not None or milestone.status == "achieved":
            continue
        quarter = when_quarter(target, portfolio.fiscal_year_start)
        share = min(max((quarter + 1 - start) / _length(entry), 0.0), 1.0)
        found.append((milestone.name, share, quarter))
    return found


def _odds(counts: QuarterCounts, due: Sequence[int]) -> list[tuple[Quarter, Quarter, Quarter, float]]:
    """Per row: the P50, P80 and P95 quarters and the share of draws finishing by quarter `due`."""
    if not due:
        return []
    levels, on_time = counts.odds(np.array(due, dtype=np.int64))
    return [
        (quarter_label(a), quarter_label(b), quarter_label(c), float(p))
        for (a, b, c), p in zip(levels.tolist(), on_time.tolist(), strict=True)
    ]
