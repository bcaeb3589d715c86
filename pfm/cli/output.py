"""One way to print a result table: rich in the terminal, or JSON, CSV or Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from pfm.cli.common import message, settings, wants_color, write_output, writing_results
from pfm.renderers.tables import Cell, format_cell, md_escape, to_csv, to_json, to_markdown

_NOTES_SHOWN = 5


class TableFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


FormatOption = Annotated[
    TableFormat, typer.Option("--format", "-f", help="table (terminal), json, csv (for Excel) or markdown.")
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
ScenarioOption = Annotated[
    str | None, typer.Option("--scenario", "-s", help="Apply this scenario first (an id from scenarios/).")
]


@dataclass
class Report:
    """A result as a table for people and a payload for scripts."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    payload: dict[str, Any]
    kinds: list[str] = field(default_factory=list)  # per column: text, number, money or percent
    notes: list[str] = field(default_factory=list)  # warnings: stderr for table/csv/json, below the table in markdown
    # Further tables for people (table and markdown formats); the payload carries their data for JSON.
    sections: list[Report] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # facts worth a line (not warnings): stderr, or in markdown


def emit(ctx: typer.Context, report: Report, fmt: TableFormat, output: Path | None) -> None:
    if fmt is TableFormat.JSON:
        write_output(to_json(report.payload), output)
    elif fmt is TableFormat.CSV:
        write_output(to_csv(report.columns, report.rows), output)
    elif fmt is TableFormat.MARKDOWN:
        write_output("\n".join(_markdown(part) for part in (report, *report.sections)), output)
        return
    else:
        _print_tables(ctx, [report, *report.sections], output)
    for remark in report.remarks:
        message(ctx, f"note: {remark}")
    shown = report.notes if settings(ctx).verbose else report.notes[:_NOTES_SHOWN]
    for note in shown:
        message(ctx, f"warning: {note}")
    if len(shown) < len(report.notes):
        message(ctx, f"... and {len(report.notes) - len(shown)} more warnings (-v shows them all; -f json lists them)")


def _markdown(report: Report) -> str:
    notes = "".join(f"- {md_escape(note)}\n" for note in report.notes)
    warnings = f"\n**Warnings**\n\n{notes}" if notes else ""
    remarks = "".join(f"\n{md_escape(remark)}\n" for remark in report.remarks)
    table = to_markdown(report.columns, report.rows, report.kinds or None)
    return f"### {md_escape(report.title)}\n\n{table}{remarks}{warnings}"


def _print_tables(ctx: typer.Context, reports: list[Report], output: Path | None) -> None:
    import io
    import sys

    from rich.console import Console

    tables = [_rich_table(report) for report in reports]
    if output is None:
        console = Console(no_color=not wants_color(ctx, sys.stdout), highlight=False)
        with writing_results():
            for table in tables:
                console.print(table)
        return
    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, highlight=False, width=160)
    for table in tables:
        console.print(table)
    write_output(buffer.getvalue(), output)


def _rich_table(report: Report) -> Any:
    from rich.table import Table
    from rich.text import Text

    kinds = report.kinds or ["text"] * len(report.columns)
    table = Table(title=Text(report.title), title_justify="left", header_style="bold")
    for column, kind in zip(report.columns, kinds, strict=True):
        table.add_column(Text(column), justify="left" if kind == "text" else "right", overflow="fold")
    for row in report.rows:  # Text: user text is never read as markup
        table.add_row(*(Text(format_cell(cell, kind)) for cell, kind in zip(row, kinds, strict=True)))
    return table
