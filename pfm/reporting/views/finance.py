"""Business-case finance and the spend per fiscal year against budget as tables (`pfm finance`)."""

from __future__ import annotations

from pfm.analysis.finance import CaseMetrics
from pfm.analysis.finances import Finances
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

_LABELS = {
    "mirr": "MIRR",
    "roi": "ROI",
    "simple_roi": "simple ROI",
    "payback_years": "payback",
    "discounted_payback_years": "discounted payback",
}


def finance_table(finances: Finances) -> Table:
    """A row per business case (NPV, IRR, MIRR, payback, ROI), and a section per fiscal year (`years_table`)."""
    currency = finances.currency
    years = years_table(finances)
    rows: list[list[Cell]] = [
        [
            m.item,
            finances.titles[m.item],
            m.npv,
            _irr(m),
            _ratio(m, "mirr"),
            _ratio(m, "payback_years"),
            _ratio(m, "discounted_payback_years"),
            _ratio(m, "roi"),
            _ratio(m, "simple_roi"),
        ]
        for m in finances.cases
    ]
    return Table(
        f"Business cases ({currency}, discount rate {finances.discount_rate:.1%})",
        ["item", "title", "NPV", "IRR", "MIRR", "payback (y)", "disc. payback (y)", "ROI", "simple ROI"],
        rows,
        finances.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.PERCENT, Kind.PERCENT, Kind.NUMBER, Kind.NUMBER] + [Kind.PERCENT] * 2,
        years.notes,
        [Table(years.title, years.columns, years.rows, {}, years.kinds)],  # its warnings and remarks said above
        [f"{m.item}: {_LABELS[name]} n/a: {why}" for m in finances.cases for name, why in m.not_available.items()]
        + years.remarks,
    )


def years_table(finances: Finances) -> Table:
    """Capex, opex, total and benefits per fiscal year, against the budget with the headroom; for one item
    (`pfm finance ID`) its spend alone, without the portfolio's budget."""
    currency = finances.currency
    if finances.item is not None:
        return Table(
            f"Per fiscal year: {finances.item} ({currency})",
            ["year", "capex", "opex", "total", "benefits"],
            [[t.year, t.capex, t.opex, t.total, t.benefits] for t in finances.totals],
            finances.to_dict(),
            [Kind.TEXT, *[Kind.MONEY] * 4],
        )
    over = [
        f"{t.year}: these business cases cost {-(t.headroom or 0.0):,.0f} {currency} more than the budget"
        for t in finances.totals
        if (t.headroom or 0.0) < 0
    ]
    partial = [
        f"{t.year}: the budget states {t.budgeted[0]} only, so its headroom is against {t.budgeted[0]} spend alone"
        for t in finances.totals
        if len(t.budgeted) == 1
    ]
    return Table(
        f"Per fiscal year against budget ({currency})",
        ["year", "capex", "opex", "total", "benefits", "budget", "headroom"],
        [[t.year, t.capex, t.opex, t.total, t.benefits, t.budget_total, t.headroom] for t in finances.totals],
        finances.to_dict(),
        [Kind.TEXT, *[Kind.MONEY] * 6],
        over,
        remarks=partial,
    )


def _irr(metric: CaseMetrics) -> Cell:
    """The IRR; every root when there are several, "none" when there is none."""
    if len(metric.irr_roots) > 1:
        return "several: " + ", ".join(f"{root:.1%}" for root in metric.irr_roots)
    return metric.irr if metric.irr is not None else "none"


def _ratio(metric: CaseMetrics, name: str) -> Cell:
    """The figure, or "n/a" where it is undefined (the reason is a remark below the table; CSV leaves it empty)."""
    value: float | None = getattr(metric, name)
    return "n/a" if name in metric.not_available else value
