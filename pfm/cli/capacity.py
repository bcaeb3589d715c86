"""`pfm capacity` and `pfm roadmap`: who is booked when, and when things can really happen."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import load, message, wants_color, write_output, writing_results
from pfm.cli.options import (
    FormatOption,
    MethodOption,
    OutputOption,
    ReleaseOption,
    ScenarioOption,
    SelectionOption,
    TableFormat,
)
from pfm.cli.output import emit, note_split
from pfm.errors import UsageError

if TYPE_CHECKING:
    from pfm.analysis.capacity import CapacityView
    from pfm.analysis.roadmap import Roadmap
    from pfm.model import Portfolio
    from pfm.reporting.views import Table

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
which team in which quarter. --selection places only what pfm select recommends (the pack's).

--risk N draws every duration N times from its three-point estimate (an item's duration_estimate,
else the portfolio's schedule_risk) and pushes the draws through the roadmap's dependencies and team
sequence: per item and milestone the P50/P80/P95 finish, the chance of meeting its date, and how often
it is on the critical path. --seed makes another reproducible set of draws.

Examples:

  pfm roadmap

  pfm roadmap --selection -f mermaid > roadmap.mmd   # a Mermaid gantt of the recommended portfolio

  pfm roadmap --risk 10000                           # the risk-adjusted roadmap

  pfm roadmap --risk 10000 --seed 7 -f csv -o risk.csv
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
    from pfm.reporting.views.capacity import capacity_rows_table, capacity_table

    portfolio = load(ctx, scenario)
    view = capacity_view(portfolio, ALL_OPEN if all_items else DEFAULT_STATES, stages=stage or (), teams=team or ())
    if format is TableFormat.TABLE and output is None:
        _print_heatmap(ctx, view)
    else:
        emit(ctx, (capacity_rows_table if format is TableFormat.CSV else capacity_table)(view), format, output)


# Twelve quarters of "100%" fit an 80-column terminal only without cell padding and rules.
_STYLES = {"none": "dim", "fine": "green", "near": "black on yellow", "over": "bold white on red"}


def _print_heatmap(ctx: typer.Context, view: CapacityView) -> None:
    """Utilisation coloured by how full each team is; the quarters split into parts when the terminal is narrow."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pfm.reporting.views.capacity import NO_TEAMS, heatmap

    if not view.teams:
        message(ctx, f"note: {NO_TEAMS}")
        return
    console = Console(no_color=not wants_color(ctx, sys.stdout), highlight=False)
    parts, lines = heatmap(view, console.width)
    with writing_results():
        for part in parts:
            table = Table(title=Text(part.title), title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
            table.padding, table.pad_edge = (0, 0, 0, 1), False
            table.add_column(part.headers[0], overflow="fold", width=part.widths[0])
            for header, width in zip(part.headers[1:], part.widths[1:], strict=True):
                table.add_column(header, justify="right", no_wrap=True, width=width)
            for team, cells in part.rows:
                table.add_row(Text(team), *(Text(text, style=_STYLES[level]) for text, level in cells))
            console.print(table)
        for line in lines:
            console.print(Text(line))
    if len(parts) > 1:
        note_split(ctx, console.width)


def roadmap_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    selection: SelectionOption = False,
    release_in_flight: ReleaseOption = False,
    risk: Annotated[
        int | None, typer.Option("--risk", min=1, max=1_000_000, metavar="N", help="Monte Carlo draws of durations.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws (with --risk).")] = 0,
    scenario: ScenarioOption = None,
    format: Annotated[
        RoadmapFormat, typer.Option("--format", "-f", help="table, json, csv, markdown or mermaid (gantt).")
    ] = RoadmapFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.roadmap import plan_roadmap
    from pfm.reporting.gantt import mermaid_gantt, text_gantt
    from pfm.reporting.views.roadmap import roadmap_table
    from pfm.selection.optimise import recommended

    portfolio = load(ctx, scenario)
    chosen = recommended(portfolio, method, release_in_flight) if selection else None
    roadmap = plan_roadmap(portfolio, method, selection=chosen)
    if risk is not None:
        emit(ctx, _risk_table(portfolio, roadmap, risk, seed, format), TableFormat(format.value), output)
        return
    if format is RoadmapFormat.MERMAID:
        write_output(mermaid_gantt(portfolio, roadmap), output)
        return
    bars = text_gantt(portfolio, roadmap) if format is RoadmapFormat.TABLE else None
    emit(ctx, roadmap_table(roadmap, bars), TableFormat(format.value), output)


def _risk_table(portfolio: Portfolio, roadmap: Roadmap, draws: int, seed: int, format: RoadmapFormat) -> Table:
    from pfm.analysis.roadmap_risk import roadmap_risk
    from pfm.reporting.views.roadmap import roadmap_risk_table

    if format is RoadmapFormat.MERMAID:
        raise UsageError("--risk prints a table, json, csv or markdown; mermaid draws the roadmap without it")
    return roadmap_risk_table(roadmap_risk(portfolio, draws, seed, roadmap=roadmap))
