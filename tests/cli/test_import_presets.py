"""`pfm import --preset`: each built-in mapping on a sample of its tool's export makes a portfolio that validates,
with as many items and as much money as the export holds (counted here from the CSV, not through pfm)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pfm.io.importing import preset_names
from pfm.io.scaffold import init_portfolio
from tests.helpers import REPO, run

SAMPLES = REPO / "tests" / "unit" / "data" / "import" / "presets"
_UNITS = {"k": Decimal(1000), "m": Decimal(1000000)}

# preset -> (the columns of the planned cost, the column of the actual cost); None: the export has no money
MONEY = {
    "project-online": (r"ProjectCost", "ProjectActualCost"),
    "servicenow": (r"cost", "work_cost"),
    "planview": (r"Total Cost", "Actual Cost"),
    "register": (r"(Capex|Opex) \d{4}", None),
    "jira": None,
}


def _amount(text: str) -> Decimal:
    """A money cell as the samples write it: `1,250,000.00`, `$2,400,000`, `£1.2m`, `£400k`."""
    value = text.strip().lstrip("£$").replace(",", "")
    unit = _UNITS.get(value[-1:], Decimal(1))
    return Decimal(value.rstrip("km") or 0) * unit


def _expected(preset: str) -> tuple[int, Decimal, Decimal]:
    """Rows, planned cost and actual cost of the sample, read straight from the CSV."""
    with (SAMPLES / f"{preset}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if MONEY[preset] is None:
        return len(rows), Decimal(0), Decimal(0)
    planned, actual = MONEY[preset]
    cost = sum(_amount(v) for row in rows for k, v in row.items() if re.fullmatch(planned, k) and v.strip())
    spent = sum(_amount(row[actual]) for row in rows if actual and row[actual].strip())
    return len(rows), Decimal(cost), Decimal(spent)


def _documents(root: Path, folder: str) -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((root / folder).glob("*.yaml"))]


def test_every_preset_has_a_sample() -> None:
    """The `pfm` preset reads pfm's own workbook: its test is the round trip (test_import_round_trip.py)."""
    assert set(preset_names()) == {*MONEY, "pfm"}
    assert set(MONEY) == {path.stem for path in SAMPLES.glob("*.csv")}


@pytest.mark.parametrize("preset", sorted(MONEY))
def test_a_preset_imports_its_tools_export(runner: CliRunner, tmp_path: Path, preset: str) -> None:
    root = tmp_path / "portfolio"
    init_portfolio(root, "Northbridge")
    result = run(runner, "import", str(SAMPLES / f"{preset}.csv"), "--preset", preset, root=root)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    validation = run(runner, "validate", root=root)
    assert validation.exit_code == 0, validation.output

    rows, cost, spent = _expected(preset)
    items = _documents(root, "items")
    cases = _documents(root, "business-cases")
    assert len(items) == rows
    assert all(item["title"] and item["type"] in ("project", "initiative", "programme") for item in items)
    assert (
        sum(Decimal(str(row.get(m, 0))) for case in cases for row in case["costs"] for m in ("capex", "opex")) == cost
    )
    assert sum(Decimal(str(item.get("actuals", {}).get("capex", 0))) for item in items) == spent
    assert len(cases) == (rows if cost else 0)


def test_presets_are_listed(runner: CliRunner) -> None:
    result = run(runner, "import", "--list-presets")
    assert result.exit_code == 0
    assert result.stdout.split() == preset_names()


def test_an_unknown_preset_names_the_known_ones(runner: CliRunner, tmp_path: Path) -> None:
    init_portfolio(tmp_path / "portfolio", "Northbridge")
    result = run(runner, "import", str(SAMPLES / "jira.csv"), "--preset", "nope", root=tmp_path / "portfolio")
    assert result.exit_code == 2
    assert "project-online" in result.output
