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
