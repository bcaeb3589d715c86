"""Rows kept by a mapping's filters (`where`), and the tables joined to them (`tables`): a costs sheet in long
format, one row per project and year, read into the cost rows of the project's business case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pfm.io.importing.sources import Register, missing_column


def kept(source: Register, conditions: list[dict[str, Any]]) -> Register:
    """`source` with only the rows every condition keeps (`{column, in: [...]}` or `{column, not_in: [...]}`,
    texts compared without case or surrounding space)."""
    if not conditions:
        return source
    for condition in conditions:
        if condition["column"] not in source.columns:
            raise missing_column(source, condition["column"], "a row filter")
    pairs = [
        (row, number)
        for row, number in zip(source.rows, source.numbers, strict=True)
        if all(_keeps(condition, row[condition["column"]]) for condition in conditions)
    ]
    return Register(source.name, source.columns, tuple(row for row, _ in pairs), tuple(number for _, number in pairs))


def _keeps(condition: dict[str, Any], text: str) -> bool:
    cell = text.strip().lower()
    if "in" in condition and cell not in _folded(condition["in"]):
        return False
    return "not_in" not in condition or cell not in _folded(condition["not_in"])


def _folded(values: Iterable[Any]) -> set[str]:
    return {str(value).strip().lower() for value in values}


@dataclass
class Joined:
    """A joined table, its rows grouped by the text of a key column on first use."""

    register: Register
    groups: dict[str, dict[str, list[tuple[dict[str, str], int]]]] = field(default_factory=dict)

    def rows_of(self, key_column: str, key: str) -> list[tuple[dict[str, str], int]]:
        """The rows (and their row numbers) whose `key_column` holds `key`."""
        if key_column not in self.groups:
            if key_column not in self.register.columns:
                raise missing_column(self.register, key_column, "the join's key")
            grouped: dict[str, list[tuple[dict[str, str], int]]] = {}
            for row, number in zip(self.register.rows, self.register.numbers, strict=True):
                grouped.setdefault(row[key_column].strip().lower(), []).append((row, number))
            self.groups[key_column] = grouped
        return self.groups[key_column].get(key.strip().lower(), []) if key.strip() else []
