"""`pfm capacity` as tables: utilisation per team and quarter, or one row per team and quarter for a spreadsheet."""

from __future__ import annotations

from pfm.analysis.capacity import CapacityView, Cell
from pfm.reporting.tables import Cell as TableCell
from pfm.reporting.tables import Kind
from pfm.reporting.views import Table


def percent(cell: Cell) -> str:
    """The cell's utilisation as a whole percentage; ∞ for demand on no capacity, "" for neither."""
    utilisation = cell.utilisation
    if utilisation is None:
        return ""
    return "∞" if utilisation == float("inf") else f"{utilisation:.0%}"


def causes(cell: Cell) -> str:
    """The items booking the cell with their amounts, largest first."""
    return ", ".join(f"{ident} {amount:g}" for ident, amount in cell.items)


NO_TEAMS = "the portfolio has no teams, so no capacity to show: add one with `pfm new team ID` (teams/ID.yaml)"


def capacity_table(view: CapacityView) -> Table:
    """Utilisation per team (rows) and quarter (columns), a line per over-allocated quarter; a remark on how to
    add a team when there is none."""
    over = [
        f"{c.team} {c.period}: {c.demand:g} of {c.capacity:g} ({percent(c)}) — {causes(c)}" for c in view.over_allocated
    ]
    rows: list[list[TableCell]] = [[team, *(percent(c) for c in cells)] for team, cells in view.teams]
    columns = ["team", *view.periods]
    return Table(
        "Utilisation per team and quarter",
        columns,
        rows,
        view.to_dict(),
        [Kind.TEXT] * len(columns),
        over,
        remarks=[] if view.teams else [NO_TEAMS],
    )


CAPACITY_COLUMNS = ["team", "period", "capacity", "demand", "utilisation", "items"]


def capacity_rows_table(view: CapacityView) -> Table:
    """One row per team and quarter (the view's records): what a spreadsheet pivots."""
    rows = [[record[column] for column in CAPACITY_COLUMNS] for record in view.records()]
    return Table("Capacity", CAPACITY_COLUMNS, rows, view.to_dict(), remarks=[] if view.teams else [NO_TEAMS])
