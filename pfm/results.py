"""What every result pfm prints has: its JSON form, its rows, and those rows as a pandas DataFrame.

A result's `to_dict()` is exactly what `pfm COMMAND -f json` prints, and `records()` the rows of its main table,
one flat mapping per row, which `to_frame()` turns into a DataFrame for a notebook. pandas is imported only then,
so no command pays for it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pandas import DataFrame


class Result(ABC):
    """The base of every printed result: subclasses define `to_dict` and `records`."""

    __slots__ = ()

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: what `-f json` prints."""

    @abstractmethod
    def records(self) -> list[dict[str, Any]]:
        """The rows of the result's main table, one flat mapping of column to value each."""

    def to_frame(self) -> DataFrame:
        """`records()` as a pandas DataFrame, one row per record and one column per key."""
        import pandas

        return pandas.DataFrame.from_records(self.records())
