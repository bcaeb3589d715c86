"""Spreadsheet text into portfolio values: money, percentages, dates, quarters, lists and booleans.

Every parser takes the cell's text (pandas reads every column as text) and returns the value for the YAML
file, or raises `Unparsable` with the reason; the caller leaves the field out and reports the row.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pfm.periods import FIRST_YEAR, LAST_YEAR, quarter_of


class Unparsable(ValueError):
    """A cell whose text is not the value the mapping asks for; the message says what was expected."""


# Suffixes that multiply an amount: `£12.3m`, `450k`, `1.2bn`, `3 million`.
_UNITS = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
}
_CURRENCY = re.compile(r"^(?:[£$€¥]|GBP|USD|EUR|CHF|JPY)\s*|\s*(?:[£$€¥]|GBP|USD|EUR|CHF|JPY)$", re.IGNORECASE)
_NUMBER = re.compile(r"^(?P<digits>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>[a-z]*)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# an ISO date, or date-time (a workbook cell, an OData or ServiceNow export: 2027-04-01T08:00:00Z): its day
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*Q([1-4])|Q([1-4])\s*[-/ ]?\s*(\d{4}))$", re.IGNORECASE)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Lotus' 29 February 1900
_LAST_SERIAL = 2958465  # 9999-12-31
TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔"})
FALSE = frozenset({"no", "n", "false", "f", "0", "-", "–"})


def parse_number(text: str, scale: float = 1) -> int | float:
    """An amount: `£1,234.5`, `£12.3m`, `(1,200)` (negative), `-450k`, `1 234`, `EUR 3.2bn`.

    `scale` multiplies a bare figure (a column headed "Cost (£m)": `scale: 1000000`); a unit written in the
    cell (`m`, `k`, `bn`) replaces it. Integral results are ints, so YAML shows `12300000`, not `12300000.0`.
    """
    value = text.strip()
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value[:1] in "-−+":
        negative, value = negative ^ (value[0] != "+"), value[1:].strip()
    value = _CURRENCY.sub("", value).strip()
    if value[:1] in "-−" and not negative:  # `£-1,200`
        negative, value = True, value[1:].strip()
    value = value.replace("\u00a0", " ").replace("\u202f", " ").replace("'", "")
    if _GROUPED.match(value):
        value = value.replace(",", "")
    value = re.sub(r"(?<=\d) (?=\d{3}\b)", "", value)
    match = _NUMBER.match(value)
    unit = match["unit"].lower() if match else ""
    if not match or (unit and unit not in _UNITS):
        raise Unparsable("not a number")
    try:
        amount = Decimal(match["digits"]) * Decimal(_UNITS[unit] if unit else str(scale))
    except InvalidOperation:
        raise Unparsable("not a number") from None
    return _plain(-amount if negative else amount)


def parse_percent(text: str) -> int | float:
    """A fraction: `45%` is 0.45; a bare `0.45` is taken as the fraction already (what Excel stores)."""
    value = text.strip()
    if value.endswith("%"):
        return _plain(Decimal(str(parse_number(value[:-1]))) / 100)
    return parse_number(value)


def parse_integer(text: str, scale: float = 1) -> int:
    """A whole number (`4`, `4.0`, `1,200`)."""
    number = parse_number(text, scale)
    if not isinstance(number, int):
        raise Unparsable("not a whole number")
    return number


def parse_date(text: str, fmt: str | None = None) -> str:
    """A date as ISO text: in the stated strptime `fmt` (`%d/%m/%Y` for 31/12/2027), ISO already (a date-time's day), an Excel
    serial number (46752 is 2027-12-31) or a date-time cell of a workbook (`2027-12-31 00:00:00`)."""
    return _date(text, fmt).isoformat()


def parse_quarter(text: str, fmt: str | None = None, fiscal_year_start: int = 1) -> str:
    """The fiscal quarter `2027-Q4`: written as one (`2027-Q4`, `Q4 2027`) or the quarter a date falls in."""
    value = text.strip()
    match = _QUARTER.match(value)
    if match:
        year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        return f"{_in_calendar(int(year))}-Q{number}"
    return quarter_of(_date(value, fmt), fiscal_year_start)


def parse_boolean(text: str) -> bool:
    """Yes/no in the ways registers write it: yes, y, true, x, ✓ and 1; no, n, false, - and 0."""
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise Unparsable("not yes or no")


def parse_list(text: str, separator: str) -> list[str]:
    """The parts of a cell split on `separator`, each trimmed; empty parts are dropped."""
    return [part.strip() for part in text.split(separator) if part.strip()]


def _in_calendar(year: int) -> int:
    """`year`, when the portfolio's dates may fall in it (a year such as 1 would make the quarter `1-Q1`)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Unparsable(f"not a date in the years {FIRST_YEAR} to {LAST_YEAR}")
    return year


def _date(text: str, fmt: str | None) -> datetime.date:
    day = _any_date(text, fmt)
    _in_calendar(day.year)
    return day


def _any_date(text: str, fmt: str | None) -> datetime.date:
    value = text.strip()
    iso = _ISO_DATE.match(value)
    if iso:
        try:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            raise Unparsable("not a date") from None
    if fmt:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    try:
        serial = Decimal(value)
    except InvalidOperation:
        serial = Decimal(-1)
    if serial == serial.to_integral_value() and 1 <= serial <= _LAST_SERIAL:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    raise Unparsable(f"not a date in the form {fmt}" if fmt else "not a date (give the mapping a format)")


def _plain(amount: Decimal) -> int | float:
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def parsed(kind: str, text: str, options: dict[str, Any]) -> Any:
    """The value of `text` read as `kind` (text, number, integer, percent, date, quarter, list, boolean)."""
    scale = options.get("scale", 1)
    if kind == "number":
        return parse_number(text, scale)
    if kind == "integer":
        return parse_integer(text, scale)
    if kind == "percent":
        return parse_percent(text)
    if kind == "date":
        return parse_date(text, options.get("format"))
    if kind == "quarter":
        return parse_quarter(text, options.get("format"), options.get("fiscal_year_start", 1))
    if kind == "boolean":
        return parse_boolean(text)
    if kind == "list":
        return parse_list(text, options.get("separator", ","))
    return text.strip()
