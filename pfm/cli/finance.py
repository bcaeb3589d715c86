"""`pfm finance`: NPV, IRR, MIRR, payback and ROI per business case, and spend per year against budget."""

from __future__ import annotations

from typing import Annotated

import typer

from pfm.cli.common import load
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit

HELP = """Business-case finance per item and the portfolio's spend per fiscal year against budget.

NPV discounts fiscal year y by (1 + r)^(y - base_year) (portfolio.yaml: finance); IRR lists
every root (none without a sign change); payback counts years after the case's first year;
ROI is NPV / PV(costs), simple ROI (benefits - costs) / costs. One item's spend per year is shown
without the portfolio's budget. CSV (for Excel) is one table: the business cases, or with --years
the spend per fiscal year; money is rounded to 2 decimals, other figures to 6, and a figure that
is undefined is an empty cell (why is in the notes and in -f json).

Examples:

  pfm finance

  pfm finance crm-salesforce

  pfm finance -f csv -o finance.csv

  pfm finance --years -f csv -o budget.csv     # spend per fiscal year against budget
"""


def register(app: typer.Typer) -> None:
    app.command("finance", help=HELP)(finance_command)


def finance_command(
    ctx: typer.Context,
    item: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One item (default: every item with a business case).")
    ] = None,
    years: Annotated[
        bool, typer.Option("--years", help="Only the spend per fiscal year against budget (e.g. for -f csv).")
    ] = False,
    scenario: ScenarioOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.finances import finance
    from pfm.reporting.views.finance import finance_table, years_table

    emit(ctx, (years_table if years else finance_table)(finance(load(ctx, scenario), item)), format, output)
