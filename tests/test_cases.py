"""Data-driven cases: each folder under tests/cases/ is a tiny portfolio plus the findings expected of it.

`expected.json` lists every finding as {"rule", "severity", "file", "line", "column"} (and
optionally "message_contains" or "hint_contains"); the test fails on any finding missing or extra.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pfm import validate

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())


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


def test_there_are_enough_cases() -> None:
    assert len(NAMES) >= 20
