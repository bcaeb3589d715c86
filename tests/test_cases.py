"""Data-driven cases: each folder under tests/cases/ is a tiny portfolio plus the findings expected of it.

`expected.json` lists every finding as {"rule", "severity", "file", "line", "column"} (and
optionally "message_contains" or "hint_contains"); the test fails on any finding missing or extra.
A case may also hold `select.json`: the selection expected by weighted score at the declared budget
("status", "selected", and optionally "value", "conflicts" and "reasons" for items left out).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pfm import load_portfolio, score, validate
from pfm.selection import select_portfolio

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())
SELECTIONS = sorted(p.name for p in CASES.iterdir() if (p / "select.json").is_file())


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    folder = CASES / name / "portfolio"
    expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
    result = validate(folder)
    found = [
        {"rule": f.rule, "severity": f.severity.value, "file": f.file, "line": f.line, "column": f.column}
        for f in result.findings
    ]
    wanted = [{key: e[key] for key in ("rule", "severity", "file", "line", "column")} for e in expected["findings"]]
    assert sorted(found, key=json.dumps) == sorted(wanted, key=json.dumps)
    assert result.ok is expected.get("ok", not any(e["severity"] == "error" for e in expected["findings"]))
    by_place = {(f.file, f.line, f.column, f.rule): f for f in result.findings}
    for entry in expected["findings"]:
        finding = by_place[(entry["file"], entry["line"], entry["column"], entry["rule"])]
        assert entry.get("message_contains", "") in finding.message
        assert entry.get("hint_contains", "") in finding.hint


@pytest.mark.parametrize("name", SELECTIONS)
def test_selection_case(name: str) -> None:
    portfolio = load_portfolio(CASES / name / "portfolio")
    expected = json.loads((CASES / name / "select.json").read_text(encoding="utf-8"))
    chosen = select_portfolio(portfolio, score(portfolio).values(), entry_prices=0)
    assert (chosen.status, list(chosen.selected)) == (expected["status"], expected["selected"])
    if "value" in expected:
        assert chosen.value == pytest.approx(expected["value"])
    assert list(chosen.conflicts) == expected.get("conflicts", [])
    reasons = {e.id: list(e.reasons) for e in chosen.not_selected}
    for ident, wanted in expected.get("reasons", {}).items():
        assert reasons[ident] == wanted


def test_there_are_enough_cases() -> None:
    assert len(NAMES) >= 20
