"""`pfm status`, `pfm spend` and `pfm benefits` print exactly what the library returns; their rows as frames;
the example's watermelon, re-forecast and overdue benefit; `--check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json, commit, git, run
from tests.unit.test_evm_baselines import ACTUALS, PORTFOLIO, case, item, milestone


@pytest.mark.parametrize("as_of", [None, dt.date(2027, 3, 31)])
@pytest.mark.parametrize("name", ["status", "spend", "benefits"])
def test_json_is_the_library_result(runner: CliRunner, name: str, as_of: dt.date | None) -> None:
    result = getattr(pfm, name)(pfm.load_portfolio(EXAMPLE), as_of)
    args = ("--as-of", as_of.isoformat()) if as_of else ()
    expected = json.loads(to_json(result.to_dict()))
    assert cli_json(runner, name, *args) == expected


def test_status_names_the_watermelons_first_with_the_rule_that_set_them() -> None:
    report = pfm.status(pfm.load_portfolio(EXAMPLE))
    assert report.items[0].item == "payments-transformation"
    first = report.items[0]
    assert (first.reported, first.computed, first.watermelon) == ("green", "red", True)
    assert first.reason == "milestone slip 2 q > 1 q (All schemes on native ISO 20022)"
    ledger = next(row for row in report.items if row.item == "core-ledger-phase1")
    assert ledger.reason == "CPI 0.78 < 0.80"
    assert [hit.rule.rag for hit in ledger.hits] == ["red", "amber", "amber", "amber", "amber"]  # worst first
    assert {row.item for row in report.watermelons} >= {"payments-transformation", "regulatory-change"}
    frame = report.to_frame()
    assert list(frame["item"]) == [row.item for row in report.items]
    assert {"reported", "computed", "reason", "cpi", "spi", "milestone_slip_quarters"} <= set(frame.columns)


def test_status_check_exits_1_on_a_red_item_and_tells_why(runner: CliRunner) -> None:
    result = run(runner, "status", "--check")
    assert result.exit_code == 1
    assert "watermelon: payments-transformation reported green, computed red" in result.output


def test_spend_lands_the_year_on_the_reforecast() -> None:
    report = pfm.spend(pfm.load_portfolio(EXAMPLE))
    line = next(line for line in report.lines if (line.year, line.kind) == (2027, "capex"))
    assert line.phase == "current"
    assert line.landing == line.actual + line.remaining
    assert line.variance == 20_500_000 - line.landing
    ledger = next(e for e in report.items if (e.item, e.year) == ("core-ledger-phase1", 2027))
    assert (ledger.forecast, ledger.source) == ((6_900_000, 1_250_000), "re-forecast 2027-06-30")
    assert ledger.actual == (3_300_000, 620_000)
    assert len(report.to_frame()) == 9  # 3 years x capex, opex, total


def test_benefits_realisation_and_overdue() -> None:
    report = pfm.benefits(pfm.load_portfolio(EXAMPLE))
    rows = {(r.item, r.type): r for r in report.rows}
    saving = rows[("cloud-landing-zone", "cost-saving")]
    assert (saving.planned_to_date, saving.realised, saving.realisation) == (200_000, 140_000, 0.7)
    assert [o.to_dict() for o in report.overdue] == [
        {"item": "cloud-landing-zone", "type": "productivity", "year": 2026, "planned": 100_000}
    ]
    assert list(report.to_frame().columns) == ["item", "type", "planned", "planned_to_date", "realised", "realisation"]


def test_status_names_the_approval_commit_of_the_milestones_or_says_none_was_found(
    runner: CliRunner, tmp_path: Path
) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    files = {"portfolio.yaml": PORTFOLIO, "cases/a.yaml": case(400000)}
    commit(tmp_path, "propose a", files | {"items/a.yaml": item("idea", milestone("2027-Q1"))})
    (tmp_path / "items/a.yaml").write_text(item("delivery", ACTUALS + milestone("2027-Q4")), encoding="utf-8")
    result = run(runner, "status", root=tmp_path)
    assert "a: milestone slip not measured: no approved baseline found in history" in result.output
    approved = commit(tmp_path, "approve a", {"items/a.yaml": item("approved", milestone("2027-Q2"))})
    commit(tmp_path, "re-plan a", {"items/a.yaml": item("delivery", ACTUALS + milestone("2027-Q4"))})
    result = run(runner, "status", root=tmp_path)
    assert f"milestone slip of 1 item against the milestones as approved at commit {approved[:7]}" in result.output
    assert cli_json(runner, "status", root=tmp_path)["items"][0]["milestone_baseline_commit"] == approved
