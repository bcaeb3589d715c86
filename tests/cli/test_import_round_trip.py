"""The Excel round trip: `pfm export`, a few cells edited, `pfm import --preset pfm` of the same workbook: exactly
the edited fields change in the YAML files, their comments stay, and `pfm diff` shows exactly those edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, commit, git, run


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example portfolio committed in a git repository of its own."""
    top = tmp_path / "repo"
    shutil.copytree(EXAMPLE, top)
    git(top, "init", "-q", "-b", "main")
    commit(top, "the example", {})
    monkeypatch.chdir(top)
    return top


def _edit(workbook: Path) -> set[tuple[str, str, str, Any, Any]]:
    """Edit cells of the items and business_cases sheets; the (kind, id, field, old, new) each edit makes."""
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    items, cases = book["items"], book["business_cases"]
    header = [cell.value for cell in items[1]]
    column = {name: header.index(name) + 1 for name in header}
    edits = set()
    for row, name, new in ((2, "title", "Renamed in Excel"), (2, "owner", "A. N. Other"), (4, "status", "red")):
        ident, cell = items.cell(row, column["id"]).value, items.cell(row, column[name])
        if cell.value == new:
            new = "amber"
        edits.add(("Item", ident, name, cell.value, new))
        cell.value = new
    row = next(r for r in cases.iter_rows(min_row=2) if r[3].value == "capex" and r[4].value)
    case, year, old = row[0].value, row[2].value, row[4].value
    row[4].value = old + 125000
    edits.add(("BusinessCase", case, f"costs[year={year}].capex", old, old + 125000))
    book.save(workbook)
    return edits


def test_edited_cells_are_exactly_what_changes(repo: Path, runner: CliRunner) -> None:
    workbook = repo.parent / "portfolio.xlsx"
    assert run(runner, "export", "-o", str(workbook), root=repo).exit_code == 0
    before = {p: p.read_text(encoding="utf-8") for p in repo.rglob("*.yaml")}

    unchanged = run(runner, "import", str(workbook), "--preset", "pfm", "-f", "json", root=repo)
    assert unchanged.exit_code == 0, unchanged.output
    assert json.loads(unchanged.stdout)["summary"]["changed"] == 0, unchanged.stdout  # as exported: no change
    assert git(repo, "status", "--porcelain") == ""

    edits = _edit(workbook)
    result = run(runner, "import", str(workbook), "--preset", "pfm", root=repo)
    assert result.exit_code == 0, result.output
    touched = set(git(repo, "status", "--porcelain").splitlines())
    assert len(touched) == len({(kind, ident) for kind, ident, *_ in edits}), touched
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert all(line in after.splitlines() for line in comments), path  # comments stay

    diff = runner.invoke(app, ["diff", "HEAD", "-f", "json"])
    assert diff.exit_code == 0, diff.output
    changed = json.loads(diff.stdout)["entities"]
    assert changed["added"] == changed["removed"] == []
    shown = {
        (entity["kind"], entity["id"], field["path"], field["old"], field["new"])
        for entity in changed["changed"]
        for field in entity["fields"]
    }
    assert shown == edits
