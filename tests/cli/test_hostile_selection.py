"""Hostile input to selection: figures the solver cannot take as they are, non-finite options, closed items forced in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE

CRM_CASE = "business-cases/crm-salesforce-case.yaml"
CRM_ITEM = "items/crm-salesforce.yaml"


def edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """The example portfolio copied, with `old` replaced by `new` once in `file`."""
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (file, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, Any, str]:
    result = runner.invoke(app, ["-p", str(root), *args, "-f", "json"])
    payload = json.loads(result.stdout) if result.exit_code in (0, 1) and result.stdout else None
    return result.exit_code, payload, result.stderr


def assert_fits(payload: dict[str, Any]) -> None:
    """The reported selection within every budget figure and team capacity it reports, one CRM option at most."""
    for figures in payload["budget"].values():
        for cell in figures.values():
            assert cell["used"] <= cell["available"] * (1 + 1e-6), payload["budget"]
    for cells in payload["capacity"].values():
        for cell in cells.values():
            assert cell["used"] <= cell["available"] * (1 + 1e-6) + 1e-9, payload["capacity"]
    assert not {"crm-salesforce", "crm-dynamics"} <= set(payload["selected"])


HUGE = [
    pytest.param(CRM_CASE, "capex: 400000", "capex: 1e15", "budget 2027 capex (short by", id="cost"),
    pytest.param(CRM_ITEM, "crm-contact-centre: 6", "crm-contact-centre: 1e15", "team crm-contact-centre", id="demand"),
]


@pytest.mark.parametrize(("file", "old", "new", "reason"), HUGE)
def test_a_figure_beyond_any_limit_keeps_its_item_out(
    runner: CliRunner, tmp_path: Path, file: str, old: str, new: str, reason: str
) -> None:
    root = edited(tmp_path, file, old, new)
    code, payload, stderr = run(runner, root, "select")
    assert code == 0, stderr
    assert payload["status"] == "optimal"
    assert_fits(payload)
    assert "crm-salesforce" not in payload["selected"]
    (left,) = [e for e in payload["not_selected"] if e["id"] == "crm-salesforce"]
    assert any(r.startswith(reason) for r in left["reasons"]), left
    _, plain, _ = run(runner, EXAMPLE, "select")
    assert payload["value"] <= plain["value"] + 1e-9  # a dearer item can only lower the optimum


@pytest.mark.parametrize(("file", "old", "new", "reason"), HUGE)
def test_the_frontier_and_the_scenarios_hold_with_a_figure_beyond_any_limit(
    runner: CliRunner, tmp_path: Path, file: str, old: str, new: str, reason: str
) -> None:
    root = edited(tmp_path, file, old, new)
    code, frontier, stderr = run(runner, root, "frontier", "--points", "4")
    assert code == 0, stderr
    at_budget = frontier["selection"]
    assert at_budget["cost"] <= at_budget["budget"]
    code, compared, stderr = run(runner, root, "scenario", "compare")
    assert code == 0, stderr
    for outcome in compared["scenarios"]:
        assert not {"crm-salesforce", "crm-dynamics"} <= set(outcome["selected"])
        for year, totals in outcome["totals"].items():
            budget = totals["budget"]
            if budget and budget.get("capex") is not None:
                assert totals["capex"] <= budget["capex"] * (1 + 1e-6), (outcome["name"], year)


def test_a_figure_too_far_from_its_limit_is_refused_naming_the_file_item_and_field(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Each figure lies within the schema's bound of 1e15; only their ratio is beyond what HiGHS can weigh.
    root = edited(tmp_path, CRM_ITEM, "crm-contact-centre: 6", "crm-contact-centre: 1e13")
    team = root / "teams" / "crm-contact-centre.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("capacity: 8", "capacity: 0.001"), encoding="utf-8")
    for command in (["select"], ["frontier"], ["scenario", "compare", "base"]):
        code, _, stderr = run(runner, root, *command)
        assert code == 1, (command, stderr)
        assert stderr.count("\n") == 1, stderr
        prefix = f"pfm: error: {CRM_ITEM}: crm-salesforce: its demand on team crm-contact-centre in 2027-Q4 (1e+13)"
        assert stderr.startswith(prefix), stderr
        assert "team crm-contact-centre in 2027-Q4 (0.001)" in stderr


NON_FINITE = ["nan", "inf", "-inf", "NaN", "1e400"]
FLOAT_OPTIONS = [
    ["select", "--budget-scale"],
    ["select", "--gap"],
    ["select", "--time-limit"],
    ["frontier", "--gap"],
    ["frontier", "--time-limit"],
    ["scenario", "compare", "--gap"],
    ["scenario", "compare", "--time-limit"],
    ["report", "--time-limit"],
    ["diff", "HEAD", "--time-limit"],
]


@pytest.mark.parametrize("option", FLOAT_OPTIONS, ids=" ".join)
@pytest.mark.parametrize("value", NON_FINITE)
def test_a_non_finite_number_is_a_usage_error(runner: CliRunner, option: list[str], value: str) -> None:
    result = runner.invoke(app, ["-p", str(EXAMPLE), *option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option[-1]}': '{value}' is not a finite number" in result.stderr
    assert result.stdout == ""


def _parameters(command: click.Command, path: str) -> list[tuple[str, click.Parameter]]:
    found = [(path, p) for p in command.params]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _parameters(sub, f"{path} {name}")
    return found


def test_every_float_option_refuses_non_finite_numbers() -> None:
    from pfm.cli.options import FiniteFloat

    floats = [
        (path, p.name)
        for path, p in _parameters(typer.main.get_command(app), "pfm")
        if isinstance(p.type, click.types.FloatParamType | click.FloatRange) and not isinstance(p.type, FiniteFloat)
    ]
    assert floats == []


@pytest.mark.parametrize(
    ("ident", "state", "stage"),
    [("mobile-app-hybrid", "cancelled", "cancelled"), ("cloud-landing-zone", "closed", "closed")],
)
@pytest.mark.parametrize("command", [["select"], ["select", "--method", "greedy"]])
def test_forcing_in_a_closed_item_is_a_usage_error(
    runner: CliRunner, command: list[str], ident: str, state: str, stage: str
) -> None:
    code, _, stderr = run(runner, EXAMPLE, *command, "--force-in", ident)
    assert code == 2
    assert stderr == (
        f"pfm: error: --force-in {ident}: the item is {state} (stage '{stage}'); move it back to an open stage "
        "to fund it again\n"
    )


@pytest.mark.parametrize("option", ["--force-in", "--force-out"])
def test_forcing_an_unknown_item_is_a_usage_error_with_a_suggestion(runner: CliRunner, option: str) -> None:
    code, _, stderr = run(runner, EXAMPLE, "select", option, "mobile-app-hybrd")
    assert code == 2
    assert stderr == f"pfm: error: {option}: no item 'mobile-app-hybrd'; did you mean 'mobile-app-hybrid'?\n"
