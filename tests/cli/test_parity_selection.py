"""`pfm select`, `pfm frontier` and `pfm scenario list|compare` print what the library calls return, and the
board pack counts robustness as `pfm scenario compare` does."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import pfm
from pfm.io.revisions import provenance
from pfm.reporting.board_pack import render_pack
from pfm.reporting.pack import Options, build_pack
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json, run


def _data(result: pfm.Selection | pfm.Frontier | pfm.ScenarioComparison | pfm.ScenarioList) -> Any:
    return json.loads(to_json(result.to_dict()))


def _timeless(payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON of a selection without its run time, the one figure that differs from run to run."""
    return {key: value for key, value in payload.items() if key != "seconds"}


def test_select_prints_pfm_select(runner: CliRunner) -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    printed = cli_json(runner, "select", "--budget-scale", "1.1", "--entry-prices", "3")
    assert _timeless(printed) == _timeless(_data(pfm.select(portfolio, budget_scale=1.1, entry_prices=3)))


def test_the_greedy_baseline_knows_its_optimum(runner: CliRunner) -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    greedy = pfm.select(portfolio, method="greedy")
    assert _timeless(cli_json(runner, "select", "--method", "greedy")) == _timeless(_data(greedy))
    assert greedy.optimum is not None and greedy.below_optimum is not None
    assert greedy.optimum >= greedy.value
    assert greedy.to_dict()["below_optimum"] == (greedy.optimum - greedy.value) / greedy.optimum


def test_frontier_prints_pfm_frontier(runner: CliRunner) -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    printed = cli_json(runner, "frontier", "--points", "4", "--objective", "npv")
    assert printed == _data(pfm.frontier(portfolio, "npv", points=4))


def test_scenario_list_prints_pfm_scenarios(runner: CliRunner) -> None:
    assert cli_json(runner, "scenario", "list") == _data(pfm.scenarios(pfm.load_portfolio(EXAMPLE)))


def test_scenario_compare_prints_pfm_compare_scenarios(runner: CliRunner) -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    printed = cli_json(runner, "scenario", "compare", "base", "regulatory-first")
    assert printed == _data(pfm.compare_scenarios(portfolio, ["base", "regulatory-first"]))


def test_the_frames_hold_the_rows_of_each_table() -> None:
    portfolio = pfm.load_portfolio(EXAMPLE)
    selection = pfm.select(portfolio, entry_prices=0, mandate_cost=False).to_frame()
    assert list(selection.columns) == [
        "id",
        "title",
        "selected",
        "reasons",
        "entry_price",
        "entry_price_low",
        "entry_price_high",
        "entry_price_proven",
    ]
    assert len(selection) == 30 and selection["selected"].sum() == 20
    curve = pfm.frontier(portfolio, points=3).to_frame()
    assert list(curve.columns) == ["point", "budget_scale", "budget", "cost", "value", "items", "gap"]
    assert list(curve["point"]) == ["", "", "", "selection", "committed"]
    listed = pfm.scenarios(portfolio).to_frame()
    assert list(listed.columns) == ["id", "title", "changes"]
    assert list(listed["id"]) == ["budget-cut-15", "regulatory-first"]
    compared = pfm.compare_scenarios(portfolio, ["base", "regulatory-first"]).to_frame()
    assert list(compared.columns) == ["id", "title", "selected_in", "count", "of"]
    assert len(compared) == 30 and set(compared["of"]) == {2}
    assert list(compared["count"]) == sorted(compared["count"], reverse=True)


def _with_a_scenario_where_nothing_fits(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    (root / "scenarios" / "budget-cut-90.yaml").write_text(
        "apiVersion: pfm/v1\nkind: Scenario\nid: budget-cut-90\ntitle: Budget cut by 90 %\nbudget_scale: 0.1\n"
    )
    return root


def test_scenario_compare_and_the_board_pack_count_robustness_alike(runner: CliRunner, tmp_path: Path) -> None:
    root = _with_a_scenario_where_nothing_fits(tmp_path)
    printed = cli_json(runner, "scenario", "compare", root=root)
    statuses = {s["name"]: s["status"] for s in printed["scenarios"]}
    assert statuses == {
        "base": "optimal",
        "budget-cut-15": "infeasible",
        "budget-cut-90": "infeasible",
        "regulatory-first": "optimal",
    }
    pack = build_pack(pfm.load_portfolio(root), None, provenance(root), options=Options())
    assert pack.scenarios is not None
    robustness = pack.scenarios.robustness
    assert (robustness.feasible, robustness.infeasible, robustness.compared) == (2, 2, 4)
    assert {ident: entry["count"] for ident, entry in printed["robustness"].items()} == {
        ident: robustness.count(ident) for ident in robustness.selected_in
    }
    assert {entry["of"] for entry in printed["robustness"].values()} == {robustness.feasible}
    markdown = render_pack(pack, formats=("md",)).files["board-pack.md"]
    assert isinstance(markdown, str)
    assert (
        "Of the 2 scenarios with a feasible selection, 20 items are recommended under all and 7 under none (2 of the 4 "
        "scenarios compared have none)." in markdown
    )
    rows = re.findall(r"^\| ([a-z0-9-]+) \| [^|]+ \| (\d+) of (\d+) \| ", markdown, re.MULTILINE)
    assert rows, "the pack lists the contested items"
    for ident, count, of in rows:
        assert (int(count), int(of)) == (printed["robustness"][ident]["count"], printed["robustness"][ident]["of"])
    table = run(runner, "scenario", "compare", "-f", "csv", root=root).stdout
    assert table.splitlines()[0].endswith("id,title,base,regulatory-first,selected in")
