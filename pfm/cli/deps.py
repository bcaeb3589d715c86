"""`pfm deps check|graph|order|path|impact`: the portfolio's dependency network."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from pfm.cli.common import load, message, settings, write_output
from pfm.cli.options import (
    FormatOption,
    MethodOption,
    OutputOption,
    ReleaseOption,
    ScenarioOption,
    SelectionOption,
    TableFormat,
)
from pfm.cli.output import emit

app = typer.Typer(
    help="The dependency network: cycles and conflicts, drawing, order, critical path, impact of a slip.",
    no_args_is_help=True,
)


class GraphFormat(StrEnum):
    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"


@app.command(
    "check",
    help="Cycles (every edge at its line), date conflicts, cancelled or closed prerequisites, exclusions that are also dependencies.\n\nExit 1 on cycles or conflicts. Example:\n\n  pfm deps check -f json",
)
def check_command(ctx: typer.Context, format: FormatOption = TableFormat.TABLE, output: OutputOption = None) -> None:
    from pfm.reporting.views.network import dependency_check_table, dependency_check_text
    from pfm.validation.dependency_check import check_dependencies

    check = check_dependencies(settings(ctx).portfolio)
    if format is TableFormat.TABLE and output is None:
        write_output(dependency_check_text(check, notes=settings(ctx).verbose), None)
    else:
        emit(ctx, dependency_check_table(check, notes=settings(ctx).verbose), format, output)
    raise typer.Exit(0 if check.ok else 1)


@app.command(
    "graph",
    help="Draw the network: Mermaid (renders on GitHub), Graphviz DOT, or JSON; programmes as clusters, critical edges red.\n\nExamples:\n\n  pfm deps graph > deps.mmd\n\n  pfm deps graph --focus core-ledger-phase1 --depth 2 -f dot | dot -Tsvg > ledger.svg",
)
def graph_command(
    ctx: typer.Context,
    format: Annotated[GraphFormat, typer.Option("--format", "-f", help="mermaid, dot or json.")] = GraphFormat.MERMAID,
    focus: Annotated[
        str | None, typer.Option("--focus", metavar="ID", help="Only the items within --depth links of this one.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Links to follow from --focus, both ways.")] = 2,
    scenario: ScenarioOption = None,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.network import dependency_network
    from pfm.reporting.diagrams import to_dot, to_mermaid
    from pfm.reporting.tables import to_json

    network = dependency_network(load(ctx, scenario), focus, depth)
    if format is GraphFormat.JSON:
        write_output(to_json(network.to_dict()), output)
    else:
        write_output((to_mermaid if format is GraphFormat.MERMAID else to_dot)(network.nodes, network.links), output)


@app.command(
    "order",
    help="Topological order in layers: the items of a layer can start together once the layers before are done.\n\nExample:\n\n  pfm deps order -f markdown",
)
def order_command(
    ctx: typer.Context,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.network import dependency_order
    from pfm.reporting.views.network import order_table

    emit(ctx, order_table(dependency_order(load(ctx, scenario))), format, output)


@app.command(
    "path",
    help="Critical path method over item durations (quarters): earliest and latest start and finish, total float, the critical path(s) and the total duration; --selection: of the items pfm select recommends (the board pack's).\n\nExample:\n\n  pfm deps path --selection -f json",
)
def path_command(
    ctx: typer.Context,
    selection: SelectionOption = False,
    method: MethodOption = "weighted",
    release_in_flight: ReleaseOption = False,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.graph import critical_path
    from pfm.reporting.views.network import critical_path_lines, critical_path_table
    from pfm.selection.optimise import recommended

    portfolio = load(ctx, scenario)
    path = critical_path(portfolio, selection=recommended(portfolio, method, release_in_flight) if selection else None)
    emit(ctx, critical_path_table(path), format, output)
    if format is TableFormat.TABLE:
        for line in critical_path_lines(path):
            message(ctx, line)


@app.command(
    "impact",
    help="Everything downstream of ID, and by how many quarters each moves if ID slips.\n\nExample:\n\n  pfm deps impact core-ledger-phase1 --slip 2",
)
def impact_command(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The item that slips.")],
    slip: Annotated[int, typer.Option("--slip", min=0, help="Quarters of slip.")] = 1,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.network import slip_impact
    from pfm.reporting.views.network import impact_table

    emit(ctx, impact_table(slip_impact(load(ctx, scenario), ident, slip)), format, output)
