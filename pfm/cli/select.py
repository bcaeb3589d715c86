"""`pfm select` and `pfm frontier`: the best portfolio that fits the budget and the teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfm.cli.common import load, progress_bar
from pfm.cli.options import (
    FormatOption,
    GapOption,
    ObjectiveOption,
    OutputOption,
    ReleaseOption,
    ScenarioOption,
    TableFormat,
    TimeLimitOption,
    number_option,
)
from pfm.cli.output import emit
from pfm.defaults import ENTRY_PRICES, FRONTIER_GAP, FRONTIER_POINTS, FRONTIER_TIME_LIMIT, SELECT_TIME_LIMIT
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

if TYPE_CHECKING:
    from pfm.analysis.scoring import Scores
    from pfm.methods import Method
    from pfm.model import Portfolio
    from pfm.selection.frontier import Frontier, FrontierPoint
    from pfm.selection.optimise import Selection

SELECT_HELP = """Choose the items to fund: the most total value that fits every year's budget and every team's capacity.

An exact 0-1 optimisation (HiGHS): dependencies and exclusions are honoured, mandatory and
in-flight items are kept (--release-in-flight frees the latter), --force-in and --force-out
settle single items. For every item left out pfm says which constraints keep it out and by how
much, and for the most valuable of them its entry price: the value the portfolio gives up if it
is forced in. The cost of the mandates is the value lost to mandatory and forced-in items.

Examples:

  pfm select

  pfm select --objective npv --budget-scale 0.85 -f markdown

  pfm select --force-in zero-trust-network --entry-prices all

  pfm select --method greedy          # the greedy baseline, and how far below the optimum it falls
"""

FRONTIER_HELP = """The efficient frontier: the best value reachable at each budget level, from nothing to everything.

Every budget figure of every year is scaled together from 0 to the level at which every
candidate's costs fit; capacity, dependencies and commitments hold throughout. The best
selection at the declared budget and the committed items alone are placed against it.

Examples:

  pfm frontier --points 21

  pfm frontier --objective npv -f csv -o frontier.csv
"""


def register(app: typer.Typer) -> None:
    app.command("select", help=SELECT_HELP)(select_command)
    app.command("frontier", help=FRONTIER_HELP)(frontier_command)


def objective_scores(portfolio: Portfolio, objective: Method) -> Scores:
    from pfm.analysis.scoring import score

    return score(portfolio, objective)


def _entry_count(text: str) -> int | None:
    from pfm.errors import UsageError

    if text == "all":
        return None
    if not text.isdigit():
        raise UsageError(f"--entry-prices takes a number or 'all', not '{text}'")
    return int(text)


def select_command(
    ctx: typer.Context,
    objective: ObjectiveOption = "weighted",
    budget_scale: Annotated[
        float, number_option("--budget-scale", minimum=0.0, help="Multiply every budget figure (0.9 = a 10 % cut).")
    ] = 1.0,
    force_in: Annotated[
        list[str] | None,
        typer.Option("--force-in", metavar="ID", help="Fund this item whatever it costs (repeatable)."),
    ] = None,
    force_out: Annotated[
        list[str] | None, typer.Option("--force-out", metavar="ID", help="Do not fund this item (repeatable).")
    ] = None,
    release_in_flight: ReleaseOption = False,
    method: Annotated[
        str, typer.Option("--method", help="optimal (HiGHS) or greedy (value per unit of cost, for comparison).")
    ] = "optimal",
    entry_prices: Annotated[
        str,
        typer.Option(
            "--entry-prices", metavar="N|all", help="Price the N most valuable items left out (one solve each)."
        ),
    ] = str(ENTRY_PRICES),
    mandate_cost: Annotated[
        bool,
        typer.Option(
            "--mandate-cost/--no-mandate-cost", help="Also solve without the mandates to price them (one more solve)."
        ),
    ] = True,
    gap: GapOption = 1e-4,
    time_limit: TimeLimitOption = SELECT_TIME_LIMIT,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.errors import UsageError
    from pfm.selection.greedy import greedy_portfolio
    from pfm.selection.optimise import Terms, select_portfolio

    portfolio = load(ctx, scenario)
    if method not in ("optimal", "greedy"):
        raise UsageError(f"unknown method '{method}' (optimal or greedy)")
    count = _entry_count(entry_prices)
    scores = objective_scores(portfolio, objective)
    values = scores.values()
    terms = Terms(None, budget_scale, force_in or (), force_out or (), not release_in_flight)
    with progress_bar(ctx, "solving") as progress:
        optimal = select_portfolio(
            portfolio,
            values,
            terms,
            objective=objective,
            time_limit=time_limit,
            gap=gap,
            entry_prices=0 if method == "greedy" else count,
            mandate_cost=mandate_cost and method != "greedy",
            progress=progress,
            unscored=scores.unscored(),
        )
    selection, best = (
        (greedy_portfolio(portfolio, values, terms, objective=objective), optimal)
        if method == "greedy"
        else (optimal, None)
    )
    report = _report(portfolio, selection, best, count if method == "optimal" else 0)
    emit(ctx, report.with_findings(scores.findings), format, output)
    if selection.status == "infeasible":
        raise typer.Exit(1)


def _payload(selection: Selection) -> dict[str, Any]:
    return {
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
        "mandate_gap": selection.mandate_gap,
        "seconds": round(selection.seconds, 3),
    }


def _report(portfolio: Portfolio, selection: Selection, best: Selection | None, priced: int | None) -> Table:
    rows: list[list[Cell]] = [
        [ident, portfolio.items[ident].title, "selected", "", None] for ident in selection.selected
    ]
    rows += [
        [e.id, portfolio.items[e.id].title, "left out", "; ".join(e.reasons), e.entry_price]
        for e in selection.not_selected
    ]
    payload = _payload(selection)
    notes = list(selection.conflicts)
    remarks = []
    if best is not None and best.status != "infeasible":
        short = best.value - selection.value
        payload |= {"optimum": best.value, "below_optimum": short / best.value if best.value else 0.0}
        remarks.append(
            f"the greedy selection is {short:,.2f} ({payload['below_optimum']:.1%}) below the optimum of "
            f"{best.value:,.2f}"
        )
    if selection.mandate_cost:
        remarks.append(
            f"the mandates cost {selection.mandate_cost:,.2f} of value against the same problem without them"
        )
    left = len(selection.not_selected)
    if priced is not None and 0 < priced < left and selection.status != "infeasible":
        remarks.append(f"entry prices for the {priced} most valuable of {left} items left out (--entry-prices all)")
    budget_rows: list[list[Cell]] = [
        [year, kind, used, available, available - used]
        for year, figures in selection.budget.items()
        for kind, (used, available) in figures.items()
    ]
    budget = Table(
        f"Budget used ({portfolio.currency})",
        ["year", "figure", "used", "available", "headroom"],
        budget_rows,
        {},
        [Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY, Kind.MONEY],
    )
    quarters = sorted({quarter for cells in selection.capacity.values() for quarter in cells})
    capacity = Table(
        "Capacity used (used / available, per quarter)",
        ["team", *quarters],
        [
            [team, *(_share(cells.get(quarter)) for quarter in quarters)]
            for team, cells in sorted(selection.capacity.items())
        ],
        {},
        [Kind.TEXT, *[Kind.TEXT] * len(quarters)],
    )
    return Table(
        _title(selection),
        ["id", "title", "", "why left out", "entry price"],
        rows,
        payload,
        [Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.NUMBER],
        notes,
        [budget, capacity] if quarters else [budget],
        remarks,
    )


def _share(cell: tuple[float, float] | None) -> str:
    return "" if cell is None else f"{cell[0]:g} / {cell[1]:g}"


def _title(selection: Selection) -> str:
    status = selection.status
    if status == "optimal" and selection.gap:
        status = f"optimal within {selection.gap:.2%}"
    elif status == "time-limit":
        status = "stopped at the time limit" + (f", within {selection.gap:.2%}" if selection.gap is not None else "")
    count = len(selection.selected)
    return f"Selection ({status}, {selection.objective}): {count} items, value {selection.value:,.2f}"


def frontier_command(
    ctx: typer.Context,
    objective: ObjectiveOption = "weighted",
    points: Annotated[
        int, typer.Option("--points", min=2, max=101, help="Budget levels, evenly spaced.")
    ] = FRONTIER_POINTS,
    gap: GapOption = FRONTIER_GAP,
    time_limit: TimeLimitOption = FRONTIER_TIME_LIMIT,
    release_in_flight: ReleaseOption = False,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.selection.frontier import frontier
    from pfm.selection.optimise import Terms

    portfolio = load(ctx, scenario)
    scores = objective_scores(portfolio, objective)
    with progress_bar(ctx, "budget levels") as progress:
        curve = frontier(
            portfolio,
            scores.values(),
            points,
            objective=objective,
            gap=gap,
            time_limit=time_limit,
            terms=Terms(commit_in_flight=not release_in_flight),
            progress=progress,
        )
    emit(ctx, _frontier_report(portfolio, curve).with_findings(scores.findings), format, output)


def _point(point: FrontierPoint) -> dict[str, Any]:
    return {
        "budget_scale": point.scale,
        "budget": point.budget,
        "cost": point.cost,
        "value": point.value,
        "items": point.selected,
        "gap": point.gap,
    }


def _frontier_report(portfolio: Portfolio, curve: Frontier) -> Table:
    rows: list[list[Cell]] = [
        ["", point.scale, point.budget, point.cost, point.value, point.selected] for point in curve.points
    ]
    for label, point in (("selection", curve.selection), ("committed", curve.committed)):
        rows.append([label, point.scale, point.budget, point.cost, point.value, point.selected])
    payload = {
        "objective": curve.objective,
        "currency": portfolio.currency,
        "points": [_point(point) for point in curve.points],
        "selection": _point(curve.selection),
        "committed": _point(curve.committed),
    }
    fits = [point.scale for point in curve.points if point.value is not None]
    notes = []
    if fits and any(point.value is None for point in curve.points):
        notes.append(f"below {min(fits):.0%} of the budget the mandatory and in-flight items alone do not fit")
    elif not fits:
        notes.append("the mandatory and in-flight items do not fit at any budget level (capacity?); see pfm select")
    return Table(
        f"Efficient frontier ({curve.objective}, {portfolio.currency})",
        ["", "budget scale", "budget", "spent", "best value", "items"],
        rows,
        payload,
        [Kind.TEXT, Kind.PERCENT, Kind.MONEY, Kind.MONEY, Kind.NUMBER, Kind.WHOLE],
        notes,
    )
