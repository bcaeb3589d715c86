"""Hostile input across the commands: figures at the edge of a float, option values at their edges, missing sections."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pfm.cli import app
from tests.helpers import EXAMPLE, SMALL_PORTFOLIO


def item(ident: str, extra: str = "", stage: str = "idea") -> str:
    return (
        f"apiVersion: pfm/v1\nkind: Item\nid: {ident}\ntitle: Item {ident}\ntype: project\nstage: {stage}\n"
        f"start: 2027-Q2\nduration: 2\nscores: {{value: 3}}\n{extra}"
    )


TEAM = "apiVersion: pfm/v1\nkind: Team\nid: t\ntitle: T\ncapacity: 2\n"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_demand_whose_sum_overflows_is_an_error_at_the_value(runner: CliRunner, tmp_path: Path) -> None:
    """Two demands of 1e308 in one quarter summed to infinity, which `capacity -f json` could not write (exit 3)."""
    root = write_tree(
        tmp_path,
        {
            "portfolio.yaml": SMALL_PORTFOLIO,
            "teams/t.yaml": TEAM,
            "items/a.yaml": item("a", "demand: {t: 1e308}\n", stage="delivery"),
            "items/b.yaml": item("b", "demand: {t: 1e308}\n", stage="delivery"),
        },
    )
    result = runner.invoke(app, ["-p", str(root), "capacity", "-f", "json"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "items/a.yaml:10:13" in result.stderr
    assert "greater than the maximum of 1e+15" in result.stderr
    listed = runner.invoke(app, ["-p", str(root), "validate", "-f", "json"])
    places = {(f["file"], f["line"], f["column"]) for f in json.loads(listed.stdout)["findings"]}
    assert places == {("items/a.yaml", 10, 13), ("items/b.yaml", 10, 13)}


def test_negative_seed_is_a_usage_error(runner: CliRunner) -> None:
    """numpy takes no negative seed: `rank --sensitivity 5 --seed -1` was an internal error (exit 3)."""
    result = runner.invoke(app, ["-p", str(EXAMPLE), "rank", "--sensitivity", "5", "--seed", "-1"])
    assert result.exit_code == 2
    assert "--seed" in result.stderr and "internal error" not in result.stderr
