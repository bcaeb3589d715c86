"""Quarters such as `2027-Q1`: parsing, ordering and ranges."""

from __future__ import annotations

import re
from functools import cache

_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")


@cache
def quarter_index(label: str) -> int:
    """A quarter's position on a continuous scale (year * 4 + quarter - 1)."""
    match = _QUARTER.match(label)
    if match is None:
        raise ValueError(f"not a quarter: {label!r} (expected e.g. 2027-Q1)")
    return int(match[1]) * 4 + int(match[2]) - 1


def quarter_label(index: int) -> str:
    """The label of the quarter at `index` (inverse of `quarter_index`)."""
    year, quarter = divmod(index, 4)
    return f"{year}-Q{quarter + 1}"


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last`, both included."""
    return [quarter_label(i) for i in range(quarter_index(first), quarter_index(last) + 1)]


def add_quarters(label: str, count: int) -> str:
    """The quarter `count` quarters after `label`."""
    return quarter_label(quarter_index(label) + count)
