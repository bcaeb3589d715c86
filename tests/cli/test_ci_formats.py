"""`pfm validate` for CI: SARIF, JUnit, Markdown, several reports in one run, the GitHub job summary."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import PORTFOLIO, WriteTree, item


@pytest.fixture
def broken(write_tree: WriteTree) -> Path:
    title = "'<b>|pipe|</b> `tick` & \"quote\"'"
    return write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": item("a", "depends_on: [ghost]\n").replace("title: a", f"title: {title}"),
            "items/b.yaml": item("b"),
        }
    )


def test_sarif_names_rule_level_file_line_and_column(runner: CliRunner, broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "pfm.sarif"
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", f"sarif={target}"])
    assert result.exit_code == 1
    log = json.loads(target.read_text())
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "pfm"
    assert "ref.unknown" in {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    [finding] = run["results"]
    assert finding["ruleId"] == "ref.unknown"
    assert finding["level"] == "error"
    location = finding["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "items/a.yaml"}, "region": {"startLine": 8, "startColumn": 14}}


def test_junit_has_a_suite_per_file_and_a_failure_per_finding(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "junit"])
    root = ElementTree.fromstring(result.stdout.split("\n", 1)[1])
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"items/a.yaml", "items/b.yaml", "portfolio.yaml"}
    assert suites["items/a.yaml"].get("failures") == "1"
    [failure] = suites["items/a.yaml"].iter("failure")
    assert failure.get("type") == "ref.unknown"
    assert suites["items/b.yaml"].get("failures") == "0"


def test_markdown_summary_keeps_user_text_as_text(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/a.yaml": item("a", "'k|<b>`': 1\n")})
    out = runner.invoke(app, ["-p", str(root), "validate", "-f", "markdown"]).stdout
    assert out.startswith("### ❌ pfm validate: 1 error in 2 documents in 2 files\n")
    [row] = [line for line in out.splitlines() if line.startswith("| items/a.yaml")]
    assert row.count(" | ") == 3  # the pipe in the key did not add a column
    assert "unknown key 'k\\|\\<b\\>\\`'" in row


def test_several_reports_in_one_run_and_the_job_summary(
    runner: CliRunner, broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = runner.invoke(
        app, ["-p", str(broken), "validate", "-f", "github", "-f", f"sarif={sarif}", "-f", f"junit={junit}"]
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=items/a.yaml,line=8,col=14,title=pfm ref.unknown::")
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    assert ElementTree.parse(junit).getroot().tag == "testsuites"
    text = summary.read_text()
    assert text.startswith("earlier step\n### ❌ pfm validate: 1 error")  # appended, never replaced


def test_an_unknown_format_is_a_usage_error(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["-p", str(broken), "validate", "-f", "xml=out.xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.stderr


def test_gitlab_code_quality_report(runner: CliRunner, broken: Path) -> None:
    first = json.loads(runner.invoke(app, ["-p", str(broken), "validate", "-f", "codequality"]).stdout)
    [issue] = first
    assert issue["check_name"] == "ref.unknown"
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "items/a.yaml", "lines": {"begin": 8}}
    again = json.loads(runner.invoke(app, ["-p", str(broken), "validate", "-f", "codequality"]).stdout)
    assert again[0]["fingerprint"] == issue["fingerprint"]  # GitLab matches issues across pipelines by it
