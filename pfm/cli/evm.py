"""`pfm evm`: earned value and earned schedule of the items in delivery, per programme and for the portfolio."""

from __future__ import annotations

from typing import Annotated

import typer

from pfm.cli.common import load
from pfm.cli.options import AsOfOption, BaselineOption, FormatOption, OutputOption, TableFormat
from pfm.cli.output import emit

HELP = """Earned value of the approved, active and closed items at the status date, per programme and in total.

PV comes from each item's baseline block, else its business case and schedule at the commit
where it was first approved (or at --baseline REV); EV and AC from its latest actuals on or
before the status date (as_of, or --as-of). Items not measured are listed with the reason.

Examples:

  pfm evm

  pfm evm core-modernisation --as-of 2027-03-31

  pfm evm --baseline v2027.1 -f json -o evm.json
"""


def register(app: typer.Typer) -> None:
    app.command("evm", help=HELP)(evm_command)


def evm_command(
    ctx: typer.Context,
    item: Annotated[str | None, typer.Argument(metavar="[ID]", help="One item, or a programme and its items.")] = None,
    as_of: AsOfOption = None,
    baseline: BaselineOption = None,
    format: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.reporting.views.evm import evm_table
    from pfm.review.baselines import evm

    report = evm(load(ctx), item, as_of=as_of, baseline=baseline)
    emit(ctx, evm_table(report), format, output)
