"""Hostile input to the tracking commands (evm, status, spend, benefits, kpi) and the pack: options and figures
they cannot measure are one line of error, never an internal error or a figure made up."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.helpers import run


@pytest.mark.parametrize("command", ["evm", "status", "kpi", "spend", "benefits"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_status_date_beyond_the_calendar_is_a_usage_error(runner: CliRunner, command: str, day: str) -> None:
    """--as-of 9999-12-31 overflowed a date in evm and status, and 0001-01-01 made a quarter '1-Q1' in kpi (exit 3)."""
    result = run(runner, command, "--as-of", day)
    assert result.exit_code == 2, result.output
    assert "in the years 1900 to 2200" in result.output
    assert "internal error" not in result.output
