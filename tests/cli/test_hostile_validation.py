"""Hostile portfolios that once passed `pfm validate` and then crashed or misled the analyses.

Each now gives a finding with file:line:col, or a one-line error; no command ends in an internal error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.conftest import PORTFOLIO, WriteTree, item

CASES = Path(__file__).parent.parent / "cases"
ZERO_WEIGHTS = CASES / "scenario-weights-all-zero" / "portfolio"
ZERO_FINDING = "scenarios/nothing-matters.yaml:5:1"


def invoke(runner: CliRunner, root: Path, *args: str) -> object:
    return runner.invoke(app, ["-p", str(root), *args])


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
    result = invoke(runner, ZERO_WEIGHTS, "scenario", "compare", "-f", "json")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [s["name"] for s in payload["scenarios"]] == ["base", "risk-only"]
    [skipped] = payload["skipped"]
    assert skipped["name"] == "nothing-matters"
    assert skipped["reason"].startswith(ZERO_FINDING)
    assert "nothing-matters: not compared: " + ZERO_FINDING in result.stderr  # type: ignore[attr-defined]


def test_scenario_compare_names_a_broken_scenario_asked_for_by_name(runner: CliRunner) -> None:
    result = invoke(runner, ZERO_WEIGHTS, "scenario", "compare", "risk-only", "nothing-matters", "-f", "json")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [s["name"] for s in payload["scenarios"]] == ["risk-only"]
    assert [s["name"] for s in payload["skipped"]] == ["nothing-matters"]


def test_the_board_pack_shows_the_other_scenarios_and_why_one_is_missing(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, ZERO_WEIGHTS, "report", "-f", "md", "-o", str(tmp_path / "pack"))
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    markdown = (tmp_path / "pack" / "board-pack.md").read_text(encoding="utf-8")
    scenarios = markdown[markdown.index("## Scenarios") :]
    assert "| base | optimal |" in scenarios and "| risk-only | optimal |" in scenarios
    assert f"nothing-matters: could not be applied ({ZERO_FINDING}: " in scenarios
    assert "scenario nothing-matters is left out of the pack" in result.stderr  # type: ignore[attr-defined]
