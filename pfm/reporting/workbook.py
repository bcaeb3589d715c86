"""`pfm export`'s tables written as a workbook (a sheet each) or as a folder of CSV files (a file each).

A workbook is made as a person expects it: the header row frozen and filtered, columns as wide as
their content (up to a cap), money in the portfolio's currency, percentages as percentages and
dates as dates. Text is always written as text, so a title starting with `=` is never a formula.
Either is written whole or not at all: the workbook through a temporary file renamed into place,
the CSV files as one set.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pfm.errors import UsageError
from pfm.reporting.export import Export, Sheet, export_tables
from pfm.reporting.tables import FORMULA_STARTS, Kind, format_cell, to_csv

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from pfm.model import Portfolio

ExportFormat = Literal["xlsx", "csv"]
FORMATS: tuple[ExportFormat, ...] = ("xlsx", "csv")

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_FORMATS = {Kind.PERCENT: "0.0%", Kind.NUMBER: "#,##0.00", Kind.WHOLE: "#,##0"}
_DATE = "yyyy-mm-dd"
_WIDEST = 60  # characters: longer text wraps out of sight rather than widening its column
_CELL_LIMIT = 32_767  # the most characters a cell holds
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 cannot hold


def export(
    portfolio: Portfolio, path: Path | str, format: ExportFormat = "xlsx", today: datetime.date | None = None
) -> list[Path]:
    """Write the portfolio's tables (`export_tables`) to `path`: a workbook, or with "csv" a folder of
    CSV files; the paths written."""
    return write_export(export_tables(portfolio, today), Path(path), format)


def write_export(tables: Export, path: Path, format: ExportFormat = "xlsx") -> list[Path]:
    """Write `tables` to `path` as a workbook or a folder of CSV files, whole or not at all; the paths written."""
    if format == "xlsx":
        from pfm.io.files import write_atomic

        write_atomic(path, workbook_bytes(tables))
        return [path]
    if format == "csv":
        from pfm.io.file_sets import write_set

        return write_set(path, csv_files(tables))
    raise UsageError(f"unknown export format '{format}' (xlsx or csv)")


def csv_files(tables: Export) -> dict[str, str]:
    """File name -> content: one CSV file per sheet, as pfm writes every CSV."""
    return {f"{sheet.name.lower()}.csv": to_csv(sheet.columns, sheet.rows, sheet.kinds) for sheet in tables.sheets}


def workbook_bytes(tables: Export) -> bytes:
    """The workbook: a sheet per table, in order."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    money = money_format(tables.currency)
    for sheet in tables.sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet, money)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def money_format(currency: str) -> str:
    """Whole amounts with thousands separators, in the currency: '£#,##0' for GBP, '#,##0 "CHF"' for one without a symbol."""
    symbol = _SYMBOLS.get(currency.upper())
    if symbol:
        return f"{symbol}#,##0;-{symbol}#,##0"
    code = re.sub(r"[^A-Za-z0-9 ]", "", currency)
    return f'#,##0 "{code}";-#,##0 "{code}"' if code else "#,##0"


def _write_sheet(target: WriteOnlyWorksheet, sheet: Sheet, money: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = [money if kind is Kind.MONEY else _FORMATS.get(kind) for kind in sheet.kinds]
    for number, width in enumerate(_widths(sheet), start=1):
        target.column_dimensions[get_column_letter(number)].width = width
    target.freeze_panes = "A2"
    if sheet.columns:
        target.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    bold = Font(bold=True)
    target.append([_cell(target, name, None, bold) for name in sheet.columns])
    for row in sheet.rows:
        target.append([_cell(target, value, number_format) for value, number_format in zip(row, formats, strict=True)])


def _cell(target: WriteOnlyWorksheet, value: Any, number_format: str | None, font: Any = None) -> Any:
    """The cell to append: a plain value where Excel's default shows it right (most text), else a styled cell."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)[:_CELL_LIMIT]
        if font is None and not value.startswith(FORMULA_STARTS):
            return value
    elif isinstance(value, float) and not math.isfinite(value):
        return None  # no figure: why is in the command's JSON
    elif value is None or isinstance(value, bool) or not (number_format or isinstance(value, datetime.date)):
        return value
    cell = WriteOnlyCell(target, value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
        cell.quotePrefix = value.startswith(FORMULA_STARTS)  # and Excel keeps it text when the cell is edited
    elif isinstance(value, datetime.date):
        cell.number_format = _DATE
    elif number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _widths(sheet: Sheet) -> Iterator[float]:
    """Each column's width in characters: its widest cell as shown, plus a margin for the filter button."""
    for index, (name, kind) in enumerate(zip(sheet.columns, sheet.kinds, strict=True)):
        widest = max((_shown_length(row[index], kind) for row in sheet.rows), default=0)
        yield min(max(widest, len(name) + 3), _WIDEST) + 2


def _shown_length(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    return len(format_cell(value, kind)) + (1 if kind is Kind.MONEY else 0)
