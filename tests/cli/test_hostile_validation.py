"""Hostile portfolios that once passed `pfm validate` and then crashed or misled the analyses.

Each now gives a finding with file:line:col, or a one-line error; no command ends in an internal error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import PORTFOLIO, WriteTree, item, run

CASES = Path(__file__).parent.parent / "cases"
ZERO_WEIGHTS = CASES / "scenario-weights-all-zero" / "portfolio"
ZERO_FINDING = "scenarios/nothing-matters.yaml:5:1"
# value over risk 5, risk over speed 5, speed over value 5: a circle of preferences, CR 2.76.
CIRCULAR = (
    PORTFOLIO.replace("weight: 2}", "}")
    .replace("weight: 1}", "}")
    .replace("    - {id: risk,", "    - {id: speed, name: Speed, scale: {min: 1, max: 5}}\n    - {id: risk,")
    .replace("stages:", "  pairwise:\n    - [value, risk, 5]\n    - [risk, speed, 5]\n    - [speed, value, 5]\nstages:")
)


@pytest.mark.parametrize("command", [["rank"], ["select"], ["score"], ["weights"], ["finance"]])
def test_a_scenario_with_every_weight_zero_is_named_when_asked_for(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, ["-p", str(ZERO_WEIGHTS), "-s", "nothing-matters", *command])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("pfm: error: scenario 'nothing-matters' cannot be applied: " + ZERO_FINDING)
    assert "every criterion weighs zero" in line


def test_a_broken_scenario_does_not_stop_the_base_case_or_the_others(runner: CliRunner) -> None:
    for args in (["rank"], ["-s", "risk-only", "rank"]):
        result = runner.invoke(app, ["-p", str(ZERO_WEIGHTS), *args])
        assert result.exit_code == 0, result.output


def test_scenario_compare_shows_the_others_and_says_why_one_is_missing(runner: CliRunner) -> None:
    result = run(runner, "scenario", "compare", "-f", "json", root=ZERO_WEIGHTS)
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert [s["name"] for s in payload["scenarios"]] == ["base", "risk-only"]
    [skipped] = payload["skipped"]
    assert skipped["name"] == "nothing-matters"
    assert skipped["reason"].startswith(ZERO_FINDING)
    assert "nothing-matters: not compared: " + ZERO_FINDING in result.stderr


def test_scenario_compare_names_a_broken_scenario_asked_for_by_name(runner: CliRunner) -> None:
    result = run(runner, "scenario", "compare", "risk-only", "nothing-matters", "-f", "json", root=ZERO_WEIGHTS)
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert [s["name"] for s in payload["scenarios"]] == ["risk-only"]
    assert [s["name"] for s in payload["skipped"]] == ["nothing-matters"]


def test_the_board_pack_shows_the_other_scenarios_and_why_one_is_missing(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "report", "-f", "md", "-o", str(tmp_path / "pack"), root=ZERO_WEIGHTS)
    assert result.exit_code == 1, result.output
    markdown = (tmp_path / "pack" / "board-pack.md").read_text(encoding="utf-8")
    scenarios = markdown[markdown.index("## Scenarios") :]
    assert "| base | optimal |" in scenarios and "| risk-only | optimal |" in scenarios
    assert f"**nothing-matters**: could not be applied: {ZERO_FINDING}: " in scenarios
    assert "scenario nothing-matters is left out of the pack" in result.stderr


@pytest.fixture
def circular(write_tree: WriteTree) -> Path:
    scores = "scores: {value: 3, risk: 2, speed: 4}\n"
    return write_tree(
        {"portfolio.yaml": CIRCULAR, "items/a.yaml": item("a").replace("scores: {value: 3, risk: 2}\n", scores)}
    )


def test_validate_reports_inconsistent_judgements_with_their_cr(runner: CliRunner, circular: Path) -> None:
    result = run(runner, "validate", root=circular)
    assert result.exit_code == 1
    assert "portfolio.yaml:12:3: error [scoring.inconsistent]" in result.stdout
    assert "CR 2.759 is above 0.10" in result.stdout


@pytest.mark.parametrize("command", [["rank"], ["select"], ["score"], ["frontier"]])
def test_analyses_refuse_inconsistent_weights(runner: CliRunner, circular: Path, command: list[str]) -> None:
    result = run(runner, *command, root=circular)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "portfolio.yaml:12:3" in line and "CR 2.759" in line


def test_weights_still_explains_inconsistent_judgements(runner: CliRunner, circular: Path) -> None:
    result = run(runner, "weights", "-f", "json", root=circular)
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["consistent"] is False
    assert payload["cr"] == pytest.approx(1.6 / 0.58)  # CI = (lambda max - 3) / 2 = 1.6 for this circle


def test_ids_differing_only_in_case_stop_the_analyses(runner: CliRunner) -> None:
    result = run(runner, "rank", root=CASES / "id-differs-only-in-case" / "portfolio")
    assert result.exit_code == 1
    assert "items/crm-replatform.yaml:3:5" in result.stderr


BROKEN = sorted(
    path.parent.name
    for path in CASES.glob("*/expected.json")
    if path.parent.name.startswith(
        ("schema-two-errors-", "schema-keys-of-digits", "scenario-weights", "pairwise-in", "id-differs", "schedule-est")
    )
)
COMMANDS = [
    ["validate"],
    ["score"],
    ["rank"],
    ["weights"],
    ["finance"],
    ["deps", "check"],
    ["capacity"],
    ["roadmap"],
    ["roadmap", "--risk", "20"],
    ["select"],
    ["frontier"],
    ["scenario", "compare"],
]


@pytest.mark.parametrize("name", BROKEN)
def test_no_command_ends_in_an_internal_error_on_a_broken_portfolio(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    root = CASES / name / "portfolio"
    for command in [*COMMANDS, ["report", "-f", "md", "-o", str(tmp_path / "pack")]]:
        result = run(runner, *command, root=root)
        assert result.exit_code in (0, 1, 2), (command, result.output)
        assert "internal error" not in result.stderr, command
