"""`pfm history` as a table: one row per commit, with the portfolio's figures or one item's score and rank."""

from __future__ import annotations

from pfm.reporting.tables import Kind
from pfm.reporting.views import Table
from pfm.review.history import History


def history_table(result: History) -> Table:
    """The commits oldest first, each shortened to its id and day; the payload is `result.to_dict()`."""
    columns = ["commit", "date", "subject", "items", "errors"]
    kinds = [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.WHOLE]
    if result.item is None:
        columns += ["capex", "opex", "NPV"]
        kinds += [Kind.MONEY, Kind.MONEY, Kind.MONEY]
    else:
        columns += ["score", "rank"]
        kinds += [Kind.NUMBER, Kind.WHOLE]
    rows = [[row["commit"][:7], row["date"][:10], *(row[c] for c in columns[2:])] for row in result.records()]
    title = f"History of {result.item} ({result.method})" if result.item else f"Portfolio history ({result.method})"
    return Table(title, columns, rows, result.to_dict(), kinds)
