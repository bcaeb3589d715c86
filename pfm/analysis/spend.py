"""Spend per fiscal year (`pfm spend`): actual to date from the status snapshots, the forecast to year end
from the business cases' re-forecasts (else their approved figures), against the budget.

Conventions (docs/methods.md, "Spend against budget"):

- The items counted are the committed ones: approved, active and closed.
- Snapshots are cumulative, so the actual of fiscal year Y is the spend to date at the earlier of Y's last day
  and the status date, less the spend to date at the last day of Y - 1 (each read off the latest snapshot on
  or before that day; an undated snapshot counts as taken on the status date).
- An item's full-year forecast is its case's re-forecast row for Y when the re-forecast has one, else the
  approved row (0 without either). The forecast to year end is what is left of it: nothing for a closed year,
  the full-year forecast less the actual (never below 0) for the current year, all of it for a later year.
- Landing = actual + forecast to year end; variance = budget - landing (negative: over budget).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pfm.analysis.evm import MEASURED_STATES, required_status_date, snapshot_at
from pfm.model import Budget, Item, Portfolio
from pfm.periods import quarter_index, quarter_of, quarter_start
from pfm.results import Result

KINDS = ("capex", "opex", "total")
Phase = Literal["closed", "current", "future"]


def year_start(year: int, fiscal_year_start: int) -> date:
    """The first day of fiscal year `year`."""
    return quarter_start(f"{year}-Q1", fiscal_year_start)


def year_end(year: int, fiscal_year_start: int) -> date:
    """The last day of fiscal year `year`."""
    return year_start(year + 1, fiscal_year_start) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SpendLine:
    """One fiscal year's figures for capex, opex or their total."""

    year: int
    kind: str  # capex, opex or total
    phase: Phase  # closed, current or future at the status date
    budget: float | None  # None when the portfolio budgets no such figure for the year
    actual: float
    remaining: float  # the forecast to year end
    landing: float

    @property
    def variance(self) -> float | None:
        """Budget - landing: what is left of the budget at year end (negative: over budget)."""
        return None if self.budget is None else self.budget - self.landing

    def to_dict(self) -> dict[str, Any]:
        """The line's figures by name, its variance included."""
        return {
            "year": self.year,
            "kind": self.kind,
            "phase": self.phase,
            "budget": self.budget,
            "actual": self.actual,
            "forecast_to_year_end": self.remaining,
            "landing": self.landing,
            "variance": self.variance,
        }


@dataclass(frozen=True, slots=True)
class ItemYear:
    """One item's capex and opex in a fiscal year: actual, full-year forecast, and where the forecast comes from."""

    item: str
    year: int
    actual: tuple[float, float]  # capex, opex
    forecast: tuple[float, float]  # capex, opex for the whole year
    source: str  # "re-forecast YYYY-MM-DD", "approved" or "none"

    def to_dict(self) -> dict[str, Any]:
        """The item's year as flat figures."""
        return {
            "item": self.item,
            "year": self.year,
            "capex_actual": self.actual[0],
            "opex_actual": self.actual[1],
            "capex_forecast": self.forecast[0],
            "opex_forecast": self.forecast[1],
            "forecast_source": self.source,
        }


@dataclass(frozen=True, slots=True)
class SpendReport(Result):
    """Capex, opex and total per fiscal year of the horizon: budget, actual, forecast to year end, landing."""

    as_of: date
    currency: str
    lines: tuple[SpendLine, ...]
    items: tuple[ItemYear, ...]

    def to_dict(self) -> dict[str, Any]:
        """What `pfm spend -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "years": [line.to_dict() for line in self.lines],
            "items": [entry.to_dict() for entry in self.items],
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per fiscal year and kind (capex, opex, total)."""
        return [line.to_dict() for line in self.lines]


def spend(portfolio: Portfolio, as_of: date | None = None) -> SpendReport:
    """Capex and opex per fiscal year of the planning horizon for the approved, active and closed items: the
    actual to date, the forecast to year end, the budget, where the year will land and the variance."""
    day = required_status_date(portfolio, as_of)
    fys = portfolio.fiscal_year_start
    years = range(quarter_index(portfolio.first_period) // 4, quarter_index(portfolio.last_period) // 4 + 1)
    committed = [item for item in portfolio.items.values() if portfolio.stage_state(item) in MEASURED_STATES]
    entries = tuple(_item_year(portfolio, item, year, day) for year in years for item in committed)
    current = int(quarter_of(day, fys)[:4])
    lines: list[SpendLine] = []
    for year in years:
        phase: Phase = "closed" if year < current else "current" if year == current else "future"
        own = [entry for entry in entries if entry.year == year]
        figures = []
        for k in (0, 1):
            actual = sum(entry.actual[k] for entry in own)
            remaining = sum(_remaining(entry.forecast[k], entry.actual[k], phase) for entry in own)
            figures.append((actual, remaining))
        budgets = _budgets(portfolio.budget.get(year))
        for kind, budget, (actual, remaining) in zip(KINDS, budgets, [*figures, _sum(figures)], strict=True):
            lines.append(SpendLine(year, kind, phase, budget, actual, remaining, actual + remaining))
    spent = tuple(entry for entry in entries if any(entry.actual) or any(entry.forecast))
    return SpendReport(day, portfolio.currency, tuple(lines), spent)


def _remaining(forecast: float, actual: float, phase: Phase) -> float:
    return 0.0 if phase == "closed" else forecast if phase == "future" else max(forecast - actual, 0.0)


def _sum(figures: list[tuple[float, float]]) -> tuple[float, float]:
    return (figures[0][0] + figures[1][0], figures[0][1] + figures[1][1])


def _budgets(budget: Budget | None) -> tuple[float | None, float | None, float | None]:
    if budget is None:
        return (None, None, None)
    both = budget.capex + budget.opex if budget.capex is not None and budget.opex is not None else None
    return (budget.capex, budget.opex, budget.total if budget.total is not None else both)


def _item_year(portfolio: Portfolio, item: Item, year: int, day: date) -> ItemYear:
    fys = portfolio.fiscal_year_start
    start, end = year_start(year, fys), year_end(year, fys)
    if start > day:
        actual = (0.0, 0.0)
    else:
        before, to_date = spent_by(item, start - timedelta(days=1), day), spent_by(item, min(end, day), day)
        actual = (to_date[0] - before[0], to_date[1] - before[1])
    case = portfolio.business_case_of(item.id)
    if case is None:
        return ItemYear(item.id, year, actual, (0.0, 0.0), "none")
    forecast = case.forecast
    rows, source = (case.costs, "approved")
    if forecast is not None and any(row.year == year for row in forecast.costs):
        rows, source = (forecast.costs, f"re-forecast {forecast.as_of}")
    row = next((row for row in rows if row.year == year), None)
    return ItemYear(item.id, year, actual, (row.capex, row.opex) if row else (0.0, 0.0), source)


def spent_by(item: Item, day: date, status: date) -> tuple[float, float]:
    """Capex and opex to date at `day`: the latest snapshot on or before it (undated: taken on `status`)."""
    latest = snapshot_at(item, day, status)
    return (latest.capex, latest.opex) if latest else (0.0, 0.0)
