"""`pfm deps check|graph|order|path|impact`: the portfolio's dependency network."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import load, message, settings, write_output
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.errors import UsageError
from pfm.findings import Severity
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.model import Portfolio

app = typer.Typer(
    help="The dependency network: cycles and conflicts, drawing, order, critical path, impact of a slip.",
    no_args_is_help=True,
)

DEPENDENCY_RULES = ("deps.", "excludes.dependency")


class GraphFormat(StrEnum):
    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"


@app.command(
    "check",
    help="Cycles (every edge at its line), date conflicts, cancelled or closed prerequisites, exclusions that are also dependencies.\n\nExit 1 on cycles or conflicts. Example:\n\n  pfm deps check -f json",
)
def check_command(ctx: typer.Context, format: FormatOption = TableFormat.TABLE, output: OutputOption = None) -> None:
    from pfm.reporting.findings import text_line
    from pfm.validation.cycles import find_cycles
    from pfm.validation.rules.dependencies import successors_of
    from pfm.validation.validator import validate

    result = validate(settings(ctx).portfolio)
    findings = [f for f in result.findings if f.rule.startswith(DEPENDENCY_RULES)]
    if not settings(ctx).verbose and format is not TableFormat.JSON:  # notes only when asked for, as in validate
        findings = [f for f in findings if f.severity is not Severity.INFO]
    successors = successors_of(result.documents)
    cycles = find_cycles(successors)
    conflicts = [f for f in findings if f.rule == "deps.date-conflict"]
    ok = not cycles and not conflicts
    payload: dict[str, Any] = {
        "ok": ok,
        "cycles": cycles,
        "conflicts": [{"message": f.message, "file": f.file, "line": f.line, "column": f.column} for f in conflicts],
        "findings": [f.to_dict() for f in findings],
    }
    if format is TableFormat.JSON:
        emit(ctx, Table("", [], [], payload), format, output)
    else:
        rows: list[list[Cell]] = [[f.file, f.line, f.column, f.severity.value, f.rule, f.message] for f in findings]
        summary = f"{len(cycles)} cycle(s), {len(conflicts)} date conflict(s) among {len(successors)} items"
        if format is TableFormat.TABLE and output is None:
            write_output("".join(text_line(f) + "\n" for f in findings) + summary + "\n", None)
        else:
            emit(
                ctx,
                Table(
                    f"Dependencies: {summary}",
                    ["file", "line", "column", "severity", "rule", "message"],
                    rows,
                    payload,
                    [Kind.TEXT, Kind.WHOLE, Kind.WHOLE, Kind.TEXT, Kind.TEXT, Kind.TEXT],
                ),
                format,
                output,
            )
    raise typer.Exit(0 if ok else 1)


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
    from pfm.analysis.graph import critical_edges, critical_path, dependency_graph
    from pfm.reporting.diagrams import drawing, to_dot, to_mermaid, to_payload
    from pfm.reporting.tables import to_json

    portfolio = load(ctx, scenario)
    graph = dependency_graph(portfolio)
    if focus is not None:
        graph = graph.subgraph(_neighbourhood(portfolio, graph, focus, depth)).copy()
    critical = critical_edges(graph, critical_path(graph))  # a portfolio that loads has no cycle
    nodes, links = drawing(portfolio, graph, critical)
    if format is GraphFormat.JSON:
        write_output(to_json(to_payload(nodes, links)), output)
    else:
        write_output((to_mermaid if format is GraphFormat.MERMAID else to_dot)(nodes, links), output)


def _neighbourhood(portfolio: Portfolio, graph: Any, focus: str, depth: int) -> set[str]:
    if focus not in graph:
        from pfm.findings import did_you_mean

        hint = did_you_mean(focus, portfolio.items)
        raise UsageError(f"no item '{focus}'" + (f"; {hint}" if hint else ""))
    undirected = graph.to_undirected(as_view=True)
    import networkx as nx

    return set(nx.single_source_shortest_path_length(undirected, focus, cutoff=depth))


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
    from pfm.analysis.graph import dependency_graph, layers

    portfolio = load(ctx, scenario)
    ordered = layers(dependency_graph(portfolio))
    rows: list[list[Cell]] = [
        [number, ident, portfolio.items[ident].title] for number, layer in enumerate(ordered, 1) for ident in layer
    ]
    payload = {"layers": ordered}
    emit(
        ctx,
        Table(
            "Dependency order (layer 1 can start first)",
            ["layer", "id", "title"],
            rows,
            payload,
            [Kind.WHOLE, Kind.TEXT, Kind.TEXT],
        ),
        format,
        output,
    )


@app.command(
    "path",
    help="Critical path method over item durations (quarters): earliest and latest start and finish, total float, the critical path(s) and the total duration.\n\nExample:\n\n  pfm deps path -f json",
)
def path_command(
    ctx: typer.Context,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.graph import critical_path, dependency_graph

    portfolio = load(ctx, scenario)
    result = critical_path(dependency_graph(portfolio))
    chosen = [t for t in result.items if t.duration or portfolio.items[t.id].depends_on]
    rows: list[list[Cell]] = [
        [t.id, t.duration, t.es, t.ef, t.ls, t.lf, t.float, "critical" if t.float == 0 else ""] for t in chosen
    ]
    payload = {
        "duration": result.duration,
        "critical_path": list(result.critical_paths[0]) if result.critical_paths else [],
        "critical_paths": [list(path) for path in result.critical_paths],
        "items": [
            {"id": t.id, "duration": t.duration, "es": t.es, "ef": t.ef, "ls": t.ls, "lf": t.lf, "float": t.float}
            for t in result.items
        ],
    }
    notes = [f"critical path ({result.duration} quarters): {' → '.join(path)}" for path in result.critical_paths[:3]]
    columns = ["id", "duration", "ES", "EF", "LS", "LF", "float", ""]
    report = Table(
        f"Critical path method: {result.duration} quarters end to end",
        columns,
        rows,
        payload,
        [Kind.TEXT, *[Kind.WHOLE] * 6, Kind.TEXT],
    )
    emit(ctx, report, format, output)
    if format is TableFormat.TABLE:
        for note in notes:
            message(ctx, note)


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
    from pfm.analysis.graph import dependency_graph, impact

    portfolio = load(ctx, scenario)
    graph = dependency_graph(portfolio)
    _neighbourhood(portfolio, graph, ident, 0)  # an unknown id is a usage error with a suggestion
    effects = impact(graph, ident, slip)
    rows: list[list[Cell]] = [[e.id, portfolio.items[e.id].title, e.moves_by, e.via] for e in effects]
    payload = {
        "id": ident,
        "slip": slip,
        "items": [{"id": e.id, "moves_by": e.moves_by, "via": e.via} for e in effects],
    }
    title = f"If {ident} slips {slip} quarter(s): {sum(1 for e in effects if e.moves_by)} item(s) move"
    emit(
        ctx,
        Table(
            title,
            ["id", "title", "moves by (quarters)", "via"],
            rows,
            payload,
            [Kind.TEXT, Kind.TEXT, Kind.WHOLE, Kind.TEXT],
        ),
        format,
        output,
    )
