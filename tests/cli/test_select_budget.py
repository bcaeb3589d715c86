"""`pfm select` within its time limit, on multidimensional knapsacks written as portfolios by
benchmarks/knapsack.py: OR-Library's mknap1 problems (J. E. Beasley; published optima) and a hard
100-item instance of Chu and Beasley's kind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import cli_json, knapsacks, run


@pytest.mark.parametrize("number", range(1, 6))
def test_the_default_select_reaches_the_published_optimum(number: int, runner: CliRunner, tmp_path: Path) -> None:
    generator = knapsacks()
    problem = generator.read_orlib()[number - 1]
    generator.write(problem, tmp_path)
    payload = cli_json(runner, "select", "--objective", "formula", root=tmp_path)
    assert payload["value"] == pytest.approx(problem.optimum)  # OR-Library's published optimum
    assert payload["status"] == "optimal"
    assert all(e["entry_price_proven"] for e in payload["not_selected"] if e["entry_price_low"] is not None)
    title = run(runner, "select", "--objective", "formula", root=tmp_path).stdout.splitlines()[0]
    assert title.startswith("Selection (optimal, formula)")


def test_a_hard_portfolio_answers_in_time_with_its_gap_and_intervals(runner: CliRunner, tmp_path: Path) -> None:
    generator = knapsacks()
    generator.write(generator.chu_beasley(0.5, 1998), tmp_path)
    began = time.perf_counter()
    payload = cli_json(runner, "select", "--time-limit", "2", root=tmp_path)
    assert time.perf_counter() - began < 5.0
    assert payload["status"] == "time-limit" and payload["gap"] > 0  # not proven in 2 s
    priced = [e for e in payload["not_selected"] if e["entry_price_low"] is not None]
    assert len(priced) == 20
    for e in priced:
        assert e["entry_price_high"] is None or e["entry_price_low"] <= e["entry_price_high"]
    unproven = [e for e in priced if not e["entry_price_proven"]]
    assert unproven  # the main solve is not proven, so neither is any price
    table = run(runner, "select", "--time-limit", "2", root=tmp_path).output  # the remarks go to stderr
    assert "stopped at the time limit, within" in table and "of the best possible" in table
    assert "an entry price in brackets is not proven" in table
    assert f"[{unproven[0]['entry_price_low']:,.2f}, " in table or "[0.00, " in table
