"""`pfm risks`, `pfm decisions` and `pfm kpi` print exactly what the library returns; their rows as frames; the
example's overdue reviews, decisions at odds with the recommendation, overdue actions and missed KPIs; `--check`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from pfm.review.kpis import DEFAULT_TARGETS
from tests.helpers import EXAMPLE, cli_json, example_history, run

COMMANDS = {"risks": "risks", "decisions": "decisions", "kpi": "kpis"}


@pytest.mark.parametrize("as_of", [None, dt.date(2027, 3, 31)])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_is_the_library_result(runner: CliRunner, command: str, as_of: dt.date | None) -> None:
    result = getattr(pfm, COMMANDS[command])(pfm.load_portfolio(EXAMPLE), as_of)
    args = ("--as-of", as_of.isoformat()) if as_of else ()
    assert cli_json(runner, command, *args) == json.loads(to_json(result.to_dict()))


def test_risks_live_first_by_exposure_with_sums_and_matrix() -> None:
    register = pfm.risks(pfm.load_portfolio(EXAMPLE))
    assert [e.risk.id for e in register.risks][:2] == ["core-data-migration-quality", "iso20022-scheme-deadline"]
    assert [e.risk.status for e in register.risks][-2:] == ["accepted", "closed"]
    assert [e.risk.id for e in register.breaches] == [
        "core-data-migration-quality",
        "iso20022-scheme-deadline",
        "core-vendor-roadmap",
        "eol-ransomware",
    ]
    assert register.exposure == sum(e.risk.exposure for e in register.live) == 135
    assert sum(map(sum, register.matrix)) == len(register.live) == 10
    assert register.matrix[0] == (0, 0, 2, 2, 0)  # impact 5: two at P3, two at P4
    assert dict(register.by_programme)["core-modernisation"] == 62
    frame = register.to_frame()
    assert list(frame["id"]) == [e.risk.id for e in register.risks]
    assert {"probability", "impact", "exposure", "status", "owner", "review_date", "overdue", "items"} <= set(frame)


def test_risks_check_exits_1_on_a_high_risk_past_review(runner: CliRunner) -> None:
    result = run(runner, "risks", "--check")
    assert result.exit_code == 1
    assert "core-data-migration-quality: exposure 20, review due 2027-01-15" in result.output
    assert run(runner, "risks", "--check", "--as-of", "2026-12-31").exit_code == 0
    assert "P x I matrix" in run(runner, "risks").output


def test_decisions_newest_first_with_those_at_odds_with_the_recommendation() -> None:
    log = pfm.decisions(pfm.load_portfolio(EXAMPLE))
    dates = [d.date for d in log.decisions]
    assert dates == sorted(dates, reverse=True)
    assert (
        [d.id for d in log.pending]
        == [d.id for d in log.overdue]
        == ["2026-11-crm-selection", "2026-11-fy2027-envelope"]
    )
    assert {o.decision.id: [e.id for e in o.left_out] for o in log.at_odds} == {
        "2026-11-crm-selection": ["crm-salesforce", "crm-dynamics"],
        "2026-11-fy2027-envelope": ["enterprise-data-platform", "cloud-migration-wave2", "core-ledger-phase2"],
    }
    frame = log.to_frame()
    assert list(frame.columns) == ["id", "date", "forum", "outcome", "title", "items", "decided_by", "conditions"]
    assert len(frame) == 10


def test_decisions_check_exits_1_on_a_pending_decision_about_an_item_left_out(runner: CliRunner) -> None:
    result = run(runner, "decisions", "--check")
    assert result.exit_code == 1
    assert "2026-11-crm-selection asks about crm-salesforce, crm-dynamics" in result.output


def test_decisions_open_actions_by_due_date_overdue_against_the_status_date() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    log = pfm.decisions(portfolio)
    assert [(o.action.due, o.decision.id, o.overdue) for o in log.actions] == [
        ("2027-05-28", "2026-04-ciam-architecture", True),
        ("2027-08-31", "2026-09-cloud-wave2-architecture", False),
        ("2027-09-30", "2026-05-eol-remediation", False),
    ]  # the actions done are not open
    assert [o.action.owner for o in log.overdue_actions] == ["CIAM Design Authority"]
    assert log.to_dict()["overdue_actions"] == 1
    earlier = pfm.decisions(portfolio, dt.date(2027, 3, 31))
    assert not earlier.overdue_actions and len(earlier.actions) == 3
    assert pfm.kpis(portfolio).overdue_actions == 1 and pfm.kpis(portfolio, dt.date(2027, 3, 31)).overdue_actions == 0


def test_decisions_check_exits_1_on_an_overdue_action_alone(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, folder)
    for name in ("2026-11-crm-selection", "2026-11-fy2027-envelope"):  # no decision pending: none at odds
        (folder / "decisions" / f"{name}.yaml").unlink()
    result = run(runner, "decisions", "--check", root=folder)
    assert result.exit_code == 1
    assert "2026-04-ciam-architecture: action overdue since 2027-05-28 (CIAM Design Authority)" in result.output
    assert run(runner, "decisions", "--check", "--as-of", "2027-05-28", root=folder).exit_code == 0


def test_kpis_against_the_portfolios_targets_else_the_defaults() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    report = pfm.kpis(portfolio)
    by_id = {k.id: k for k in report.kpis}
    assert [k.id for k in report.missed] == ["on_time_delivery", "benefit_realisation", "risk_exposure"]
    assert (by_id["risk_exposure"].value, by_id["risk_exposure"].target) == (135, 120)
    assert by_id["on_time_delivery"].value == 0.5
    assert by_id["benefit_realisation"].value == pfm.benefits(portfolio).realisation
    assert (report.pending_decisions, report.overdue_reviews) == (2, 10)
    assert sum(n for _, n in report.by_stage) == sum(n for _, n in report.by_rag) == len(portfolio.items)
    defaults = pfm.kpis(dataclasses.replace(portfolio, kpi_targets={}))
    assert {k.id: k.target for k in defaults.kpis} == DEFAULT_TARGETS
    frame = report.to_frame()
    assert list(frame.columns) == ["kpi", "name", "value", "target", "sense", "met"]
    assert list(frame["met"]) == [False, True, False, True, False]


def test_kpi_check_exits_1_when_a_kpi_misses_its_target(runner: CliRunner) -> None:
    result = run(runner, "kpi", "--check")
    assert result.exit_code == 1
    assert "risk_exposure misses its target: 135 against at most 120" in result.output
    assert run(runner, "kpi").exit_code == 0


def test_kpi_table_shows_ratios_as_percentages_and_json_keeps_the_fraction(runner: CliRunner) -> None:
    table = run(runner, "kpi").stdout
    row = next(line for line in table.splitlines() if "on_time_delivery" in line)
    assert "50.0%" in row and "0.5" not in row and "75.0%" in table  # the target may fold onto a second line
    exposure = next(line for line in table.splitlines() if "risk_exposure" in line)
    assert "135" in exposure and "at most 120" in exposure and "%" not in exposure
    kpis = {k["kpi"]: k for k in cli_json(runner, "kpi")["kpis"]}
    assert (kpis["on_time_delivery"]["value"], kpis["on_time_delivery"]["target"]) == (0.5, 0.75)


@pytest.mark.parametrize("args", [(), ("--since", "HEAD~2", "--no-cache")])
def test_kpi_history_json_is_the_library_result(runner: CliRunner, tmp_path: Path, args: tuple[str, ...]) -> None:
    folder = example_history(tmp_path)
    since = "HEAD~2" if args else None
    expected = json.loads(to_json(pfm.kpi_history(folder, since=since, cache=False).to_dict()))
    assert cli_json(runner, "kpi", "--history", *args, root=folder) == expected
    table = run(runner, "kpi", "--history", root=folder)
    assert table.exit_code == 0 and "KPI history" in table.stdout and "risk_exposure" in table.stdout


def test_kpi_history_takes_no_status_date_nor_check(runner: CliRunner, tmp_path: Path) -> None:
    folder = example_history(tmp_path)
    for extra in (("--check",), ("--as-of", "2027-03-31")):
        result = run(runner, "kpi", "--history", *extra, root=folder)
        assert result.exit_code == 2 and "own status date" in result.output
