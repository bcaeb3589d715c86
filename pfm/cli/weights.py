"""`pfm weights`: the criterion weights, given or derived by AHP, and whether the judgements hold together."""

from __future__ import annotations

from typing import Annotated

import click
import typer

from pfm.cli.common import load, message
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.errors import UsageError
from pfm.methods import WEIGHTS_METHODS, WeightsMethod
from pfm.reporting.tables import Cell, Kind
from pfm.reporting.views import Table

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
    from pfm.methods.weights import derive_weights

    portfolio = load(ctx, scenario, tolerate=("scoring.inconsistent",))  # this command explains that error
    if portfolio.scoring is None:
        raise UsageError("the portfolio declares no scoring model (scoring.criteria in portfolio.yaml)")
    result = derive_weights(portfolio.scoring, method=method)
    names = {c.id: c.name for c in portfolio.scoring.criteria}
    rows: list[list[Cell]] = [[criterion, names[criterion], weight] for criterion, weight in result.weights.items()]
    payload = {
        "method": result.method,
        "weights": dict(result.weights),
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "cr": result.cr,
        "consistent": result.consistent,
        "raters": list(result.raters),
        "inconsistent_judgements": [
            {"a": j.a, "b": j.b, "given": j.given, "implied": j.implied, "error": j.error}
            for j in result.inconsistencies
        ],
    }
    emit(
        ctx,
        Table(
            f"Criterion weights ({result.method})",
            ["criterion", "name", "weight"],
            rows,
            payload,
            [Kind.TEXT, Kind.TEXT, Kind.PERCENT],
        ),
        format,
        output,
    )
    if result.cr is not None:
        message(
            ctx,
            f"lambda max {result.lambda_max:.4f}, CI {result.ci:.4f}, CR {result.cr:.4f}: {'consistent' if result.consistent else 'INCONSISTENT (CR above 0.10)'}",
        )
    if not result.consistent:
        for judgement in result.inconsistencies:
            message(
                ctx,
                f"  {judgement.a} vs {judgement.b}: judged {judgement.given:.3g}, the weights imply {judgement.implied:.3g}",
            )
        raise typer.Exit(1)
