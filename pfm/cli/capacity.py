"""`pfm capacity` and `pfm roadmap`: who is booked when, and when things can really happen."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import load, wants_color, write_output, writing_results
from pfm.cli.options import FormatOption, MethodOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit, note_split
from pfm.errors import UsageError
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.terminal import column_parts
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.analysis.capacity import CapacityView
    from pfm.analysis.capacity import Cell as CapacityCell
    from pfm.analysis.roadmap import Planned, Roadmap
    from pfm.model import Portfolio

CAPACITY_HELP = """Demand on each team per quarter against its capacity: utilisation, and the over-allocated quarters with the items that cause them.

By default approved and in-flight items are counted (what is already committed); --all
adds the proposed ones (what the pipeline would need); --stage counts exactly the stages named.

Examples:

  pfm capacity

  pfm capacity --all --team payments-eng

  pfm capacity -f csv -o capacity.csv
"""

ROADMAP_HELP = """The earliest schedule that respects dependencies and team capacity.

Items are placed one by one in rank order (in-flight items stay where they are), never
before their requested start; the table says why anything moved: which prerequisite, or
which team in which quarter.

Examples:

  pfm roadmap

  pfm roadmap -f mermaid > roadmap.mmd        # a Mermaid gantt for GitHub or the board pack
"""


class RoadmapFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    MERMAID = "mermaid"


def register(app: typer.Typer) -> None:
    app.command("capacity", help=CAPACITY_HELP)(capacity_command)
    app.command("roadmap", help=ROADMAP_HELP)(roadmap_command)


def capacity_command(
    ctx: typer.Context,
    team: Annotated[list[str] | None, typer.Option("--team", "-t", help="Only this team (repeatable).")] = None,
    stage: Annotated[
        list[str] | None, typer.Option("--stage", help="Count the items in exactly these stages (repeatable).")
    ] = None,
    all_items: Annotated[
        bool, typer.Option("--all", help="Count proposed items too, not only approved and in-flight ones.")
    ] = False,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.capacity import ALL_OPEN, DEFAULT_STATES, capacity_view

    portfolio = load(ctx, scenario)
    unknown = [t for t in team or [] if t not in portfolio.teams]
    if unknown:
        raise UsageError(f"no team {', '.join(unknown)} (teams: {', '.join(portfolio.teams)})")
    view = capacity_view(portfolio, ALL_OPEN if all_items else DEFAULT_STATES, stages=stage or (), teams=team or ())
    if format is TableFormat.TABLE and output is None:
        _print_heatmap(ctx, portfolio, view)
        return
    emit(ctx, _capacity_report(portfolio, view, format), format, output)


def _capacity_report(portfolio: Portfolio, view: CapacityView, format: TableFormat) -> Table:
    payload = {
        "periods": list(view.periods),
        "teams": [
            {"id": team, "unit": portfolio.teams[team].unit, "periods": [c.to_dict() for c in cells]}
            for team, cells in view.teams
        ],
        "over_allocated": [{"team": c.team, **c.to_dict()} for c in view.over_allocated],
        "unplaced": list(view.unplaced),
    }
    if format is TableFormat.CSV:  # one row per team and quarter: what a spreadsheet pivots
        rows: list[list[Any]] = [
            [
                c.team,
                c.period,
                c.capacity,
                c.demand,
                c.to_dict()["utilisation"],
                "; ".join(f"{i} {a:g}" for i, a in c.items),
            ]
            for _, cells in view.teams
            for c in cells
        ]
        return Table("Capacity", ["team", "period", "capacity", "demand", "utilisation", "items"], rows, payload)
    heat: list[list[Cell]] = [[team, *(_percent(c) for c in cells)] for team, cells in view.teams]
    over = [
        f"{c.team} {c.period}: {c.demand:g} of {c.capacity:g} ({_percent(c)}) — {', '.join(f'{i} {a:g}' for i, a in c.items)}"
        for c in view.over_allocated
    ]
    return Table(
        "Utilisation per team and quarter",
        ["team", *view.periods],
        heat,
        payload,
        [Kind.TEXT, *[Kind.TEXT] * len(view.periods)],
        over,
    )


def _percent(cell: CapacityCell) -> str:
    utilisation = cell.utilisation
    if utilisation is None:
        return ""
    return "∞" if utilisation == float("inf") else f"{utilisation:.0%}"


def _print_heatmap(ctx: typer.Context, portfolio: Portfolio, view: CapacityView) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(no_color=not wants_color(ctx, sys.stdout), highlight=False)
    figures = [[_percent(c).rstrip("%") for c in cells] for _, cells in view.teams]
    team_width = min(_TEAM_WIDTH, max((len(team) for team, _ in view.teams), default=4))
    needs = [team_width, *(max([2, *(len(row[i]) for row in figures)]) for i in range(len(view.periods)))]
    # Each cell has a space before it, and a space between columns: the table is one space wider than its cells.
    parts = column_parts([2 + need for need in needs], 1, console.width - 1)
    with writing_results():
        for part in parts:
            periods = [view.periods[i - 1] for i in part[1:]]
            scope = "" if len(parts) == 1 else f", {periods[0]} to {periods[-1]}"
            console.print(_heatmap(f"Utilisation per team and quarter, % of capacity{scope}", view, part, needs))
        for cell in view.over_allocated:
            causes = ", ".join(f"{ident} {amount:g}" for ident, amount in cell.items)
            console.print(
                Text(
                    f"{cell.team} {cell.period}: {cell.demand:g} of {cell.capacity:g} {portfolio.teams[cell.team].unit} — {causes}"
                )
            )
        if view.unplaced:
            console.print(Text(f"not counted, no dates: {', '.join(view.unplaced)}"))
    if len(parts) > 1:
        note_split(ctx, console.width)


_TEAM_WIDTH = 20  # a longer team id folds


def _heatmap(title: str, view: CapacityView, columns: list[int], widths: list[int]) -> Any:
    """The heatmap's team column and the periods among `columns` (1 is the first period)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Twelve quarters of "100%" fit an 80-column terminal only without cell padding and rules.
    table = Table(
        title=Text(title),
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 0, 0, 1),
        pad_edge=False,
    )
    table.add_column("team", overflow="fold", width=widths[0])
    for index in columns[1:]:  # 27 over Q1
        table.add_column(
            view.periods[index - 1][2:].replace("-", "\n"), justify="right", no_wrap=True, width=widths[index]
        )
    for team, cells in view.teams:
        shown = [cells[index - 1] for index in columns[1:]]
        table.add_row(Text(team), *(Text(_percent(c).rstrip("%"), style=_heat(c.utilisation)) for c in shown))
    return table


def _heat(utilisation: float | None) -> str:
    if utilisation is None:
        return "dim"
    if utilisation > 1.0 + 1e-9:
        return "bold white on red"
    return "black on yellow" if utilisation >= 0.85 else "green"


def roadmap_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    scenario: ScenarioOption = None,
    format: Annotated[
        RoadmapFormat, typer.Option("--format", "-f", help="table, json, csv, markdown or mermaid (gantt).")
    ] = RoadmapFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.ranking import rank
    from pfm.analysis.roadmap import mermaid_gantt, plan_roadmap

    portfolio = load(ctx, scenario)
    roadmap = plan_roadmap(portfolio, order=[r.id for r in rank(portfolio, method).items])
    if format is RoadmapFormat.MERMAID:
        write_output(mermaid_gantt(portfolio, roadmap), output)
        return
    emit(ctx, _roadmap_report(portfolio, roadmap, format is RoadmapFormat.TABLE), TableFormat(format.value), output)


def _planned_payload(entry: Planned) -> dict[str, Any]:
    return {
        "id": entry.id,
        "requested_start": entry.requested_start,
        "scheduled_start": entry.scheduled_start,
        "end": entry.end,
        "delay": entry.delay,
        "reason": entry.reason,
        "fixed": entry.fixed,
    }


def _roadmap_report(portfolio: Portfolio, roadmap: Roadmap, with_bars: bool) -> Table:
    from pfm.analysis.roadmap import text_gantt

    bars = dict(text_gantt(portfolio, roadmap)) if with_bars else {}
    columns = ["id", "requested", "scheduled", "end", "delay", "reason"] + (
        [
            "",
        ]
        if with_bars
        else []
    )
    rows: list[list[Any]] = []
    for entry in (*roadmap.items, *roadmap.unscheduled):
        row: list[Any] = [
            entry.id,
            entry.requested_start,
            entry.scheduled_start,
            entry.end,
            entry.delay,
            entry.reason or ("in flight" if entry.fixed else ""),
        ]
        rows.append(row + ([bars.get(entry.id, "")] if with_bars else []))
    payload = {
        "items": [_planned_payload(e) for e in roadmap.items],
        "unscheduled": [_planned_payload(e) for e in roadmap.unscheduled],
    }
    notes = [f"{e.id} does not fit: {e.reason}" for e in roadmap.unscheduled]
    delayed = sum(1 for e in roadmap.items if e.delay)
    title = f"Roadmap: {len(roadmap.items)} items placed, {delayed} later than requested, {len(roadmap.unscheduled)} do not fit"
    kinds = [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT] + ([Kind.TEXT] if with_bars else [])
    return Table(title, columns, rows, payload, kinds, notes)
