"""Public registers imported: a government major projects list and a federal IT investment export, each a sample
shaped as the data is published. What pfm counts and adds up after the import equals what is counted here
straight from the CSV (with the csv module and Decimal, not pfm's parsers)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.io.scaffold import init_portfolio
from tests.helpers import REPO, run

REGISTERS = REPO / "tests" / "unit" / "data" / "import" / "registers"
UK, US = REGISTERS / "uk-major-projects.csv", REGISTERS / "us-federal-it.csv"
# The delivery confidence assessment as the mapping reads it; anything else ("Exempt") leaves the status out
UK_RAG = {"Green": "green", "Amber/Green": "amber", "Amber": "amber", "Amber/Red": "red", "Red": "red"}
US_RAG = {"5": "green", "4": "green", "3": "amber", "2": "red", "1": "red"}  # the CIO rating


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _millions(text: str) -> Decimal | None:
    """`£2,456.10` or `1,125.000` (millions) in units; None for text such as an exemption."""
    digits = text.strip().lstrip("£$").replace(",", "")
    return Decimal(digits) * 1_000_000 if re.fullmatch(r"\d+(\.\d+)?", digits) else None


def _imported(runner: CliRunner, tmp_path: Path, register: Path) -> tuple[pfm.Portfolio, str]:
    root = tmp_path / "portfolio"
    init_portfolio(root, "Registers")
    result = run(runner, "import", str(register), "--mapping", str(register.with_suffix(".yaml")), root=root)
    assert result.exit_code == 0, result.output
    validation = run(runner, "validate", root=root)
    assert validation.exit_code == 0, validation.output  # warnings allowed
    return pfm.load_portfolio(root), result.output


def _totals(portfolio: pfm.Portfolio) -> tuple[Counter[str | None], Counter[str | None], Decimal]:
    """Items per sponsor, items per RAG and the total cost, as pfm holds them."""
    items = portfolio.items.values()
    cost = sum(Decimal(str(line.capex)) for case in portfolio.business_cases.values() for line in case.costs)
    return Counter(item.sponsor for item in items), Counter(item.status for item in items), Decimal(cost)


def test_a_major_projects_list(runner: CliRunner, tmp_path: Path) -> None:
    portfolio, output = _imported(runner, tmp_path, UK)
    rows = _rows(UK)
    departments, rags, cost = _totals(portfolio)
    assert departments == Counter(row["Department"] for row in rows)
    assert rags == Counter(UK_RAG.get(row["Delivery Confidence Assessment"]) for row in rows)
    costs = [_millions(row["Whole Life Cost (£m)"]) for row in rows]
    assert cost == sum(c for c in costs if c is not None) == Decimal("97147800000")  # £97,147.8m
    assert len(portfolio.business_cases) == sum(c is not None for c in costs)
    # An exemption where money belongs: the item is kept, its cost left out, the cell named with its text
    for number, row in enumerate(rows, start=2):
        if row["Whole Life Cost (£m)"].startswith("Exempt"):
            assert f"uk-major-projects.csv:row {number}:column Whole Life Cost (£m): not a number" in output
    assert "Exempt under Section 43 of the Freedom of Information Act 2000" in output
    assert portfolio.items["defence-digital-foundations"].start == "2022-Q2"  # 01.04.22: dd.mm.yy
    assert portfolio.items["hs2-phase-one"].end == "2033-Q4"


def test_a_federal_it_investment_export(runner: CliRunner, tmp_path: Path) -> None:
    portfolio, _ = _imported(runner, tmp_path, US)
    rows = _rows(US)
    agencies, rags, cost = _totals(portfolio)
    assert agencies == Counter(row["Agency Name"] for row in rows)
    assert rags == Counter(US_RAG[row["CIO Rating"]] for row in rows)
    planned = sum(_millions(row["Planned Cost ($ M)"]) or Decimal(0) for row in rows)
    assert cost == planned == Decimal("1307500000")
    assert len(portfolio.items) == len({(r["Unique Investment Identifier"], r["Project ID"]) for r in rows})
    assert portfolio.items["015-000000301-5502"].tags == ("IRS Enterprise Case Management",)


@pytest.mark.parametrize("register", [UK, US], ids=["uk", "us"])
def test_a_register_re_imported_unchanged_changes_nothing(runner: CliRunner, tmp_path: Path, register: Path) -> None:
    _imported(runner, tmp_path, register)
    root = tmp_path / "portfolio"
    times = {path: path.stat().st_mtime_ns for path in root.rglob("*.yaml")}
    again = run(runner, "import", str(register), "--mapping", str(register.with_suffix(".yaml")), root=root)
    assert again.exit_code == 0, again.output
    assert {path: path.stat().st_mtime_ns for path in root.rglob("*.yaml")} == times
