"""The board pack's delivery figures: health at the status date, the registers, and the KPIs' trend over git.

Each part is computed as the command that prints it computes it (`pfm kpi`, `pfm status`, `pfm spend`,
`pfm benefits`, `pfm evm`, `pfm risks`, `pfm decisions`), so a figure in the pack is the figure the command shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pfm.analysis.benefits import BenefitsReport, benefits
from pfm.analysis.evm import status_date
from pfm.analysis.risks import RiskRegister, risks
from pfm.analysis.s_curve import SCurve, programme_curves, s_curve
from pfm.analysis.spend import SpendReport, spend
from pfm.io.revisions import RevisionError
from pfm.methods import Method
from pfm.model import Portfolio
from pfm.review.baselines import evm
from pfm.review.decisions import DecisionLog, decisions
from pfm.review.kpi_history import kpi_history
from pfm.review.kpis import KPIS, KpiReport, kpis
from pfm.review.status import StatusReport, status_of
from pfm.selection.explain import Selection

Trend = tuple[float | None, ...]  # a KPI's value at each commit that changed the portfolio, oldest first


@dataclass(frozen=True, slots=True)
class Health:
    """Delivery at the status date, each part as its command computes it."""

    kpis: KpiReport  # `pfm kpi`
    status: StatusReport  # `pfm status`: watermelons first
    spend: SpendReport  # `pfm spend`
    benefits: BenefitsReport  # `pfm benefits`
    curve: SCurve  # cumulative PV, EV and AC by quarter of the items `pfm evm` measures
    risks: RiskRegister  # `pfm risks`
    decisions: DecisionLog  # `pfm decisions`
    programmes: tuple[tuple[str, SCurve], ...]  # each programme's S-curve, in `pfm evm`'s order
    trends: Mapping[str, Trend] | None  # KPI id -> `pfm kpi --history`; None outside git


def health(
    portfolio: Portfolio, objective: Method, time_limit: float, recommendation: Selection | None = None
) -> Health | None:
    """Delivery health at the portfolio's status date (`as_of`, else the latest snapshot's); None without one.
    The pending decisions are read against `pfm select`'s recommendation maximising `objective` (the
    `recommendation` when given, else solved within `time_limit`), as `pfm decisions` reads them."""
    day = status_date(portfolio, None)
    if day is None:
        return None
    earned = evm(portfolio, as_of=day)  # read once: its baselines may come from git history
    return Health(
        kpis(portfolio, day),
        status_of(portfolio, earned),
        spend(portfolio, day),
        benefits(portfolio, day),
        s_curve(portfolio, earned),
        risks(portfolio, day),
        decisions(portfolio, day, objective=objective, time_limit=time_limit, recommendation=recommendation),
        programme_curves(portfolio, earned),
        kpi_trends(portfolio.root),
    )


def kpi_trends(root: Path) -> Mapping[str, Trend] | None:
    """Each KPI's value at every commit that changed the portfolio at `root` (`pfm kpi --history`, its cache
    used); None when the portfolio is not in a git repository with commits."""
    try:
        history = kpi_history(root)
    except RevisionError:
        return None
    values = [point.values or {} for point in history.points]
    return {ident: tuple(v.get(ident) for v in values) for ident in KPIS}
