"""`pfm select` and `pfm frontier` on the example portfolio."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pfm import load_portfolio
from pfm.cli import app
from tests.conftest import EXAMPLE


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
