"""`pfm risks`, `pfm decisions` and `pfm kpi`: the registers a portfolio office keeps, at the status date."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pfm.cli.common import load, progress_bar, settings, wants_color, writing_results
from pfm.cli.options import AsOfOption, FormatOption, MethodOption, OutputOption, TableFormat
from pfm.cli.output import emit
from pfm.errors import UsageError
from pfm.io.files import terminated_as_interrupt

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
selection (as pfm select) leaves out, with why they are out; and the actions not done, by due date, those past it at
the status date flagged overdue.

Examples:

  pfm decisions

  pfm decisions --check         # exit 1 when a pending decision asks about an item left out,
                                # or an action is overdue

  pfm decisions -f markdown -o decisions.md
"""

KPI_HELP = """The portfolio's KPIs at the status date against the targets of its kpi_targets (else pfm's
defaults): on-time delivery, budget variance, benefit realisation, capacity utilisation and risk exposure, each
with its value, target and whether it is met; and the items by stage and by RAG, the pending decisions, and
the risk reviews and decision actions overdue.

Examples:

  pfm kpi

  pfm kpi --check               # exit 1 when a KPI misses its target

  pfm kpi --as-of 2027-03-31 -f json

  pfm kpi --history --since v2027.1 -f json    # each KPI at every commit since that tag

With --history, the KPIs at every commit that changed the portfolio, each at that commit's status date (a
commit with errors shows their count and no values); figures computed before are kept in the repository's git
folder (.git/pfm-cache/kpi), so a second run reads them; --no-cache computes all again.
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

    result = risks(load(ctx), as_of)
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

    result = decisions(load(ctx), as_of, objective=method)
    emit(ctx, decisions_table(result), format, output)
    if check and (result.at_odds or result.overdue_actions):
        raise typer.Exit(1)


def kpi_command(
    ctx: typer.Context,
    check: CheckOption = False,
    as_of: AsOfOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
    history: Annotated[bool, typer.Option("--history", help="The KPIs at every commit (see above).")] = False,
    since: Annotated[str | None, typer.Option("--since", metavar="REV", help="With --history: after REV.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="With --history: compute every commit.")] = False,
) -> None:
    from pfm.reporting.views.registers import kpis_table
    from pfm.review.kpis import kpis

    if history or since is not None:
        _kpi_history(ctx, since, not no_cache, check or as_of is not None, format, output)
        return
    result = kpis(load(ctx), as_of)
    emit(ctx, kpis_table(result), format, output)
    if check and result.missed:
        raise typer.Exit(1)


def _kpi_history(
    ctx: typer.Context, since: str | None, cache: bool, conflict: bool, format: TableFormat, output: Path | None
) -> None:
    from pfm.reporting.views.history import kpi_history_table
    from pfm.review.kpi_history import kpi_history

    if conflict or settings(ctx).scenario is not None:
        raise UsageError("pfm kpi --history reads each commit at its own status date: drop --check, --as-of and -s")
    with terminated_as_interrupt(), progress_bar(ctx, "reading commits") as progress:
        result = kpi_history(settings(ctx).portfolio, since=since, progress=progress, cache=cache)
    emit(ctx, kpi_history_table(result), format, output)


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
