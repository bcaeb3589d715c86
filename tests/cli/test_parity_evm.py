"""`pfm evm` prints exactly what the library returns; its rows as a frame; the status date and item options."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json, run


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),
        (
            ("core-modernisation", "--as-of", "2027-03-31"),
            {"item": "core-modernisation", "as_of": dt.date(2027, 3, 31)},
        ),
    ],
)
def test_evm_json_is_the_library_report(runner: CliRunner, args: tuple[str, ...], kwargs: dict[str, object]) -> None:
    expected = json.loads(to_json(pfm.evm(pfm.load_portfolio(EXAMPLE), **kwargs).to_dict()))  # type: ignore[arg-type]
    assert cli_json(runner, "evm", *args) == expected


def test_the_example_has_an_item_over_budget_one_behind_schedule_and_a_programme_over_budget() -> None:
    report = pfm.evm(pfm.load_portfolio(EXAMPLE))
    cpi = {row.figures.item: row.figures.cpi for row in report.items}
    spi = {row.figures.item: row.figures.spi for row in report.items}
    assert cpi["core-ledger-phase1"] is not None and cpi["core-ledger-phase1"] < 0.9
    assert spi["mobile-app-rebuild"] is not None and spi["mobile-app-rebuild"] < 0.9
    programmes = {figures.item: figures for figures in report.programmes}
    assert programmes["core-modernisation"].cpi is not None and programmes["core-modernisation"].cpi < 0.9
    assert report.as_of == dt.date(2027, 6, 30)
    assert {row.baseline for row in report.items} == {"baseline block"}
    assert report.not_measured["windows-server-eol"] == "no actuals"


def test_evm_rows_as_a_frame() -> None:
    frame = pfm.evm(pfm.load_portfolio(EXAMPLE)).to_frame()
    assert list(frame.columns[:7]) == [
        "item",
        "title",
        "parent",
        "baseline",
        "baseline_approved",
        "actuals_as_of",
        "bac",
    ]
    assert {"pv", "ev", "ac", "cpi", "spi", "eac", "es", "spi_t", "ieac_t", "forecast_finish"} <= set(frame.columns)
    assert frame.loc[frame["item"] == "core-ledger-phase1", "parent"].item() == "core-modernisation"


def test_an_unknown_item_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "evm", "core-ledger-phase3")
    assert result.exit_code == 2
    assert "did you mean" in result.output
