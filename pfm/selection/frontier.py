"""The efficient frontier: the best value reachable at each budget level, from nothing to everything.

Every budget figure of every year is scaled together, from 0 to the scale at which every candidate's
costs fit; capacity, dependencies, exclusions and commitments hold throughout, so after the point at 0
the levels start where the commitments' own costs fit. Points are solved from
the smallest budget up, each starting from the selection before it (still feasible with more money),
which is what keeps twenty points on a thousand items inside half a minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from pfm.analysis.scoring import score
from pfm.defaults import FRONTIER_GAP, FRONTIER_POINTS, FRONTIER_TIME_LIMIT
from pfm.findings import Finding
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.parallel import Progress
from pfm.results import Result
from pfm.selection.feasibility import BudgetLimit
from pfm.selection.program import AS_DECLARED, DEFAULT_GAP, PortfolioProgram, Terms, build_program


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    """The best selection at one budget level."""

    scale: float  # of every budget figure
    budget: float  # the budget at that scale, summed over the budgeted years
    cost: float | None  # what the best selection spends in the budgeted years; None when nothing fits
    value: float | None  # its value; None where the commitments alone do not fit
    selected: int
    gap: float | None

    def to_dict(self) -> dict[str, Any]:
        """The point as `pfm frontier -f json` prints it."""
        return {
            "budget_scale": self.scale,
            "budget": self.budget,
            "cost": self.cost,
            "value": self.value,
            "items": self.selected,
            "gap": self.gap,
        }


@dataclass(frozen=True, slots=True)
class Frontier(Result):
    """The best value at each budget level (what `pfm frontier -f json` prints), with the best selection
    at the declared budget and the committed items alone placed against it."""

    objective: str
    points: tuple[FrontierPoint, ...]
    selection: FrontierPoint  # the best selection at the budget as declared (scale 1)
    committed: FrontierPoint  # the mandatory and in-flight items alone
    currency: str = ""
    findings: tuple[Finding, ...] = ()  # scores that are not finite numbers

    @property
    def fits_from(self) -> float | None:
        """The smallest budget scale of the curve at which the mandatory and in-flight items fit; None: at none."""
        return min((point.scale for point in self.points if point.value is not None), default=None)

    def to_dict(self) -> dict[str, Any]:
        """What `pfm frontier -f json` prints."""
        return {
            "objective": self.objective,
            "currency": self.currency,
            "points": [point.to_dict() for point in self.points],
            "selection": self.selection.to_dict(),
            "committed": self.committed.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per budget level, then the declared budget's selection and the committed items alone."""
        labelled = [
            *(("", point) for point in self.points),
            ("selection", self.selection),
            ("committed", self.committed),
        ]
        return [{"point": label} | point.to_dict() for label, point in labelled]


def frontier(
    portfolio: Portfolio,
    objective: Method = "weighted",
    *,
    points: int = FRONTIER_POINTS,
    gap: float = FRONTIER_GAP,
    time_limit: float = FRONTIER_TIME_LIMIT,
    release_in_flight: bool = False,
    progress: Progress | None = None,
) -> Frontier:
    """The efficient frontier of `objective`'s scores at `points` budget levels: what `pfm frontier` prints."""
    scores = score(portfolio, objective)
    curve = frontier_of(
        portfolio,
        scores.values(),
        points,
        objective=objective,
        gap=gap,
        time_limit=time_limit,
        terms=Terms(commit_in_flight=not release_in_flight),
        progress=progress,
    )
    return replace(curve, findings=scores.findings)


def frontier_of(
    portfolio: Portfolio,
    values: Mapping[str, float],
    points: int = 11,
    *,
    objective: str = "value",
    gap: float = DEFAULT_GAP,
    time_limit: float = 10.0,
    terms: Terms = AS_DECLARED,
    progress: Progress | None = None,
) -> Frontier:
    """The efficient frontier of these `values` at `points` budget levels."""
    program = build_program(portfolio, values, terms, objective=objective, gap=gap)
    rows = program.binary.rows
    is_budget = np.array([isinstance(row.kind, BudgetLimit) for row in rows], dtype=bool)
    declared = _declared_budget(portfolio)
    scales = _scales(program, points)
    curve: list[FrontierPoint] = []
    start: tuple[bool, ...] | None = None
    for scale in scales:
        point, x = _point(program, is_budget, scale, declared, start, time_limit)
        start = x if point.value is not None else start
        curve.append(point)
        if progress is not None:
            progress(len(curve), len(scales) + 1)
    selection, _ = _point(program, is_budget, 1.0, declared, None, time_limit)
    if progress is not None:
        progress(len(scales) + 1, len(scales) + 1)
    committed = tuple(low > 0 for low in program.lower)
    cost = program.cost(committed)
    at = FrontierPoint(cost / declared if declared else 0.0, cost, cost, program.value(committed), sum(committed), None)
    return Frontier(objective, tuple(curve), selection, at, portfolio.currency)


def _scales(program: PortfolioProgram, points: int) -> list[float]:
    """0, then `points` - 1 even steps from the scale the commitments need to the one at which everything fits.

    Below the commitments' own cost nothing fits, so points spent there would say nothing.
    """
    budget_rows = [row for row in program.binary.rows if isinstance(row.kind, BudgetLimit) and row.upper > 0]
    top = max((sum(row.coefs.values()) / row.upper for row in budget_rows), default=1.0)
    committed = {n for n, low in enumerate(program.lower) if low > 0}
    floor = max(
        (sum(c for n, c in row.coefs.items() if n in committed) / row.upper for row in budget_rows), default=0.0
    )
    if points < 2:
        return [top]
    if floor <= 0 or floor >= top:
        return [top * k / (points - 1) for k in range(points)]
    return [0.0, *(floor + (top - floor) * k / (points - 2) for k in range(points - 1))] if points > 2 else [0.0, top]


def _point(
    program: PortfolioProgram,
    is_budget: np.ndarray,
    scale: float,
    declared: float,
    start: tuple[bool, ...] | None,
    time_limit: float,
) -> tuple[FrontierPoint, tuple[bool, ...]]:
    uppers = program.binary.uppers * np.where(is_budget, scale, 1.0)
    result = program.binary.solve(uppers=uppers, start=start, time_limit=time_limit)
    if result.status == "infeasible" or (result.status == "time-limit" and result.gap is None):
        return FrontierPoint(scale, declared * scale, None, None, 0, None), result.x
    point = FrontierPoint(scale, declared * scale, program.cost(result.x), result.value, sum(result.x), result.gap)
    return point, result.x


def _declared_budget(portfolio: Portfolio) -> float:
    """The budget summed over the years: each year's total, else its capex plus opex."""
    total = 0.0
    for budget in portfolio.budget.values():
        total += budget.total if budget.total is not None else (budget.capex or 0.0) + (budget.opex or 0.0)
    return total
