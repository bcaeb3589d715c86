"""`pfm diff`, `pfm history` and `pfm report` print what the library calls return: pfm.diff, pfm.history and
pfm.board_pack give a notebook the same data as the commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pfm
from pfm.errors import UsageError
from pfm.reporting.tables import to_json
from tests.helpers import EXAMPLE, cli_json, run

ITEM = "crm-salesforce"


def _git(cwd: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args]
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in a repository of two commits: as it is, then with crm-salesforce's customer impact raised."""
    top = tmp_path_factory.mktemp("parity") / "repo"
    shutil.copytree(EXAMPLE, top)
    _git(top, "init", "-q", "-b", "main")
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "the example")
    path = top / "items" / f"{ITEM}.yaml"
    path.write_text(path.read_text().replace("customer-impact: 4", "customer-impact: 5"))
    _git(top, "commit", "-q", "-am", "raise the customer impact of the Salesforce option")
    return top


def _library(result: pfm.Comparison | pfm.History) -> object:
    return json.loads(to_json(result.to_dict()))


def test_pfm_diff_is_the_commands_json(runner: CliRunner, repo: Path) -> None:
    printed = cli_json(runner, "diff", "HEAD~1", "HEAD", root=repo)
    assert printed == _library(pfm.diff("HEAD~1", "HEAD", root=repo))
    assert printed["entities"]["changed"][0]["id"] == ITEM
    narrow = cli_json(runner, "diff", "HEAD~1", "--top", "3", "--no-selection", "-m", "wsjf", root=repo)
    assert narrow == _library(pfm.diff("HEAD~1", root=repo, top=3, selection=False, method="wsjf"))


def test_pfm_history_is_the_commands_json(runner: CliRunner, repo: Path) -> None:
    assert cli_json(runner, "history", root=repo) == _library(pfm.history(repo))
    followed = cli_json(runner, "history", "--item", ITEM, "-m", "wsjf", root=repo)
    assert followed == _library(pfm.history(repo, item=ITEM, method="wsjf"))
    assert followed["item"] == ITEM and len(followed["commits"]) == 2


def test_an_unknown_item_is_a_usage_error_with_a_hint(runner: CliRunner, repo: Path) -> None:
    with pytest.raises(UsageError, match="did you mean 'crm-salesforce'"):
        pfm.history(repo, item="crm-salesforse")
    result = run(runner, "history", "--item", "crm-salesforse", root=repo)
    assert result.exit_code == 2 and "did you mean 'crm-salesforce'" in result.stderr


def test_a_comparison_as_a_frame_has_a_row_per_change(repo: Path) -> None:
    frame = pfm.diff("HEAD~1", "HEAD", root=repo, selection=False).to_frame()
    assert list(frame.columns) == ["kind", "id", "title", "change", "field", "old", "new"]
    assert frame.to_dict("records") == [
        {
            "kind": "Item",
            "id": ITEM,
            "title": "CRM replatform – Salesforce Financial Services Cloud",
            "change": "changed",
            "field": "scores.customer-impact",
            "old": 4,
            "new": 5,
        }
    ]


def test_a_history_as_a_frame_has_a_row_per_commit(repo: Path) -> None:
    frame = pfm.history(repo).to_frame()
    assert list(frame.columns) == ["commit", "date", "subject", "items", "errors", "capex", "opex", "NPV"]
    assert list(frame["subject"]) == ["the example", "raise the customer impact of the Salesforce option"]
    assert frame["capex"].nunique() == 1 and list(frame["errors"]) == [0, 0]
    followed = pfm.history(repo, item=ITEM).to_frame()
    assert list(followed.columns) == ["commit", "date", "subject", "items", "errors", "score", "rank", "cost"]
    assert followed["score"].iloc[1] > followed["score"].iloc[0]
    assert followed["cost"].nunique() == 1 and followed["cost"].iloc[0] > 0  # the raise left its business case


def test_pfm_board_pack_renders_the_commands_pack(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    result = run(runner, "report", "-o", str(out), "-f", "md", "--date", "2027-03-01", "--since", "HEAD~1", root=repo)
    assert result.exit_code == 0, result.output
    pack = pfm.board_pack(pfm.load_portfolio(repo), since="HEAD~1", today=dt.date(2027, 3, 1))
    assert pack.changes is not None and pack.changes.changed[0].id == ITEM
    rendered = pfm.render_pack(pack, formats=["md"])
    assert (out / "board-pack.md").read_text(encoding="utf-8") == rendered.files["board-pack.md"]
    again = tmp_path / "again"
    written = [path.relative_to(again) for path in pfm.write_pack(rendered, again)]
    assert written == [Path(line).relative_to(out) for line in result.stdout.splitlines()]
