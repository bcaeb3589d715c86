"""The portfolio's KPIs against their targets (`pfm kpi`), and the counts a portfolio office reports beside them.

Conventions (docs/methods.md, "KPIs"): each KPI is read off the command that computes it at the status date, so
it is the figure that command prints; the targets are the portfolio's `kpi_targets`, else DEFAULT_TARGETS. A KPI
with no figure (nothing to measure) neither meets nor misses its target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pfm.analysis.benefits import benefits
from pfm.analysis.capacity import capacity_view
from pfm.analysis.evm import MEASURED_STATES, required_status_date
from pfm.analysis.risks import risks
from pfm.analysis.spend import spend
from pfm.model import Portfolio
from pfm.periods import add_quarters, quarter_of, quarter_start
from pfm.records import Milestone
from pfm.results import Result
from pfm.review.decisions import open_actions, pending_decisions

Sense = Literal["at least", "at most"]

# KPI id -> (name, whether the target is a floor or a ceiling, the target when the portfolio gives none)
KPIS: Mapping[str, tuple[str, Sense, float]] = {
    "on_time_delivery": ("Milestones achieved by their baseline date", "at least", 0.8),
    "budget_variance": ("Budget left at year end, share of the year's budget", "at least", 0.0),
    "benefit_realisation": ("Benefits realised / planned to date", "at least", 0.8),
    "capacity_utilisation": ("Demand / capacity of the teams this fiscal year", "at most", 0.9),
    "risk_exposure": ("Summed exposure (P x I) of the open and mitigating risks", "at most", 150.0),
}
DEFAULT_TARGETS = {ident: default for ident, (_, _, default) in KPIS.items()}
POINTS = frozenset({"risk_exposure"})  # the KPIs in points (P x I); the others are ratios


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI: its figure at the status date, its target and whether the figure meets it."""

    id: str
    name: str
    value: float | None  # None when there is nothing to measure
    target: float
    sense: Sense

    @property
    def ratio(self) -> bool:
        """Whether the value is a ratio (a share, shown as a percentage) rather than points."""
        return self.id not in POINTS

    @property
    def met(self) -> bool | None:
        """Whether the value meets the target (None without a value)."""
        if self.value is None:
            return None
        return self.value >= self.target if self.sense == "at least" else self.value <= self.target

    def to_dict(self) -> dict[str, Any]:
        """The KPI by name: value, target, which way the target goes, and whether it is met."""
        return {
            "kpi": self.id,
            "name": self.name,
            "value": self.value,
            "target": self.target,
            "sense": self.sense,
            "met": self.met,
        }


@dataclass(frozen=True, slots=True)
class KpiReport(Result):
    """The KPIs at a status date against their targets, and the portfolio's counts."""

    as_of: date
    kpis: tuple[Kpi, ...]
    by_stage: tuple[tuple[str, int], ...]  # stage id, items; in the portfolio's order, empty stages left out
    by_rag: tuple[tuple[str, int], ...]  # green, amber, red, none
    pending_decisions: int
    overdue_reviews: int  # open or mitigating risks past their review date
    overdue_actions: int  # decision actions not done past their due date

    @property
    def missed(self) -> tuple[Kpi, ...]:
        """The KPIs whose value misses the target (what `pfm kpi --check` fails on)."""
        return tuple(k for k in self.kpis if k.met is False)

    def to_dict(self) -> dict[str, Any]:
        """What `pfm kpi -f json` prints."""
        return {
            "as_of": self.as_of.isoformat(),
            "kpis": self.records(),
            "missed": [k.id for k in self.missed],
            "counts": {
                "by_stage": dict(self.by_stage),
                "by_rag": dict(self.by_rag),
                "pending_decisions": self.pending_decisions,
                "overdue_reviews": self.overdue_reviews,
                "overdue_actions": self.overdue_actions,
            },
        }

    def records(self) -> list[dict[str, Any]]:
        """One row per KPI."""
        return [k.to_dict() for k in self.kpis]


def kpis(portfolio: Portfolio, as_of: date | None = None) -> KpiReport:
    """The KPIs at the status date (`as_of`, else the portfolio's) against the portfolio's `kpi_targets` (else
    DEFAULT_TARGETS): on-time delivery, budget variance, benefit realisation, capacity utilisation and risk
    exposure; and the items by stage and by RAG, the pending decisions, the risk reviews and the decision actions
    overdue."""
    day = required_status_date(portfolio, as_of)
    register = risks(portfolio, day)
    values = {
        "on_time_delivery": on_time_delivery(portfolio, day),
        "budget_variance": _budget_variance(portfolio, day),
        "benefit_realisation": benefits(portfolio, day).realisation,
        "capacity_utilisation": _utilisation(portfolio, day),
        "risk_exposure": float(register.exposure),
    }
    targets = {**DEFAULT_TARGETS, **portfolio.kpi_targets}
    rows = tuple(Kpi(k, name, values[k], targets[k], sense) for k, (name, sense, _) in KPIS.items())
    stages = Counter(item.stage for item in portfolio.items.values())
    rags = Counter(item.status or "none" for item in portfolio.items.values())
    return KpiReport(
        day,
        rows,
        tuple((s.id, stages[s.id]) for s in portfolio.stages if stages[s.id]),
        tuple((rag, rags[rag]) for rag in ("green", "amber", "red", "none") if rags[rag]),
        len(pending_decisions(portfolio)),
        len(register.overdue),
        sum(o.overdue for o in open_actions(portfolio, day)),
    )


def on_time_delivery(portfolio: Portfolio, day: date) -> float | None:
    """The share of the committed items' milestones due by `day` (or achieved by then) that were achieved by
    their baseline date; None when none is."""
    fys = portfolio.fiscal_year_start
    counted = on_time = 0
    for item in portfolio.items.values():
        if portfolio.stage_state(item) not in MEASURED_STATES:
            continue
        for milestone in item.milestones:
            due, done = _due(milestone, fys), _achieved(milestone, fys)
            if due is None or (due > day and (done is None or done > day)):
                continue
            counted += 1
            on_time += done is not None and done <= min(due, day)
    return on_time / counted if counted else None


def _due(milestone: Milestone, fys: int) -> date | None:
    """The baseline date, else the plan's: a quarter means its last day."""
    when = milestone.baseline or milestone.date or milestone.period
    return _last_day(when, fys) if when else None


def _achieved(milestone: Milestone, fys: int) -> date | None:
    """When the milestone was achieved: its actual, else the plan's date when its status says achieved."""
    when = milestone.actual or (milestone.date or milestone.period if milestone.status == "achieved" else None)
    return _last_day(when, fys) if when else None


def _last_day(when: str, fys: int) -> date:
    if "Q" in when:  # a quarter, 2027-Q1
        return quarter_start(add_quarters(when, 1), fys) - timedelta(days=1)
    return date.fromisoformat(when)


def _budget_variance(portfolio: Portfolio, day: date) -> float | None:
    """The current fiscal year's total variance (budget - landing) as a share of its budget."""
    year = int(quarter_of(day, portfolio.fiscal_year_start)[:4])
    line = next((x for x in spend(portfolio, day).lines if (x.year, x.kind) == (year, "total")), None)
    if line is None or line.variance is None or not line.budget:
        return None
    return line.variance / line.budget


def _utilisation(portfolio: Portfolio, day: date) -> float | None:
    """Demand over capacity of the committed work, summed over the teams and the current fiscal year's quarters."""
    year = quarter_of(day, portfolio.fiscal_year_start)[:4]
    cells = [c for _, row in capacity_view(portfolio).teams for c in row if c.period.startswith(year)]
    capacity = sum(c.capacity for c in cells)
    return sum(c.demand for c in cells) / capacity if capacity else None
