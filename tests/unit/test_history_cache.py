"""The cache of `pfm history`: figures kept per git tree in the user's cache folder, equal to those computed afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pfm.review.history as module
from pfm.io.caches import CACHE_VARIABLE
from pfm.review.history import history
from tests.helpers import commit, example_history, git


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return example_history(tmp_path)


def cached() -> list[Path]:
    return sorted((Path(os.environ[CACHE_VARIABLE]) / "history").glob("*"))


def test_a_cached_history_equals_one_computed_afresh(portfolio: Path) -> None:
    afresh = history(portfolio, cache=False).to_dict()
    assert cached() == []
    first = history(portfolio)
    assert len(cached()) == 3  # one file per git tree of the portfolio folder
    second = history(portfolio, item="crm-salesforce")
    assert first.to_dict() == afresh
    assert second.to_dict() == history(portfolio, item="crm-salesforce", cache=False).to_dict()
    assert first.records() == history(portfolio, cache=False).records()


def test_the_cache_is_read_by_git_tree(portfolio: Path) -> None:
    history(portfolio)
    for path in cached():  # a figure changed in the cache shows: the files were not read again
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data | {"errors": 41}), encoding="utf-8")
    assert [p["errors"] for p in history(portfolio).to_dict()["commits"]] == [41, 41, 41]
    top = portfolio.parent
    git(top, "revert", "--no-edit", "HEAD")  # back to the second commit's files: its tree, so its figures
    commit(top, "Touch something outside the portfolio", {"notes.txt": "x"})
    points = history(portfolio).points
    assert [p.commit.subject for p in points][-1] == 'Revert "Break an item"'
    assert points[-1].errors == 41 and len(cached()) == 3


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "",
        "[]",
        '{"items": [], "errors": -1, "totals": null, "npv": null, "ranks": null}',
        '{"items": [1], "errors": 0, "totals": null, "npv": null, "ranks": null}',
        '{"items": [], "errors": 0, "totals": [[2027, "1", 0, 0, null]], "npv": null, "ranks": null}',
        '{"items": [], "errors": 0, "totals": [[2027, 1, 0, 0, [1, 2]]], "npv": null, "ranks": null}',
        '{"items": [], "errors": 0, "totals": null, "npv": null, "ranks": [["a", 1]]}',
    ],
)
def test_a_corrupt_cache_file_is_recomputed(portfolio: Path, text: str) -> None:
    expected = history(portfolio, cache=False).to_dict()
    history(portfolio)
    for path in cached():
        path.write_text(text, encoding="utf-8")
    assert history(portfolio).to_dict() == expected
    for path in cached():  # written anew
        assert json.loads(path.read_text(encoding="utf-8"))["errors"] >= 0


def test_an_unwritable_cache_is_no_failure(portfolio: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    assert history(portfolio).to_dict() == history(portfolio, cache=False).to_dict()


def test_another_pfm_version_reads_none_of_the_cache(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    history(portfolio)
    monkeypatch.setattr(module, "pfm_version", lambda: "99.0")
    history(portfolio)
    assert len(cached()) == 6


def test_two_runs_at_once_leave_a_valid_cache(portfolio: Path) -> None:
    command = [sys.executable, "-m", "pfm", "-q", "-p", str(portfolio), "history", "-f", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    expected = history(portfolio, cache=False).to_dict()
    assert [json.loads(out) for out, _ in outputs] == [expected, expected]
    assert len(cached()) == 3  # no temporary file left behind
    for path in cached():
        assert json.loads(path.read_text(encoding="utf-8"))["errors"] >= 0
    assert history(portfolio).to_dict() == expected
