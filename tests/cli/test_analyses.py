"""`pfm score`, `rank`, `weights` and `finance` through the CLI, on the example and on hostile data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import PORTFOLIO, WriteTree, run


def test_rank_json_has_the_documented_shape_and_is_deterministic(runner: CliRunner) -> None:
    first = run(runner, "rank", "-f", "json")
    assert first.exit_code == 0, first.output
    payload = json.loads(first.stdout)
    assert payload["method"] == "weighted"
    assert [entry["rank"] for entry in payload["items"]] == list(range(1, len(payload["items"]) + 1))
    assert set(payload["items"][0]) >= {"rank", "id", "title", "score"}
    ids = {entry["id"] for entry in payload["items"]}
    assert "core-modernisation" not in ids  # a programme
    assert "cloud-landing-zone" not in ids  # closed
    assert run(runner, "rank", "-f", "json").stdout == first.stdout


def test_rank_top_and_sensitivity(runner: CliRunner) -> None:
    result = run(runner, "rank", "--top", "5", "--sensitivity", "300", "-f", "json")
    payload = json.loads(result.stdout)
    assert len(payload["items"]) == 5
    assert payload["sensitivity"] == {"draws": 300, "top": 5}
    for entry in payload["items"]:
        stability = entry["stability"]
        assert 0.0 <= stability["top_probability"] <= 1.0
        assert 1 <= stability["rank_p5"] <= stability["rank_median"] <= stability["rank_p95"]


def test_a_scenario_changes_the_ranking_and_an_unknown_one_is_a_usage_error(runner: CliRunner) -> None:
    base = json.loads(run(runner, "rank", "-f", "json").stdout)["items"]
    shifted = json.loads(run(runner, "rank", "--scenario", "regulatory-first", "-f", "json").stdout)["items"]
    assert [e["id"] for e in base] != [e["id"] for e in shifted]
    unknown = run(runner, "rank", "--scenario", "regulatory-frist")
    assert unknown.exit_code == 2
    assert unknown.stderr == "pfm: error: no scenario 'regulatory-frist'; did you mean 'regulatory-first'?\n"


def test_score_explain_shows_each_criterion(runner: CliRunner) -> None:
    result = run(runner, "score", "--explain", "crm-salesforce", "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["criterion", "value", "scale", "weight", "points"]
    assert len(rows) == 1 + 6 + 1  # header, six criteria, total
    assert float(rows[-1][-1]) == pytest.approx(sum(float(row[-1]) for row in rows[1:-1]))


def test_weights_on_the_example_pass_the_consistency_gate(runner: CliRunner) -> None:
    result = run(runner, "weights", "-f", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["method"] == "eigenvector"
    assert payload["consistent"] is True
    assert payload["cr"] < 0.10
    assert sum(payload["weights"].values()) == pytest.approx(1.0)
    assert payload["raters"] == ["Chief Operating Officer", "Chief Financial Officer"]


def test_inconsistent_judgements_fail_and_are_named(runner: CliRunner, write_tree: WriteTree) -> None:
    pairwise = "  pairwise:\n    - [value, risk, 9]\n    - [risk, speed, 9]\n    - [value, speed, 0.111111]\n"
    text = PORTFOLIO.replace("weight: 2}", "}").replace("weight: 1}", "}").replace("stages:", pairwise + "stages:")
    text = text.replace("    - {id: risk,", "    - {id: speed, name: Speed, scale: {min: 1, max: 5}}\n    - {id: risk,")
    root = write_tree({"portfolio.yaml": text})
    result = runner.invoke(app, ["-p", str(root), "weights"])
    assert result.exit_code == 1, result.output
    assert "INCONSISTENT" in result.stderr
    assert "value vs speed: judged 0.111" in result.stderr


def test_finance_json_reports_every_irr_root(runner: CliRunner, write_tree: WriteTree) -> None:
    # Lorie and Savage's pump: -1,600 then +10,000 then -10,000 has two IRRs, 25 % and 400 %.
    case = "apiVersion: pfm/v1\nkind: BusinessCase\nid: pump-case\nitem: pump\ncosts: [{year: 2027, capex: 1600}, {year: 2029, capex: 10000}]\nbenefits: [{year: 2028, amount: 10000}]\n"
    item = "apiVersion: pfm/v1\nkind: Item\nid: pump\ntitle: Pump\ntype: project\nstage: idea\nscores: {value: 3, risk: 2}\n"
    root = write_tree({"portfolio.yaml": PORTFOLIO, "items/pump.yaml": item, "business-cases/pump-case.yaml": case})
    payload = json.loads(runner.invoke(app, ["-p", str(root), "finance", "-f", "json"]).stdout)
    [entry] = payload["items"]
    assert entry["irr"] is None
    assert entry["irr_roots"] == [pytest.approx(0.25), pytest.approx(4.0)]
    table = runner.invoke(app, ["-p", str(root), "finance"])
    assert "several: 25.0%, 400.0%" in table.stdout


def test_finance_totals_per_year_against_budget(runner: CliRunner) -> None:
    payload = json.loads(run(runner, "finance", "-f", "json").stdout)
    totals = payload["totals"]
    assert totals["2027"]["budget"] == {"capex": 20500000, "opex": 8000000, "total": None}
    assert totals["2027"]["headroom"] == pytest.approx(
        20500000 + 8000000 - totals["2027"]["capex"] - totals["2027"]["opex"]
    )
    assert {"id", "npv", "irr", "mirr", "payback_years", "discounted_payback_years", "roi"} <= set(payload["items"][0])


HOSTILE = '=HYPERLINK("http://x") | <b>bold</b> [red]x[/red] {{ 7*7 }}'


@pytest.fixture
def hostile(write_tree: WriteTree) -> Path:
    item = f"apiVersion: pfm/v1\nkind: Item\nid: evil\ntitle: '{HOSTILE}'\ntype: project\nstage: idea\nscores: {{value: 3, risk: 2}}\n"
    return write_tree({"portfolio.yaml": PORTFOLIO, "items/evil.yaml": item})


def test_hostile_titles_stay_text_in_csv(runner: CliRunner, hostile: Path) -> None:
    out = runner.invoke(app, ["-p", str(hostile), "rank", "-f", "csv"]).stdout
    assert out.startswith("\ufeff")
    [_, row] = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert row[2] == "'" + HOSTILE  # Excel would run a cell starting with =


def test_hostile_titles_stay_text_in_markdown_and_the_terminal(runner: CliRunner, hostile: Path) -> None:
    markdown = runner.invoke(app, ["-p", str(hostile), "rank", "-f", "markdown"]).stdout
    row = markdown.splitlines()[-1]
    assert row.count(" | ") == 4  # the pipe in the title did not add a column
    assert "\\<b\\>bold\\</b\\>" in row
    table = runner.invoke(app, ["-p", str(hostile), "rank"]).stdout
    assert "[red]x[/red]" in table  # rich markup shown, not applied


def test_an_invalid_portfolio_is_exit_1_with_the_first_finding(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "portfolio.yaml": PORTFOLIO,
            "items/a.yaml": "apiVersion: pfm/v1\nkind: Item\nid: a\ntitle: A\ntype: project\nstage: nowhere\n",
        }
    )
    result = runner.invoke(app, ["-p", str(root), "rank"])
    assert result.exit_code == 1
    assert result.stderr.startswith("pfm: error: the portfolio has 1 error: first at items/a.yaml:6:8")
