"""pfm.review.kpi_history on a real repository: each commit's KPIs, and the cache in the git folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pfm.review.commit_cache as module
from pfm.review.kpi_history import kpi_history
from pfm.review.kpis import KPIS
from tests.helpers import checkout_state, contents, example_history, git


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return example_history(tmp_path)


def cached(portfolio: Path) -> list[Path]:
    return sorted((Path(git(portfolio, "rev-parse", "--absolute-git-dir").strip()) / "pfm-cache" / "kpi").glob("*"))


def test_each_commit_has_its_kpis_or_its_error_count(portfolio: Path) -> None:
    before = checkout_state(portfolio.parent)
    result = kpi_history(portfolio, cache=False)

    assert checkout_state(portfolio.parent) == before
    assert [p.commit.subject for p in result.points] == ["Start", "Raise a risk", "Break an item"]
    first, second, broken = result.points
    assert (first.errors, first.as_of, second.as_of) == (0, "2027-06-30", "2027-06-30")
    assert first.values is not None and second.values is not None
    assert second.values["risk_exposure"] == first.values["risk_exposure"] + 6  # 3 x 3 -> 5 x 3
    assert broken.errors > 0 and (broken.values, broken.targets, broken.as_of) == (None, None, None)
    series = result.to_dict()["series"]
    assert list(series) == ["commit", "date", *KPIS]
    assert series["risk_exposure"] == [first.values["risk_exposure"], second.values["risk_exposure"], None]
    assert [row["commit"] for row in result.records()] == series["commit"]


def test_since_keeps_the_later_commits(portfolio: Path) -> None:
    assert [p.commit.subject for p in kpi_history(portfolio, since="HEAD~1", cache=False).points] == ["Break an item"]


def test_a_second_run_reads_the_cache_kept_in_the_git_folder(portfolio: Path) -> None:
    before = git(portfolio, "status", "--porcelain", "--untracked-files=all", "--ignored"), contents(portfolio)
    first = kpi_history(portfolio)
    assert first.evaluated == 3 and len(cached(portfolio)) == 3
    assert (
        git(portfolio, "status", "--porcelain", "--untracked-files=all", "--ignored"),
        contents(portfolio),
    ) == before

    second = kpi_history(portfolio)
    assert second.evaluated == 0
    assert second.to_dict() == first.to_dict()
    assert kpi_history(portfolio, cache=False).evaluated == 3


@pytest.mark.parametrize("text", ["{not json", '{"errors": -1}', '{"errors": 0, "as_of": null, "values": [1]}', ""])
def test_a_corrupt_cache_file_is_recomputed(portfolio: Path, text: str) -> None:
    expected = kpi_history(portfolio).to_dict()
    damaged = cached(portfolio)[0]
    damaged.write_text(text, encoding="utf-8")

    again = kpi_history(portfolio)
    assert again.evaluated == 1
    assert again.to_dict() == expected
    assert json.loads(damaged.read_text(encoding="utf-8"))["errors"] >= 0  # written anew


def test_an_unreadable_cache_file_is_recomputed(portfolio: Path) -> None:
    kpi_history(portfolio)
    folder = cached(portfolio)[0]
    folder.unlink()
    folder.mkdir()  # a folder where the file was: cannot be read nor replaced
    assert kpi_history(portfolio).evaluated == 1


def test_another_pfm_version_reads_none_of_the_cache(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kpi_history(portfolio)
    monkeypatch.setattr(module, "pfm_version", lambda: "99.0")
    assert kpi_history(portfolio).evaluated == 3
    assert len(cached(portfolio)) == 6
