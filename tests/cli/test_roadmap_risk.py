"""`pfm roadmap --risk N` through the CLI: the library's answer in every format."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

import pfm
from tests.helpers import EXAMPLE, cli_json, run


def test_the_json_is_the_library_result(runner: CliRunner) -> None:
    payload = cli_json(runner, "roadmap", "--risk", "500", "--seed", "4")
    expected = pfm.roadmap_risk(pfm.load_portfolio(EXAMPLE), draws=500, seed=4).to_dict()
    assert payload == expected
    assert payload["distribution"] == "pert-beta" and payload["draws"] == 500
    ledger = next(e for e in payload["items"] if e["id"] == "core-ledger-phase2")
    assert ledger["spread"] == "estimate" and ledger["on_time"] < 1 and ledger["p95"] > ledger["date"]
    assert any(m["milestone"] == "Cutover weekend" for m in payload["milestones"])


def test_the_table_csv_and_markdown_show_every_item_and_milestone(runner: CliRunner) -> None:
    table = run(runner, "roadmap", "--risk", "300")
    assert table.exit_code == 0, table.output
    assert "Risk-adjusted roadmap: 300 draws, seed 0, PERT-beta durations" in table.stdout
    assert "the last finish: P50" in table.stderr
    rows = list(
        csv.DictReader(io.StringIO(run(runner, "roadmap", "--risk", "300", "-f", "csv").stdout.lstrip("\ufeff")))
    )
    payload = cli_json(runner, "roadmap", "--risk", "300")
    assert len(rows) == len(payload["items"]) + len(payload["milestones"])
    assert list(rows[0]) == ["id", "milestone", "date", "P50", "P80", "P95", "on time", "critical", "spread"]
    markdown = run(runner, "roadmap", "--risk", "300", "-f", "markdown").stdout
    assert markdown.startswith("### Risk-adjusted roadmap") and "| core-ledger-phase2 |" in markdown


def test_help_has_examples_and_bad_requests_are_one_line(runner: CliRunner) -> None:
    assert "pfm roadmap --risk 10000 --seed 7" in run(runner, "roadmap", "--help").stdout
    for args in (["--risk", "0"], ["--risk", "many"], ["--risk", "10", "-f", "mermaid"]):
        result = run(runner, "roadmap", *args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
