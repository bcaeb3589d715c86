"""Hostile options and figures the tracking commands (evm, status, spend, benefits, kpi) and select cannot use: one
line of error, never an internal error or a figure made up."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.helpers import PORTFOLIO, WriteTree, item, run


@pytest.mark.parametrize("command", ["evm", "status", "kpi", "spend", "benefits"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_status_date_beyond_the_calendar_is_a_usage_error(runner: CliRunner, command: str, day: str) -> None:
    """--as-of 9999-12-31 overflowed a date in evm and status, and 0001-01-01 made a quarter '1-Q1' in kpi (exit 3)."""
    result = run(runner, command, "--as-of", day)
    assert result.exit_code == 2, result.output
    assert "in the years 1900 to 2200" in result.output
    assert "internal error" not in result.output


def test_the_one_line_error_names_the_unreadable_value_not_what_it_left_behind(
    runner: CliRunner, write_tree: WriteTree
) -> None:
    """A .nan drops its item, so the business case's `item: a` is unknown too: the one line named that (sorted first,
    business-cases/ before items/) and not the .nan that caused it."""
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": item("a", "actuals: {as_of: '2027-03-31', capex: .nan}\n"),
            "business-cases/a-case.yaml": "apiVersion: pfm/v1\nkind: BusinessCase\nid: a-case\nitem: a\n"
            "costs: [{year: 2027, capex: 10}]\n",
        }
    )
    result = run(runner, "evm", root=root)
    assert result.exit_code == 1, result.output
    assert "first at items/a.yaml:8:39: .nan is not a finite number" in result.output


def test_a_budget_scale_beyond_what_a_scenario_allows_is_a_usage_error(runner: CliRunner) -> None:
    """--budget-scale 1e308 made every budget infinite, blamed on portfolio.yaml ("the limit is inf"); a scenario's
    budget_scale is at most 100, and so is the option."""
    result = run(runner, "select", "--budget-scale", "1e308")
    assert result.exit_code == 2, result.output
    assert "--budget-scale" in result.output
    assert "portfolio.yaml" not in result.output
