"""One way to print a result table: rich in the terminal, or JSON, CSV or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from pfm.cli.common import message, settings, wants_color, write_output, writing_results
from pfm.cli.options import TableFormat
from pfm.reporting.tables import Kind, format_cell, plain_text, to_csv, to_json
from pfm.reporting.terminal import EDGES, Column, fit, legend_lines
from pfm.reporting.views import Table
from pfm.wording import counted

_NOTES_SHOWN = 5


def emit(ctx: typer.Context, report: Table, fmt: TableFormat, output: Path | None) -> None:
    if fmt is TableFormat.JSON:
        write_output(to_json(report.payload), output)
    elif fmt is TableFormat.CSV:
        write_output(to_csv(report.columns, report.rows, report.kinds or None), output)
    elif fmt is TableFormat.MARKDOWN:
        write_output(report.to_markdown(), output)
        return
    else:
        _print_tables(ctx, [report, *report.sections], output)
    for remark in report.remarks:
        message(ctx, f"note: {remark}")
    warnings = report.warnings()
    shown = warnings if settings(ctx).verbose else warnings[:_NOTES_SHOWN]
    for line in shown:
        message(ctx, line)
    if len(shown) < len(warnings):
        more = counted(len(warnings) - len(shown), "more warning")
        message(ctx, f"... and {more} (-v shows them all; -f json lists them)")


def _print_tables(ctx: typer.Context, reports: list[Table], output: Path | None) -> None:
    import io
    import os
    import sys

    from rich.console import Console
    from rich.text import Text

    # A terminal's width; piped or written to a file, a table is as wide as it needs (or as $COLUMNS says).
    width = None if output is not None or not (sys.stdout.isatty() or "COLUMNS" in os.environ) else 0
    if output is None:
        console = Console(no_color=not wants_color(ctx, sys.stdout), highlight=False)
    else:
        console = Console(file=io.StringIO(), no_color=True, highlight=False)
    split = False
    with writing_results():
        for report in reports:
            kinds = report.kinds or [Kind.TEXT] * len(report.columns)
            # plain_text: user text is never sent as control codes (and Text is never read as markup).
            cells = [[plain_text(format_cell(c, k)) for c, k in zip(row, kinds, strict=True)] for row in report.rows]
            layout = fit(report.columns, kinds, cells, console.width if width is not None else None)
            split = split or len(layout.parts) > 1
            if width is None:
                console.width = max(_table_width(part) for part in layout.parts)
            for number, part in enumerate(layout.parts, 1):
                title = (
                    report.title if len(layout.parts) == 1 else f"{report.title} (part {number} of {len(layout.parts)})"
                )
                console.print(_rich_table(title, part, cells))
            for line in legend_lines(layout.legend, console.width):
                console.print(Text(plain_text(line)), overflow="fold")
    if output is not None:
        assert isinstance(console.file, io.StringIO)
        write_output(console.file.getvalue(), output)
    if split:
        note_split(ctx, console.width)


def note_split(ctx: typer.Context, width: int) -> None:
    """Say that a table was cut into parts by columns, and how to see it in one piece."""
    message(
        ctx,
        f"note: a table is split by columns to fit {width} characters; a wider terminal shows it whole, "
        "and -f csv or -f json gives it in one piece",
    )


def _table_width(part: tuple[Column, ...]) -> int:
    return 1 + sum(column.width + EDGES for column in part)


def _rich_table(title: str, part: tuple[Column, ...], cells: list[list[str]]) -> Any:
    from rich.table import Table as RichTable
    from rich.text import Text

    table = RichTable(title=Text(plain_text(title)), title_justify="left", header_style="bold")
    # Ids and figures have no spaces and columns as wide as they are, so only prose and headers wrap.
    for column in part:
        table.add_column(
            Text(plain_text(column.header)),
            justify="right" if column.right else "left",
            width=column.width,
            overflow="fold",
        )
    for row in cells:
        table.add_row(*(Text(row[column.index]) for column in part))
    return table
