"""`pfm weights`: the criterion weights, given or derived by AHP, and whether the judgements hold together."""

from __future__ import annotations

from typing import Annotated

import click
import typer

from pfm.cli.common import load, message
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.methods import WEIGHTS_METHODS, WeightsMethod

HELP = """Show the criterion weights: as given, or derived from the pairwise comparisons by AHP.

With pairwise comparisons: the normalised principal eigenvector (or --method
geometric-mean), lambda max, CI = (lambda_max - n)/(n - 1) and CR = CI / RI(n) with
Saaty's random index. Several raters' blocks are combined by geometric mean. Exit 1 when
CR is above 0.10, naming the judgements that contribute most to the inconsistency.

Examples:

  pfm weights

  pfm weights --method geometric-mean -f json
"""


def register(app: typer.Typer) -> None:
    app.command("weights", help=HELP)(weights_command)


def weights_command(
    ctx: typer.Context,
    method: Annotated[
        WeightsMethod,
        typer.Option(
            "--method",
            "-m",
            click_type=click.Choice(WEIGHTS_METHODS),
            help="eigenvector (Saaty) or geometric-mean (row geometric means).",
        ),
    ] = "eigenvector",
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.scoring import scoring_model
    from pfm.methods.weights import derive_weights
    from pfm.reporting.views.weights import consistency_lines, weights_table

    portfolio = load(ctx, scenario, tolerate=("scoring.inconsistent",))  # this command explains that error
    weights = derive_weights(scoring_model(portfolio), method=method)
    emit(ctx, weights_table(weights), format, output)
    for line in consistency_lines(weights):
        message(ctx, line)
    if not weights.consistent:
        raise typer.Exit(1)
