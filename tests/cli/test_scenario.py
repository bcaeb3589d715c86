"""`pfm scenario list` and `pfm scenario compare` on the example portfolio."""

from __future__ import annotations

from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, cli_json


def test_compare_solves_each_scenario_as_select_would(runner: CliRunner) -> None:
    payload = cli_json(runner, "scenario", "compare", "--release-in-flight")
    scenarios = {s["name"]: s for s in payload["scenarios"]}
    assert list(scenarios) == ["base", "budget-cut-15", "regulatory-first"]
    for name, outcome in scenarios.items():
        args = ["select", "--release-in-flight", "--entry-prices", "0"] + ([] if name == "base" else ["-s", name])
        alone = cli_json(runner, *args)
        assert (outcome["status"], outcome["selected"]) == (alone["status"], alone["selected"])
        assert abs(outcome["value"] - alone["value"]) < 1e-6
    # A 15 % cut funds less; the regulatory scenario's mandate and forced item are in its selection.
    assert scenarios["budget-cut-15"]["value"] < scenarios["base"]["value"]
    assert {"aml-transaction-monitoring", "zero-trust-network"} <= set(scenarios["regulatory-first"]["selected"])
    assert "genai-colleague-assistant" not in scenarios["regulatory-first"]["selected"]


def test_robustness_counts_the_scenarios_that_select_each_item(runner: CliRunner) -> None:
    payload = cli_json(runner, "scenario", "compare", "base", "regulatory-first", "--release-in-flight")
    selected = {s["name"]: set(s["selected"]) for s in payload["scenarios"]}
    robustness = payload["robustness"]
    assert isinstance(robustness, dict)
    for ident, entry in robustness.items():
        where = [name for name, chosen in selected.items() if ident in chosen]
        assert entry == {"selected_in": where, "count": len(where), "of": 2}
    assert any(entry["count"] == 2 for entry in robustness.values())
    assert any(entry["count"] == 1 for entry in robustness.values())


def test_a_scenario_that_cannot_hold_says_why(runner: CliRunner) -> None:
    result = runner.invoke(app, ["-p", str(EXAMPLE), "scenario", "compare", "budget-cut-15"])
    assert result.exit_code == 0, result.output
    assert "budget-cut-15: nothing fits" in result.stderr
    assert "--release-in-flight" in result.stderr
    assert "budget 2027" in result.stderr


def test_unknown_scenario_is_one_line_with_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["-p", str(EXAMPLE), "scenario", "compare", "budget-cut-5"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "pfm: error: no scenario 'budget-cut-5'; did you mean 'budget-cut-15'?"
    ]


def test_list_names_what_each_scenario_changes(runner: CliRunner) -> None:
    payload = cli_json(runner, "scenario", "list")
    changes = {s["id"]: s["changes"] for s in payload["scenarios"]}
    assert changes["budget-cut-15"] == "budget x0.85"
    assert changes["regulatory-first"].startswith("budget for 2027; weights; capacity of data-analytics")
