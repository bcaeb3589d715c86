"""What the commands say beside their tables: warnings about what is shown, a usage error for what does not exist,
the cause first when nothing fits, numbers a spreadsheet can sum, and counts in the singular."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tests.helpers import BASE, WriteTree, cli_json, run


def test_rank_top_warns_only_about_the_items_shown_and_counts_the_rest(runner: CliRunner) -> None:
    result = run(runner, "rank", "--top", "2")

    assert result.exit_code == 0, result.output
    ranks = [int(rank) for rank in re.findall(r"\(rank (\d+)\) depends on", result.stderr)]
    assert ranks and max(ranks) <= 2
    data = cli_json(runner, "rank", "--top", "2")
    assert all(int(re.findall(r"\(rank (\d+)\)", w)[0]) <= 2 for w in data["warnings"])
    hidden = data["warnings_not_shown"]
    assert hidden == len(cli_json(runner, "rank")["warnings"]) - len(data["warnings"]) > 0
    assert f"{hidden} more warnings about items below the top 2 (a larger --top shows them)" in result.stderr


def test_rank_by_an_unknown_tag_is_a_usage_error_with_a_hint(runner: CliRunner) -> None:
    result = run(runner, "rank", "--tag", "paymnts")

    assert result.exit_code == 2
    assert "unknown tag paymnts (tags: " in result.stderr
    assert "did you mean 'payments'?" in result.stderr


def test_items_without_a_score_are_not_ranked_and_are_counted(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree(dict(BASE))  # only a has a business case: b, c and d have no NPV

    result = run(runner, "rank", "-m", "npv", root=root)

    assert result.exit_code == 0, result.output
    assert "Ranking (npv): 1 of 4 items ranked" in result.stdout
    assert not re.search(r"│\s+\d+ │ [bcd] ", result.stdout)
    assert "3 items not ranked (no npv score): b (no business case), c (no business case)" in result.stderr
    data = cli_json(runner, "rank", "-m", "npv", root=root)
    assert [(entry["rank"], entry["id"]) for entry in data["items"]] == [(1, "a")]
    assert [entry["id"] for entry in data["unranked"]] == ["b", "c", "d"]


def test_when_nothing_fits_the_overrun_limits_lead_and_the_reason_is_said_once(runner: CliRunner) -> None:
    result = run(runner, "select", "--budget-scale", "0.8")

    assert result.exit_code == 1, result.output  # nothing fits: exit 1
    assert result.stdout.startswith("Nothing fits (weighted, GBP): 2 limits overrun")
    assert re.search(r"budget 2027 capex │ 18,500,000 │ 16,400,000 │ 2,100,000", result.stdout)
    assert re.search(r"budget 2027 opex  │  6,750,000 │  6,400,000 │   350,000", result.stdout)
    assert "aml-transaction-monitoring" not in result.output  # no candidate listed with the same reason
    assert "none of the 30 candidates can be selected until the commitments fit" in result.stderr
    assert "is committed" not in result.stderr
    data = cli_json(runner, "select", "--budget-scale", "0.8", exit_code=1)
    assert [(s["year"], s["figure"], s["short"]) for s in data["shortfalls"]] == [
        (2027, "capex", 2_100_000),
        (2027, "opex", 350_000),
    ]
    assert data["unsolved"].startswith("nothing can be selected")
    assert {tuple(e["reasons"]) for e in data["not_selected"]} == {()}


FREE_CASE = """\
apiVersion: pfm/v1
kind: BusinessCase
id: b-case
item: b
costs:
  - {year: 2028, capex: 0}
benefits:
  - {year: 2028, amount: 50000}
"""


def test_finance_csv_carries_numbers_excel_can_sum_and_no_payback_without_costs(
    runner: CliRunner, write_tree: WriteTree
) -> None:
    root = write_tree({**BASE, "business-cases/b-case.yaml": FREE_CASE})

    lines = run(runner, "finance", "-f", "csv", root=root).stdout.lstrip("\ufeff").splitlines()

    assert lines[0] == "item,title,NPV,IRR,MIRR,payback (y),disc. payback (y),ROI,simple ROI"
    a, b = (line.split(",") for line in lines[1:])
    assert all(len(cell.partition(".")[2]) <= 6 for cell in a[2:]) and len(a[2].partition(".")[2]) <= 2
    assert b[3:] == ["", "", "", "", "", ""]  # no IRR, MIRR, payback or ROI without costs: empty, never "none"
    data = cli_json(runner, "finance", root=root)
    [free] = [entry for entry in data["items"] if entry["id"] == "b"]
    assert free["payback_years"] is None
    assert free["not_available"]["payback_years"] == "the case has no costs: there is nothing to pay back"
    years = run(runner, "finance", "--years", "-f", "csv", root=root).stdout.lstrip("\ufeff").splitlines()
    assert years[0] == "year,capex,opex,total,benefits,budget,headroom"
    assert years[1].startswith("2027,100000.0,20000.0,120000.0,0.0,")


def test_finance_of_one_item_has_no_headroom_against_the_portfolio_budget(runner: CliRunner) -> None:
    result = run(runner, "finance", "core-ledger-phase1")

    assert result.exit_code == 0, result.output
    assert "Per fiscal year: core-ledger-phase1 (GBP)" in result.stdout
    assert "headroom" not in result.stdout and "budget" not in result.output
    totals = cli_json(runner, "finance", "core-ledger-phase1")["totals"]
    assert {year["budget"] for year in totals.values()} == {None}


def test_capacity_without_teams_says_so_and_how_to_add_one(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree(dict(BASE))  # no teams/

    result = run(runner, "capacity", root=root)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "the portfolio has no teams" in result.stderr
    assert "`pfm new team ID`" in result.stderr
    assert cli_json(runner, "capacity", root=root)["teams"] == []


def test_counts_of_one_are_in_the_singular(runner: CliRunner, write_tree: WriteTree) -> None:
    root = write_tree({"portfolio.yaml": BASE["portfolio.yaml"], "items/a.yaml": BASE["items/a.yaml"]})

    check = run(runner, "deps", "check", root=root)
    select = run(runner, "select", root=root)

    assert "0 cycles, 0 date conflicts among 1 item\n" in check.stdout
    assert "Selection (optimal, weighted): 1 item, value" in select.stdout
