"""`pfm select` and `pfm frontier`: the best portfolio that fits the budget and the teams."""

from __future__ import annotations

from typing import Annotated

import click
import typer

from pfm.cli.common import load, progress_bar, solver_progress
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
from pfm.methods import SELECT_METHODS, SelectMethod

SELECT_HELP = """Choose the items to fund: the most total value that fits every year's budget and every team's capacity.

An exact 0-1 optimisation (HiGHS): dependencies and exclusions are honoured, mandatory and
in-flight items are kept (--release-in-flight frees the latter), --force-in and --force-out
settle single items. For every item left out pfm says which constraints keep it out and by how
much, and for the most valuable of them its entry price: the value the portfolio gives up if it
is forced in. The cost of the mandates is the value lost to mandatory and forced-in items.
Within --time-limit seconds: the best selection found and how far from proven it is, then, in
about as long again (--extras-time), the entry prices (an interval where not proven) and the cost
of the mandates.

Examples:

  pfm select

  pfm select --objective npv --budget-scale 0.85 -f markdown

  pfm select --force-in zero-trust-network --entry-prices all

  pfm select --extras-time 20         # more time for proving the entry prices

  pfm select --method greedy          # the greedy baseline, and how far below the optimum it falls

  pfm select --schedule --may-shift 2 # choose each item's start too (within its window), against fixed dates
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


def select_command(
    ctx: typer.Context,
    objective: ObjectiveOption = "weighted",
    budget_scale: Annotated[
        float,
        number_option(
            "--budget-scale", minimum=0.0, maximum=100.0, help="Multiply every budget figure (0.9 = a 10 % cut)."
        ),
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
        SelectMethod,
        typer.Option(
            "--method",
            click_type=click.Choice(SELECT_METHODS),
            help="optimal (HiGHS) or greedy (value per unit of cost, for comparison).",
        ),
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
    extras_time: Annotated[
        float | None,
        number_option(
            "--extras-time",
            minimum=0.0,
            help="Seconds for the entry prices and the mandates' cost (default: as long as the optimum took, at "
            "least 0.5; within --time-limit). Longer narrows the intervals of prices not proven.",
        ),
    ] = None,
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule",
            help="Choose each item's start too, within its window, against fixed dates (no entry prices or mandate cost).",
        ),
    ] = False,
    may_shift: Annotated[
        int | None,
        typer.Option(
            "--may-shift",
            min=0,
            metavar="N",
            help="With --schedule: a dated item without a window may move N quarters (default: selection.may_shift, else 0).",
        ),
    ] = None,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.selection import selection_table
    from pfm.selection.optimise import entry_count, select

    portfolio = load(ctx, scenario)
    if schedule:
        from pfm.reporting.views.schedule import scheduled_table
        from pfm.selection.schedule import schedule_select

        with progress_bar(ctx, "solving"):
            scheduled = schedule_select(
                portfolio, objective, may_shift=may_shift, budget_scale=budget_scale, force_in=force_in or (),
                force_out=force_out or (), release_in_flight=release_in_flight, gap=gap, time_limit=time_limit,
            )  # fmt: skip
        emit(ctx, scheduled_table(scheduled), format, output)
        raise typer.Exit(1 if scheduled.scheduled.status == "infeasible" else 0)
    with solver_progress(ctx, "solving") as (progress, watch):
        selection = select(
            portfolio,
            objective,
            budget_scale=budget_scale,
            force_in=force_in or (),
            force_out=force_out or (),
            release_in_flight=release_in_flight,
            method=method,
            entry_prices=entry_count(entry_prices),
            mandate_cost=mandate_cost,
            gap=gap,
            time_limit=time_limit,
            extras_time=extras_time,
            progress=progress,
            watch=watch,
        )
    emit(ctx, selection_table(selection), format, output)
    if selection.status == "infeasible":
        raise typer.Exit(1)


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
    from pfm.reporting.views.selection import frontier_table
    from pfm.selection.frontier import frontier

    portfolio = load(ctx, scenario)
    with progress_bar(ctx, "budget levels") as progress:
        curve = frontier(
            portfolio,
            objective,
            points=points,
            gap=gap,
            time_limit=time_limit,
            release_in_flight=release_in_flight,
            progress=progress,
        )
    emit(ctx, frontier_table(curve), format, output)
