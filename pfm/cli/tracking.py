"""`pfm status`, `pfm spend` and `pfm benefits`: delivery tracking at the status date."""

from __future__ import annotations

from typing import Annotated

import typer

from pfm.cli.common import load
from pfm.cli.options import AsOfOption, BaselineOption, FormatOption, OutputOption, TableFormat
from pfm.cli.output import emit

STATUS_HELP = """The delivery dashboard: each approved or in-flight item's reported RAG (its latest actuals)
beside the RAG its figures give under the portfolio's rag_rules (else pfm's defaults), with the rule that
set it (the worst wins), CPI, SPI, EAC against BAC and milestone slip. Watermelons (reported green,
computed amber or red) come first.

Examples:

  pfm status

  pfm status --check            # exit 1 when a rule makes an item red (for CI)

  pfm status --as-of 2027-03-31 -f markdown -o status.md
"""

SPEND_HELP = """Capex and opex per fiscal year: actual to date (the actuals snapshots), forecast to year end
(the business cases' re-forecasts, else the approved figures), budget, landing and variance.

Examples:

  pfm spend

  pfm spend -f csv -o spend.csv
"""

BENEFITS_HELP = """Benefits planned (business cases) against realised (actuals) per item and type, the
realisation ratio, and benefits overdue for measurement (their fiscal year closed, nothing recorded).

Examples:

  pfm benefits

  pfm benefits --as-of 2027-12-31 -f json
"""


def register(app: typer.Typer) -> None:
    app.command("status", help=STATUS_HELP)(status_command)
    app.command("spend", help=SPEND_HELP)(spend_command)
    app.command("benefits", help=BENEFITS_HELP)(benefits_command)


def status_command(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a rule makes an item red.")] = False,
    as_of: AsOfOption = None,
    baseline: BaselineOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.tracking import status_table
    from pfm.review.status import status

    report = status(load(ctx), as_of, baseline=baseline)
    emit(ctx, status_table(report), format, output)
    if check and report.red:
        raise typer.Exit(1)


def spend_command(
    ctx: typer.Context, as_of: AsOfOption = None, format: FormatOption = TableFormat.TABLE, output: OutputOption = None
) -> None:
    from pfm.analysis.spend import spend
    from pfm.reporting.views.tracking import spend_table

    emit(ctx, spend_table(spend(load(ctx), as_of)), format, output)


def benefits_command(
    ctx: typer.Context, as_of: AsOfOption = None, format: FormatOption = TableFormat.TABLE, output: OutputOption = None
) -> None:
    from pfm.analysis.benefits import benefits
    from pfm.reporting.views.tracking import benefits_table

    emit(ctx, benefits_table(benefits(load(ctx), as_of)), format, output)
