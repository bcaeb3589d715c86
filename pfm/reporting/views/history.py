"""`pfm history` and `pfm kpi --history` as tables: one row per commit, with the portfolio's figures or one item's
score, rank and cost, or the KPIs."""

from __future__ import annotations

from pfm.reporting.tables import Kind
from pfm.reporting.views import Table
from pfm.review.history import History
from pfm.review.kpi_history import KpiHistory
from pfm.review.kpis import KPIS


def history_table(result: History) -> Table:
    """The commits oldest first, each shortened to its id and day; the payload is `result.to_dict()`."""
    columns = ["commit", "date", "subject", "items", "errors"]
    kinds = [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.WHOLE]
    if result.item is None:
        columns += ["capex", "opex", "NPV"]
        kinds += [Kind.MONEY, Kind.MONEY, Kind.MONEY]
    else:
        columns += ["score", "rank", "cost"]
        kinds += [Kind.NUMBER, Kind.WHOLE, Kind.MONEY]
    rows = [[row["commit"][:7], row["date"][:10], *(row[c] for c in columns[2:])] for row in result.records()]
    title = f"History of {result.item} ({result.method})" if result.item else f"Portfolio history ({result.method})"
    return Table(title, columns, rows, result.to_dict(), kinds)


def kpi_history_table(result: KpiHistory) -> Table:
    """The commits oldest first (id and day), errors, status date and one column per KPI; the payload is
    `result.to_dict()`."""
    rows = [[row["commit"][:7], row["date"][:10], *list(row.values())[2:]] for row in result.records()]
    return Table(
        "KPI history",
        ["commit", "date", "errors", "as of", *KPIS],
        rows,
        result.to_dict(),
        [Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT, *[Kind.NUMBER] * len(KPIS)],
    )
