"""`pfm score` and `pfm rank`: the weekly view of what is worth most."""

from __future__ import annotations

from typing import Annotated

import typer

from pfm.cli.common import load, progress_bar
from pfm.cli.options import FormatOption, MethodOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.defaults import SENSITIVITY_MAX_DRAWS

SCORE_HELP = """Score every item: weighted criteria (0-100), WSJF, RICE, NPV or the portfolio's formula.

Examples:

  pfm score

  pfm score --explain crm-salesforce          # each criterion's value, weight and points

  pfm score -m wsjf -f csv -o wsjf.csv
"""

RANK_HELP = """Rank the candidate and in-flight items (not programmes, not closed or cancelled).

Ties are broken by mandatory first, then id, and reported. A warning names any item that
ranks above an item it depends on. --sensitivity N varies the weights (and, with -m npv,
the business cases' low/high estimates) N times and shows how often each item stays in
the top N and its 5th-95th percentile rank. The draws are made in batches, so memory does not
grow with N; a long run shows its progress on stderr, and Ctrl-C stops it within a second.

Examples:

  pfm rank --top 10

  pfm rank --stage business-case --tag payments -f markdown

  pfm rank --sensitivity 1000 --top 10
"""


def register(app: typer.Typer) -> None:
    app.command("score", help=SCORE_HELP)(score_command)
    app.command("rank", help=RANK_HELP)(rank_command)


def score_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="ID", help="Show how one item's score is made up.")
    ] = None,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.explanation import explain as explain_score
    from pfm.analysis.scoring import score
    from pfm.reporting.views.scores import explanation_table, scores_table

    portfolio = load(ctx, scenario)
    if explain:
        emit(ctx, explanation_table(explain_score(portfolio, explain, method)), format, output)
    else:
        emit(ctx, scores_table(score(portfolio, method)), format, output)


def rank_command(
    ctx: typer.Context,
    method: MethodOption = "weighted",
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", min=1, help="Show only the first N (and, with --sensitivity, the N that counts as 'top')."
        ),
    ] = None,
    stage: Annotated[list[str] | None, typer.Option("--stage", help="Only items in this stage (repeatable).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only items with this tag (repeatable).")] = None,
    sensitivity: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            min=0,
            max=SENSITIVITY_MAX_DRAWS,
            metavar="DRAWS",
            help=f"Monte Carlo draws for rank stability (e.g. 1000; at most {SENSITIVITY_MAX_DRAWS:,}).",
        ),
    ] = 0,
    seed: Annotated[
        int,
        typer.Option("--seed", min=0, help="Random seed for --sensitivity: the same seed gives the same result."),
    ] = 0,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.ranking import rank
    from pfm.reporting.views.scores import ranking_table

    portfolio = load(ctx, scenario)
    with progress_bar(ctx, "rank stability") as progress:
        ranking = rank(
            portfolio, method, stage or (), tag or (), top=top, sensitivity=sensitivity, seed=seed, progress=progress
        )
    emit(ctx, ranking_table(ranking), format, output)
