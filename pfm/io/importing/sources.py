"""Reading a register: a CSV file (its encoding and delimiter found or given) or a sheet of an XLSX workbook.

Every column is read as text, blank cells as empty text: what a cell means is the mapping's business. pandas
(and openpyxl, for workbooks) is imported here only, when an import runs.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pfm.errors import UsageError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # UTF-8 (with or without Excel's BOM), then Excel's Windows default
DELIMITERS = ",;\t|"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True, slots=True)
class Register:
    """One file's rows: `rows[i]` is column name -> text, and `numbers[i]` the row number a person sees."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    numbers: tuple[int, ...]


def read_source(
    path: Path, encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None
) -> Register:
    """The rows of a CSV file or a workbook's sheet (the first unless `sheet` names one), header in row 1."""
    import pandas
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise UsageError(f"{path}: " + ("not a file" if path.exists() else "no such file"))
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            frame = pandas.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            if sheet is not None:
                raise UsageError(f"{path}: --sheet is for workbooks (.xlsx), not CSV files")
            text = _decode(path, encoding)
            frame = pandas.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding=_chosen_encoding(path, encoding),
                sep=delimiter or _sniff(text),
                skipinitialspace=True,
            )
    except UsageError:
        raise
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, InvalidFileException) as error:  # a missing sheet,
        # a damaged workbook or a file that is not one, unbalanced quotes, an empty file
        raise UsageError(f"{path}: cannot read it: {error}") from None
    columns = tuple(str(name).strip() for name in frame.columns)
    rows = tuple(
        {column: "" if cell is None else str(cell) for column, cell in zip(columns, record, strict=True)}
        for record in frame.itertuples(index=False, name=None)
    )
    return Register(path.name, columns, rows, tuple(range(2, len(rows) + 2)))


def missing_column(source: Register, column: str, named_by: str = "the mapping") -> UsageError:
    """The one-line error for a column the file lacks: the columns it has, and the nearest name."""
    import difflib

    near = difflib.get_close_matches(column, source.columns, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    shown = ", ".join(f"'{name}'" for name in source.columns[:30]) + (", ..." if len(source.columns) > 30 else "")
    return UsageError(f"{source.name}: no column '{column}' ({named_by} names it){hint}; its columns: {shown}")


def _chosen_encoding(path: Path, encoding: str | None) -> str:
    if encoding:
        return encoding
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text"
        return "utf-16"
    for candidate in ENCODINGS:
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return ENCODINGS[-1]  # latin-1 decodes every byte: never reached


def _decode(path: Path, encoding: str | None) -> str:
    try:
        return path.read_bytes().decode(_chosen_encoding(path, encoding))
    except (UnicodeDecodeError, LookupError) as error:
        raise UsageError(f"{path}: cannot read it as {encoding}: {error}") from None


def _sniff(text: str) -> str:
    """The delimiter of a CSV text: the one csv.Sniffer finds among , ; tab and |, else a comma."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","
