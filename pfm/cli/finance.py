"""`pfm finance`: NPV, IRR, MIRR, payback and ROI per business case, and spend per year against budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import load
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.errors import UsageError
from pfm.reporting.tables import Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.analysis.finance import CaseMetrics, YearTotals
    from pfm.model import Portfolio

HELP = """Business-case finance per item and the portfolio's spend per fiscal year against budget.

NPV discounts fiscal year y by (1 + r)^(y - base_year) (portfolio.yaml: finance); IRR lists
every root (none without a sign change); payback counts years after the case's first year;
ROI is NPV / PV(costs), simple ROI (benefits - costs) / costs.

Examples:

  pfm finance

  pfm finance crm-salesforce

  pfm finance -f csv -o finance.csv
"""


def register(app: typer.Typer) -> None:
    app.command("finance", help=HELP)(finance_command)


def finance_command(
    ctx: typer.Context,
    item: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One item (default: every item with a business case).")
    ] = None,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.finance import portfolio_metrics, totals_by_year

    portfolio = load(ctx, scenario)
    metrics = portfolio_metrics(portfolio)
    if item is not None:
        metrics = [m for m in metrics if m.item == item]
        if not metrics:
            raise UsageError(f"no business case for item '{item}'" if item in portfolio.items else f"no item '{item}'")
    totals = totals_by_year(portfolio, [m.item for m in metrics] if item else None)
    emit(ctx, _report(portfolio, metrics, totals), format, output)


def _irr_text(metric: CaseMetrics) -> str | float | None:
    if len(metric.irr_roots) > 1:
        return "several: " + ", ".join(f"{root:.1%}" for root in metric.irr_roots)
    return metric.irr if metric.irr is not None else "none"


def _report(portfolio: Portfolio, metrics: list[CaseMetrics], totals: list[YearTotals]) -> Table:
    columns = ["item", "title", "NPV", "IRR", "MIRR", "payback (y)", "disc. payback (y)", "ROI", "simple ROI"]
    rows = [
        [
            m.item,
            portfolio.items[m.item].title,
            m.npv,
            _irr_text(m),
            _ratio_cell(m, "mirr"),
            m.payback_years,
            m.discounted_payback_years,
            _ratio_cell(m, "roi"),
            _ratio_cell(m, "simple_roi"),
        ]
        for m in metrics
    ]
    payload = {
        "currency": portfolio.currency,
        "discount_rate": portfolio.finance.discount_rate,
        "base_year": portfolio.finance.base_year,
        "items": [
            {
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
            for m in metrics
        ],
        "totals": {
            str(t.year): {
                "capex": t.capex,
                "opex": t.opex,
                "benefits": t.benefits,
                "budget": None
                if t.budget is None
                else {"capex": t.budget.capex, "opex": t.budget.opex, "total": t.budget.total},
                "headroom": t.headroom,
            }
            for t in totals
        },
    }
    over = [
        f"{t.year}: these business cases cost {-t.headroom:,.0f} {portfolio.currency} more than the budget"
        for t in totals
        if t.headroom is not None and t.headroom < 0
    ]
    years = Table(
        f"Per fiscal year against budget ({portfolio.currency})",
        ["year", "capex", "opex", "total", "benefits", "budget", "headroom"],
        [[t.year, t.capex, t.opex, t.total, t.benefits, _budget_total(t), t.headroom] for t in totals],
        {},
        [Kind.TEXT, Kind.MONEY, Kind.MONEY, Kind.MONEY, Kind.MONEY, Kind.MONEY, Kind.MONEY],
    )
    return Table(
        f"Business cases ({portfolio.currency}, discount rate {portfolio.finance.discount_rate:.1%})",
        columns,
        rows,
        payload,
        [
            Kind.TEXT,
            Kind.TEXT,
            Kind.MONEY,
            Kind.PERCENT,
            Kind.PERCENT,
            Kind.NUMBER,
            Kind.NUMBER,
            Kind.PERCENT,
            Kind.PERCENT,
        ],
        over,
        [years],
        [f"{m.item}: {_LABELS[name]} n/a: {why}" for m in metrics for name, why in m.not_available.items()],
    )


_LABELS = {"mirr": "MIRR", "roi": "ROI", "simple_roi": "simple ROI"}


def _ratio_cell(metric: CaseMetrics, name: str) -> float | str | None:
    """The ratio, or "n/a" where it is undefined (the reason is a remark below the table)."""
    value: float | None = getattr(metric, name)
    return "n/a" if name in metric.not_available else value


def _budget_total(totals: YearTotals) -> float | None:
    budget = totals.budget
    if budget is None:
        return None
    if budget.total is not None:
        return budget.total
    return (budget.capex or 0.0) + (budget.opex or 0.0)
