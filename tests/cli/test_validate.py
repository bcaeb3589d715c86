"""`pfm validate` through the CLI: formats, exit codes, streams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, PORTFOLIO, WriteTree, item


@pytest.fixture
def broken(write_tree: WriteTree) -> Path:
    return write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": item("a", "depends_on: [bee]\n"),
            "items/bee.yaml": item("bee"),
            "items/c.yaml": item("c", "scores: {value: 3, risk: 2, speed: 1}\n"),
            "items/d.yaml": "apiVersion: pfm/v1\nkind: Item\nid: d\ntitle: [\n",
        }
    )


def test_the_example_portfolio_validates_clean(runner: CliRunner) -> None:
    result = runner.invoke(app, ["-p", str(EXAMPLE), "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no problems in ")


def test_text_format_lists_each_finding_then_a_summary(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "text"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "items/c.yaml:8:1: error [yaml.duplicate-key] duplicate key 'scores' (first at line 7); only the last is kept"
    )
    assert lines[-1] == "3 errors in 4 documents in 5 files"
    assert "items/d.yaml:5:1: error [yaml.syntax]" in result.stdout
    assert result.stderr == ""


def test_json_format_has_the_documented_shape(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"ok", "summary", "findings"}
    assert payload["ok"] is False
    assert payload["summary"] == {"files": 5, "documents": 4, "errors": 3, "warnings": 0, "infos": 0}
    for finding in payload["findings"]:
        assert set(finding) == {"rule", "severity", "message", "file", "line", "column", "path", "hint"}
    unknown = [f for f in payload["findings"] if f["rule"] == "ref.unknown"]
    assert unknown == [
        {
            "rule": "ref.unknown",
            "severity": "error",
            "message": "scores 'speed' is not a criterion of the scoring model",
            "file": "items/c.yaml",
            "line": 8,
            "column": 29,
            "path": "$.scores.speed",
            "hint": "",
        }
    ]


def test_json_output_is_byte_identical_across_runs(runner: CliRunner, broken: Path) -> None:
    first = runner.invoke(app, ["-p", str(broken), "validate", "-f", "json"]).stdout
    assert runner.invoke(app, ["-p", str(broken), "validate", "-f", "json"]).stdout == first


def test_auto_format_annotates_on_github_actions(
    runner: CliRunner, broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(app, ["-p", str(broken), "validate"])
    assert result.exit_code == 1
    assert "::error file=items/c.yaml,line=8,col=1,title=pfm yaml.duplicate-key::" in result.stdout


def test_warnings_pass_unless_strict(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": "apiVersion: pfm/v1\nkind: Item\nid: a\ntitle: A\ntype: project\nstage: idea\n",
        }
    )
    assert runner.invoke(app, ["-p", str(root), "validate"]).exit_code == 0
    strict = runner.invoke(app, ["-p", str(root), "validate", "--strict"])
    assert strict.exit_code == 1
    assert "warning [score.missing] no score for value, risk" in strict.stdout


def test_output_file_gets_the_report_and_stdout_stays_empty(runner: CliRunner, broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 3
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_no_portfolio_is_exit_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["-p", str(tmp_path), "validate"])
    assert result.exit_code == 2
    assert result.stderr == f"pfm: error: no portfolio found: {tmp_path} has no portfolio.yaml\n"


def test_a_bad_format_is_a_usage_error(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_portfolio_from_the_environment(runner: CliRunner, broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PFM_PORTFOLIO", str(broken))
    assert runner.invoke(app, ["validate", "-f", "json"]).exit_code == 1


def test_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "pfm -p example-portfolio validate -f json" in result.stdout
