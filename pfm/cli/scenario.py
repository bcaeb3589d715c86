"""`pfm scenario list|compare`: the portfolio's what-ifs, side by side."""

from __future__ import annotations

from typing import Annotated

import typer

from pfm.cli.common import load_base, progress_bar
from pfm.cli.options import (
    FormatOption,
    GapOption,
    ObjectiveOption,
    OutputOption,
    ReleaseOption,
    TableFormat,
    TimeLimitOption,
)
from pfm.cli.output import emit
from pfm.defaults import COMPARE_GAP, SELECT_TIME_LIMIT

app = typer.Typer(
    help="Scenarios: what-ifs on budget, weights, capacity and items, side by side.", no_args_is_help=True
)

COMPARE_HELP = """The best selection under each scenario, side by side, and each item's robustness.

Each scenario is applied to the portfolio and the selection solved afresh (as `pfm select -s NAME`
would); "base" is the portfolio without a scenario. Robustness is in how many of the compared
scenarios an item is selected: those selected everywhere are safe commitments. A scenario where
nothing fits has no selection, so it counts neither for nor against an item. Each selection is
proven within 0.1 % of its optimum (--gap), as the frontier's points are.

Examples:

  pfm scenario compare                                # base and every scenario

  pfm scenario compare base budget-cut-15 -f markdown
"""


@app.command("list", help="The scenarios and what each changes.\n\nExample:\n\n  pfm scenario list -f json")
def list_command(ctx: typer.Context, format: FormatOption = TableFormat.TABLE, output: OutputOption = None) -> None:
    from pfm.analysis.scenario_list import scenarios
    from pfm.reporting.views.scenarios import scenario_list_table

    emit(ctx, scenario_list_table(scenarios(load_base(ctx))), format, output)


@app.command("compare", help=COMPARE_HELP)
def compare_command(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[SCENARIO]...", help="Scenario ids; base = none.")
    ] = None,
    objective: ObjectiveOption = "weighted",
    release_in_flight: ReleaseOption = False,
    gap: GapOption = COMPARE_GAP,
    time_limit: TimeLimitOption = SELECT_TIME_LIMIT,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.scenarios import comparison_table
    from pfm.selection.scenario_comparison import compare_scenarios

    portfolio = load_base(ctx)  # compare_scenarios applies each scenario to the portfolio as declared
    with progress_bar(ctx, "scenarios") as progress:
        comparison = compare_scenarios(
            portfolio,
            names,
            objective=objective,
            time_limit=time_limit,
            gap=gap,
            commit_in_flight=not release_in_flight,
            progress=progress,
        )
    emit(ctx, comparison_table(comparison), format, output)
    if comparison.skipped:  # the others are compared, but the portfolio has errors
        raise typer.Exit(1)
