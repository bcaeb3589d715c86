"""`pfm validate -f json` prints what the library call returns: pfm.validate(folder).to_dict()."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import pfm
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, PORTFOLIO, WriteTree, cli_json, item, run


def _library(folder: Path) -> object:
    return json.loads(to_json(pfm.validate(folder).to_dict()))


def test_pfm_validate_is_the_commands_json(runner: CliRunner) -> None:
    assert cli_json(runner, "validate") == _library(EXAMPLE)


def _broken(write_tree: WriteTree) -> Path:
    """An error (a score out of scale), a warning (a missing score) and a note (a closed prerequisite)."""
    return write_tree(
        {
            "portfolio.yaml": PORTFOLIO + "  - {id: done, state: closed}\n",
            "items/a.yaml": item("a").replace("value: 3", "value: 9"),
            "items/b.yaml": item("b", "depends_on: [c]\n").replace("value: 3, ", ""),
            "items/c.yaml": item("c").replace("stage: idea", "stage: done"),
        }
    )


def test_the_json_lists_notes_that_the_text_hides_unless_verbose(runner: CliRunner, write_tree: WriteTree) -> None:
    root = _broken(write_tree)
    printed = cli_json(runner, "validate", root=root, exit_code=1)
    assert printed == _library(root)
    assert [f["severity"] for f in printed["findings"]] == ["error", "warning", "info"]
    assert printed["summary"] == {"files": 4, "documents": 4, "errors": 1, "warnings": 1, "infos": 1}
    assert "deps.closed" not in run(runner, "validate", "-f", "text", root=root).stdout
    assert "deps.closed" in run(runner, "-v", "validate", "-f", "text", root=root).stdout


def test_a_validation_as_a_frame_has_a_row_per_finding(write_tree: WriteTree) -> None:
    frame = pfm.validate(_broken(write_tree)).to_frame()
    assert list(frame.columns) == ["rule", "severity", "message", "file", "line", "column", "path", "hint"]
    assert list(frame["rule"]) == ["score.out-of-scale", "score.missing", "deps.closed"]
    assert list(frame["file"]) == ["items/a.yaml", "items/b.yaml", "items/b.yaml"]
