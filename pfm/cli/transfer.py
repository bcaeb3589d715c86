"""`pfm import`: registers (CSV, XLSX) into the portfolio's files through a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import message, settings
from pfm.cli.options import FormatOption, OutputOption, TableFormat
from pfm.cli.output import emit

IMPORT_HELP = """Read registers (CSV or XLSX) through a mapping and merge them into the portfolio's files.

Keyed by id: an existing file keeps its comments, key order and every field the mapping does
not name, and changes only the mapped values that differ; new ids become new files (with the
schema modeline); ids the source lacks are listed, and removed only with --prune. A cell with
text where a number belongs leaves that field out with a warning at file:row N:column NAME; a
row with no id (or a text outside a value map) stops the import unless --partial. Nothing is
written when the import stops, each file is replaced whole, and --dry-run only shows the changes.
The mapping file is described in docs/import.md.

Examples:

  pfm import register.csv --mapping register-mapping.yaml --dry-run

  pfm import register.xlsx --sheet Projects --mapping register-mapping.yaml && pfm validate
"""


def register(app: typer.Typer) -> None:
    app.command("import", help=IMPORT_HELP)(import_command)


def import_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="CSV or XLSX files; their rows in turn.")],
    mapping: Annotated[Path, typer.Option("--mapping", "-m", help="The mapping file (YAML).")],
    encoding: Annotated[str | None, typer.Option(help="The CSV files' encoding (default: found).")] = None,
    delimiter: Annotated[str | None, typer.Option(help="The CSV files' delimiter (default: found).")] = None,
    sheet: Annotated[str | None, typer.Option(help="The workbook's sheet (default: the first).")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Import the rows that are right; skip the rest.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Remove documents the source no longer has.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    fmt: FormatOption = TableFormat.TABLE,
    output: OutputOption = None,
) -> None:
    from pfm.io.importing.plan import import_files
    from pfm.reporting.views.importing import import_table

    report = import_files(
        files, mapping, settings(ctx).portfolio, encoding=encoding, delimiter=delimiter, sheet=sheet,
        partial=partial, prune=prune, dry_run=dry_run,
    )  # fmt: skip
    for finding in report.errors:
        message(ctx, f"error: {finding.line()}")
    emit(ctx, import_table(report), fmt, output)
    if report.errors and not partial:
        raise typer.Exit(1)
