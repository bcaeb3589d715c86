"""`pfm risks`, `pfm decisions` and `pfm kpi`: the registers a portfolio office keeps, at the status date."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import load, wants_color, writing_results
from pfm.cli.options import AsOfOption, FormatOption, MethodOption, OutputOption, TableFormat
from pfm.cli.output import emit

if TYPE_CHECKING:
    from pfm.analysis.risks import RiskRegister

RISKS_HELP = """The risk register: every risk with probability, impact, exposure (P x I), status, owner, review
date and the items and programmes it names; open and mitigating risks first by exposure, reviews overdue at the
status date flagged, exposure summed per programme and per item, and the P x I matrix as a grid.

Examples:

  pfm risks

  pfm risks --check             # exit 1 when a risk of exposure 15 or more is open past its review date

  pfm risks --as-of 2027-03-31 -f csv -o risks.csv
"""

DECISIONS_HELP = """The decision log, newest first: date, forum, outcome and the items each decision names; the
pending decisions, those past their forum date, and the pending ones that ask about items the recommended
selection (as pfm select) leaves out, with why they are out.

Examples:

  pfm decisions

  pfm decisions --check         # exit 1 when a pending decision asks about an item left out

  pfm decisions -f markdown -o decisions.md
"""

KPI_HELP = """The portfolio's KPIs at the status date against the targets of its kpi_targets (else pfm's
defaults): on-time delivery, budget variance, benefit realisation, capacity utilisation and risk exposure, each
with its value, target and whether it is met; and the items by stage and by RAG, the pending decisions and the
risk reviews overdue.

Examples:

  pfm kpi

  pfm kpi --check               # exit 1 when a KPI misses its target

  pfm kpi --as-of 2027-03-31 -f json
"""

CheckOption = Annotated[bool, typer.Option("--check", help="Exit 1 on a breach (see above).")]


def register(app: typer.Typer) -> None:
    app.command("risks", help=RISKS_HELP)(risks_command)
    app.command("decisions", help=DECISIONS_HELP)(decisions_command)
    app.command("kpi", help=KPI_HELP)(kpi_command)


def risks_command(
    ctx: typer.Context,
    check: CheckOption = False,
    as_of: AsOfOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.analysis.risks import risks
    from pfm.reporting.views.registers import risks_table

    result = risks(load(ctx), as_of.date() if as_of else None)
    emit(ctx, risks_table(result), format, output)
    if format is TableFormat.TABLE and output is None:
        _print_grid(ctx, result)
    if check and result.breaches:
        raise typer.Exit(1)


def decisions_command(
    ctx: typer.Context,
    check: CheckOption = False,
    method: MethodOption = "weighted",
    as_of: AsOfOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.registers import decisions_table
    from pfm.review.decisions import decisions

    result = decisions(load(ctx), as_of.date() if as_of else None, objective=method)
    emit(ctx, decisions_table(result), format, output)
    if check and result.at_odds:
        raise typer.Exit(1)


def kpi_command(
    ctx: typer.Context,
    check: CheckOption = False,
    as_of: AsOfOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.registers import kpis_table
    from pfm.review.kpis import kpis

    result = kpis(load(ctx), as_of.date() if as_of else None)
    emit(ctx, kpis_table(result), format, output)
    if check and result.missed:
        raise typer.Exit(1)


_STYLES = {"low": "green", "medium": "black on yellow", "high": "bold white on red"}


def _print_grid(ctx: typer.Context, register: RiskRegister) -> None:
    """The P x I matrix, each cell coloured by the zone of its exposure."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pfm.reporting.views.registers import risk_grid

    headers, rows = risk_grid(register)
    table = Table(title="P x I matrix (live risks)", title_justify="left", box=box.SIMPLE_HEAD)
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    for label, cells in rows:
        table.add_row(label, *(Text(f" {text} ", style=_STYLES[level]) for text, level in cells))
    with writing_results():
        Console(no_color=not wants_color(ctx, sys.stdout), highlight=False).print(table)
