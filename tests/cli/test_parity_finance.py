"""`pfm finance` prints exactly what the library returns, and the business cases' rows."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json


@pytest.mark.parametrize("item", [None, "crm-salesforce"])
def test_finance_json_is_the_library_finances(runner: CliRunner, item: str | None) -> None:
    expected = json.loads(to_json(pfm.finance(pfm.load_portfolio(EXAMPLE), item).to_dict()))
    assert cli_json(runner, "finance", *([item] if item else [])) == expected


def test_finances_as_a_frame_have_a_row_per_business_case() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    frame = pfm.finance(portfolio).to_frame()
    assert list(frame.columns) == [
        "id",
        "title",
        "business_case",
        "npv",
        "irr",
        "mirr",
        "payback_years",
        "discounted_payback_years",
        "roi",
        "simple_roi",
        "pv_costs",
        "pv_benefits",
    ]
    assert list(frame["id"]) == sorted(case.item for case in portfolio.business_cases.values())
    assert frame.loc[frame["id"] == "crm-salesforce", "title"].item() == portfolio.items["crm-salesforce"].title
