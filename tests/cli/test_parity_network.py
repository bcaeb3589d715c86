"""`pfm capacity`, `pfm roadmap` and `pfm deps` print exactly what the library returns, and each result's rows
make a DataFrame."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

import pfm
from pfm.analysis.capacity import ALL_OPEN
from pfm.errors import UsageError
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, REPO, cli_json, run

CYCLE = REPO / "tests" / "cases" / "deps-cycle-of-five" / "portfolio"
LEDGER = "core-ledger-phase1"


@pytest.fixture(scope="module")
def portfolio() -> pfm.Portfolio:
    return pfm.load_portfolio(EXAMPLE)


def same(result: Any) -> Any:
    """The result's JSON as the command prints it, parsed."""
    return json.loads(to_json(result.to_dict()))


def test_capacity(runner: CliRunner, portfolio: pfm.Portfolio) -> None:
    assert cli_json(runner, "capacity") == same(pfm.capacity_view(portfolio))
    assert cli_json(runner, "capacity", "--all", "--team", "payments-eng") == same(
        pfm.capacity_view(portfolio, ALL_OPEN, teams=["payments-eng"])
    )
    cut = pfm.apply_scenario(portfolio, "budget-cut-15")
    assert cli_json(runner, "-s", "budget-cut-15", "capacity", "--stage", "idea") == same(
        pfm.capacity_view(cut, stages=["idea"])
    )


def test_roadmap(runner: CliRunner, portfolio: pfm.Portfolio) -> None:
    assert cli_json(runner, "roadmap") == same(pfm.plan_roadmap(portfolio, "weighted"))
    assert cli_json(runner, "roadmap", "-m", "wsjf") == same(pfm.plan_roadmap(portfolio, "wsjf"))


def test_roadmap_and_critical_path_of_the_recommended_selection(runner: CliRunner, portfolio: pfm.Portfolio) -> None:
    chosen = pfm.select(portfolio, "wsjf", entry_prices=0, mandate_cost=False).selected
    assert cli_json(runner, "roadmap", "--selection", "-m", "wsjf") == same(
        pfm.plan_roadmap(portfolio, "wsjf", selection=chosen)
    )
    assert cli_json(runner, "deps", "path", "--selection", "-m", "wsjf") == same(
        pfm.critical_path(portfolio, selection=chosen)
    )
    cut = ["-s", "budget-cut-15", "roadmap", "--selection"]
    assert "no selection fits the budget and capacity" in run(runner, *cut).stderr
    assert run(runner, *cut).exit_code == 1
    released = pfm.select(pfm.apply_scenario(portfolio, "budget-cut-15"), release_in_flight=True).selected
    placed = cli_json(runner, *cut, "--release-in-flight")
    assert {e["id"] for e in (*placed["items"], *placed["unscheduled"])} == set(released)


def test_deps_check(runner: CliRunner) -> None:
    assert cli_json(runner, "deps", "check") == same(pfm.check_dependencies(EXAMPLE))
    assert cli_json(runner, "deps", "check", root=CYCLE, exit_code=1) == same(pfm.check_dependencies(CYCLE))


def test_deps_graph_order_path_and_impact(runner: CliRunner, portfolio: pfm.Portfolio) -> None:
    assert cli_json(runner, "deps", "graph") == same(pfm.dependency_network(portfolio))
    assert cli_json(runner, "deps", "graph", "--focus", LEDGER, "--depth", "1") == same(
        pfm.dependency_network(portfolio, LEDGER, 1)
    )
    assert cli_json(runner, "deps", "order") == same(pfm.dependency_order(portfolio))
    assert cli_json(runner, "deps", "path") == same(pfm.critical_path(portfolio))
    assert cli_json(runner, "deps", "impact", LEDGER, "--slip", "2") == same(pfm.slip_impact(portfolio, LEDGER, 2))


def test_unknown_ids_are_usage_errors_with_a_hint(portfolio: pfm.Portfolio) -> None:
    with pytest.raises(UsageError, match="did you mean 'core-ledger-phase1'"):
        pfm.slip_impact(portfolio, "core-ledger-phas1")
    with pytest.raises(UsageError, match="did you mean 'core-ledger-phase1'"):
        pfm.dependency_network(portfolio, focus="core-ledger-phas1")
    with pytest.raises(UsageError, match="no team nope"):
        pfm.capacity_view(portfolio, teams=["nope"])


def test_capacity_frame_has_a_row_per_team_and_quarter(portfolio: pfm.Portfolio) -> None:
    view = pfm.capacity_view(portfolio)
    frame = view.to_frame()
    assert list(frame.columns) == ["team", "period", "capacity", "demand", "utilisation", "items"]
    assert len(frame) == len(view.teams) * len(view.periods)


def test_roadmap_frame_has_every_item_placed_or_not(portfolio: pfm.Portfolio) -> None:
    roadmap = pfm.plan_roadmap(portfolio)
    frame = roadmap.to_frame()
    assert list(frame.columns) == ["id", "requested_start", "scheduled_start", "end", "delay", "reason", "fixed"]
    assert list(frame["id"]) == [e.id for e in (*roadmap.items, *roadmap.unscheduled)]


def test_dependency_check_frame_lists_the_findings() -> None:
    check = pfm.check_dependencies(CYCLE)
    frame = check.to_frame()
    assert list(frame.columns) == ["file", "line", "column", "severity", "rule", "message"]
    assert set(frame["rule"]) == {"deps.cycle"} and len(frame) == 5
    assert not check.ok


def test_order_path_impact_and_network_frames(portfolio: pfm.Portfolio) -> None:
    order = pfm.dependency_order(portfolio).to_frame()
    assert list(order.columns) == ["layer", "id", "title"] and len(order) == len(portfolio.items)
    path = pfm.critical_path(portfolio)
    frame = path.to_frame()
    assert list(frame.columns) == ["id", "duration", "es", "ef", "ls", "lf", "float", "critical"]
    assert set(frame.loc[frame["critical"], "id"]) >= set(path.critical_paths[0])
    impact = pfm.slip_impact(portfolio, LEDGER, 2).to_frame()
    assert list(impact.columns) == ["id", "title", "moves_by", "via"] and impact["moves_by"].max() == 2
    network = pfm.dependency_network(portfolio).to_frame()
    assert list(network.columns) == ["from", "to", "type", "lag", "critical"]
    assert len(network) == sum(len(i.depends_on) for i in portfolio.items.values())
