"""One way to print a result table: rich in the terminal, or JSON, CSV or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from pfm.cli.common import message, settings, wants_color, write_output, writing_results
from pfm.cli.options import TableFormat
from pfm.reporting.findings import text_line
from pfm.reporting.tables import Kind, format_cell, md_escape, plain_text, to_csv, to_json, to_markdown
from pfm.reporting.views import Table

_NOTES_SHOWN = 5


def emit(ctx: typer.Context, report: Table, fmt: TableFormat, output: Path | None) -> None:
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
    warnings = _warnings(report)
    shown = warnings if settings(ctx).verbose else warnings[:_NOTES_SHOWN]
    for line in shown:
        message(ctx, line)
    if len(shown) < len(warnings):
        message(ctx, f"... and {len(warnings) - len(shown)} more warnings (-v shows them all; -f json lists them)")


def _warnings(report: Table) -> list[str]:
    return [text_line(f) for f in report.findings or ()] + [f"warning: {note}" for note in report.notes]


def _markdown(report: Table) -> str:
    notes = "".join(f"- {md_escape(line.removeprefix('warning: '))}\n" for line in _warnings(report))
    warnings = f"\n**Warnings**\n\n{notes}" if notes else ""
    remarks = "".join(f"\n{md_escape(remark)}\n" for remark in report.remarks)
    table = to_markdown(report.columns, report.rows, report.kinds or None)
    return f"### {md_escape(report.title)}\n\n{table}{remarks}{warnings}"


def _print_tables(ctx: typer.Context, reports: list[Table], output: Path | None) -> None:
    import io
    import sys

    from rich.console import Console

    if output is None:
        console = Console(no_color=not wants_color(ctx, sys.stdout), highlight=False)
    else:
        console = Console(file=io.StringIO(), no_color=True, highlight=False, width=160)
    split = 0
    with writing_results():
        for report in reports:
            tables = _rich_tables(report, console.width)
            split = max(split, len(tables))
            for table in tables:
                console.print(table)
    if output is not None:
        assert isinstance(console.file, io.StringIO)
        write_output(console.file.getvalue(), output)
    if split > 1:
        note_split(ctx, console.width)


def note_split(ctx: typer.Context, width: int) -> None:
    """Say that a table was cut into parts by columns, and how to see it in one piece."""
    message(
        ctx,
        f"note: a table is split by columns to fit {width} characters; a wider terminal shows it whole, "
        "and -f csv or -f json gives it in one piece",
    )


# A text column may fold down to this width; a figure never folds (a split number reads as two).
_TEXT_WIDTH = 12
_HEADER_WIDTH = 8
_COLUMN_EDGES = 3  # padding either side and a rule


def column_parts(needs: list[int], keep: int, width: int) -> list[list[int]]:
    """The columns of each part of a table too wide for `width`: the first `keep` in every part, then as many
    of the others, in order, as fit beside them (always at least one)."""
    kept = list(range(keep))
    parts: list[list[int]] = []
    current: list[int] = []
    used = base = sum(needs[:keep])
    for index in range(keep, len(needs)):
        if current and used + needs[index] > width:
            parts.append(kept + current)
            current, used = [], base
        current.append(index)
        used += needs[index]
    return [*parts, kept + current]


def _rich_tables(report: Table, width: int) -> list[Any]:
    """The report as one rich table, or as several (the leading columns repeated) when its figures would not fit."""
    kinds = report.kinds or [Kind.TEXT] * len(report.columns)
    # Text: user text is never read as markup; plain_text: nor sent as control codes.
    cells = [
        [plain_text(format_cell(cell, kind)) for cell, kind in zip(row, kinds, strict=True)] for row in report.rows
    ]
    widths = [
        _width(header, [row[i] for row in cells], kind)
        for i, (header, kind) in enumerate(zip(report.columns, kinds, strict=True))
    ]
    needs = [
        _COLUMN_EDGES + (min(w, _TEXT_WIDTH) if kind is Kind.TEXT else w) for w, kind in zip(widths, kinds, strict=True)
    ]
    keep = next(
        (i + 1 for i, kind in enumerate(kinds) if kind is Kind.TEXT), 1
    )  # through the first text column: the id
    parts = column_parts(needs, keep, width - 1)
    return [
        _rich_table(
            report.title if len(parts) == 1 else f"{report.title} (part {number} of {len(parts)})",
            [report.columns[i] for i in part],
            [[row[i] for i in part] for row in cells],
            [None if kinds[i] is Kind.TEXT else widths[i] for i in part],
        )
        for number, part in enumerate(parts, 1)
    ]


def _width(header: str, cells: list[str], kind: Kind) -> int:
    """The width a column's content asks for; a figure's header may fold past its first few letters."""
    words = [len(word) for word in header.split()] or [0]
    header_width = len(header) if kind is Kind.TEXT else min(max(words), _HEADER_WIDTH)
    return max([header_width, *map(len, cells)])


def _rich_table(title: str, columns: list[str], rows: list[list[str]], widths: list[int | None]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(plain_text(title)), title_justify="left", header_style="bold")
    for column, width in zip(columns, widths, strict=True):  # figures get their full width, text folds
        table.add_column(
            Text(plain_text(column)), justify="left" if width is None else "right", overflow="fold", width=width
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table
