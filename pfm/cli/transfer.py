"""`pfm import` and `pfm export`: registers (CSV, XLSX) into the portfolio's files through a mapping, and the
portfolio with its analyses out to a workbook or CSV files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pfm.cli.common import load, message, settings
from pfm.cli.options import FormatOption, OutputOption, ScenarioOption, TableFormat
from pfm.cli.output import emit
from pfm.io.importing import preset_names

SHOWN_CHANGES = 200  # changed fields a table or Markdown lists; CSV and JSON list every one

IMPORT_HELP = """Read registers (CSV or XLSX) through a mapping and merge them into the portfolio's files.

Keyed by id: an existing file keeps its comments, key order and every field the mapping does
not name, and changes only the mapped values that differ; new ids become new files (with the
schema modeline); ids the source lacks are listed, and removed only with --prune. A cell with
text where a number belongs leaves that field out with a warning at file:row N:column NAME; a
row with no id (or a text outside a value map) stops the import unless --partial. Nothing is
written when the import stops, each file is replaced whole, and --dry-run only shows the changes.
The mapping file is described in docs/import.md; --preset NAME uses a built-in
mapping for a tool's export instead (--list-presets lists them).

Examples:

  pfm import register.csv --mapping register-mapping.yaml --dry-run

  pfm import projects.csv --preset project-online && pfm validate

  pfm import register.xlsx --sheet Projects --mapping register-mapping.yaml && pfm validate
"""


EXPORT_HELP = """Write the portfolio and its analyses to a workbook (a sheet each) or a folder of CSV files (a file each).

Sheets: About (name, currency, git commit, date), items, business_cases (long: a row per case, year
and figure), capacity (long: team, quarter), risks, decisions, and ranking, selection, finance and
spend (per fiscal year against budget), as pfm rank, select and finance give them. The workbook is
ready to read: header frozen and filtered, money in the portfolio's currency, dates as dates, text
never run as a formula. The workbook, or each CSV file, is written whole or left as it was; other
files in a CSV folder are left alone.

Examples:

  pfm export -o portfolio.xlsx

  pfm export -f csv -o export/ --scenario budget-cut-15
"""


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


def register(app: typer.Typer) -> None:
    app.command("import", help=IMPORT_HELP)(import_command)
    app.command("export", help=EXPORT_HELP)(export_command)


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="FILE...", help="CSV or XLSX files, read in turn.")
    ] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", "-m", help="The mapping file (YAML).")] = None,
    preset: Annotated[str | None, typer.Option(help="A built-in mapping: " + ", ".join(preset_names()) + ".")] = None,
    list_presets: Annotated[bool, typer.Option("--list-presets", help="List the built-in mappings.")] = False,
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

    if list_presets:
        typer.echo("\n".join(preset_names()))
        return
    if not files:
        raise typer.BadParameter("give the FILE(s) to import", param_hint="FILE...")
    report = import_files(
        files, mapping, settings(ctx).portfolio, preset=preset, encoding=encoding, delimiter=delimiter, sheet=sheet,
        partial=partial, prune=prune, dry_run=dry_run,
    )  # fmt: skip
    for finding in report.errors:
        message(ctx, f"error: {finding.line()}")
    emit(ctx, import_table(report, None if fmt in (TableFormat.CSV, TableFormat.JSON) else SHOWN_CHANGES), fmt, output)
    if report.errors and not partial:
        raise typer.Exit(1)


def export_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The workbook, or the folder for CSV files.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="xlsx (a workbook) or csv.")] = ExportFormat.XLSX,
    scenario: ScenarioOption = None,
) -> None:
    from pfm.reporting.workbook import export

    written = export(load(ctx, scenario), output, fmt.value)
    message(ctx, f"wrote {output}" + (f" ({len(written)} files)" if fmt is ExportFormat.CSV else ""))
