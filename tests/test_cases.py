"""Data-driven cases: each folder under tests/cases/ is a tiny portfolio plus the findings expected of it.

`expected.json` lists every finding as {"rule", "severity", "file", "line", "column"} (and
optionally "message_contains" or "hint_contains"); the test fails on any finding missing or extra.
A case may also hold `select.json`: the selection expected by weighted score at the declared budget
("status", "selected", and optionally "value", "conflicts" and "reasons" for items left out); and
`pack.json`: the board pack's headline figures, and text its Markdown must contain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pfm import load_portfolio, score, validate
from pfm.io.revisions import Provenance
from pfm.reporting.board_pack import render_pack
from pfm.reporting.pack import Options, build_pack
from pfm.selection.optimise import select_portfolio

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())
SELECTIONS = sorted(p.name for p in CASES.iterdir() if (p / "select.json").is_file())
PACKS = sorted(p.name for p in CASES.iterdir() if (p / "pack.json").is_file())


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


@pytest.mark.parametrize("name", PACKS)
def test_pack_case(name: str) -> None:
    portfolio = load_portfolio(CASES / name / "portfolio")
    expected = json.loads((CASES / name / "pack.json").read_text(encoding="utf-8"))
    pack = build_pack(portfolio, None, Provenance(None, None, False, None), options=Options(scenarios=False))
    summary = pack.summary
    assert (pack.selection.status, pack.selection.value) == (expected["status"], pytest.approx(expected["value"]))
    assert (summary.selected, summary.candidates) == (expected["selected"], expected["candidates"])
    assert summary.selected_npv == pytest.approx(expected["selected_npv"])
    assert [
        {"team": o.team, "quarters": list(o.quarters), "peak": pytest.approx(o.peak)} for o in summary.over_allocated
    ] == expected["over_allocated"]
    assert [r.id for r in summary.high_risks] == expected["high_risks"]
    assert [r.id for r in pack.risks] == expected["open_risks"]
    assert [d.id for d in summary.decisions_required] == expected["decisions_required"]
    assert {e.id: e.entry_price for e in pack.left_out} == {
        k: pytest.approx(v) for k, v in expected["left_out"].items()
    }
    first = list(pack.graph.critical_paths[0]) if pack.graph.critical_paths else []
    assert (first, pack.graph.duration) == (expected["critical_path"], expected["duration"])
    files = render_pack(pack, formats=["md"]).files
    assert sorted(Path(name).stem for name in files if name.endswith(".svg")) == expected["charts"]
    markdown = files["board-pack.md"]
    assert isinstance(markdown, str)
    for text in expected["markdown_contains"]:
        assert text in markdown


def test_there_are_enough_cases() -> None:
    assert len(NAMES) >= 20
