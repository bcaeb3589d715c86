"""`pfm select` and `pfm frontier` on the example portfolio."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pfm import load_portfolio
from pfm.cli import app
from tests.helpers import EXAMPLE, PORTFOLIO, WriteTree, cli_json, item, run


def test_the_selection_fits_the_budget_and_keeps_commitments(runner: CliRunner) -> None:
    result = runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "optimal"
    portfolio = load_portfolio(EXAMPLE)
    chosen = set(payload["selected"])
    for year, figures in payload["budget"].items():
        for kind, cell in figures.items():
            assert cell["used"] <= cell["available"] + 1e-6, (year, kind)
    for ident in chosen:
        item = portfolio.items[ident]
        assert all(d.id in chosen or portfolio.stage_state(portfolio.items[d.id]) == "closed" for d in item.depends_on)
        assert not set(item.excludes) & chosen
    committed = {
        i.id
        for i in portfolio.items.values()
        if i.type != "programme" and (i.mandatory or portfolio.stage_state(i) in ("approved", "active"))
    }
    assert committed <= chosen
    for team, cells in payload["capacity"].items():
        for quarter, cell in cells.items():
            assert cell["used"] <= cell["available"] + 1e-6, (team, quarter)
    assert {entry["id"] for entry in payload["not_selected"]}.isdisjoint(chosen)
    assert all(entry["reasons"] for entry in payload["not_selected"])


def test_a_budget_cut_never_raises_the_value(runner: CliRunner) -> None:
    full = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "json"]).stdout)["value"]
    cut = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "select", "--budget-scale", "0.85", "-f", "json"]).stdout)
    assert cut["value"] <= full + 1e-6


def test_the_frontier_rises_with_the_budget(runner: CliRunner) -> None:
    payload = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "frontier", "--points", "5", "-f", "json"]).stdout)
    values = [point["value"] for point in payload["points"]]
    assert len(values) == 5
    feasible = [value for value in values if value is not None]  # below the commitments' cost nothing fits
    assert feasible and values[-1] is not None
    assert feasible == sorted(feasible)


def test_greedy_reports_how_far_below_the_optimum_it_falls(runner: CliRunner) -> None:
    optimal = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "json"]).stdout)
    result = runner.invoke(app, ["-p", str(EXAMPLE), "select", "--method", "greedy", "-f", "json"])
    greedy = json.loads(result.stdout)
    assert greedy["status"] == "greedy"
    assert greedy["optimum"] == optimal["value"]
    assert greedy["below_optimum"] == (optimal["value"] - greedy["value"]) / optimal["value"]
    assert greedy["below_optimum"] > 0  # on the example the greedy order misses the best combination
    assert f"({greedy['below_optimum']:.1%}) below the optimum" in result.stderr


def test_entry_prices_are_computed_for_as_many_items_as_asked(runner: CliRunner) -> None:
    def priced(count: str) -> int:
        payload = json.loads(
            runner.invoke(app, ["-p", str(EXAMPLE), "select", "--entry-prices", count, "-f", "json"]).stdout
        )
        reasons = [e["reasons"] for e in payload["not_selected"]]
        cannot = sum("cannot come in even if forced" in " ".join(r) for r in reasons)
        return sum(e["entry_price"] is not None for e in payload["not_selected"]) + cannot

    assert priced("0") == 0
    assert priced("3") == 3
    assert priced("all") == 10  # every item left out: priced, or shown unable to come in
    result = runner.invoke(app, ["-p", str(EXAMPLE), "select", "--entry-prices", "some"])
    assert result.exit_code == 2
    assert "--entry-prices takes a number or 'all'" in result.stderr


def test_the_frontier_places_the_selection_and_the_commitments(runner: CliRunner) -> None:
    frontier = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "frontier", "--points", "5", "-f", "json"]).stdout)
    selection = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "json"]).stdout)
    assert frontier["currency"] == "GBP"
    assert abs(frontier["selection"]["value"] - selection["value"]) < 1e-6
    assert frontier["selection"]["items"] == len(selection["selected"])
    committed = frontier["committed"]
    assert committed["value"] < frontier["selection"]["value"]
    assert committed["cost"] == committed["budget"] <= frontier["selection"]["cost"]
    budgets = [point["budget"] for point in frontier["points"]]
    assert budgets[0] == 0 and budgets == sorted(budgets)
    last = frontier["points"][-1]
    assert last["cost"] <= last["budget"]


def test_markdown_shows_budget_and_capacity_used(runner: CliRunner) -> None:
    payload = json.loads(runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "json"]).stdout)
    text = runner.invoke(app, ["-p", str(EXAMPLE), "select", "-f", "markdown"]).stdout
    assert "### Budget used (GBP)" in text
    assert "### Capacity used (used / available, per quarter)" in text
    cell = payload["capacity"]["payments-eng"]["2028-Q1"]
    row = next(line for line in text.splitlines() if line.startswith("| payments-eng |"))
    assert f"{cell['used']:g} / {cell['available']:g}" in row.split(" | ")[5]  # the 2028-Q1 column


def test_select_warns_of_selected_items_that_have_no_business_case(runner: CliRunner, write_tree: WriteTree) -> None:
    """An idea with no business case costs nothing to the optimiser: it is selected, and the output says why
    that is suspect rather than letting it pass as free."""
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO + "budget:\n  2027: {capex: 100}\n",
            "items/costed.yaml": item("costed"),
            "items/free.yaml": item("free"),
            "business-cases/costed-case.yaml": "apiVersion: pfm/v1\nkind: BusinessCase\nid: costed-case\n"
            "item: costed\ncosts: [{year: 2027, capex: 100}]\n",
        }
    )
    result = run(runner, "select", root=root)
    assert result.exit_code == 0, result.output
    assert "1 selected item has no business case, so the budget counts it as costing nothing: free" in result.stderr
    assert cli_json(runner, "select", root=root)["uncosted"] == ["free"]


def test_select_schedule_gives_each_start_and_the_value_against_fixed_dates(runner: CliRunner) -> None:
    from tests.schedule_checker import check_schedule

    payload = cli_json(runner, "select", "--schedule", "--may-shift", "2")
    assert payload["scheduled"]["status"] == payload["fixed_dates"]["status"] == "optimal"
    assert payload["gain"] == pytest.approx(payload["scheduled"]["value"] - payload["fixed_dates"]["value"])
    assert payload["gain"] > 0
    assert check_schedule(EXAMPLE, payload, 2) == []
    moved = [entry for entry in payload["items"] if entry["moved"]]
    assert moved and all(entry["reason"] for entry in moved)
    table = run(runner, "select", "--schedule", "--may-shift", "2")
    assert table.exit_code == 0, table.output
    assert "with fixed dates: value 1,080.98" in table.output and "free starts gain" in table.output


def test_select_schedule_refuses_a_negative_shift(runner: CliRunner) -> None:
    result = run(runner, "select", "--schedule", "--may-shift", "-1")
    assert result.exit_code == 2
    assert "--may-shift" in result.output
