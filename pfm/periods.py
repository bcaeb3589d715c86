"""Quarters such as `2027-Q1`: parsing, ordering and ranges."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a date, a quarter or a cost may fall in


def calendar_date(text: str) -> date | None:
    """The date written YYYY-MM-DD in `text`, or None when it is not a real date in FIRST_YEAR to LAST_YEAR (so
    arithmetic on it stays within Python's calendar)."""
    try:
        day = date.fromisoformat(text) if _DATE.match(text) else None
    except ValueError:
        return None
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


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


def quarter_start(label: str, fiscal_year_start: int = 1) -> date:
    """The first day of a fiscal quarter; fiscal year Y starts on the first of month `fiscal_year_start` of year Y."""
    year, month = divmod(quarter_index(label) // 4 * 12 + fiscal_year_start - 1 + quarter_index(label) % 4 * 3, 12)
    return date(year, month + 1, 1)


def quarter_of(day: date, fiscal_year_start: int = 1) -> str:
    """The fiscal quarter a date falls in (inverse of `quarter_start`)."""
    year, month = divmod(day.year * 12 + day.month - fiscal_year_start, 12)
    return quarter_label(year * 4 + month // 3)


def when_quarter(when: str, fiscal_year_start: int = 1) -> int:
    """The quarter index of a date (YYYY-MM-DD) or a quarter (2027-Q1)."""
    if _QUARTER.match(when):
        return quarter_index(when)
    return quarter_index(quarter_of(date.fromisoformat(when), fiscal_year_start))
