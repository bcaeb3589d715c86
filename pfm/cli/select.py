"""`pfm select` and `pfm frontier`: the best portfolio that fits the budget and the teams."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import load
from pfm.cli.output import FormatOption, OutputOption, Report, ScenarioOption, TableFormat, emit
from pfm.cli.scores import ScoreMethod
from pfm.renderers.tables import Cell

if TYPE_CHECKING:
    from pfm.model import Portfolio
    from pfm.selection import Selection

SELECT_HELP = """Choose the items to fund: the most total value that fits every year's budget and every team's capacity.

An exact 0-1 optimisation (HiGHS): dependencies and exclusions are honoured, mandatory and
in-flight items are kept (--release-in-flight frees the latter), --force-in and --force-out
settle single items. For every item left out pfm says which constraints keep it out and its
entry price: the value the portfolio gives up if it is forced in.

Examples:

  pfm select

  pfm select --objective npv --budget-scale 0.85 -f markdown

  pfm select --force-in zero-trust-network --method greedy     # the greedy baseline, for comparison
"""

FRONTIER_HELP = """The efficient frontier: the best value reachable at each budget level, from nothing to everything.

Example:

  pfm frontier --points 21 -f csv -o frontier.csv
"""


def register(app: typer.Typer) -> None:
    app.command("select", help=SELECT_HELP)(select_command)
    app.command("frontier", help=FRONTIER_HELP)(frontier_command)


def _values(portfolio: Portfolio, objective: ScoreMethod) -> dict[str, float]:
    from pfm.scoring import score

    return {s.id: s.score for s in score(portfolio, objective.value).items if s.score is not None}


def select_command(
    ctx: typer.Context,
    objective: Annotated[
        ScoreMethod, typer.Option("--objective", help="What to maximise: weighted score, wsjf, rice, npv or formula.")
    ] = ScoreMethod.WEIGHTED,
    budget_scale: Annotated[
        float, typer.Option("--budget-scale", min=0.0, help="Multiply every budget figure (0.9 = a 10 % cut).")
    ] = 1.0,
    force_in: Annotated[
        list[str] | None,
        typer.Option("--force-in", metavar="ID", help="Fund this item whatever it costs (repeatable)."),
    ] = None,
    force_out: Annotated[
        list[str] | None, typer.Option("--force-out", metavar="ID", help="Do not fund this item (repeatable).")
    ] = None,
    release_in_flight: Annotated[
        bool, typer.Option("--release-in-flight", help="Let the optimiser drop approved and in-flight items.")
    ] = False,
    method: Annotated[
        str, typer.Option("--method", help="optimal (HiGHS) or greedy (value per unit of cost, for comparison).")
    ] = "optimal",
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds before stopping with the best found and its gap.")
    ] = 30.0,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.errors import UsageError
    from pfm.selection import greedy_portfolio, select_portfolio

    portfolio = load(ctx, scenario)
    unknown = [i for i in (*(force_in or ()), *(force_out or ())) if i not in portfolio.items]
    if unknown:
        raise UsageError(f"no item {', '.join(unknown)}")
    if method not in ("optimal", "greedy"):
        raise UsageError(f"unknown method '{method}' (optimal or greedy)")
    solve = select_portfolio if method == "optimal" else greedy_portfolio
    options: dict[str, Any] = {
        "objective": objective.value,
        "budget_scale": budget_scale,
        "force_in": (*(force_in or ()), *portfolio.forced_in),
        "force_out": (*(force_out or ()), *portfolio.forced_out),
        "commit_in_flight": not release_in_flight,
    }
    if method == "optimal":
        options["time_limit"] = time_limit
    selection = solve(portfolio, _values(portfolio, objective), **options)
    emit(ctx, _report(portfolio, selection), format, output)
    if selection.status == "infeasible":
        raise typer.Exit(1)


def _report(portfolio: Portfolio, selection: Selection) -> Report:
    rows: list[list[Cell]] = [
        [ident, portfolio.items[ident].title, "selected", "", None] for ident in selection.selected
    ]
    rows += [
        [e.id, portfolio.items[e.id].title, "left out", "; ".join(e.reasons), e.entry_price]
        for e in selection.not_selected
    ]
    payload = {
        "status": selection.status,
        "objective": selection.objective,
        "value": selection.value,
        "selected": list(selection.selected),
        "not_selected": [
            {"id": e.id, "reasons": list(e.reasons), "entry_price": e.entry_price} for e in selection.not_selected
        ],
        "budget": {
            str(year): {kind: {"used": used, "available": available} for kind, (used, available) in figures.items()}
            for year, figures in selection.budget.items()
        },
        "capacity": {
            team: {quarter: {"used": used, "available": available} for quarter, (used, available) in cells.items()}
            for team, cells in selection.capacity.items()
        },
        "gap": selection.gap,
        "conflicts": list(selection.conflicts),
        "mandate_cost": selection.mandate_cost,
    }
    budget_rows: list[list[Cell]] = [
        [year, kind, used, available, available - used]
        for year, figures in selection.budget.items()
        for kind, (used, available) in figures.items()
    ]
    budget = Report(
        f"Budget used ({portfolio.currency})",
        ["year", "figure", "used", "available", "headroom"],
        budget_rows,
        {},
        ["text", "text", "money", "money", "money"],
    )
    title = f"Selection ({selection.status}, {selection.objective}): {len(selection.selected)} items, value {selection.value:,.2f}"
    notes = list(selection.conflicts)
    if selection.mandate_cost:
        notes.append(f"the mandates cost {selection.mandate_cost:,.2f} of value against the unconstrained optimum")
    return Report(
        title,
        ["id", "title", "", "why left out", "entry price"],
        rows,
        payload,
        ["text", "text", "text", "text", "number"],
        notes,
        [budget],
    )


def frontier_command(
    ctx: typer.Context,
    objective: Annotated[ScoreMethod, typer.Option("--objective", help="What to maximise.")] = ScoreMethod.WEIGHTED,
    points: Annotated[int, typer.Option("--points", min=2, max=101, help="Budget levels, evenly spaced.")] = 11,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.selection import frontier

    portfolio = load(ctx, scenario)
    curve = frontier(portfolio, _values(portfolio, objective), points=points)
    rows: list[list[Cell]] = [[scale, None if math.isnan(value) else value] for scale, value in curve]
    payload = {
        "objective": objective.value,
        "points": [{"budget_scale": scale, "value": value} for scale, value in curve],
    }
    short = [scale for scale, value in curve if math.isnan(value)]
    notes = (
        [f"up to {max(short):.0%} of the budget the mandatory and in-flight items alone do not fit"] if short else []
    )
    title = f"Efficient frontier ({objective.value})"
    emit(
        ctx, Report(title, ["budget scale", "best value"], rows, payload, ["percent", "number"], notes), format, output
    )
