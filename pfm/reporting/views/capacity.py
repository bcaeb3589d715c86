"""`pfm capacity` as tables: utilisation per team and quarter, or one row per team and quarter for a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pfm.analysis.capacity import CapacityView, Cell
from pfm.reporting.tables import Cell as TableCell
from pfm.reporting.tables import Kind
from pfm.reporting.terminal import column_parts
from pfm.reporting.views import Table

Fullness = Literal["none", "fine", "near", "over"]


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


TEAM_WIDTH = 20  # a longer team id folds in the heatmap


@dataclass(frozen=True, slots=True)
class HeatmapPart:
    """The quarters of a heatmap that fit one terminal width: the title, each column's header and width, and per
    team its cells as (figure, how full)."""

    title: str
    headers: tuple[str, ...]  # "team", then each quarter as "27\nQ1"
    widths: tuple[int, ...]
    rows: tuple[tuple[str, tuple[tuple[str, Fullness], ...]], ...]


def fullness(utilisation: float | None) -> Fullness:
    """How full a cell is: over capacity, nearly full (85 % or more), or comfortable; none without capacity."""
    if utilisation is None:
        return "none"
    if utilisation > 1.0 + 1e-9:
        return "over"
    return "near" if utilisation >= 0.85 else "fine"


def heatmap(view: CapacityView, width: int) -> tuple[list[HeatmapPart], list[str]]:
    """Utilisation per team and quarter as parts that fit `width` (quarters split when it is narrow), and the
    lines below: each over-allocated quarter with its causes, and the items not counted."""
    figures = [[percent(c).rstrip("%") for c in cells] for _, cells in view.teams]
    widths = [min(TEAM_WIDTH, max((len(team) for team, _ in view.teams), default=4))]
    widths += [max([2, *(len(row[i]) for row in figures)]) for i in range(len(view.periods))]
    # Each cell has a space before it, and a space between columns: the table is one space wider than its cells.
    parts = column_parts([2 + w for w in widths], 1, width - 1)
    shown = []
    for part in parts:
        scope = "" if len(parts) == 1 else f", {view.periods[part[1] - 1]} to {view.periods[part[-1] - 1]}"
        rows = tuple(
            (team, tuple((row[i - 1], fullness(cells[i - 1].utilisation)) for i in part[1:]))
            for (team, cells), row in zip(view.teams, figures, strict=True)
        )
        headers = ("team", *(view.periods[i - 1][2:].replace("-", "\n") for i in part[1:]))  # 27 over Q1
        title = f"Utilisation per team and quarter, % of capacity{scope}"
        shown.append(HeatmapPart(title, headers, tuple(widths[i] for i in part), rows))
    lines = [
        f"{c.team} {c.period}: {c.demand:g} of {c.capacity:g} {view.units[c.team]} — {causes(c)}"
        for c in view.over_allocated
    ]
    if view.unplaced:
        lines.append(f"not counted, no dates: {', '.join(view.unplaced)}")
    return shown, lines
