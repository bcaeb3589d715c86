"""How a table fits a terminal: the width of each column, the columns of each part, the headers that are abbreviated.

What people read in a table must come out whole. An id, a date, a status or a figure never breaks: its column is
as wide as its longest cell. Only prose (a column whose cells hold spaces: titles, reasons) folds, and only at
spaces, so no word is cut unless it is longer than a line can hold. A long header over a narrow column of
figures is abbreviated, with a legend. When even that is too wide, the table is split by columns, the leading
columns (through the id) repeated in every part. Without a width (output piped to another program or written to
a file), every column gets all it asks for and nothing folds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pfm.reporting.tables import Kind

EDGES = 3  # the padding either side of a column and the rule after it
PROSE_WIDTH = 12  # a column of prose may fold down to this width ...
WORD_WIDTH = 30  # ... but not below its longest word, unless the word is longer than this (a URL, a path)
HEADER_WIDTH = 8  # a header no wider than this, or than its column's cells, is never abbreviated


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a part as shown: its index in the table, header, width, and whether it folds at spaces."""

    index: int
    header: str
    width: int
    folds: bool
    right: bool  # figures are right-aligned


@dataclass(frozen=True, slots=True)
class Layout:
    """The parts a table is shown in (one when it fits), and the abbreviated headers with what they stand for."""

    parts: tuple[tuple[Column, ...], ...]
    legend: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Needs:
    content: int  # the widest cell
    natural: int  # every cell and the header on one line
    least: int  # the narrowest the column may be
    folds: bool


def fit(headers: Sequence[str], kinds: Sequence[Kind], cells: Sequence[Sequence[str]], width: int | None) -> Layout:
    """The layout of a table of `cells` (already formatted) under `headers` in `width` characters (None: no limit)."""
    shown = list(headers)
    needs = [_needs(shown[i], kinds[i], [row[i] for row in cells]) for i in range(len(shown))]
    legend: list[tuple[str, str]] = []
    if width is not None and _total(needs) > width:
        for i in sorted(range(len(shown)), key=lambda i: -len(shown[i])):
            short = _abbreviation(shown[i], needs[i], shown)
            if short is not None:
                legend.append((short, shown[i]))
                shown[i] = short
                needs[i] = _needs(short, kinds[i], [row[i] for row in cells])
    keep = next((i + 1 for i, kind in enumerate(kinds) if kind is Kind.TEXT), 1)  # through the id column
    indexes = (
        [list(range(len(shown)))] if width is None else column_parts([n.least + EDGES for n in needs], keep, width - 1)
    )
    parts = tuple(_widen(part, shown, kinds, needs, width) for part in indexes)
    used = {column.header for part in parts for column in part}
    return Layout(parts, tuple((short, full) for short, full in sorted(legend) if short in used))


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


def _needs(header: str, kind: Kind, column: Sequence[str]) -> _Needs:
    content = max(map(len, column), default=0)
    header_word = max(map(len, header.split()), default=0)  # a header wraps at its spaces
    folds = kind is Kind.TEXT and any(" " in cell for cell in column)
    if folds:
        word = max((len(w) for cell in column for w in cell.split()), default=0)
        least = max(min(content, PROSE_WIDTH), min(word, WORD_WIDTH))
    else:
        least = content
    return _Needs(content, max(content, len(header)), max(least, header_word), folds)


def _total(needs: Sequence[_Needs]) -> int:
    return 1 + sum(n.least + EDGES for n in needs)


_WORDS = re.compile(r"[A-Za-z0-9]+")


def _abbreviation(header: str, needs: _Needs, taken: Sequence[str]) -> str | None:
    """A short form of a header whose longest word is wider than the column's cells: its initials, or its first
    letters and a full stop; None when the header is no wider than the cells or no short form is free."""
    widest = max(map(len, header.split()), default=0)
    if widest <= max(needs.content + 2, HEADER_WIDTH):
        return None
    words = _WORDS.findall(header)
    initials = ["".join(word[0] for word in words).upper()] if len(words) > 1 else []
    for candidate in (*initials, header[: max(needs.content, 3)].rstrip("-_ .") + "."):
        if candidate not in taken and len(candidate) < len(header):
            return candidate
    return None


def _widen(
    part: list[int], headers: Sequence[str], kinds: Sequence[Kind], needs: Sequence[_Needs], width: int | None
) -> tuple[Column, ...]:
    """The part's columns at their least widths, then given what is left of `width`: first so that headers need
    not wrap, then to prose, up to what each asks for."""
    widths = {i: (needs[i].natural if width is None else needs[i].least) for i in part}
    if width is not None:
        spare = width - 1 - sum(widths[i] + EDGES for i in part)
        for i in sorted(part, key=lambda i: needs[i].folds):  # figures and ids first: their headers, then prose
            grant = min(spare, needs[i].natural - widths[i])
            if grant > 0:
                widths[i] += grant
                spare -= grant
    return tuple(Column(i, headers[i], widths[i], needs[i].folds, kinds[i] is not Kind.TEXT) for i in part)


def legend_lines(legend: Sequence[tuple[str, str]], width: int | None) -> list[str]:
    """The legend of abbreviated headers, `SHORT = header` entries side by side, each entry on one line."""
    lines: list[str] = []
    for entry in (f"{short} = {full}" for short, full in legend):
        if lines and (width is None or len(lines[-1]) + 2 + len(entry) <= width):
            lines[-1] += "; " + entry
        else:
            lines.append(entry)
    return lines
