"""The options several commands share, declared once; their choices come from the library."""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from pfm.methods import METHODS, Method
from pfm.periods import calendar_date


class FiniteFloat(click.FloatRange):
    """A float option that refuses NaN and infinity as well as values out of its range.

    click's own range check lets NaN through (every comparison with it is false) and infinity through
    any open end; neither means anything as a budget scale, a gap or a time limit.
    """

    name = "number"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)  # type: ignore[arg-type]  # click hands over the command-line text
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        converted: float = super().convert(number, param, ctx)
        return converted


def number_option(*names: str, minimum: float | None = None, maximum: float | None = None, help: str) -> Any:
    """A typer option for a finite float within [minimum, maximum]: every float option of pfm is one."""
    return typer.Option(*names, click_type=FiniteFloat(minimum, maximum), help=help)


class TableFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


FormatOption = Annotated[
    TableFormat, typer.Option("--format", "-f", help="table (terminal), json, csv (for Excel) or markdown.")
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


if TYPE_CHECKING:
    _DateParam = click.ParamType[date]
else:  # click's types are generic from 8.2; the 8.1 that pyproject allows subscripts none
    _DateParam = click.ParamType


class IsoDate(_DateParam):
    """A date written YYYY-MM-DD, given to the library as a date."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        day = calendar_date(str(value))
        if day is None:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD in the years 1900 to 2200", param, ctx)
        return day


AsOfOption = Annotated[
    date | None, typer.Option("--as-of", click_type=IsoDate(), help="Status date (default: the portfolio's).")
]
BaselineOption = Annotated[
    str | None, typer.Option("--baseline", metavar="REV", help="Read every baseline from this git revision.")
]
ScenarioOption = Annotated[
    str | None, typer.Option("--scenario", "-s", help="Apply this scenario first (an id from scenarios/).")
]

_METHODS = click.Choice(METHODS)
MethodOption = Annotated[
    Method,
    typer.Option(
        "--method",
        "-m",
        click_type=_METHODS,
        help="weighted (criteria and weights), wsjf, rice, npv, or formula (the portfolio's own).",
    ),
]
ObjectiveOption = Annotated[
    Method,
    typer.Option(
        "--objective", click_type=_METHODS, help="What to maximise: weighted score, wsjf, rice, npv or formula."
    ),
]
GapOption = Annotated[
    float,
    number_option(
        "--gap",
        minimum=0.0,
        maximum=0.5,
        help="Stop when the best found is proven within this fraction of the optimum.",
    ),
]
ReleaseOption = Annotated[
    bool, typer.Option("--release-in-flight", help="Let the optimiser drop approved and in-flight items.")
]
TimeLimitOption = Annotated[
    float,
    number_option(
        "--time-limit", minimum=0.1, help="Seconds to answer in (select: the whole answer; frontier: per budget level)."
    ),
]
SelectionOption = Annotated[
    bool, typer.Option("--selection", help="Only the items pfm select recommends (maximising the method's score).")
]
