"""`pfm finance` as one result: every business case's figures and the spend per fiscal year against budget.

The figures come from `pfm.analysis.finance`; this module bundles them with the conventions they were computed
under (currency, discount rate, base year), as the command prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from pfm.analysis.finance import CaseMetrics, YearTotals, portfolio_metrics, totals_by_year
from pfm.errors import UsageError
from pfm.model import Portfolio
from pfm.records import EMPTY
from pfm.results import Result


@dataclass(frozen=True, slots=True)
class Finances(Result):
    """`pfm finance`: the business cases' figures and the spend per fiscal year against budget, in `currency`.

    For one item (`item`), its spend per year has no budget or headroom: the budget is the portfolio's, and
    one item's spend against all of it says nothing."""

    currency: str
    discount_rate: float
    base_year: int | None
    cases: tuple[CaseMetrics, ...]  # by item id
    totals: tuple[YearTotals, ...]  # every year with spend or a budget, in order
    titles: Mapping[str, str] = field(default_factory=lambda: EMPTY)  # item id -> title
    item: str | None = None  # the one item shown, if any

    def to_dict(self) -> dict[str, Any]:
        """What `pfm finance -f json` prints: the conventions, each case's figures and each year's totals."""
        return {
            "currency": self.currency,
            "discount_rate": self.discount_rate,
            "base_year": self.base_year,
            "item": self.item,
            "items": [_case_dict(m) for m in self.cases],
            "totals": {str(t.year): _year_dict(t) for t in self.totals},
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per business case: the item, its title and its figures (None where undefined); every IRR
        root and why a figure is undefined are in `to_dict()`."""
        return [
            {"id": m.item, "title": self.titles.get(m.item, m.item)}
            | {k: v for k, v in _case_dict(m).items() if k not in ("irr_roots", "not_available")}
            for m in self.cases
        ]


def _case_dict(m: CaseMetrics) -> dict[str, Any]:
    return {
        "id": m.item,
        "business_case": m.id,
        "npv": m.npv,
        "irr": m.irr,
        "irr_roots": list(m.irr_roots),
        "mirr": m.mirr,
        "payback_years": m.payback_years,
        "discounted_payback_years": m.discounted_payback_years,
        "roi": m.roi,
        "simple_roi": m.simple_roi,
        "pv_costs": m.pv_costs,
        "pv_benefits": m.pv_benefits,
        "not_available": dict(m.not_available),
    }


def _year_dict(t: YearTotals) -> dict[str, Any]:
    budget = None if t.budget is None else {"capex": t.budget.capex, "opex": t.budget.opex, "total": t.budget.total}
    return {"capex": t.capex, "opex": t.opex, "benefits": t.benefits, "budget": budget, "headroom": t.headroom}


def finance(portfolio: Portfolio, item: str | None = None) -> Finances:
    """Every business case's figures and the spend per year against budget; with `item`, that item's case alone
    (a UsageError when it has none or there is no such item)."""
    metrics = portfolio_metrics(portfolio)
    if item is not None:
        metrics = [m for m in metrics if m.item == item]
        if not metrics:
            raise UsageError(f"no business case for item '{item}'" if item in portfolio.items else f"no item '{item}'")
    totals = totals_by_year(portfolio)
    if item is not None:  # the years of its case, against no budget
        years = range(min(m.first_year for m in metrics), max(m.last_year for m in metrics) + 1)
        totals = [replace(t, budget=None) for t in totals_by_year(portfolio, [item]) if t.year in years]
    return Finances(
        portfolio.currency,
        portfolio.finance.discount_rate,
        portfolio.finance.base_year,
        tuple(metrics),
        tuple(totals),
        MappingProxyType({m.item: portfolio.items[m.item].title for m in metrics}),
        item,
    )
