"""Tables as CSV (for Excel) and Markdown (for GitHub), and results as stable JSON."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

Cell = str | int | float | bool | None


class Kind(StrEnum):
    """What a column holds, which decides how its cells are written and aligned."""

    TEXT = "text"  # as written, left-aligned; may fold in the terminal
    NUMBER = "number"  # two decimals
    WHOLE = "whole"  # no decimals
    MONEY = "money"  # no decimals
    PERCENT = "percent"  # a fraction shown as a percentage with one decimal


# Control characters could drive the terminal (C1 as well: \x9b is an 8-bit escape), line and paragraph
# separators break lines where they should not, and bidirectional overrides reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What JSON's own escaping leaves raw; \u escapes of these keep the data while no terminal acts on them.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Beyond these, numbers are shown in scientific notation rather than as hundreds of digits or as 0.00.
_LARGE = 1e15
_SMALL = 0.005

# Excel treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]], kinds: Sequence[Kind] | None = None) -> str:
    """UTF-8 with a byte-order mark so Excel reads accents; text that Excel would run as a formula is quoted with '.

    With `kinds`, a figure column holds numbers Excel can sum: money rounded to 2 decimals, other figures to 6,
    and an empty cell where the table shows words (n/a, none): why is in the notes and the JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    kinds = kinds or [Kind.TEXT] * len(columns)
    writer.writerows([_csv_cell(cell, kind) for cell, kind in zip(row, kinds, strict=True)] for row in rows)
    return "\ufeff" + buffer.getvalue()


def _csv_cell(cell: Cell, kind: Kind) -> Cell:
    if kind is not Kind.TEXT and not isinstance(cell, bool):
        if isinstance(cell, str):
            return ""
        if isinstance(cell, float):
            return round(cell, 2 if kind is Kind.MONEY else 6) if math.isfinite(cell) else ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return "" if cell is None else cell


def to_markdown(columns: Sequence[str], rows: Iterable[Sequence[Cell]], kinds: Sequence[Kind] | None = None) -> str:
    """A GitHub table; pipes, newlines and markup in text cannot break it."""
    kinds = kinds or [Kind.TEXT] * len(columns)
    aligns = ["---" if kind is Kind.TEXT else "--:" for kind in kinds]
    lines = ["| " + " | ".join(md_escape(c) for c in columns) + " |", "|" + "|".join(aligns) + "|"]
    lines += [
        "| " + " | ".join(md_escape(format_cell(cell, kind, "")) for cell, kind in zip(row, kinds, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def escape_controls(text: str) -> str:
    """Text with every control character, separator and bidirectional override written as an escape (\\n, \\u001b)."""
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or f"\\u{ord(char):04x}"


def plain_text(text: str) -> str:
    """User text on one line (runs of white space as one space), control characters shown as escapes."""
    return escape_controls(" ".join(text.split()))


def md_escape(text: str) -> str:
    """User text that GitHub shows as written, on one line: no markup, HTML, entity, @mention or table break."""
    return _md_literal(plain_text(text))


def md_text(text: str, limit: int | None = None) -> str:
    """`md_escape`, cut at `limit` characters of the text as shown."""
    return _md_literal(one_line(text, limit))


def one_line(text: str, limit: int | None = None) -> str:
    """`plain_text`, cut at `limit` characters (the last one an ellipsis)."""
    text = plain_text(text)
    return text[: limit - 1] + "…" if limit is not None and len(text) > limit else text


def _md_literal(text: str) -> str:
    text = text.replace("&", "&amp;")
    for char in "\\`*_[]<>|~":
        text = text.replace(char, "\\" + char)
    return text.replace("@", "&#64;")


def format_cell(cell: Cell, kind: Kind = Kind.NUMBER, empty: str = "–") -> str:
    """A cell as people read it, as its column's kind says."""
    if cell is None:
        return empty
    if isinstance(cell, str) or kind is Kind.TEXT:  # a year or an id stays as written
        return str(cell)
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and not math.isfinite(cell):
        return "n/a"  # the core gives None with a reason instead; never print inf or nan as a figure
    if abs(cell) >= _LARGE or (kind is Kind.NUMBER and 0 < abs(cell) < _SMALL):
        return f"{cell:.4g}"  # a figure beyond any real portfolio's, e.g. a RICE input of 1e+308, stays readable
    if kind is Kind.PERCENT:
        return f"{cell:.1%}"
    if kind in (Kind.MONEY, Kind.WHOLE):
        return f"{cell:,.0f}"
    return f"{cell:,}" if isinstance(cell, int) else f"{cell:,.2f}"


def to_json(payload: Any) -> str:
    """Indented JSON, keys in the order given: byte-identical for the same input. Every JSON pfm prints is made here.

    The standard has no NaN or Infinity: the core gives None (and says why) where a figure is undefined,
    so a non-finite number here is a bug in pfm and fails loudly rather than printing invalid JSON.
    """
    text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)
    # These characters occur only inside strings, so escaping them changes no value.
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
