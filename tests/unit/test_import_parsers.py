"""The parsers of `pfm import`: amounts as registers write them, percentages, dates, Excel serials, quarters."""

from __future__ import annotations

import pytest

from pfm.errors import UsageError
from pfm.io.importing.mapping import Mapping, read_rows, slug
from pfm.io.importing.parsers import (
    Unparsable,
    parse_boolean,
    parse_date,
    parse_integer,
    parse_list,
    parse_number,
    parse_percent,
    parse_quarter,
)
from pfm.io.importing.sources import Register


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234),
        ("£1,234.5", 1234.5),
        ("£12.3m", 12_300_000),
        ("£ 12.3 m", 12_300_000),
        ("(1,200)", -1200),
        ("(£0.5m)", -500_000),
        ("-450k", -450_000),
        ("£-1,200", -1200),
        ("1.2bn", 1_200_000_000),
        ("3 million", 3_000_000),
        ("EUR 2,500,000", 2_500_000),
        ("1 234 567", 1_234_567),
        ("0.1", 0.1),
        ("£0.0m", 0),
    ],
)
def test_amounts(text: str, value: float) -> None:
    assert parse_number(text) == value
    assert type(parse_number(text)) is type(value)


def test_a_scale_multiplies_bare_figures_only() -> None:
    assert parse_number("12.3", scale=1_000_000) == 12_300_000
    assert parse_number("450k", scale=1_000_000) == 450_000


@pytest.mark.parametrize("text", ["Exempt under Section 43", "TBC", "1,5", "12.3q", "£", "n/a", "1.2.3"])
def test_text_is_not_an_amount(text: str) -> None:
    with pytest.raises(Unparsable):
        parse_number(text)


def test_percentages_and_whole_numbers() -> None:
    assert parse_percent("45%") == 0.45
    assert parse_percent("0.45") == 0.45
    assert parse_percent("100 %") == 1
    assert parse_integer("4.0") == 4
    with pytest.raises(Unparsable):
        parse_integer("4.5")


@pytest.mark.parametrize(
    ("text", "fmt", "day"),
    [
        ("31/12/2027", "%d/%m/%Y", "2027-12-31"),
        ("2027-12-31", "%d/%m/%Y", "2027-12-31"),  # ISO always reads
        ("2027-12-31 00:00:00", None, "2027-12-31"),  # a workbook's date cell read as text
        ("2027-12-31T08:00:00", None, "2027-12-31"),  # Project Online's OData feed
        ("2027-12-31 17:00:00", "%d/%m/%Y", "2027-12-31"),  # a ServiceNow list export
        ("2027-12-31T08:00:00.000Z", None, "2027-12-31"),
        ("31 Dec 2027", "%d %b %Y", "2027-12-31"),
        ("46752", "%d/%m/%Y", "2027-12-31"),  # Excel's serial number
        ("46752.0", None, "2027-12-31"),
        ("2", None, "1900-01-01"),
        ("61", None, "1900-03-01"),
    ],
)
def test_dates(text: str, fmt: str | None, day: str) -> None:
    assert parse_date(text, fmt) == day


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("12/31/2027", "%d/%m/%Y"),
        ("31/12/2027", None),
        ("2027-02-30", None),
        ("1", None),  # Excel's 1899-12-31, before any date a portfolio holds
        ("01/01/0001", "%d/%m/%Y"),
        ("9999-12-31", None),
    ],
)
def test_not_dates(text: str, fmt: str | None) -> None:
    with pytest.raises(Unparsable):
        parse_date(text, fmt)


def test_quarters_of_dates_follow_the_fiscal_year() -> None:
    assert parse_quarter("31/12/2027", "%d/%m/%Y") == "2027-Q4"
    assert parse_quarter("31/12/2027", "%d/%m/%Y", fiscal_year_start=4) == "2027-Q3"
    assert parse_quarter("15/02/2028", "%d/%m/%Y", fiscal_year_start=4) == "2027-Q4"
    assert parse_quarter("46752") == "2027-Q4"
    assert parse_quarter("Q3 2027") == parse_quarter("2027-Q3") == parse_quarter("2027 Q3") == "2027-Q3"


@pytest.mark.parametrize("text", ["01/01/0001", "0001-Q1", "Q4 9999"])
def test_a_quarter_beyond_the_calendar_is_unparsable(text: str) -> None:
    """01/01/0001 became the quarter `1-Q1`, written into the item for validation to reject."""
    with pytest.raises(Unparsable, match="not a date in the years 1900 to 2200"):
        parse_quarter(text, "%d/%m/%Y")


def test_booleans_lists_and_slugs() -> None:
    assert [parse_boolean(t) for t in ("Yes", "y", "TRUE", "x", "✓", "No", "n", "0", "-")] == [True] * 5 + [False] * 4
    with pytest.raises(Unparsable):
        parse_boolean("maybe")
    assert parse_list(" finance; core ;; ", ";") == ["finance", "core"]
    assert slug("Core Ledger – Phase 2 (Café)") == "core-ledger-phase-2-cafe"
    assert slug("!!!") == "row"


def test_an_optional_column_and_a_total_cost_in_the_year_of_a_date() -> None:
    """`optional: true` leaves the field out when the file lacks the column; `year_from` puts a total cost in the
    fiscal year of that column's date."""
    source = Register(
        "projects.csv",
        ("Name", "Start", "Cost"),
        (
            {"Name": "Ledger", "Start": "2027-02-15T08:00:00", "Cost": "1,450,000"},
            {"Name": "Apps", "Start": "", "Cost": "9"},
        ),
        (2, 3),
    )
    spec = {
        "id": {"column": "Name", "slug": True},
        "fields": {"owner": {"column": "Owner", "optional": True}},
        "costs": {"capex": "Cost", "year_from": "Start"},
    }
    reading = read_rows(Mapping({"Item": spec}, {}), [source], fiscal_year_start=4)
    ledger, apps = reading.documents
    assert ledger.values == {} and ledger.costs == [{"year": 2026, "capex": 1450000}]  # February 2027: FY 2026
    assert apps.costs == []  # no date: no year to put the cost in
    with pytest.raises(UsageError, match="no column 'Owner'"):
        read_rows(Mapping({"Item": {**spec, "fields": {"owner": {"column": "Owner"}}}}, {}), [source])
